package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/core"
	"meterdesk/backend/team"
)

// TestExitCodes: one rule for every command (ExitCode). Invalid input is 2
// like a flag mistake, whether the flag package, the CLI or the backend
// found it; a refusal is 3, a folder held by another process 4, something
// that is not there 5, a conflict with what is 6, anything else 1. Each
// case runs through Run against a real data folder, and nothing refused is
// written.
func TestExitCodes(t *testing.T) {
	dir := teamWorkspace(t) // alice (admin, "correct horse"), bob (PIN 1234), carol, department 1 Research
	admin := asAlice(t, dir)
	admin("backup", "--out", filepath.Join(dir, "taken.db"))
	statement := filepath.Join(t.TempDir(), "s.pdf")
	for _, c := range []struct {
		name string
		user string // default alice
		args []string
		code int
		says string
	}{
		{"done", "", []string{"credits", "balance"}, ExitOK, ""},

		// Invalid input: the same code wherever it is found.
		{"unknown flag", "", []string{"credits", "balance", "--frob"}, ExitUsage, "unknown flag --frob"},
		{"flag value not a number", "", []string{"credits", "history", "--limit", "abc"}, ExitUsage, `invalid value "abc" for --limit`},
		{"date read by the CLI", "", []string{"credits", "history", "--from", "2026-13-01"}, ExitUsage, "not a date"},
		{"date read by reports", "", []string{"report", "usage", "--from", "2026-13-01", "--to", "2026-12-31"}, ExitUsage, "invalid date range"},
		{"statement format", "", []string{"statement", "--month", "2026-01", "--format", "xls", "--out", statement}, ExitUsage, "--format must be"},
		{"statement month", "", []string{"statement", "--month", "2026-13", "--format", "pdf", "--out", statement}, ExitUsage, "invalid month"},
		{"amount", "", []string{"credits", "topup", "--amount", "abc"}, ExitUsage, "not a decimal number"},
		{"limit amount", "", []string{"limits", "set", "bob", "daily", "abc"}, ExitUsage, "not a decimal number"},
		{"history op", "", []string{"credits", "history", "--op", "bogus"}, ExitUsage, `op "bogus"`},
		{"report grouping", "", []string{"report", "usage", "--from", "2026-01-01", "--to", "2026-01-31", "--by", "week"}, ExitUsage, "invalid grouping"},
		{"role", "", []string{"users", "update", "bob", "--role", "king"}, ExitUsage, `role "king"`},
		{"time zone", "", []string{"workspace", "update", "--timezone", "Mars/Olympus"}, ExitUsage, "Mars/Olympus"},
		{"rate", "", []string{"rates", "set", "openai", "gpt-4o", "--input", "abc"}, ExitUsage, "not a plain decimal"},
		{"setting value", "", []string{"settings", "set", "ui.theme", "purple"}, ExitUsage, "must be one of"},
		{"several members, no --user", "-", []string{"credits", "balance"}, ExitUsage, "give --user NAME"},

		// Refused: the role, the sign-in, the credits.
		{"not an admin", "bob", []string{"credits", "topup", "--amount", "5"}, ExitRefused, "not allowed for your role"},
		{"wrong password", "mallory", []string{"credits", "balance"}, ExitRefused, "wrong name, password or PIN"},
		{"not enough credits", "", []string{"credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "99999"}, ExitRefused, "insufficient funds"},

		// Not there.
		{"no such member", "", []string{"users", "show", "nobody"}, ExitNotFound, "not found"},
		{"no such conversation", "", []string{"conversations", "show", "99"}, ExitNotFound, "not found"},
		{"no such invoice", "", []string{"invoice", "show", "INV-000099"}, ExitNotFound, "no such invoice"},
		{"no such file", "", []string{"rates", "import", filepath.Join(dir, "nope.csv")}, ExitNotFound, "no such file"},

		// In conflict with what is there.
		{"name taken", "", []string{"departments", "add", "Research"}, ExitConflict, "already exists"},
		{"already set up", "-", []string{"workspace", "setup", "--name", "X", "--currency", "EUR", "--credit-value", "0.01", "--admin", "zed"}, ExitConflict, "already set up"},
		{"last admin", "", []string{"users", "remove", "alice"}, ExitConflict, "at least one active admin"},
		{"file exists", "", []string{"backup", "--out", filepath.Join(dir, "taken.db")}, ExitConflict, "already exists"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dbDump(t, dir)
			args := append([]string{"--data-dir", dir}, c.args...)
			stdin, env := "", "correct horse"
			switch c.user {
			case "":
				args = append([]string{"--user", "alice"}, args...)
				stdin = "new secret 1\nnew secret 1\n"
			case "-":
			default:
				args = append([]string{"--user", c.user}, args...)
				env = map[string]string{"bob": "1234", "mallory": "guess"}[c.user]
			}
			t.Setenv("METERDESK_PASSWORD", env)
			code, _, errs := runIn(t, stdin, args...)
			if code != c.code || !strings.Contains(errs, c.says) {
				t.Fatalf("exit %d %q, want %d and %q", code, errs, c.code, c.says)
			}
			if c.code != ExitOK && dbDump(t, dir) != before {
				t.Fatal("a refused command wrote")
			}
		})
	}

	// Busy: the folder held by another process when a restore needs it alone.
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	backup := filepath.Join(t.TempDir(), "b.db")
	admin("backup", "--out", backup)
	other, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", backup)
	other.Close()
	if code != ExitBusy || !strings.Contains(errs, "open in another Meterdesk process") {
		t.Fatalf("restore while open elsewhere: exit %d %q", code, errs)
	}
}

// TestExitCodesAreInTheHelp: `meterdesk help` lists every exit code.
func TestExitCodesAreInTheHelp(t *testing.T) {
	code, out, _ := run(t, "help")
	if code != 0 {
		t.Fatalf("help: %d", code)
	}
	for c := ExitOK; c <= ExitConflict; c++ {
		if !strings.Contains(out, "\n  "+string(rune('0'+c))+"  ") {
			t.Errorf("help does not list exit code %d:\n%s", c, out)
		}
	}
	if !strings.Contains(out, "Exit codes:") {
		t.Errorf("no exit codes in help:\n%s", out)
	}
}

// TestExitCodeOfWrappedErrors: a sentinel keeps its class when commands wrap
// or reword it (chat's plain error line).
func TestExitCodeOfWrappedErrors(t *testing.T) {
	base := os.ErrNotExist
	for _, c := range []struct {
		err  error
		code int
	}{
		{nil, ExitOK},
		{Usagef("x"), ExitUsage},
		{inputErr(base), ExitUsage}, // an input mistake first
		{reworded(base, "plain words"), ExitNotFound},
		{&noWorkspaceError{dir: "/x"}, ExitNotFound},
		{noMembersYet("ghost"), ExitNotFound},
		{core.ErrUpgradeInUse, ExitBusy},
		// Another process finishing a restore held the folder longer than
		// a command waits (check, status): busy, not damaged.
		{fmt.Errorf("check the database: %w", core.ErrRestoring), ExitBusy},
		// A workspace patch against settings changed since they were read
		// (the window's; `workspace update` sends no Read).
		{fmt.Errorf("change the workspace: %w", &team.ChangedError{Fields: []string{"timeZone"}}), ExitConflict},
	} {
		if got := ExitCode(c.err); got != c.code {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.code)
		}
	}
	if reworded(base, "plain words").Error() != "plain words" {
		t.Error("reworded keeps the old message")
	}
}
