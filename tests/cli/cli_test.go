package clitest

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestCommands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		emptyError bool     // stderr must be empty
	}{
		{name: "version", args: []string{"version"}, wantOut: []string{"meterdesk "}, emptyError: true},
		{name: "version json", args: []string{"--json", "version"}, wantOut: []string{`"version"`}, emptyError: true},
		{name: "help", args: []string{"help"}, wantOut: []string{"Usage:", "backup", "version", "--data-dir"}, emptyError: true},
		{name: "help flag", args: []string{"--help"}, wantOut: []string{"Commands:"}, emptyError: true},
		{name: "help for a command", args: []string{"help", "backup"}, wantOut: []string{"--out FILE"}, emptyError: true},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2, wantErr: []string{`unknown command "frobnicate"`}},
		{name: "help for unknown command", args: []string{"help", "frobnicate"}, wantCode: 2, wantErr: []string{"frobnicate"}},
		{name: "version with extra argument", args: []string{"version", "extra"}, wantCode: 2, wantErr: []string{`unexpected argument "extra" (it takes flags only)`}},
		{name: "data-dir without value", args: []string{"version", "--data-dir"}, wantCode: 2, wantErr: []string{"--data-dir"}},
		{name: "backup without --out", args: []string{"--data-dir", "@workspace", "backup"}, wantCode: 2, wantErr: []string{"--out"}},
		{name: "invalid input", args: []string{"--data-dir", "@workspace", "credits", "topup", "--amount", "abc"}, wantCode: 2, wantErr: []string{`"abc": not a decimal number`}},
		{name: "not found", args: []string{"--data-dir", "@workspace", "users", "show", "nobody"}, wantCode: 5, wantErr: []string{"not found"}},
		{name: "conflict", args: []string{"--data-dir", "@workspace", "users", "remove", "alice"}, wantCode: 6, wantErr: []string{"at least one active admin"}},
		{name: "no workspace", args: []string{"--data-dir", "@tmp", "credits", "balance"}, wantCode: 5, wantErr: []string{"no Meterdesk workspace in", "check --data-dir"}},
		{name: "--user before setup", args: []string{"--data-dir", "@tmp", "--user", "ghost", "status"}, wantCode: 5, wantErr: []string{"no members to sign in as"}},
		{name: "help for the exit codes", args: []string{"help"}, wantOut: []string{"Exit codes:", "3  refused"}, emptyError: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{}, tc.args...)
			for i, a := range args {
				switch a {
				case "@tmp":
					args[i] = t.TempDir()
				case "@workspace":
					args[i] = workspace(t)
				}
			}
			r := meterdesk(t, nil, args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, s := range tc.wantOut {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout does not contain %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, r.stderr)
				}
			}
			if tc.emptyError && r.stderr != "" {
				t.Errorf("stderr not empty: %s", r.stderr)
			}
		})
	}
}

func TestBackupIsAValidDatabase(t *testing.T) {
	data := workspace(t)
	out := filepath.Join(t.TempDir(), "copy.db")
	if r := meterdesk(t, nil, "--data-dir", data, "settings", "set", "workspace.name", "Backup Test Co"); r.code != 0 {
		t.Fatalf("settings set: exit %d: %s", r.code, r.stderr)
	}
	r := meterdesk(t, nil, "--data-dir", data, "backup", "--out", out)
	if r.code != 0 {
		t.Fatalf("backup: exit %d\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, out) {
		t.Errorf("backup output does not name the file: %q", r.stdout)
	}
	db, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	var migrations int
	if err := db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&migrations); err != nil || migrations == 0 {
		t.Fatalf("schema_migrations rows = %d, %v", migrations, err)
	}
	// The backup is a usable data folder: open it with the CLI itself.
	restored := t.TempDir()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "meterdesk.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r = meterdesk(t, nil, "--data-dir", restored, "settings", "get", "workspace.name")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "Backup Test Co" {
		t.Errorf("workspace.name from the restored backup: exit %d, %q, stderr %s", r.code, r.stdout, r.stderr)
	}

	// A second backup to the same file must refuse, leaving the first intact.
	before, err := os.ReadFile(out)
	if err != nil || len(before) == 0 {
		t.Fatalf("the first backup: %d bytes, %v", len(before), err)
	}
	r = meterdesk(t, nil, "--data-dir", data, "backup", "--out", out)
	if r.code == 0 {
		t.Fatalf("backup over an existing file succeeded")
	}
	if r.stderr == "" {
		t.Errorf("no message on stderr")
	}
	if after, err := os.ReadFile(out); err != nil || !bytes.Equal(before, after) {
		t.Errorf("existing backup file was changed (%v)", err)
	}
}

// freshDatabase makes a data folder holding a real, closed Meterdesk database.
func freshDatabase(t *testing.T) (dir, path string) {
	t.Helper()
	dir = workspace(t)
	return dir, filepath.Join(dir, "meterdesk.db")
}

// workspace returns a new data folder set up with one admin, alice, who the
// CLI then signs in by itself.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	setUp(t, nil, dir)
	return dir
}

// setUp runs `workspace setup` in dir (which it may create); prefix as for
// meterdesk.
func setUp(t *testing.T, prefix []string, dir string) {
	t.Helper()
	t.Setenv("METERDESK_NEW_SECRET", "correct horse battery")
	r := meterdesk(t, prefix, "--data-dir", dir, "workspace", "setup", "--name", "Fixture", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice")
	if r.code != 0 {
		t.Fatalf("workspace setup: exit %d: %s", r.code, r.stderr)
	}
}

// TestNoWorkspaceCreatesNothing: a command other than `workspace setup` in a
// folder with no database (a mistyped --data-dir) exits 5 naming the folder,
// and creates neither it nor anything in it.
func TestNoWorkspaceCreatesNothing(t *testing.T) {
	base := t.TempDir()
	for _, dir := range []string{filepath.Join(base, "typo"), filepath.Join(base, "no", "such", "folder")} {
		for _, args := range [][]string{
			{"credits", "topup", "--amount", "500"},
			{"--json", "credits", "balance"},
			{"settings", "set", "workspace.name", "X"},
		} {
			r := meterdesk(t, nil, append([]string{"--data-dir", dir}, args...)...)
			if r.code != 5 || r.stdout != "" || !strings.Contains(r.stderr, "no Meterdesk workspace in "+dir) {
				t.Errorf("%v in %s: exit %d %q %q", args, dir, r.code, r.stdout, r.stderr)
			}
		}
	}
	if entries, err := os.ReadDir(base); err != nil || len(entries) != 0 {
		t.Fatalf("created in %s: %v %v", base, entries, err)
	}
}

// TestFailedSetupMakesNothing: the built binary's `workspace setup` with
// bad input (a password too short, a currency or time zone that does not
// exist) exits 2 and leaves the data folder as it was — here not even
// made — so that the next command still says there is no workspace (exit
// 5) instead of running as the system on an empty database; setup with
// good input then works.
func TestFailedSetupMakesNothing(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	good := []string{"--data-dir", dir, "workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice"}
	for _, c := range []struct {
		secret string
		extra  []string
		says   string
	}{
		{"short", nil, "a password needs at least 8 characters"},
		{"correct horse", []string{"--currency", "EURO"}, "not a three-letter ISO 4217 code"},
		{"correct horse", []string{"--timezone", "Mars/Olympus"}, "not an IANA zone name"},
	} {
		t.Setenv("METERDESK_NEW_SECRET", c.secret)
		r := meterdesk(t, nil, append(append([]string{}, good...), c.extra...)...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, c.says) {
			t.Fatalf("setup %v: exit %d %q %q, want 2 and %q", c.extra, r.code, r.stdout, r.stderr, c.says)
		}
		if entries, err := os.ReadDir(base); err != nil || len(entries) != 0 {
			t.Fatalf("a failed setup made %v (%v)", entries, err)
		}
		for _, args := range [][]string{{"credits", "balance"}, {"chat", "--model", "gpt-4o", "hello"}, {"rates", "list"}, {"users", "list"}} {
			r := meterdesk(t, nil, append([]string{"--data-dir", dir}, args...)...)
			if r.code != 5 || r.stdout != "" || !strings.Contains(r.stderr, "no Meterdesk workspace in "+dir) {
				t.Fatalf("%v after a failed setup: exit %d %q %q, want 5", args, r.code, r.stdout, r.stderr)
			}
		}
	}
	t.Setenv("METERDESK_NEW_SECRET", "correct horse")
	if r := meterdesk(t, nil, good...); r.code != 0 {
		t.Fatalf("setup: exit %d %s", r.code, r.stderr)
	}
	if r := meterdesk(t, nil, "--data-dir", dir, "credits", "balance"); r.code != 0 {
		t.Fatalf("credits balance after setup: exit %d %s", r.code, r.stderr)
	}
}

func TestBadDataFolders(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T) (dataDir string, watch string) // watch: folder that must stay untouched
		wantErr string
	}{
		{
			name: "data folder path runs through a regular file",
			setup: func(t *testing.T) (string, string) {
				base := t.TempDir()
				if err := os.WriteFile(filepath.Join(base, "notes.txt"), []byte("just a file\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return filepath.Join(base, "notes.txt", "data"), base
			},
			wantErr: "not writable",
		},
		{
			name: "not a database",
			setup: func(t *testing.T) (string, string) {
				dir := t.TempDir()
				junk := bytes.Repeat([]byte("this is not an SQLite database\n"), 200)
				if err := os.WriteFile(filepath.Join(dir, "meterdesk.db"), junk, 0o600); err != nil {
					t.Fatal(err)
				}
				return dir, dir
			},
			wantErr: "damaged",
		},
		{
			name: "damaged pages behind a valid header",
			setup: func(t *testing.T) (string, string) {
				dir, path := freshDatabase(t)
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if len(b) < 8192 {
					t.Fatalf("fixture database only %d bytes", len(b))
				}
				// Keep the 100-byte file header, wreck the rest of page 1
				// (the schema b-tree) and all of page 2.
				for i := 100; i < 8192; i++ {
					b[i] = 0xA5
				}
				if err := os.WriteFile(path, b, 0o600); err != nil {
					t.Fatal(err)
				}
				return dir, dir
			},
			wantErr: "damaged",
		},
		{
			name: "database from a newer version",
			setup: func(t *testing.T) (string, string) {
				dir, path := freshDatabase(t)
				db, err := sql.Open("sqlite", "file:"+path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(`INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_future.sql')`); err != nil {
					t.Fatal(err)
				}
				// Leave a single self-contained file, as a copied database would be.
				if _, err := db.Exec(`PRAGMA journal_mode=DELETE`); err != nil {
					t.Fatal(err)
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				return dir, dir
			},
			wantErr: "newer version",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dataDir, watch := tc.setup(t)
			before := snapshot(t, watch)
			out := filepath.Join(t.TempDir(), "backup.db")
			for _, args := range [][]string{
				{"--data-dir", dataDir, "backup", "--out", out},
				{"--data-dir", dataDir, "settings", "set", "workspace.name", "Overwritten"},
				{"--data-dir", dataDir, "workspace", "setup", "--name", "Over", "--currency", "EUR", "--credit-value", "0.01", "--admin", "mallory"},
			} {
				r := meterdesk(t, nil, args...)
				if r.code == 0 {
					t.Fatalf("%v: exit 0, want failure\nstdout: %s", args, r.stdout)
				}
				if !strings.Contains(r.stderr, tc.wantErr) {
					t.Errorf("%v: stderr does not explain (want %q):\n%s", args, tc.wantErr, r.stderr)
				}
				// A database that cannot be opened: the way out is named.
				if tc.wantErr != "not writable" && !strings.Contains(r.stderr, "meterdesk restore FILE") {
					t.Errorf("%v: stderr does not name meterdesk restore:\n%s", args, r.stderr)
				}
				if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
					t.Errorf("%v: crashed:\n%s", args, r.stderr)
				}
				if r.stdout != "" {
					t.Errorf("%v: unexpected stdout: %s", args, r.stdout)
				}
			}
			assertUntouched(t, watch, before)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a backup file was written from a bad data folder")
			}
		})
	}
}

// TestReadOnlyDataFolder checks an existing database in a folder the user
// cannot write. As root (CI) permissions do not stop writes, so the binary
// runs as nobody through setpriv; as a normal user the folder is chmod 0555.
func TestReadOnlyDataFolder(t *testing.T) {
	var prefix []string
	base, err := os.MkdirTemp("", "meterdesk-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(base)
	})
	dir := filepath.Join(base, "data")
	setUp(t, nil, dir)
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot make a folder unwritable")
		}
		prefix = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"}
		// nobody may read and traverse but not write.
		for _, p := range []string{base, dir} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(filepath.Join(dir, "meterdesk.db"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	r := meterdesk(t, prefix, "--data-dir", dir, "settings", "set", "workspace.name", "Overwritten")
	if r.code == 0 {
		t.Fatalf("exit 0 in a read-only folder\nstdout: %s", r.stdout)
	}
	if !strings.Contains(r.stderr, "not writable") {
		t.Errorf("stderr does not explain:\n%s", r.stderr)
	}
	assertUntouched(t, dir, before)
}

func assertUntouched(t *testing.T, dir string, before map[string][]byte) {
	t.Helper()
	after := snapshot(t, dir)
	for name, b := range before {
		a, ok := after[name]
		if !ok {
			t.Errorf("%s was removed", name)
		} else if !bytes.Equal(a, b) {
			t.Errorf("%s was modified (%d bytes before, %d after)", name, len(b), len(a))
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s was created in the bad data folder", name)
		}
	}
}
