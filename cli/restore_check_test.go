package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/core"
	"meterdesk/tests/dirstate"
)

// TestRestoreCheckOnANewComputer: `restore --check FILE` in a data folder
// with no database — a new computer, before `restore FILE` — checks the
// backup there without a sign-in (there is nobody to sign in as, and
// `restore FILE` needs none there either) instead of refusing the folder
// (exit 5, "no workspace"), and makes nothing in it: not the folder, not a
// lock file, not a secrets.key; not one byte or time changes. It names the
// providers whose keys this machine cannot open there (the backup holds no
// secrets.key), saying they are to be typed again, and the folder that has
// no database yet. A bad backup is refused as anywhere else, changing
// nothing, and so is it by `restore FILE` there, which checks it before it
// makes the folder or takes its lock. Where the keys were sealed, the
// check says nothing about them.
func TestRestoreCheckOnANewComputer(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("CLOUD_KEY", "sk-test-0123456789abcdef")
	home := teamWorkspace(t)
	alice := asAlice(t, home)
	alice("providers", "add", "--name", "cloud", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1", "--key-env", "CLOUD_KEY")
	alice("providers", "add", "--name", "local", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v2")
	backup := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", backup)
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("METERDESK_PASSWORD", "")

	for _, where := range noDatabaseFolders {
		t.Run(where, func(t *testing.T) {
			base, dir, global := noDatabaseIn(t, where, "new")
			before := dirstate.Stamped(t, base)
			for _, c := range []struct {
				args []string
				code int
				want []string
			}{
				{[]string{"restore", "--check", backup}, ExitOK, []string{
					backup + " can be restored\n", "  workspace     Acme\n", "  members       3\n",
					"note: The API key of 1 provider (cloud) cannot be opened on this machine", "type it again",
					dir + " has no database yet: `meterdesk restore FILE` brings this backup there, with no sign-in\n"}},
				// --user is not asked for, as by `restore FILE` there.
				{[]string{"--user", "alice", "restore", "--check", backup}, ExitOK, []string{backup + " can be restored"}},
				{[]string{"restore", "--check", notBackup}, ExitUsage, []string{"not an SQLite database"}},
				{[]string{"restore", "--check", filepath.Join(base, "nope.db")}, ExitNotFound, []string{"no such file"}},
				{[]string{"restore", "--status"}, ExitNotFound, []string{"no Meterdesk workspace in " + dir}},
				// restore FILE checks the backup before it makes the folder
				// or its lock file (it made both, then refused the file).
				{[]string{"restore", notBackup}, ExitUsage, []string{"not an SQLite database"}},
				{[]string{"restore", filepath.Join(base, "nope.db")}, ExitNotFound, []string{"no such file"}},
			} {
				code, out, errs := runIn(t, "", append(global, c.args...)...)
				if code != c.code {
					t.Errorf("%v: exit %d %q %q; want %d", c.args, code, out, errs, c.code)
				}
				for _, w := range c.want {
					if !strings.Contains(out+errs, w) {
						t.Errorf("%v: %q %q; want %q", c.args, out, errs, w)
					}
				}
				if after := dirstate.Stamped(t, base); after != before {
					t.Fatalf("%v changed the folder:\nbefore %s\nafter  %s", c.args, before, after)
				}
			}
			// --json says the folder has no database ("hasDatabase":
			// false), as the text's last line does; it gave no sign of it.
			code, out, errs := runIn(t, "", append(global, "--json", "restore", "--check", backup)...)
			var s struct {
				core.BackupSummary
				HasDatabase *bool `json:"hasDatabase"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.Workspace != "Acme" ||
				!slices.Equal(s.KeysToEnter, []string{"cloud"}) || !strings.Contains(s.KeysNote, "type it again") ||
				s.HasDatabase == nil || *s.HasDatabase {
				t.Fatalf("--json: exit %d %s %s", code, out, errs)
			}
		})
	}

	// Restored there, the keys are still to be typed again (the restore
	// says so too), and an admin's check there says the same; at home,
	// where they were sealed, nothing is said about keys.
	dir := filepath.Join(t.TempDir(), "new")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "restore", backup); code != 0 || !strings.Contains(out, "note: The API key of 1 provider (cloud)") {
		t.Fatalf("restore: exit %d %q %q", code, out, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := asAlice(t, dir)("restore", "--check", backup); !strings.Contains(out, "note: The API key of 1 provider (cloud)") || strings.Contains(out, "no database yet") {
		t.Fatalf("check where it was restored: %q", out)
	}
	if out := alice("restore", "--check", backup); strings.Contains(out, "API key") || strings.Contains(out, "note:") {
		t.Fatalf("check where the keys were sealed: %q", out)
	}
	if out := alice("--json", "restore", "--check", backup); !strings.Contains(out, `"hasDatabase": true`) {
		t.Fatalf("--json where there is a database: %s", out)
	}
}
