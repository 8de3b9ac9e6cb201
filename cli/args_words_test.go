package cli

import (
	"strings"
	"testing"
)

// TestMissingAndExtraArgumentsReadOneWay: every command's missing or
// extra argument, flag it does not know, or required flag left out is
// said one way, naming the command once ("meterdesk providers list:
// unexpected argument …", never "meterdesk providers: providers list
// takes no arguments"), exit 2, nothing written; a flag of a command with
// none is an unknown flag with the nearest one (version --jsn), not an
// argument; and a subcommand that takes no argument refuses one (alerts
// show x ran, ignoring it).
func TestMissingAndExtraArgumentsReadOneWay(t *testing.T) {
	dir := newDatabase(t)
	extra := func(cmd string) string {
		return "meterdesk " + cmd + `: unexpected argument "x" (it takes flags only)` + "\n"
	}
	for _, tc := range []struct {
		args []string
		want string // stderr's first line, whole
	}{
		{[]string{"version", "--jsn"}, `meterdesk version: unknown flag --jsn; did you mean "--json"?` + "\n"},
		{[]string{"version", "x"}, extra("version")},
		{[]string{"status", "x"}, extra("status")},
		{[]string{"status", "--jsn"}, `meterdesk status: unknown flag --jsn; did you mean "--json"?` + "\n"},
		{[]string{"check", "x"}, extra("check")},
		{[]string{"backup", "x", "--out", "b.db"}, extra("backup")},
		{[]string{"serve", "x"}, extra("serve")},
		{[]string{"apikeys", "create", "x", "--name", "k"}, extra("apikeys create")},
		{[]string{"apikeys", "list", "x"}, extra("apikeys list")},
		{[]string{"apikeys", "revoke"}, "meterdesk apikeys revoke: ID is missing (it takes ID)\n"},
		{[]string{"apikeys", "revoke", "1", "2"}, `meterdesk apikeys revoke: unexpected argument "2" (it takes ID)` + "\n"},
		{[]string{"settings", "list", "x"}, extra("settings list")},
		{[]string{"conversations", "new", "x"}, extra("conversations new")},
		{[]string{"conversations", "list", "x"}, extra("conversations list")},
		{[]string{"conversations", "set", "1"}, "meterdesk conversations set: give at least one of --title, --system, --temperature, --top-p, --max-output, --reasoning, --history\n"},
		{[]string{"providers", "list", "x"}, extra("providers list")},
		{[]string{"providers", "presets", "x"}, extra("providers presets")},
		{[]string{"rates", "versions", "x"}, extra("rates versions")},
		{[]string{"rates", "list", "x"}, extra("rates list")},
		{[]string{"rates", "export", "x"}, extra("rates export")},
		{[]string{"credits", "packages", "x"}, `meterdesk credits packages: unexpected argument "x" (it takes flags only, or: credits packages save …)` + "\n"},
		{[]string{"credits", "packages", "sav"}, `meterdesk credits packages: unexpected argument "sav"; did you mean "save"? (it takes flags only, or: credits packages save …)` + "\n"},
		{[]string{"credits", "verify", "x"}, extra("credits verify")},
		// A flag's mistake names the subcommand too.
		{[]string{"credits", "void-stale", "--x"}, "meterdesk credits void-stale: unknown flag --x\n"},
		{[]string{"credits", "topup", "--amount"}, "meterdesk credits topup: --amount needs a value\n"},
		{[]string{"alerts", "notifications", "--limit", "many"}, `meterdesk alerts notifications: invalid value "many" for --limit: not a valid number` + "\n"},
		{[]string{"credits", "expire", "x"}, extra("credits expire")},
		{[]string{"credits", "balance", "pool", "x"}, `meterdesk credits balance: unexpected argument "x" (it takes [ACCOUNT])` + "\n"},
		{[]string{"credits", "topup"}, "meterdesk credits topup: give exactly one of --amount or --package\n"},
		{[]string{"credits", "transfer", "--from", "pool"}, "meterdesk credits transfer: give --from, --to and --amount\n"},
		{[]string{"statement", "--month", "2026-01"}, "meterdesk statement: give --month YYYY-MM and --out FILE\n"},
		{[]string{"report", "usage"}, "meterdesk report usage: give --from and --to\n"},
		{[]string{"invoice", "list", "x"}, extra("invoice list")},
		{[]string{"invoice", "parties", "x"}, extra("invoice parties")},
		{[]string{"workspace", "show", "x"}, extra("workspace show")},
		{[]string{"workspace", "update", "x", "--name", "Y"}, extra("workspace update")},
		{[]string{"departments", "list", "x"}, extra("departments list")},
		{[]string{"alerts", "show", "x"}, extra("alerts show")},
		{[]string{"alerts", "set", "x", "--percent", "5"}, extra("alerts set")},
		{[]string{"alerts", "notifications", "x"}, extra("alerts notifications")},
		{[]string{"alerts", "unread", "x"}, extra("alerts unread")},
		{[]string{"alerts", "unread", "--limit", "5"}, "meterdesk alerts unread: it takes no --limit: it counts every unread notification\n"},
		{[]string{"audit", "list", "x"}, extra("audit list")},
		{[]string{"audit", "export", "x"}, extra("audit export")},
		// credits policy and rates calc said it their own way ("credits
		// policy needs one ACCOUNT", calc's usage line for all of it).
		{[]string{"credits", "policy"}, "meterdesk credits policy: ACCOUNT is missing (it takes ACCOUNT)\n"},
		{[]string{"credits", "policy", "pool", "x", "--kind", "blocked"}, `meterdesk credits policy: unexpected argument "x" (it takes ACCOUNT)` + "\n"},
		{[]string{"rates", "calc", "x", "--price", "2.5", "--credit-value", "0.01"}, extra("rates calc")},
		{[]string{"rates", "calc"}, "meterdesk rates calc: give --price\n"},
		{[]string{"rates", "calc", "--credit-value", "0.01"}, "meterdesk rates calc: give --price\n"},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != ExitUsage || first+"\n" != tc.want || out != "" {
			t.Errorf("%v: exit %d, stderr\n%s\nwant exit 2 and\n%s", tc.args, code, errs, tc.want)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v: the database changed", tc.args)
		}
	}
	// Without a workspace, status says the same.
	if code, _, errs := run(t, "--data-dir", t.TempDir(), "status", "x"); code != ExitUsage || !strings.HasPrefix(errs, extra("status")) {
		t.Errorf("status x without a workspace: exit %d\n%s", code, errs)
	}
}
