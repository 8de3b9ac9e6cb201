package app

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/tests/asnobody"
)

// TestRestoreRefusalsInTheWindow: Settings → General → Restore says what
// is wrong with a damaged backup in the CLI's words (after its
// "meterdesk restore: "), with no SQLite result code, by its Check and its
// Restore alike (System.CheckBackup, System.StageRestore), and stages
// nothing.
func TestRestoreRefusalsInTheWindow(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	good := filepath.Join(t.TempDir(), "acme.db")
	if err := b.Backup(alice, good); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	header, pages, cut := filepath.Join(files, "header.db"), filepath.Join(files, "pages.db"), filepath.Join(files, "cut.db")
	h := append([]byte(nil), raw...)
	for i := 16; i < 100; i++ {
		h[i] ^= 0x5a
	}
	p := append([]byte(nil), raw...)
	for i := 4096; i < len(p) && i < 4096*8; i++ {
		p[i] ^= 0x5a
	}
	for f, content := range map[string][]byte{header: h, pages: p, cut: raw[:len(raw)/3]} {
		if err := os.WriteFile(f, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sys := &System{app: a}
	for _, c := range []struct{ file, what string }{
		{header, "its header is damaged"},
		{pages, "some of its pages are damaged"},
		{cut, fmt.Sprintf("it is cut short (%d bytes of the %d it should have)", len(raw)/3, len(raw))},
	} {
		want := fmt.Sprintf("restore: the backup is damaged: %s: %s; choose another backup; nothing was changed", c.file, c.what)
		_, cerr := sys.CheckBackup(c.file)
		_, serr := sys.StageRestore(c.file, false)
		for op, err := range map[string]error{"check": cerr, "restore": serr} {
			if err == nil {
				t.Fatalf("%s %s: not refused", op, c.file)
			}
			if got := FormatError(err); got != want {
				t.Errorf("%s: the window gets %#v, want %q", op, got, want)
			}
		}
		st, err := sys.RestoreStatus()
		if err != nil || st.Pending != nil {
			t.Fatalf("after %s: %+v, %v: a refused restore was staged", c.file, st, err)
		}
	}

	// A good backup named as a folder ("acme.db/", "acme.db/."): refused
	// in fileout's words, before anything is staged (filepath.Abs dropped
	// the "/" or "/." and the window staged acme.db).
	for _, f := range []string{good + "/", good + "/.", good + string(filepath.Separator)} {
		want := "restore: " + f + " cannot be read: " + good + " is a file, not a folder; give " + good + "; nothing was changed"
		_, cerr := sys.CheckBackup(f)
		_, serr := sys.StageRestore(f, false)
		for op, err := range map[string]error{"check": cerr, "restore": serr} {
			if err == nil {
				t.Errorf("%s %s: not refused", op, f)
			} else if got := FormatError(err); got != want {
				t.Errorf("%s %s: the window gets %#v, want %q", op, f, got, want)
			}
		}
		if st, err := sys.RestoreStatus(); err != nil || st.Pending != nil {
			t.Fatalf("after %s: %+v, %v: a refused restore was staged", f, st, err)
		}
	}
	// acme.db itself is staged, and the staging dropped again.
	if _, err := sys.StageRestore(good, false); err != nil {
		t.Fatalf("stage %s: %v", good, err)
	}
	if st, err := sys.RestoreStatus(); err != nil || st.Pending == nil {
		t.Fatalf("after %s: %+v, %v: not staged", good, st, err)
	}
	if _, err := sys.CancelRestore(); err != nil {
		t.Fatal(err)
	}

	// A backup the user may not read (mode 0000, a folder without x) says
	// so, where it was "is not an SQLite database" (or Go's "stat …:
	// permission denied"). Root reads both: run as nobody then (CI runs as root).
	t.Run("a backup it may not read", func(t *testing.T) {
		if asnobody.Rerun(t) {
			return
		}
		locked := filepath.Join(files, "locked.db")
		closed := filepath.Join(files, "closed")
		inClosed := filepath.Join(closed, "acme.db")
		if err := os.WriteFile(locked, raw, 0); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(closed, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(inClosed, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(closed, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(closed, 0o700) })
		for _, f := range []string{locked, inClosed} {
			want := "restore: " + f + " cannot be read: permission denied; check its permissions or copy it somewhere readable; nothing was changed"
			_, cerr := sys.CheckBackup(f)
			_, serr := sys.StageRestore(f, false)
			for op, err := range map[string]error{"check": cerr, "restore": serr} {
				if got := FormatError(err); err == nil || got != want {
					t.Errorf("%s %s: the window gets %#v, want %q", op, f, got, want)
				}
			}
			if st, err := sys.RestoreStatus(); err != nil || st.Pending != nil {
				t.Fatalf("after %s: %+v, %v: a refused restore was staged", f, st, err)
			}
		}
	})
}
