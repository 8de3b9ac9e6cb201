package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// runIn executes a command line in-process with stdin.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

// dbDump renders every table of the database in dir.
func dbDump(t *testing.T, dir string) string {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out, err := db.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// teamWorkspace sets up a workspace with admin alice (password), member bob
// (PIN 1234), member carol and department 1, all through the CLI.
func teamWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	steps := []struct {
		stdin string
		args  []string
	}{
		{"correct horse\n", []string{"workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice", "--timezone", "Europe/Berlin"}},
		// One member: straight in, no --user needed.
		{"1234\n", []string{"users", "add", "bob", "--pin"}},
		{"correct horse\n5678\n", []string{"--user", "alice", "users", "add", "carol", "--pin"}},
		{"correct horse\n", []string{"--user", "alice", "departments", "add", "Research"}},
		{"correct horse\n", []string{"--user", "alice", "limits", "set", "bob", "daily", "50"}},
		{"correct horse\n", []string{"--user", "alice", "alerts", "recharge", "set", "dept:1", "--threshold", "5", "--amount", "10", "--cap", "100"}},
	}
	for _, s := range steps {
		code, out, errs := runIn(t, s.stdin, append([]string{"--data-dir", dir}, s.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", s.args, code, out, errs)
		}
	}
	return dir
}

func TestCLISignInRules(t *testing.T) {
	dir := teamWorkspace(t)
	for _, c := range []struct {
		name, stdin string
		args        []string
		code        int
		errWant     string
	}{
		{"no --user with several members", "", []string{"users", "list"}, ExitUsage, "--user NAME"},
		{"wrong password", "wrong horse\n", []string{"--user", "alice", "users", "list"}, ExitRefused, "wrong name, password or PIN"},
		{"unknown user", "whatever1\n", []string{"--user", "mallory", "users", "list"}, ExitRefused, "wrong name, password or PIN"},
		{"no password on stdin", "", []string{"--user", "alice", "users", "list"}, ExitUsage, "METERDESK_PASSWORD"},
		{"admin lists", "correct horse\n", []string{"--user", "alice", "users", "list"}, 0, ""},
		{"member reads own limits", "1234\n", []string{"--user", "bob", "limits", "list", "bob"}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runIn(t, c.stdin, append([]string{"--data-dir", dir}, c.args...)...)
			if code != c.code || !strings.Contains(errs, c.errWant) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, c.code, c.errWant)
			}
		})
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	code, out, errs := runIn(t, "", "--data-dir", dir, "--json", "--user", "alice", "users", "list")
	if code != 0 {
		t.Fatalf("password from the environment: %d %s", code, errs)
	}
	var ms []struct{ Name string }
	if err := json.Unmarshal([]byte(out), &ms); err != nil || len(ms) != 3 {
		t.Fatalf("users list --json: %v %q", err, out)
	}
}

// TestCLILookAlikeNames: the CLI refuses what the window refuses (one rule,
// backend/namekey): names that are an existing one regardless of case,
// width or look-alike letters, and words mixing Latin with Cyrillic or
// Greek letters. Nothing is written; --user finds a member the same way.
func TestCLILookAlikeNames(t *testing.T) {
	dir := teamWorkspace(t) // alice, bob, carol, department Research
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		code int // a mixed-script name is invalid input; a taken one a conflict
		want string
	}{
		{[]string{"users", "add", "аlice", "--pin"}, ExitUsage, "mixes Cyrillic and Latin letters"}, // Cyrillic а
		{[]string{"users", "add", "Ｂｏｂ", "--pin"}, ExitConflict, `a member named "bob", which "Bob" is taken for`},
		{[]string{"users", "add", "CAROL", "--pin"}, ExitConflict, `a member named "carol"`},
		{[]string{"departments", "add", "Rеsearch"}, ExitUsage, "mixes Latin and Cyrillic letters"}, // Cyrillic е
		{[]string{"departments", "add", "ＲＥＳＥＡＲＣＨ"}, ExitConflict, `a department named "Research"`},
		{[]string{"providers", "add", "--name", "Lосal", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"}, ExitUsage, "mixes Latin and Cyrillic letters"},
	} {
		code, _, errs := runIn(t, "1234\n", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused name was written")
	}
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "ＡＬＩＣＥ", "--json", "users", "show", "ＢＯＢ")
	if code != 0 || !strings.Contains(out, `"name": "bob"`) {
		t.Fatalf("--user ＡＬＩＣＥ users show ＢＯＢ: exit %d %s %s", code, out, errs)
	}
}

// TestCLIDepartmentAmounts: departments update names the field a bad amount
// was given for, and a blank --overdraft or --budget is a usage error
// instead of setting 0 (protection on) or nothing.
func TestCLIDepartmentAmounts(t *testing.T) {
	dir := teamWorkspace(t) // department 1, Research
	admin := asAlice(t, dir)
	admin("departments", "update", "1", "--overdraft", "7", "--budget", "3")
	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"departments", "update", "1", "--overdraft", ""}, 2, "--overdraft needs an amount; 0 means no overdraft"},
		{[]string{"departments", "update", "1", "--overdraft", " "}, 2, "--overdraft needs an amount; 0 means no overdraft"},
		{[]string{"departments", "update", "1", "--budget", ""}, 2, "--budget needs an amount"},
		{[]string{"departments", "add", "Sales", "--overdraft", ""}, 2, "--overdraft needs an amount; 0 means no overdraft"},
		{[]string{"departments", "update", "1", "--overdraft", "1,5"}, ExitUsage, `overdraft: "1,5": not a decimal number: use a point for decimals`},
		{[]string{"departments", "update", "1", "--budget", "1,5"}, ExitUsage, `budget: "1,5": not a decimal number: use a point for decimals`},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.says) || strings.Contains(errs, "minimum balance") {
			t.Errorf("%q: exit %d %q; want %d and %q", c.args, code, errs, c.code, c.says)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused change wrote")
	}
}

// TestCLIDepartmentsSayAlertBudget: a department's budget is only what
// percent alerts count from, so the list heads it ALERT BUDGET and the help
// says it caps no spending (it read like a spending cap).
func TestCLIDepartmentsSayAlertBudget(t *testing.T) {
	dir := teamWorkspace(t) // department 1, Research
	admin := asAlice(t, dir)
	admin("departments", "update", "1", "--budget", "300")
	list := admin("departments", "list")
	if head, _, _ := strings.Cut(list, "\n"); !strings.Contains(head, "ALERT BUDGET") || strings.Contains(strings.Replace(head, "ALERT BUDGET", "", 1), "BUDGET") {
		t.Errorf("departments list heads the budget %q, want ALERT BUDGET", head)
	}
	if !strings.Contains(list, "300") {
		t.Errorf("departments list: %q", list)
	}
	// No overdraft reads as the page says it: "protected", not 0.00.
	for _, c := range []struct{ overdraft, shown string }{{"0", " protected "}, {"25", " 25.00 "}} {
		admin("departments", "update", "1", "--overdraft", c.overdraft)
		if list := admin("departments", "list"); !strings.Contains(list, c.shown) {
			t.Errorf("departments list with --overdraft %s lacks %q: %q", c.overdraft, c.shown, list)
		}
	}
	help := admin("help", "departments")
	for _, says := range []string{"alert budget", "percent\nalerts (see alerts) warn when its balance falls below a percent of it", "It caps\nno spending"} {
		if !strings.Contains(help, says) {
			t.Errorf("help departments does not say %q:\n%s", says, help)
		}
	}
}

// TestParseArgsNegativeNumbers: a negative number where an argument goes
// is that argument (its command says what is wrong with it), not an
// unknown flag "--5"; a flag's negative value stays the flag's.
func TestParseArgsNegativeNumbers(t *testing.T) {
	for _, c := range []struct {
		args []string
		pos  string
		amt  string
	}{
		{[]string{"bob", "daily", "-5"}, "bob daily -5", ""},
		{[]string{"bob", "daily", "-0.5", "--amount", "1"}, "bob daily -0.5", "1"},
		{[]string{"--amount", "-5", "bob"}, "bob", "-5"},
		{[]string{"--amount=-5", "-.5", "--v", "x"}, "-.5 x", "-5"},
		{[]string{"bob", "--", "-x"}, "bob -x", ""},
		// Every word after "--" is an argument, not only the first
		// (`settings set -- workspace.name -Acme`); "--" as a flag's
		// value stays the value.
		{[]string{"--", "-a", "-b"}, "-a -b", ""},
		{[]string{"--v", "--", "bob", "-x", "--amount", "1"}, "bob -x --amount 1", ""},
		{[]string{"--amount", "--", "bob"}, "bob", "--"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		amt := fs.String("amount", "", "")
		fs.Bool("v", false, "")
		pos, err := parseArgs(fs, c.args)
		if err != nil || strings.Join(pos, " ") != c.pos || *amt != c.amt {
			t.Errorf("parseArgs(%q) = %q, --amount %q, %v; want %q, %q", c.args, pos, *amt, err, c.pos, c.amt)
		}
	}
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	before := dbDump(t, dir)
	// The ledger's words for a negative amount (credits topup's too), the
	// field named once: "limit -5 is negative", not "limit amount: amount
	// -5 is negative".
	for _, c := range []struct {
		args []string
		say  string
	}{
		{[]string{"limits", "set", "bob", "daily", "-5"}, "limit -5 is negative"},
		{[]string{"limits", "set", "bob", "model", "gpt-4o", "-0.5", "--period", "day"}, "limit -0.5 is negative"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errs, c.say) || strings.Contains(errs, "unknown flag") || strings.Contains(errs, "amount") {
			t.Errorf("%v: exit %d %q; want 2 and %q", c.args, code, errs, c.say)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused limit was written")
	}
}

// memberCommands are the commands with nothing a member is refused
// outright: a member's own chat and conversations (another member's are
// not found: conversation_owner_test.go), report usage (a member's own
// usage only, by any --by), status, the read-only check, help and version.
// Every other command has its admin-only subcommands in TestCLIRoleMatrix.
var memberCommands = map[string]bool{
	"chat": true, "conversations": true, "report": true, "status": true, "check": true, "help": true, "version": true,
}

// TestCLIRoleMatrix: every admin command run by a member is refused and
// changes nothing in the database, as is what names another member's
// wallet, API keys, statement or usage. Every registered command is in the
// matrix or in memberCommands, so a new command must be placed.
func TestCLIRoleMatrix(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_SECRETS", "file")
	for _, s := range []struct {
		stdin string
		args  []string
	}{
		{"correct horse\n", []string{"--user", "alice", "providers", "add", "--name", "lab", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"}},
		{"correct horse\n", []string{"--user", "alice", "apikeys", "create", "--member", "carol", "--name", "carol's"}},
		{"correct horse\n", []string{"--user", "alice", "credits", "topup", "--account", "user:3", "--amount", "100", "--price", "1"}},
	} {
		if code, out, errs := runIn(t, s.stdin, append([]string{"--data-dir", dir}, s.args...)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", s.args, code, out, errs)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	matrix := [][]string{
		{"users", "add", "eve", "--pin"},
		{"users", "update", "bob", "--role", "admin"},
		{"users", "disable", "carol"},
		{"users", "enable", "carol"},
		{"users", "remove", "carol"},
		{"users", "list"},
		{"users", "show", "carol"},
		{"users", "passwd", "carol", "--pin"},
		{"workspace", "update", "--name", "Hacked"},
		{"workspace", "update", "--prices-include-tax"},
		{"departments", "add", "Mine"},
		{"departments", "list"},
		{"departments", "update", "1", "--overdraft", "1000"},
		{"departments", "archive", "1"},
		{"departments", "allocate", "1", "10"},
		{"departments", "move", "1", "pool", "5"},
		{"limits", "set", "bob", "daily", "100000"},
		{"limits", "remove", "bob", "daily"},
		{"limits", "list", "carol"},
		{"alerts", "set", "--absolute", "5"},
		{"alerts", "recharge", "set", "dept:1", "--threshold", "1", "--amount", "1", "--cap", "1"},
		{"alerts", "recharge", "remove", "dept:1"},
		{"alerts", "recharge", "list"},
		{"audit", "list"},
		{"audit", "export"},
		// Invalid input is refused for the role too, before it is read.
		{"audit", "list", "--since", "not-a-date"},
		{"audit", "list", "--limit", "-1"},
		{"audit", "list", "--actor", "nobody"},
		{"audit", "export", "--actor", "999", "--target", "nothing-like-it"},
		{"credits", "history", "--member", "nobody"},
		{"credits", "history", "--member", "999"},
		{"credits", "topup", "--amount", "lots"},
		{"credits", "topup", "--amount", "-5", "--account", "nowhere"},
		// Other areas (representative).
		{"rates", "set", "openai", "gpt-4o", "--input", "0"},
		{"settings", "set", "workspace.name", "Hacked"},
		{"credits", "topup", "--account", "pool", "--amount", "1000", "--price", "0"},
		{"credits", "policy", "dept:1", "--kind", "overdraft", "--limit", "1000"},
		{"providers", "add", "--name", "evil", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"},
		{"providers", "update", "lab", "--url", "http://127.0.0.1:8/v1"},
		{"providers", "remove", "lab"},
		{"providers", "test", "lab"},
		{"credits", "topup", "--account", "user:2", "--amount", "10", "--price", "0"},
		{"credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "1"},
		{"credits", "transfer", "--from", "user:3", "--to", "user:2", "--amount", "1", "--op", "transfer"},
		{"credits", "balance", "user:3"},
		{"credits", "history", "--member", "carol"},
		{"credits", "history", "--account", "user:3"},
		{"credits", "history", "--account", "user:999"},
		{"credits", "packages", "save", "--name", "Free", "--credits", "1000", "--price", "0"},
		{"credits", "value", "--set", "1", "--currency", "EUR"},
		{"credits", "validity", "--set", "1"},
		{"credits", "expire"},
		{"credits", "void-stale"},
		{"rates", "add-model", "openai", "mine"},
		{"rates", "remove-model", "openai", "gpt-4o"},
		{"rates", "import", "--format", "csv", "-"},
		{"apikeys", "create", "--member", "carol", "--name", "as carol"},
		{"apikeys", "list", "--member", "carol"},
		{"apikeys", "list", "--all"},
		{"apikeys", "revoke", "1"},
		{"statement", "--month", "2026-01", "--member", "carol", "--format", "csv", "--out", out},
		// (A member's statement without --member is their own:
		// TestStatementMemberDefaultsToOwn. No flag names the workspace's.)
		{"invoice", "list"},
		{"invoice", "show", "1"},
		{"invoice", "pdf", "1", "--out", out},
		{"invoice", "credit-note", "1", "--reason", "mine"},
		{"invoice", "parties", "--seller-name", "Me"},
		{"settings", "set", "workspace.name", "Hacked"},
		{"backup", "--out", out},
		{"restore", "--cancel"},
		{"serve", "--addr", "127.0.0.1:0"},
	}
	named := map[string]bool{}
	for _, args := range matrix {
		named[args[0]] = true
	}
	for _, c := range sortedCommands() {
		if _, ok := memberCommands[c.Name]; !ok && !named[c.Name] {
			t.Errorf("command %q is neither in TestCLIRoleMatrix nor in memberCommands: decide what a member may do with it", c.Name)
		}
	}
	for _, args := range matrix {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if _, ok := lookup(args[0]); !ok {
				t.Skipf("command %q is not registered yet", args[0])
			}
			before := dbDump(t, dir)
			code, out, errs := runIn(t, "1234\n9999\n", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
			if code != ExitRefused || !strings.Contains(errs, "not allowed") {
				t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant exit 3 and \"not allowed\"", code, out, errs)
			}
			if after := dbDump(t, dir); after != before {
				t.Fatal("a refused command changed the database")
			}
		})
	}
}

// asAlice returns a runner of commands as admin alice (password from the
// environment) on dir that fails t unless they succeed, returning stdout.
func asAlice(t *testing.T, dir string) func(args ...string) string {
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	return func(args ...string) string {
		t.Helper()
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return out
	}
}

func TestCLITeamCommands(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	if out := admin("departments", "list"); !strings.Contains(out, "Research") {
		t.Fatalf("departments list: %q", out)
	}
	if out := admin("limits", "list", "bob"); !strings.Contains(out, "daily") || !strings.Contains(out, "50") {
		t.Fatalf("limits list: %q", out)
	}
	admin("users", "update", "bob", "--department", "1", "--funding", "pool")
	if out := admin("users", "show", "bob"); !strings.Contains(out, "pool") {
		t.Fatalf("users show: %q", out)
	}
	admin("alerts", "set", "--absolute", "50 5", "--percent", "25")
	if out := admin("--json", "alerts", "show"); !strings.Contains(out, `"50"`) || !strings.Contains(out, `"25"`) {
		t.Fatalf("alerts show: %q", out)
	}
	// Thresholds are separated by spaces or ';', decimals take a point; a
	// comma (a thousands separator, a decimal comma, a separator?) is
	// refused with the rule, and nothing changes. They are kept highest
	// first (the order they are typed in means nothing).
	admin("alerts", "set", "--absolute", " 2500 ;500;  ", "--percent", "12.5\t20")
	var got struct{ Absolute, Percent []string }
	if err := json.Unmarshal([]byte(admin("--json", "alerts", "show")), &got); err != nil ||
		strings.Join(got.Absolute, "|") != "2500|500" || strings.Join(got.Percent, "|") != "20|12.5" {
		t.Fatalf("alerts set with spaces and ';': %+v %v", got, err)
	}
	if out := admin("alerts", "show"); !strings.Contains(out, "absolute: 2500 500 credits\npercent:  20 12.5 %") {
		t.Fatalf("alerts show lists thresholds highest first: %q", out)
	}
	for _, args := range [][]string{{"--absolute", "2,500"}, {"--percent", "12,5"}, {"--percent", "20, 10"}} {
		before := dbDump(t, dir)
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice", "alerts", "set"}, args...)...)
		if code != ExitUsage || !strings.Contains(errs, args[0]+": invalid input: thresholds \""+args[1]+"\": use a point for decimals and spaces or ';' between thresholds") {
			t.Errorf("alerts set %v: exit %d %q", args, code, errs)
		}
		if dbDump(t, dir) != before {
			t.Errorf("alerts set %v wrote", args)
		}
	}
	out := admin("audit", "export", "--action", "member.")
	if !strings.HasPrefix(out, "id,at,actor_id,actor,action,target,target_name,before,after\n") || !strings.Contains(out, "member.update") || strings.Contains(out, "limit.set") {
		t.Fatalf("audit export: %q", out)
	}
	// --out - is stdout, as it reads, not a file named "-".
	if dash := admin("audit", "export", "--action", "member.", "--out", "-"); dash != out {
		t.Fatalf("audit export --out -: %q", dash)
	}
	if _, err := os.Stat("-"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file named - was written: %v", err)
	}
	// A range that ends before it starts is refused, not an empty list, with
	// the dates as typed (as report usage says it), never UTC instants, each
	// after its flag (it named none: "2026-11-22 is before 2026-11-25"); the
	// same in credits history.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "list", "--since", "2026-11-25", "--until", "2026-11-22"}, "--until 2026-11-22 is before --since 2026-11-25"},
		{[]string{"credits", "history", "--from", "2026-11-25", "--to", "2026-11-22"}, "--to 2026-11-22 is before --from 2026-11-25"},
		{[]string{"report", "usage", "--from", "2026-11-25", "--to", "2026-11-22"}, "--to 2026-11-22 is before --from 2026-11-25"},
		{[]string{"audit", "export", "--since", "2026-11-25", "--until", "2026-11-22T10:00:00Z"}, "--until 2026-11-22T10:00:00Z is before --since 2026-11-25"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		want := "meterdesk " + c.args[0] + " " + c.args[1] + ": invalid date range: " + c.want + "\n"
		if code != ExitUsage || errs != want {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, errs, want)
		}
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "audit", "list", "--since", "2026-11-23", "--until", "2026-11-22"); code != ExitUsage || !strings.Contains(errs, "--until 2026-11-22 is before --since 2026-11-23") {
		t.Fatalf("audit list with an inverted range: exit %d %q", code, errs)
	}
	// Usage errors exit 2 and write nothing.
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"users"}, {"users", "frob"}, {"limits", "set", "bob", "weekly", "5"}, {"departments", "move", "x", "1", "5"},
		{"audit", "list", "--since", "yesterday"}, {"users", "add"},
	} {
		code, _, _ := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// Bad values exit 2 as well and write nothing.
	for _, args := range [][]string{
		{"limits", "set", "bob", "daily", "five"}, {"departments", "allocate", "1", "1e3"}, {"users", "update", "bob", "--role", "owner"},
	} {
		code, _, _ := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("rejected commands wrote")
	}
	// A member changes their own PIN: sign-in PIN, then the new one, on stdin.
	t.Setenv("METERDESK_PASSWORD", "")
	if code, _, errs := runIn(t, "1234\n4321\n", "--data-dir", dir, "--user", "bob", "users", "passwd", "bob", "--pin"); code != 0 {
		t.Fatalf("own passwd: %d %s", code, errs)
	}
	if code, _, _ := runIn(t, "1234\n", "--data-dir", dir, "--user", "bob", "limits", "list", "bob"); code != ExitRefused {
		t.Fatal("the old PIN still works")
	}
	if code, _, errs := runIn(t, "4321\n", "--data-dir", dir, "--user", "bob", "limits", "list", "bob"); code != 0 {
		t.Fatalf("the new PIN: %d %s", code, errs)
	}
}

// TestCLIDepartmentNotificationsFromJoining: `alerts notifications` shows a
// member their department's notifications raised since they joined it, not
// those raised before; `alerts read` refuses those; the admin sees all.
func TestCLIDepartmentNotificationsFromJoining(t *testing.T) {
	dir := teamWorkspace(t)
	as := func(user, secret string, args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", secret)
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", user}, args...)...)
	}
	must := func(user, secret string, args ...string) string {
		t.Helper()
		code, out, errs := as(user, secret, args...)
		if code != 0 {
			t.Fatalf("%s %v: exit %d: %s", user, args, code, errs)
		}
		return out
	}
	admin := func(args ...string) string { t.Helper(); return must("alice", "correct horse", args...) }
	list := func(user, secret string, args ...string) []team.Notification {
		t.Helper()
		var ns []team.Notification
		out := must(user, secret, append([]string{"--json", "alerts", "notifications"}, args...)...)
		if err := json.Unmarshal([]byte(out), &ns); err != nil {
			t.Fatalf("%s's notifications: %v in %q", user, err, out)
		}
		return ns
	}
	admin("users", "update", "bob", "--department", "1")
	admin("credits", "topup", "--amount", "1000", "--price", "0")
	admin("departments", "allocate", "1", "150")
	admin("departments", "move", "1", "pool", "100") // 50 left: below 100
	before := list("alice", "correct horse")
	if len(before) != 1 || before[0].Account != "dept:1" {
		t.Fatalf("after the first move the admin sees %+v, want one alert about dept:1", before)
	}
	admin("users", "update", "carol", "--department", "1")
	admin("departments", "move", "1", "pool", "45") // 5 left: below 10
	if got := list("alice", "correct horse"); len(got) != 2 {
		t.Fatalf("the admin sees %d, want both", len(got))
	}
	if got := list("bob", "1234"); len(got) != 2 {
		t.Fatalf("bob, in the department before both, sees %d, want 2", len(got))
	}
	for _, args := range [][]string{nil, {"--unread"}} {
		if got := list("carol", "5678", args...); len(got) != 1 || got[0].ID == before[0].ID {
			t.Fatalf("carol, who joined between them, sees %+v (%v), want the second only", got, args)
		}
	}
	if code, _, errs := as("carol", "5678", "alerts", "read", strconv.FormatInt(before[0].ID, 10)); code != ExitNotFound || !strings.Contains(errs, "no such notification") {
		t.Fatalf("carol marks the alert raised before she joined read: exit %d %q", code, errs)
	}
	must("carol", "5678", "alerts", "read")
	if got := list("bob", "1234", "--unread"); len(got) != 1 || got[0].ID != before[0].ID {
		t.Fatalf("after carol marked all read, bob's unread are %+v, want the first alert only", got)
	}
}
