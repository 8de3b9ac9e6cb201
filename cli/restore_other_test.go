package cli

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreOfAnotherWorkspaceAsksForYes: `meterdesk restore FILE` of a
// backup of another workspace replaced the database without a word, and
// afterwards the admin who ran it could not sign in. It is now refused
// (exit 6, nothing changed) naming both workspaces, unless --yes is given;
// --check warns of it. A backup of this workspace under an older name is
// this workspace: restored without --yes.
func TestRestoreOfAnotherWorkspaceAsksForYes(t *testing.T) {
	dir := teamWorkspace(t) // "Acme", admin alice
	alice := asAlice(t, dir)
	own := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", own)

	other := t.TempDir()
	if code, _, errs := runIn(t, "other horse\n", "--data-dir", other, "workspace", "setup", "--name", "Beta", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "zoe"); code != 0 {
		t.Fatalf("setup Beta: exit %d %s", code, errs)
	}
	beta := filepath.Join(t.TempDir(), "beta.db")
	t.Setenv("METERDESK_PASSWORD", "other horse")
	if code, _, errs := runIn(t, "", "--data-dir", other, "--user", "zoe", "backup", "--out", beta); code != 0 {
		t.Fatalf("backup Beta: exit %d %s", code, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")

	alice("workspace", "update", "--name", "Acme Ltd")
	before := dbDump(t, dir)
	const want = `this backup is of another workspace, "Beta", not of "Acme Ltd", the one in this data folder`

	out := alice("restore", "--check", beta)
	if !strings.Contains(out, "warning: "+want) || !strings.Contains(out, "it is restored only with --yes: meterdesk restore --yes "+beta+"\n") {
		t.Errorf("--check: %q", out)
	}
	var checked struct {
		OtherWorkspace   bool   `json:"otherWorkspace"`
		CurrentWorkspace string `json:"currentWorkspace"`
		WorkspaceNote    string `json:"workspaceNote"`
	}
	if err := json.Unmarshal([]byte(alice("--json", "restore", "--check", beta)), &checked); err != nil ||
		!checked.OtherWorkspace || checked.CurrentWorkspace != "Acme Ltd" || !strings.HasPrefix(checked.WorkspaceNote, want) {
		t.Errorf("--check --json: %+v %v", checked, err)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", beta)
	if code != ExitConflict || !strings.Contains(errs, want) || !strings.Contains(errs, "nothing was changed") ||
		!strings.Contains(errs, "run again with --yes") {
		t.Fatalf("without --yes: exit %d %q", code, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused restore changed the database")
	}
	noRestoreLeftIn(t, dir, "a refused restore")

	// Its own backup, made under its older name: no --yes needed.
	if out := alice("restore", "--check", own); strings.Contains(out, "warning:") {
		t.Errorf("--check of its own backup: %q", out)
	}
	alice("restore", own)

	// With --yes: Beta replaces it; zoe signs in, alice no longer.
	if out := alice("restore", "--yes", beta); !strings.Contains(out, "restored the database from") {
		t.Fatalf("--yes: %q", out)
	}
	t.Setenv("METERDESK_PASSWORD", "other horse")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "zoe", "workspace", "show"); code != 0 || !strings.Contains(out, "Beta") {
		t.Errorf("after --yes: exit %d %q %q", code, out, errs)
	}
	if code, _, _ := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", "--yes", "--status"); code != ExitUsage {
		t.Errorf("--yes --status: exit %d, want %d", code, ExitUsage)
	}
}

// TestRestoreYesLineRunsAsPrinted: --check's line for another workspace's
// backup, "meterdesk restore --yes FILE", is a command that runs as
// printed, read by a POSIX shell, for a name a shell quotes ("beta (1).db")
// and for one starting with '-', which goes after "--" (written bare it is
// read as a flag: "unknown flag --beta.db").
func TestRestoreYesLineRunsAsPrinted(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dirs := map[string]string{"-beta.db": teamWorkspace(t), "beta (1).db": teamWorkspace(t)} // "Acme", admin alice
	other := t.TempDir()
	if code, _, errs := runIn(t, "other horse\n", "--data-dir", other, "workspace", "setup", "--name", "Beta", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "zoe"); code != 0 {
		t.Fatalf("setup Beta: exit %d %s", code, errs)
	}
	backups := t.TempDir()
	t.Setenv("METERDESK_PASSWORD", "other horse")
	for _, name := range []string{"-beta.db", "beta (1).db"} {
		if code, _, errs := runIn(t, "", "--data-dir", other, "--user", "zoe", "backup", "--out", filepath.Join(backups, name)); code != 0 {
			t.Fatalf("backup Beta: exit %d %s", code, errs)
		}
	}
	t.Chdir(backups)
	for _, name := range []string{"-beta.db", "beta (1).db"} {
		t.Run(name, func(t *testing.T) {
			alice := asAlice(t, dirs[name])
			out := alice("restore", "--check", "--", name)
			_, line, ok := strings.Cut(out, "it is restored only with --yes: meterdesk ")
			if !ok {
				t.Fatalf("--check: %q", out)
			}
			line, _, _ = strings.Cut(line, "\n")
			words, err := exec.Command(sh, "-c", `eval "set -- $1"; for a in "$@"; do printf '%s\0' "$a"; done`, "sh", line).Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			args := strings.Split(strings.TrimSuffix(string(words), "\x00"), "\x00")
			if out := alice(args...); !strings.Contains(out, "restored the database from") {
				t.Fatalf("%s: %q", line, out)
			}
		})
	}
}
