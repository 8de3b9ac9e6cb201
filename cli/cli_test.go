package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/core"
	"meterdesk/backend/team"
)

// newDatabase returns a data folder holding a workspace set up with one
// admin, alice (password "correct horse"), whom commands there sign in
// without --user (a one-member workspace). Its currency, credit value and
// time zone are the defaults (EUR, 0.01, the OS zone).
func newDatabase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	b, err := core.Open(ctx, core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	_, err = b.Team.Setup(ctx, team.WorkspaceSetup{Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01"},
		AdminName: "alice", Secret: "correct horse"})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// unsetDatabase returns a data folder holding a database whose workspace
// is not set up, as the window's first start leaves it before its wizard
// (or an older version's failed `workspace setup` left it): commands
// refuse it as a folder with no workspace.
func unsetDatabase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	b, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errw)
	return code, out.String(), errw.String()
}

func TestSplitGlobals(t *testing.T) {
	cases := []struct {
		args []string
		want Globals
		rest []string
		bad  bool
	}{
		{[]string{"--data-dir", "/x", "version"}, Globals{DataDir: "/x"}, []string{"version"}, false},
		{[]string{"credits", "balance", "--json"}, Globals{JSON: true}, []string{"credits", "balance"}, false},
		{[]string{"--data-dir=/y", "--user=ada", "x"}, Globals{DataDir: "/y", User: "ada"}, []string{"x"}, false},
		{[]string{"chat", "--", "--json"}, Globals{}, []string{"chat", "--", "--json"}, false},
		// After the command's name, a global flag right after one of the
		// command's flags is left for the command's flag set: it may be
		// that flag's value (--note -h), or a flag after a boolean one.
		{[]string{"credits", "topup", "--note", "-h"}, Globals{}, []string{"credits", "topup", "--note", "-h"}, false},
		{[]string{"credits", "topup", "--note", "--json"}, Globals{}, []string{"credits", "topup", "--note", "--json"}, false},
		{[]string{"users", "add", "x", "--pin", "--user", "bob", "--json"}, Globals{JSON: true}, []string{"users", "add", "x", "--pin", "--user", "bob"}, false},
		{[]string{"users", "add", "x", "--pin", "--user", "--json"}, Globals{}, []string{"users", "add", "x", "--pin", "--user", "--json"}, false},
		{[]string{"credits", "topup", "--note=x", "--json"}, Globals{JSON: true}, []string{"credits", "topup", "--note=x"}, false},
		{[]string{"credits", "topup", "--note", "x", "--json"}, Globals{JSON: true}, []string{"credits", "topup", "--note", "x"}, false},
		{[]string{"limits", "set", "bob", "daily", "-5", "--json"}, Globals{JSON: true}, []string{"limits", "set", "bob", "daily", "-5"}, false},
		{[]string{"credits", "balance", "--data-dir", "/x", "--user", "ada"}, Globals{DataDir: "/x", User: "ada"}, []string{"credits", "balance"}, false},
		{[]string{"credits", "--help"}, Globals{Help: true}, []string{"credits"}, false},
		{[]string{"credits", "topup", "-h"}, Globals{Help: true}, []string{"credits", "topup"}, false},
		{[]string{"chat", "--model", "m", "--help"}, Globals{Help: true}, []string{"chat", "--model", "m"}, false}, // as the flag package reads it
		{[]string{"chat", "--model", "m", "--", "--help"}, Globals{}, []string{"chat", "--model", "m", "--", "--help"}, false},
		// Before the command's name every global flag is taken.
		{[]string{"--json", "--user", "-h", "x"}, Globals{JSON: true, User: "-h"}, []string{"x"}, false},
		{[]string{"--data-dir"}, Globals{}, nil, true},
		{[]string{"--data-dir="}, Globals{}, nil, true},
		{[]string{"--json=false"}, Globals{}, nil, true},
	}
	for _, c := range cases {
		g, rest, err := SplitGlobals(c.args)
		if c.bad {
			if err == nil {
				t.Errorf("%v: no error", c.args)
			}
			continue
		}
		if err != nil || g != c.want || strings.Join(rest, " ") != strings.Join(c.rest, " ") {
			t.Errorf("%v: got %+v %v %v", c.args, g, rest, err)
		}
	}
}

func TestRunCommands(t *testing.T) {
	dir := newDatabase(t)
	if code, out, _ := run(t, "version", "--json"); code != 0 || !strings.Contains(out, `"version"`) {
		t.Errorf("version --json: %d %q", code, out)
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "backup") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, errs := run(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown: %d %q", code, errs)
	}
	if code, _, errs := run(t, "--data-dir", dir, "backup"); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("backup without --out: %d %q", code, errs)
	}
	out := filepath.Join(t.TempDir(), "b.db")
	if code, _, errs := run(t, "--data-dir", dir, "backup", "--out", out); code != 0 {
		t.Fatalf("backup: %d %s", code, errs)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	if code, _, errs := run(t, "--data-dir", dir, "backup", "--out", out); code != ExitConflict || !strings.Contains(errs, "already exists") {
		t.Errorf("backup overwrite: %d %q", code, errs)
	}
	// The help lists the keys and the values they take.
	if code, out, _ := run(t, "help", "settings"); code != 0 || !strings.Contains(out, "ui.theme        colour theme: system, light, dark") ||
		!strings.Contains(out, "workspace.name  workspace display name (admins)") {
		t.Errorf("help settings: %d %q", code, out)
	}
	if code, _, errs := run(t, "--data-dir", dir, "settings", "set", "workspace.name", "Acme"); code != 0 {
		t.Fatalf("settings set: %d %s", code, errs)
	}
	code, outs, _ := run(t, "--data-dir", dir, "--json", "settings", "get", "workspace.name")
	var got map[string]string
	if code != 0 || json.Unmarshal([]byte(outs), &got) != nil || got["value"] != "Acme" {
		t.Errorf("settings get: %d %q", code, outs)
	}
	if code, _, errs := run(t, "--data-dir", dir, "settings", "set", "ui.theme", "purple"); code != ExitUsage || !strings.Contains(errs, "must be one of") {
		t.Errorf("bad theme: %d %q", code, errs)
	}
}

func TestUsageForPicksTheSubcommand(t *testing.T) {
	usage := `meterdesk credits balance [ACCOUNT]
meterdesk credits topup [--account pool] (--amount X | --package ID)
                        [--tax 0.19] [--note TEXT]
meterdesk credits packages
meterdesk credits packages save --name N
meterdesk credits expire | void-stale | verify
meterdesk credits disable|enable USER

Accounts: pool, dept:<id>.`
	cases := []struct {
		args []string
		want string
	}{
		{nil, "meterdesk credits balance [ACCOUNT]"},
		{[]string{"--json"}, "meterdesk credits balance [ACCOUNT]"},
		{[]string{"topup", "--amount"}, "meterdesk credits topup [--account pool] (--amount X | --package ID)\n                        [--tax 0.19] [--note TEXT]"},
		{[]string{"packages", "save"}, "meterdesk credits packages\nmeterdesk credits packages save --name N"},
		{[]string{"frob"}, "meterdesk credits balance [ACCOUNT]"},
		{[]string{"top"}, "meterdesk credits balance [ACCOUNT]"}, // a prefix of a name is not the name
		// A line naming several: the called one's, with it alone (it gave
		// the first line, balance's).
		{[]string{"expire"}, "meterdesk credits expire"},
		{[]string{"void-stale", "x"}, "meterdesk credits void-stale"},
		{[]string{"verify"}, "meterdesk credits verify"},
		{[]string{"enable", "bob"}, "meterdesk credits enable USER"},
		{[]string{"disable"}, "meterdesk credits disable USER"},
		{[]string{"void"}, "meterdesk credits balance [ACCOUNT]"},
	}
	for _, c := range cases {
		if got := usageFor(usage, "credits", c.args); got != c.want {
			t.Errorf("%v:\n got %q\nwant %q", c.args, got, c.want)
		}
	}
}

// TestUsageLineOfACombinedSynopsis: after a usage mistake in credits
// expire, void-stale or verify, or users enable, the usage line printed is
// theirs, not the first of the command's (credits balance's, users list's);
// in providers SUB, SUB's (it was `meterdesk providers <subcommand>`).
func TestUsageLineOfACombinedSynopsis(t *testing.T) {
	dir := newDatabase(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"credits", "expire", "x"}, "usage: meterdesk credits expire\n"},
		{[]string{"credits", "void-stale", "--frob"}, "usage: meterdesk credits void-stale\n"},
		{[]string{"credits", "verify", "x"}, "usage: meterdesk credits verify\n"},
		{[]string{"users", "enable"}, "usage: meterdesk users enable USER\n"},
		// A usage listing its subcommands under `meterdesk providers
		// <subcommand>`: the called one's synopsis there, not that line.
		{[]string{"providers", "test"}, "usage: meterdesk providers test ID|NAME\n"},
		{[]string{"providers", "list", "x"}, "usage: meterdesk providers list\n"},
		{[]string{"providers", "add", "--frob"}, "usage: meterdesk providers add --name N --kind K [--url URL] [--key-stdin | --key-env VAR]\n"},
		{[]string{"providers", "frob"}, "usage: meterdesk providers <subcommand>\n"},
	} {
		code, _, errs := run(t, append([]string{"--data-dir", dir}, c.args...)...)
		if code != ExitUsage || !strings.HasSuffix(errs, c.want) {
			t.Errorf("%v: exit %d, want 2 ending %q:\n%s", c.args, code, c.want, errs)
		}
	}
}

// TestAliasesShowTheirSubcommandsUsage: after a usage mistake in an alias
// (`users rm`, `conversations ls`), the usage line printed is the one of
// the subcommand it stands for, for every alias subcommand takes (the
// aliases table); `users rm` showed `users list`'s, the command's first.
func TestAliasesShowTheirSubcommandsUsage(t *testing.T) {
	dir := newDatabase(t)
	n := 0
	for cmd, as := range aliases {
		c, ok := lookup(cmd)
		if !ok {
			t.Fatalf("aliases names %q, no command", cmd)
		}
		for alias, to := range as {
			n++
			// The subcommand's own lines where the usage has them
			// (providers' lists its subcommands under one line, which
			// rm and remove both show).
			want := usageFor(c.Usage, cmd, []string{to})
			if own := strings.Contains(c.Usage, "\nmeterdesk "+cmd+" "+to+" "); own && !strings.HasPrefix(want, "meterdesk "+cmd+" "+to+" ") {
				t.Fatalf("%s %s stands for %q, whose usage line is not picked (%q)", cmd, alias, to, want)
			}
			if got := usageFor(c.Usage, cmd, []string{alias, "x"}); got != want {
				t.Errorf("usageFor(%s %s):\n got %q\nwant %q", cmd, alias, got, want)
			}
			// A usage mistake in the alias itself: too many arguments.
			code, _, errs := run(t, "--data-dir", dir, cmd, alias, "1", "2", "3", "4")
			if code != ExitUsage || strings.Contains(errs, "unknown subcommand") || !strings.HasSuffix(errs, "\nusage: "+want+"\n") {
				t.Errorf("%s %s 1 2 3 4: exit %d, want 2 ending %q:\n%s", cmd, alias, code, "usage: "+want, errs)
			}
		}
	}
	if n < 4 { // users rm, providers rm, conversations ls and rm
		t.Fatalf("only %d aliases", n)
	}
}

// TestHelpListsCommandsInAColumn: every command's summary starts in one
// column, two spaces after the longest name ("conversations" ran into its
// summary).
func TestHelpListsCommandsInAColumn(t *testing.T) {
	code, out, _ := run(t, "help")
	if code != 0 {
		t.Fatalf("help: %d", code)
	}
	col := -1
	for _, c := range sortedCommands() {
		i := strings.Index(out, "\n  "+c.Name+"  ")
		if i < 0 {
			t.Fatalf("help lacks %q followed by two spaces:\n%s", c.Name, out)
		}
		line := out[i+1:]
		line = line[:strings.Index(line, "\n")]
		start := len(line) - len(strings.TrimLeft(line[2+len(c.Name):], " "))
		if col >= 0 && start != col {
			t.Errorf("%q's summary starts at column %d, others at %d", c.Name, start, col)
		}
		col = start
	}
}
