package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/dirstate"
)

// TestNoWorkspaceIsRefusedCreatingNothing: in a data folder without a
// database (a mistyped --data-dir, a drive not mounted, a new computer)
// every command but `workspace setup` (and `status`, which only says so,
// and `restore --check FILE`, which checks a backup for it:
// TestRestoreCheckOnANewComputer) fails with exit 5, naming the folder, and creates nothing: no folder,
// no file. The default data folder follows the same rule.
func TestNoWorkspaceIsRefusedCreatingNothing(t *testing.T) {
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	t.Setenv("METERDESK_SECRETS", "file")
	commands := [][]string{
		{"credits", "topup", "--amount", "500"},
		{"--json", "credits", "balance"},
		{"--user", "ghost", "credits", "balance"},
		{"credits", "balance", "--user", "ghost"},
		{"users", "list"},
		{"workspace", "show"},
		{"workspace", "update", "--name", "X"},
		{"settings", "set", "workspace.name", "X"},
		{"providers", "add", "--name", "local", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b.db")},
		{"serve", "--addr", "127.0.0.1:0"},
		{"restore", "--status"},
		{"--user", "ghost", "status"},
	}
	for _, where := range noDatabaseFolders {
		for _, args := range commands {
			t.Run(where+" "+strings.Join(args, " "), func(t *testing.T) {
				base, dir, global := noDatabaseIn(t, where, "typo")
				before := dirstate.Stamped(t, base)
				code, out, errs := runIn(t, "", append(global, args...)...)
				wantErr := "no Meterdesk workspace in " + dir
				if strings.Join(args, " ") == "--user ghost status" {
					wantErr = "--user ghost: the workspace is not set up yet: it has no members to sign in as"
				}
				if code != ExitNotFound || out != "" || !strings.Contains(errs, wantErr) {
					t.Fatalf("exit %d, stdout %q, stderr %q; want 5 and %q", code, out, errs, wantErr)
				}
				if where != "default" && !strings.Contains(errs, "check --data-dir") && !strings.Contains(errs, "--user ghost:") {
					t.Errorf("a folder given with --data-dir: the message does not say to check it: %q", errs)
				}
				if after := dirstate.Stamped(t, base); after != before {
					t.Fatalf("the command created something:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}

	// status says there is no workspace yet, lists setting one up, and
	// creates nothing either.
	base := t.TempDir()
	dir := filepath.Join(base, "new")
	code, out, errs := runIn(t, "", "--data-dir", dir, "status")
	if code != 0 || out != "Ready to chat: no\nA few steps before the first metered reply.\n[ ] Set up the workspace: name it, choose its currency and credit value, and add its first admin.\n"+
		"    meterdesk workspace setup --name N --currency EUR --credit-value 0.01 --admin NAME [--pin]\n" ||
		!strings.Contains(errs, "no Meterdesk workspace in "+dir+" yet") {
		t.Fatalf("status: %d %q %q", code, out, errs)
	}
	code, out, _ = runIn(t, "", "--data-dir", dir, "--json", "status")
	var r struct {
		Ready bool
		Steps []struct{ ID string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Ready || len(r.Steps) != 1 || r.Steps[0].ID != "workspace" {
		t.Fatalf("status --json: %d %s", code, out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("status created %s: %v", dir, err)
	}

	// Help works anywhere; workspace setup makes the database, in a folder
	// it creates if need be.
	if code, out, _ := runIn(t, "", "--data-dir", dir, "credits", "topup", "--help"); code != 0 || !strings.Contains(out, "meterdesk credits topup") {
		t.Fatalf("credits topup --help: %d %q", code, out)
	}
	if code, _, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice", "--timezone", "UTC"); code != 0 || errs != "" {
		t.Fatalf("workspace setup: %d %q", code, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "credits", "balance"); code != 0 || errs != "" || !strings.Contains(out, "balance") {
		t.Fatalf("after setup: %d %q %q", code, out, errs)
	}
}

// noDatabaseFolders are the data folders without a database that
// noDatabaseIn makes: one missing, one whose parent folders are missing
// too, an empty one, and the default data folder, missing.
var noDatabaseFolders = []string{"missing", "nested", "empty", "default"}

// noDatabaseIn makes the data folder without a database that where names
// (one of noDatabaseFolders) in a new temporary folder base, and returns
// base, the data folder (named name where it is not the default) and the
// global flags that choose it: --data-dir, or none for the default, which
// it moves into base by setting XDG_CONFIG_HOME.
func noDatabaseIn(t *testing.T, where, name string) (base, dir string, global []string) {
	t.Helper()
	base = t.TempDir()
	dir = filepath.Join(base, name)
	switch where {
	case "missing":
	case "nested":
		dir = filepath.Join(base, "no", "such", "folder")
	case "empty":
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	case "default":
		t.Setenv("XDG_CONFIG_HOME", dir)
		return base, filepath.Join(dir, "Meterdesk"), nil
	default:
		t.Fatalf("no data folder %q", where)
	}
	return base, dir, []string{"--data-dir", dir}
}
