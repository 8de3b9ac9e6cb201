package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/tests/asnobody"
)

// TestCopyInRefusesABackupItMayNotRead: a backup this user may not read
// (mode 0000, a folder it may not enter, a -wal of mode 0000) was refused
// as "is not an SQLite database" (its header could not be read) or with
// Go's "open …: permission denied". It now says what is true, with what to
// do and that nothing was changed, and is not ErrNotBackup (exit 2), but
// fs.ErrPermission (exit 1, as a folder it may not write in). Nothing is
// copied; CheckBackup says the same. As root (CI), it is run as nobody.
func TestCopyInRefusesABackupItMayNotRead(t *testing.T) {
	if asnobody.Rerun(t) { // root reads a file of mode 0000: run as nobody
		return
	}
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.db")
	if err := db.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		// make places the backup in base and returns it and the file
		// that cannot be read (the backup, or its -wal)
		make func(t *testing.T, base string) (backup, unreadable string)
	}{
		{"mode 0000", func(t *testing.T, base string) (string, string) {
			p := filepath.Join(base, "locked.db")
			write(t, p, raw, 0)
			return p, p
		}},
		{"a folder it may not enter", func(t *testing.T, base string) (string, string) {
			d := filepath.Join(base, "closed")
			if err := os.Mkdir(d, 0o700); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(d, "backup.db")
			write(t, p, raw, 0o600)
			if err := os.Chmod(d, 0o600); err != nil { // read, no search (x)
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(d, 0o700) })
			return p, p
		}},
		{"its -wal mode 0000", func(t *testing.T, base string) (string, string) {
			p := filepath.Join(base, "live copy.db")
			write(t, p, raw, 0o600)
			write(t, p+"-wal", []byte("a -wal"), 0)
			return p, p + "-wal"
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, unreadable := c.make(t, t.TempDir())
			want := unreadable + " cannot be read: permission denied; check its permissions or copy it somewhere readable; nothing was changed"
			dst := filepath.Join(t.TempDir(), "staged.db")
			err := CopyIn(ctx, src, dst)
			var ue *UnreadableError
			if !errors.As(err, &ue) || !errors.Is(err, fs.ErrPermission) || errors.Is(err, ErrNotBackup) || err.Error() != want {
				t.Fatalf("CopyIn = %v\nwant %q", err, want)
			}
			if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("an unreadable backup was copied: %v", err)
			}
			if cerr := CheckBackup(ctx, src, t.TempDir()); cerr == nil || cerr.Error() != want {
				t.Fatalf("CheckBackup = %v, want %q", cerr, want)
			}
		})
	}
}

func write(t *testing.T, p string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}
