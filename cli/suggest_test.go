package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMistypedCommandsSayWhatWasMeant: a command, subcommand or flag one
// slip away from a real one is refused (exit 2, nothing written) naming the
// one meant and, for a subcommand, all of them; a subcommand is checked
// before anything else is read (limits frob is not a member lookup), a
// missing or extra argument says which one, not a bare usage line, and the
// command is named once.
func TestMistypedCommandsSayWhatWasMeant(t *testing.T) {
	dir := newDatabase(t)
	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		line string // stderr's first line
	}{
		{[]string{"credit", "balance"}, `meterdesk: unknown command "credit"; did you mean "credits"? (run ` + "`meterdesk help`)"},
		{[]string{"conv", "list"}, `meterdesk: unknown command "conv"; did you mean "conversations"? (run ` + "`meterdesk help`)"},
		{[]string{"frobnicate"}, `meterdesk: unknown command "frobnicate" (run ` + "`meterdesk help`)"},
		{[]string{"help", "statment"}, `meterdesk help: unknown command "statment"; did you mean "statement"?`},
		{[]string{"credits", "balanse"}, `meterdesk credits: unknown subcommand "balanse"; did you mean "balance"? ` +
			`(want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
		{[]string{"credits", "--amount", "5"}, `meterdesk credits: the subcommand goes first, before --amount ` +
			`(want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
		{[]string{"users", "lsit"}, `meterdesk users: unknown subcommand "lsit"; did you mean "list"? ` +
			`(want list, show, add, update, disable, enable, remove or passwd)`},
		{[]string{"providers", "lst"}, `meterdesk providers: unknown subcommand "lst"; did you mean "list"? ` +
			`(want list, presets, add, update, test, models or remove)`},
		{[]string{"providers"}, `meterdesk providers: subcommand missing (want list, presets, add, update, test, models or remove)`},
		{[]string{"limits", "frob", "alice"}, `meterdesk limits: unknown subcommand "frob" (want list, set or remove)`},
		{[]string{"limits", "frob"}, `meterdesk limits: unknown subcommand "frob" (want list, set or remove)`},
		{[]string{"alerts", "recharge", "lst"}, `meterdesk alerts recharge: unknown subcommand "lst"; did you mean "list"? (want list, set or remove)`},
		{[]string{"report", "usge"}, `meterdesk report: unknown subcommand "usge"; did you mean "usage"? (want usage)`},
		{[]string{"settings", "gte", "ui.theme"}, `meterdesk settings: unknown subcommand "gte"; did you mean "get"? (want list, get or set)`},
		{[]string{"conversations", "shwo", "1"}, `meterdesk conversations: unknown subcommand "shwo"; did you mean "show"? ` +
			`(want new, list, show, set, export or delete)`},
		{[]string{"invoice", "credit-notes"}, `meterdesk invoice: unknown subcommand "credit-notes"; did you mean "credit-note"? ` +
			`(want list, show, pdf, credit-note or parties)`},
		{[]string{"credits", "topup", "--ammount", "5"}, `meterdesk credits topup: unknown flag --ammount; did you mean "--amount"?`},
		{[]string{"chat", "--modle", "m", "hi"}, `meterdesk chat: unknown flag --modle; did you mean "--model"?`},
		{[]string{"chat", "--bogus"}, `meterdesk chat: unknown flag --bogus`},
		// A missing or extra argument is named.
		{[]string{"users", "add"}, `meterdesk users add: NAME is missing (it takes NAME)`},
		{[]string{"users", "add", "bob", "extra"}, `meterdesk users add: unexpected argument "extra" (it takes NAME)`},
		{[]string{"users", "list", "extra"}, `meterdesk users list: unexpected argument "extra" (it takes flags only)`},
		{[]string{"departments", "move", "1"}, `meterdesk departments move: TO and AMOUNT are missing (it takes FROM TO AMOUNT)`},
		{[]string{"departments", "allocate"}, `meterdesk departments allocate: ID and AMOUNT are missing (it takes ID AMOUNT)`},
		{[]string{"limits", "list"}, `meterdesk limits list: USER is missing (it takes USER)`},
		{[]string{"limits", "set", "nobody"}, `meterdesk limits set: daily|monthly|model and AMOUNT are missing (it takes USER daily|monthly|model AMOUNT)`},
		{[]string{"limits", "set", "alice", "model", "gpt-4o"}, `meterdesk limits set: AMOUNT is missing (it takes USER model MODEL AMOUNT)`},
		// The kind before the member is looked up (nobody: no such member).
		{[]string{"limits", "set", "alice", "weekly", "5"}, `meterdesk limits set: limit kind "weekly" (want daily, monthly or model)`},
		{[]string{"limits", "set", "nobody", "daliy", "5"}, `meterdesk limits set: limit kind "daliy"; did you mean "daily"? (want daily, monthly or model)`},
		{[]string{"limits", "remove", "nobody", "mothly"}, `meterdesk limits remove: limit kind "mothly"; did you mean "monthly"? (want daily, monthly or model)`},
		{[]string{"limits", "remove", "alice", "daily", "x"}, `meterdesk limits remove: unexpected argument "x" (it takes USER daily|monthly|model)`},
		{[]string{"alerts", "recharge", "list", "x"}, `meterdesk alerts recharge list: unexpected argument "x" (it takes flags only)`},
		{[]string{"report", "usage", "--from", "2026-01-01", "--to", "2026-01-31", "extra"}, `meterdesk report usage: unexpected argument "extra" (it takes flags only)`},
		{[]string{"conversations", "show"}, `meterdesk conversations show: ID is missing (it takes ID)`},
		{[]string{"conversations", "rm", "1", "2"}, `meterdesk conversations delete: unexpected argument "2" (it takes ID)`},
		{[]string{"invoice", "show"}, `meterdesk invoice show: NUMBER is missing (it takes NUMBER)`},
		{[]string{"invoice", "pdf", "INV-000001"}, `meterdesk invoice pdf: --out FILE is missing (- for standard output)`},
		{[]string{"invoice", "credit-note", "INV-000001"}, `meterdesk invoice credit-note: --reason TEXT is missing (why the invoice is corrected)`},
		{[]string{"settings", "set", "ui.theme"}, `meterdesk settings set: VALUE is missing (it takes KEY VALUE)`},
		{[]string{"rates", "import"}, `meterdesk rates import: FILE|- is missing (it takes FILE|-)`},
	} {
		code, out, errs := run(t, append([]string{"--data-dir", dir}, c.args...)...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != ExitUsage || out != "" || first != c.line {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant first line:\n%s", c.args, code, out, errs, c.line)
		}
		_, words, _ := strings.Cut(first, ": ")
		if strings.HasPrefix(words, "usage: ") || strings.HasPrefix(words, c.args[0]+" ") || strings.HasPrefix(words, c.args[0]+":") {
			t.Errorf("%v: the error line is a usage line, or names the command twice: %q", c.args, first)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused command wrote")
	}
}

// TestDidYouMean: only a slip is suggested, never a guess.
func TestDidYouMean(t *testing.T) {
	names := []string{"balance", "topup", "history", "packages", "list", "set", "get", "conversations"}
	for _, c := range []struct{ typed, want string }{
		{"balanse", `; did you mean "balance"?`},
		{"Balance", `; did you mean "balance"?`},
		{"topu", `; did you mean "topup"?`},
		{"histroy", `; did you mean "history"?`}, // two letters swapped
		{"lits", `; did you mean "list"?`},
		{"sett", `; did you mean "set"?`},
		{"gat", `; did you mean "get"?`},
		{"conv", `; did you mean "conversations"?`}, // the start of one name
		{"pack", `; did you mean "packages"?`},
		{"frob", ""},
		{"x", ""},
		{"ab", ""},
		{"", ""},
	} {
		if got := didYouMean(c.typed, names, ""); got != c.want {
			t.Errorf("%q: %q, want %q", c.typed, got, c.want)
		}
	}
	// The start of two names is a choice, not a slip.
	credits := []string{"balance", "topup", "history", "packages", "transfer", "policy", "value", "validity", "expire", "void-stale", "verify"}
	for _, c := range []struct{ typed, want string }{
		{"val", ""},
		{"v", ""},
		{"vali", `; did you mean "validity"?`},
		{"valeu", `; did you mean "value"?`},
		{"vlaue", `; did you mean "value"?`},
	} {
		if got := didYouMean(c.typed, credits, ""); got != c.want {
			t.Errorf("credits %q: %q, want %q", c.typed, got, c.want)
		}
	}
	code, _, errs := run(t, "--data-dir", newDatabase(t), "credits", "val")
	if want := `meterdesk credits: unknown subcommand "val" (want balance, topup, `; code != ExitUsage || !strings.HasPrefix(errs, want) {
		t.Errorf("credits val: exit %d\n%s", code, errs)
	}
}

// TestReportUsageJSONRowsIsAList: a range with no usage is "rows": [],
// not null, so a script can iterate it as it is.
func TestReportUsageJSONRowsIsAList(t *testing.T) {
	dir := newDatabase(t)
	code, out, errs := run(t, "--data-dir", dir, "--json", "report", "usage", "--from", "2026-01-01", "--to", "2026-01-31")
	var got struct {
		Rows  json.RawMessage `json:"rows"`
		Total any             `json:"total"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || string(got.Rows) != "[]" {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, out, errs)
	}
	if _, ok := got.Total.(string); !ok {
		t.Errorf("total is %T, want a string", got.Total)
	}
}
