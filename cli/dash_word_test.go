package cli

import (
	"strings"
	"testing"
)

// TestDashWordWhereANameGoes: a word with one "-" where a subcommand takes
// a name or a value (a provider named "-x", the workspace name "-Acme") is
// refused as the unknown flag it is read as, named as typed ("-x", not
// "--x"), with how to give it instead: after "--", in a line that can be
// pasted and does it. Nothing is written by the refusal. (It said "unknown
// flag --x" alone, and `settings set workspace.name -Acme`, which set the
// name until flags were parsed there, "unknown flag --Acme".)
func TestDashWordWhereANameGoes(t *testing.T) {
	dir := newDatabase(t)
	if code, _, errs := run(t, "--data-dir", dir, "providers", "add", "--name", "-x", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"); code != 0 {
		t.Fatalf("providers add: exit %d: %s", code, errs)
	}
	for _, tc := range []struct {
		args  []string
		want  string
		paste []string // the line the refusal gives, run after it; nil: none given
	}{
		// A word with a space is given the line too, quoted (it was refused
		// as "unknown flag -Acme Inc" alone).
		{[]string{"settings", "set", "workspace.name", "-Acme Inc"},
			`meterdesk settings set: unknown flag -Acme Inc (to give VALUE "-Acme Inc", put it after "--": meterdesk settings set -- workspace.name '-Acme Inc')`,
			[]string{"settings", "set", "--", "workspace.name", "-Acme Inc"}},
		// Every argument given already: after "--" it would be one too many
		// (`unexpected argument "-x"`), so no line is offered (it offered
		// "meterdesk users remove -- bob -x", refused when run).
		{[]string{"users", "remove", "bob", "-x"}, `meterdesk users remove: unknown flag -x`, nil},
		{[]string{"providers", "test", "-x", "-y"}, `meterdesk providers test: unknown flag -x (to give ID|NAME "-x", put it after "--")`, nil},
		{[]string{"settings", "set", "workspace.name", "Acme", "-x"}, `meterdesk settings set: unknown flag -x`, nil},
		{[]string{"providers", "test", "-x"},
			`meterdesk providers test: unknown flag -x (to give ID|NAME "-x", put it after "--": meterdesk providers test -- -x)`, nil},
		{[]string{"settings", "set", "workspace.name", "-Acme"},
			`meterdesk settings set: unknown flag -Acme (to give VALUE "-Acme", put it after "--": meterdesk settings set -- workspace.name -Acme)`,
			[]string{"settings", "set", "--", "workspace.name", "-Acme"}},
		// Another flag on the line: "--" would make it an argument, so no line.
		{[]string{"settings", "set", "workspace.name", "-Acme", "--json"},
			`meterdesk settings set: unknown flag -Acme (to give VALUE "-Acme", put it after "--")`, nil},
		{[]string{"settings", "get", "-Acme"},
			`meterdesk settings get: unknown flag -Acme (to give KEY "-Acme", put it after "--": meterdesk settings get -- -Acme)`, nil},
		{[]string{"conversations", "show", "-x"},
			`meterdesk conversations show: unknown flag -x (to give ID "-x", put it after "--": meterdesk conversations show -- -x)`, nil},
		{[]string{"invoice", "show", "-x"},
			`meterdesk invoice show: unknown flag -x (to give NUMBER "-x", put it after "--": meterdesk invoice show -- -x)`, nil},
		{[]string{"providers", "remove", "-x"},
			`meterdesk providers remove: unknown flag -x (to give ID|NAME "-x", put it after "--": meterdesk providers remove -- -x)`,
			[]string{"providers", "remove", "--", "-x"}},
		// Written as a flag ("--"), or near one: an unknown flag as before.
		{[]string{"providers", "remove", "--x"}, `meterdesk providers remove: unknown flag --x`, nil},
		// Near a flag: named as typed, with the flag it may have meant.
		{[]string{"settings", "get", "-jsn"}, `meterdesk settings get: unknown flag -jsn; did you mean "--json"?`, nil},
		// The subcommands that take flags among their arguments (parseArgs)
		// say it as those above do (they said "unknown flag --bob"), the
		// argument named as their usage line names it.
		{[]string{"users", "remove", "-bob"},
			`meterdesk users remove: unknown flag -bob (to give USER "-bob", put it after "--": meterdesk users remove -- -bob)`, nil},
		{[]string{"users", "remove", "--bob"}, `meterdesk users remove: unknown flag --bob`, nil},
		{[]string{"users", "remove", "-jsn"}, `meterdesk users remove: unknown flag -jsn; did you mean "--json"?`, nil},
		{[]string{"users", "update", "-bob", "--role", "admin"},
			`meterdesk users update: unknown flag -bob (to give USER "-bob", put it after "--")`, nil},
		{[]string{"limits", "set", "bob", "model", "-x", "5"},
			`meterdesk limits set: unknown flag -x (to give MODEL "-x", put it after "--": meterdesk limits set -- bob model -x 5)`, nil},
		{[]string{"limits", "set", "bob", "daily", "-x"},
			`meterdesk limits set: unknown flag -x (to give AMOUNT "-x", put it after "--": meterdesk limits set -- bob daily -x)`, nil},
		{[]string{"departments", "move", "pool", "-x", "5"},
			`meterdesk departments move: unknown flag -x (to give TO "-x", put it after "--": meterdesk departments move -- pool -x 5)`, nil},
		{[]string{"alerts", "recharge", "remove", "-x"},
			`meterdesk alerts recharge remove: unknown flag -x (to give ACCOUNT "-x", put it after "--": meterdesk alerts recharge remove -- -x)`, nil},
		{[]string{"chat", "--model", "m", "-hi"}, `meterdesk chat: unknown flag -hi (to give prompt "-hi", put it after "--")`, nil},
		// A subcommand that takes no arguments: an unknown flag, no more.
		{[]string{"credits", "topup", "--amount", "5", "-bob"}, `meterdesk credits topup: unknown flag -bob`, nil},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		if first, _, _ := strings.Cut(errs, "\n"); code != ExitUsage || first != tc.want || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", tc.args, code, out, errs, tc.want)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v: the database changed", tc.args)
		}
		if tc.paste != nil {
			if code, _, errs := run(t, append([]string{"--data-dir", dir}, tc.paste...)...); code != 0 {
				t.Errorf("%v: exit %d: %s", tc.paste, code, errs)
			}
		}
	}
	if _, out, _ := run(t, "--data-dir", dir, "settings", "get", "workspace.name"); out != "-Acme\n" {
		t.Errorf("workspace.name %q, want -Acme", out)
	}
	if _, out, _ := run(t, "--data-dir", dir, "providers", "list"); strings.Contains(out, "-x") {
		t.Errorf("provider -x not removed:\n%s", out)
	}
}

// TestDashWordEveryArgument: every subcommand that takes an argument gives
// the dash-word hint the others give (dashArg, through parseArgs), naming
// the argument as its usage line does: `alerts read -x` said "unknown flag
// -x" and named no ID, `credits balance -x`, `rates import -x` and the
// other rates and credits subcommands gave no hint at all. A subcommand
// whose arguments are all given, or that takes none, says the unknown flag
// alone. Nothing is written.
func TestDashWordEveryArgument(t *testing.T) {
	dir := newDatabase(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"alerts", "read", "-x"},
			`meterdesk alerts read: unknown flag -x (to give ID "-x", put it after "--": meterdesk alerts read -- -x)`},
		// Any number of IDs: a later one is an ID too.
		{[]string{"alerts", "read", "1", "-x"},
			`meterdesk alerts read: unknown flag -x (to give ID "-x", put it after "--": meterdesk alerts read -- 1 -x)`},
		{[]string{"credits", "balance", "-x"},
			`meterdesk credits balance: unknown flag -x (to give ACCOUNT "-x", put it after "--": meterdesk credits balance -- -x)`},
		{[]string{"credits", "balance", "pool", "-x"}, `meterdesk credits balance: unknown flag -x`},
		{[]string{"credits", "policy", "-x"},
			`meterdesk credits policy: unknown flag -x (to give ACCOUNT "-x", put it after "--": meterdesk credits policy -- -x)`},
		{[]string{"rates", "import", "-x"},
			`meterdesk rates import: unknown flag -x (to give FILE|- "-x", put it after "--": meterdesk rates import -- -x)`},
		{[]string{"rates", "import", "--format", "csv", "-x"},
			`meterdesk rates import: unknown flag -x (to give FILE|- "-x", put it after "--")`},
		{[]string{"rates", "set", "openai", "-x"},
			`meterdesk rates set: unknown flag -x (to give MODEL "-x", put it after "--": meterdesk rates set -- openai -x)`},
		{[]string{"rates", "add-model", "-x", "m"},
			`meterdesk rates add-model: unknown flag -x (to give PROVIDER "-x", put it after "--": meterdesk rates add-model -- -x m)`},
		{[]string{"rates", "remove-model", "openai", "-x"},
			`meterdesk rates remove-model: unknown flag -x (to give MODEL "-x", put it after "--": meterdesk rates remove-model -- openai -x)`},
		{[]string{"rates", "calc", "-x"}, `meterdesk rates calc: unknown flag -x`},
		{[]string{"rates", "import", "-jsn"}, `meterdesk rates import: unknown flag -jsn; did you mean "--json"?`},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		if first, _, _ := strings.Cut(errs, "\n"); code != ExitUsage || first != tc.want || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", tc.args, code, out, errs, tc.want)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v: the database changed", tc.args)
		}
	}
	// The line given does what it says: the file "-x" is read.
	if code, _, errs := runIn(t, "", "--data-dir", dir, "rates", "import", "--", "-x"); code != ExitNotFound || !strings.Contains(errs, "-x: no such file") {
		t.Errorf("rates import -- -x: exit %d %q", code, errs)
	}
}
