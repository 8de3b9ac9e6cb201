package cli

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/asnobody"
	"meterdesk/tests/dirstate"
)

// TestRestoreRefusalWords: every refusal of `meterdesk restore FILE` and
// `restore --check FILE` for what FILE is says what is wrong and what to
// do in words a person can act on, never SQLite's result code ("(11)",
// "(26)", "error code 11"), ends with "nothing was changed" where the
// refusal is about the backup, and leaves the live database byte for byte
// as it was (and whole) and the data folder as it was. With --json a
// damaged backup is also printed as {"ok": false, "problem", "detail"},
// detail holding SQLite's own words for support.
func TestRestoreRefusalWords(t *testing.T) {
	if asnobody.Rerun(t) { // root reads a backup of mode 0000: all of it as nobody
		return
	}
	dir := teamWorkspace(t)
	alice := asAlice(t, dir)
	good := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", good)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edit := func(name string, f func(b []byte)) string {
		b := append([]byte(nil), raw...)
		f(b)
		return write(name, b)
	}
	header := edit("header.db", func(b []byte) {
		for i := 16; i < 100; i++ {
			b[i] ^= 0x5a
		}
	})
	pages := edit("pages.db", func(b []byte) {
		for i := 4096; i < len(b) && i < 4096*8; i++ {
			b[i] ^= 0x5a
		}
	})
	cut := write("cut short.db", raw[:len(raw)/3])
	text := write("notes.txt", []byte("not a database at all\n"))
	empty := write("empty.db", nil)
	sqlite := func(name string, stmts ...string) string {
		p := filepath.Join(files, name)
		if len(stmts) > 0 && stmts[0] == "copy" {
			write(name, raw)
			stmts = stmts[1:]
		}
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return p
	}
	notOurs := sqlite("notes.db", "CREATE TABLE notes(body TEXT)", "INSERT INTO notes VALUES ('hello')")
	newer := sqlite("newer.db", "copy", "INSERT INTO schema_migrations(version, name) VALUES (9999, 'future.sql')")
	otherDir := t.TempDir()
	if code, _, errs := runIn(t, "long enough pw\n", "--data-dir", otherDir, "workspace", "setup", "--name", "Beta",
		"--currency", "EUR", "--credit-value", "0.01", "--admin", "zed"); code != 0 {
		t.Fatal(errs)
	}
	other := filepath.Join(files, "beta.db")
	if code, _, errs := runIn(t, "long enough pw\n", "--data-dir", otherDir, "backup", "--out", other); code != 0 {
		t.Fatal(errs)
	}
	missing := filepath.Join(files, "missing.db")
	// A backup this user may not read: mode 0000, or in a folder it may
	// not enter (no x). Root reads both: the test runs as nobody then.
	locked := write("locked.db", raw)
	closed := filepath.Join(files, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	inClosed := filepath.Join(closed, "acme.db")
	if err := os.WriteFile(inClosed, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]os.FileMode{locked: 0, closed: 0o600} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(closed, 0o700) })
	unreadable := func(f string) string {
		return fmt.Sprintf("meterdesk restore: %s cannot be read: permission denied; check its permissions or copy it somewhere readable; nothing was changed\n", f)
	}
	var latest int // this version's newest migration, which a backup it makes holds
	if db, err := sql.Open("sqlite", good); err != nil {
		t.Fatal(err)
	} else if err := db.QueryRow("SELECT MAX(version) FROM schema_migrations").Scan(&latest); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	damagedAs := func(f, what string) string {
		return fmt.Sprintf("meterdesk restore: the backup is damaged: %s: %s; choose another backup; nothing was changed\n", f, what)
	}
	notBackup := func(f, what string) string {
		return fmt.Sprintf("meterdesk restore: not a Meterdesk backup: %s %s; choose another backup; nothing was changed\n", f, what)
	}
	live := filepath.Join(dir, "meterdesk.db")
	sum := func() string {
		b, err := os.ReadFile(live)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	before, state := sum(), dirstate.Of(t, dir)
	for _, c := range []struct {
		name, file string
		check      bool // refused by --check too (another workspace's is described there)
		code       int
		words      string
		verdict    int // a damaged backup's --json verdict: 0 none, 1 without detail (Meterdesk's own finding), 2 with SQLite's words
	}{
		{"damaged header", header, true, ExitFailed, damagedAs(header, "its header is damaged"), 2},
		{"damaged pages", pages, true, ExitFailed, damagedAs(pages, "some of its pages are damaged"), 2},
		{"cut short", cut, true, ExitFailed, damagedAs(cut, fmt.Sprintf("it is cut short (%d bytes of the %d it should have)", len(raw)/3, len(raw))), 1},
		{"not SQLite", text, true, ExitUsage, notBackup(text, "is not an SQLite database"), 0},
		{"empty", empty, true, ExitUsage, notBackup(empty, "is empty"), 0},
		{"SQLite but not ours", notOurs, true, ExitUsage, notBackup(notOurs, "has no Meterdesk data"), 0},
		{"newer version", newer, true, ExitFailed, fmt.Sprintf("meterdesk restore: the backup was made by a newer version of Meterdesk "+
			"(it has migration 9999, which this version does not; this version knows up to %d): %s; "+
			"restore it with that version or a later one; nothing was changed\n", latest, newer), 0},
		{"another workspace without --yes", other, false, ExitConflict, fmt.Sprintf("meterdesk restore: %s: this backup is of another "+
			"workspace, \"Beta\", not of \"Acme\", the one in this data folder: restoring it replaces \"Acme\": its members, you too, "+
			"can then sign in only as members of \"Beta\"; nothing was changed; to replace it all the same, run again with --yes\n", other), 0},
		// In fileout's words, as rates import says them (this said "is a
		// folder; choose the backup file", rates import "it is a folder;
		// give a file").
		{"a folder", files, true, ExitUsage, fmt.Sprintf("meterdesk restore: %s cannot be read: it is a folder; "+
			"give a file; nothing was changed\n", files), 0},
		{"missing file", missing, true, ExitNotFound, fmt.Sprintf("meterdesk restore: %s: no such file\n", missing), 0},
		// A trailing separator names a folder: a good backup named so is
		// refused in fileout's words, as rates import refuses it (it
		// restored the file, the separator dropped by filepath.Abs).
		{"a file named as a folder", good + "/", true, ExitUsage, fmt.Sprintf("meterdesk restore: %s/ cannot be read: %s is a file, "+
			"not a folder; give %s; nothing was changed\n", good, good, good), 0},
		{"a missing file named as a folder", missing + "/", true, ExitNotFound, fmt.Sprintf("meterdesk restore: %s/: no such file\n", missing), 0},
		// Gone on past it by "." or "..", which filepath.Abs drops as it
		// dropped the separator (`restore x.db/.` restored x.db).
		{"a file named as a folder with /.", good + "/.", true, ExitUsage, fmt.Sprintf("meterdesk restore: %s/. cannot be read: %s is a file, "+
			"not a folder; give %s; nothing was changed\n", good, good, good), 0},
		{"a file named as a folder with /..", good + "/../" + filepath.Base(good), true, ExitUsage, fmt.Sprintf("meterdesk restore: %s/../%s cannot be read: %s is a file, "+
			"not a folder; give %s; nothing was changed\n", good, filepath.Base(good), good, good), 0},
		// exit 1, as a folder the user may not write in (not 2: it may be a
		// backup, just not readable by this user)
		{"mode 0000", locked, true, ExitFailed, unreadable(locked), 0},
		{"in a folder it may not enter", inClosed, true, ExitFailed, unreadable(inClosed), 0},
	} {
		runs := [][]string{{"restore", c.file}}
		if c.check {
			runs = append(runs, []string{"restore", "--check", c.file})
		}
		for _, args := range runs {
			code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
			if code != c.code || errs != c.words {
				t.Errorf("%s %v: exit %d %q\nwant exit %d %q", c.name, args, code, errs, c.code, c.words)
			}
			for _, code := range []string{"(11)", "(26)", "error code"} {
				if strings.Contains(errs, code) {
					t.Errorf("%s %v: %q names SQLite's result code", c.name, args, errs)
				}
			}
			if out != "" {
				t.Errorf("%s %v: printed %q", c.name, args, out)
			}
			if got := sum(); got != before {
				t.Fatalf("%s %v changed the live database", c.name, args)
			}
			if got := dirstate.Of(t, dir); got != state {
				t.Fatalf("%s %v changed the data folder:\nbefore %s\nafter  %s", c.name, args, state, got)
			}
			// --json: the same line and exit code; a damaged backup's
			// verdict on stdout with SQLite's words as detail.
			code, out, errs = runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice", "--json"}, args...)...)
			if code != c.code || errs != c.words {
				t.Errorf("%s --json %v: exit %d %q", c.name, args, code, errs)
			}
			var v struct {
				OK      *bool  `json:"ok"`
				Problem string `json:"problem"`
				Detail  string `json:"detail"`
			}
			switch {
			case c.verdict > 0:
				if err := json.Unmarshal([]byte(out), &v); err != nil || v.OK == nil || *v.OK ||
					"meterdesk restore: "+v.Problem+"\n" != c.words || (v.Detail != "") != (c.verdict == 2) {
					t.Errorf("%s --json %v: printed %q (%v), want ok false, the problem and SQLite's detail", c.name, args, out, err)
				}
			case out != "":
				t.Errorf("%s --json %v: printed %q", c.name, args, out)
			}
			if got := sum(); got != before {
				t.Fatalf("%s --json %v changed the live database", c.name, args)
			}
		}
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "check"); code != 0 {
		t.Fatalf("the live database after the refusals: exit %d %s%s", code, out, errs)
	}
}
