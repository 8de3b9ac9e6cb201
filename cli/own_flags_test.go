package cli

import (
	"strings"
	"testing"
)

// TestSubcommandsRefuseOtherSubcommandsFlags: where one flag set serves
// every subcommand of a command, a subcommand refuses a flag that is
// another's (exit 2, nothing written) instead of ignoring it (`workspace
// show --name X` exited 0 renaming nothing), and a mistyped flag is
// matched against its own flags only (`workspace show --nam X` suggested
// --name, which it does not take).
func TestSubcommandsRefuseOtherSubcommandsFlags(t *testing.T) {
	dir := newDatabase(t)
	for _, tc := range []struct {
		args []string
		want string // the error line; "" = exit 0
	}{
		{[]string{"workspace", "show", "--name", "X"}, `meterdesk workspace show: unexpected flag --name (it takes no flags)`},
		{[]string{"workspace", "show", "--nam", "X"}, "meterdesk workspace show: unknown flag --nam\n"},
		{[]string{"workspace", "update", "--nam", "X"}, `meterdesk workspace update: unknown flag --nam; did you mean "--name"?`},
		{[]string{"workspace", "update", "--admin", "bob"}, `meterdesk workspace update: unexpected flag --admin (it takes --address, --credit-value, --currency, --idle-lock, --name, --prices-include-tax, --tax-id, --timezone)`},
		{[]string{"users", "list", "--role", "admin"}, `meterdesk users list: unexpected flag --role (it takes --all)`},
		{[]string{"users", "show", "alice", "--pin"}, `meterdesk users show: unexpected flag --pin (it takes no flags)`},
		{[]string{"users", "add", "bob", "--return-credits"}, `meterdesk users add: --return-credits goes with users remove or users update --funding pool`},
		{[]string{"departments", "add", "Sales", "--budget", "5"}, `meterdesk departments add: unexpected flag --budget (it takes --overdraft)`},
		{[]string{"departments", "list", "--name", "x"}, `meterdesk departments list: unexpected flag --name (it takes --all)`},
		{[]string{"limits", "list", "alice", "--period", "day"}, `meterdesk limits list: unexpected flag --period (it takes no flags)`},
		{[]string{"limits", "remove", "alice", "daily", "--period", "day"}, `meterdesk limits remove: unexpected flag --period (it takes no flags)`},
		// --period belongs to the model form of limits set alone: refused in
		// the backend's words (team.LimitPeriod), before the member is
		// looked up, and the usage line of limits set follows.
		{[]string{"limits", "set", "alice", "daily", "200", "--period", "day"}, `meterdesk limits set: period "day" goes with a model limit (a daily limit is per day)` + "\nusage: meterdesk limits set USER daily|monthly AMOUNT"},
		{[]string{"limits", "set", "alice", "monthly", "200", "--period", "day"}, `meterdesk limits set: period "day" goes with a model limit (a monthly limit is per month)`},
		{[]string{"limits", "set", "nobody", "monthly", "200", "--period", "day"}, `meterdesk limits set: period "day" goes with a model limit (a monthly limit is per month)`},
		{[]string{"limits", "set", "alice", "model", "o3", "5", "--period", "week"}, `meterdesk limits set: period "week" (want day or month)`},
		{[]string{"limits", "set", "alice", "daily", "5", "--period", "week"}, `meterdesk limits set: period "week" (want day or month, with a model limit alone: a daily limit is per day)`},
		{[]string{"alerts", "show", "--percent", "5"}, `meterdesk alerts show: unexpected flag --percent (it takes no flags)`},
		{[]string{"alerts", "set", "--limit", "5"}, `meterdesk alerts set: unexpected flag --limit (it takes --absolute, --depleted, --desktop, --percent)`},
		{[]string{"alerts", "recharge", "list", "--amount", "5"}, `meterdesk alerts recharge list: unexpected flag --amount (it takes no flags)`},
		{[]string{"alerts", "recharge", "list", "--amout", "5"}, "meterdesk alerts recharge list: unknown flag --amout\n"},
		{[]string{"alerts", "recharge", "remove", "pool", "--cap", "5"}, `meterdesk alerts recharge remove: unexpected flag --cap (it takes no flags)`},
		{[]string{"audit", "list", "--out", "x.csv"}, `meterdesk audit list: unexpected flag --out (it takes --action, --actor, --limit, --since, --target, --until)`},
		// Their own flags, and the global ones, still go.
		{[]string{"workspace", "show", "--json"}, ""},
		{[]string{"users", "list", "--all"}, ""},
		{[]string{"departments", "list", "--all"}, ""},
		{[]string{"alerts", "notifications", "--unread", "--limit", "5"}, ""},
		{[]string{"limits", "set", "alice", "model", "o3", "5", "--period", "day"}, ""},
		{[]string{"limits", "set", "alice", "daily", "200"}, ""},
		{[]string{"limits", "set", "alice", "monthly", "200", "--period="}, ""}, // an empty period is none, as for a model limit
	} {
		before := dbDump(t, dir)
		code, _, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		if tc.want == "" {
			if code != 0 {
				t.Errorf("%v: exit %d\n%s", tc.args, code, errs)
			}
			continue
		}
		if code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", tc.args, code, tc.want, errs)
		}
		if after := dbDump(t, dir); after != before {
			t.Errorf("%v: the database changed", tc.args)
		}
	}
}

// TestUsersRmIsRemove: `users rm` removes a member as `users remove` does,
// as providers and conversations take rm for their remove and delete; its
// errors name it as the subcommand it stands for, as its usage line does.
func TestUsersRmIsRemove(t *testing.T) {
	dir := newDatabase(t)
	t.Setenv("METERDESK_NEW_SECRET", "correct horse battery")
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	as := func(args ...string) (int, string, string) {
		return run(t, append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
	}
	if code, out, errs := as("users", "add", "bob"); code != 0 {
		t.Fatalf("users add bob: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := as("users", "rm"); code != ExitUsage || !strings.HasPrefix(errs, "meterdesk users remove: USER is missing (it takes USER)\n") {
		t.Errorf("users rm: exit %d\n%s", code, errs)
	}
	if code, out, errs := as("users", "rm", "bob", "--return-credits"); code != 0 || !strings.Contains(out, "removed") {
		t.Fatalf("users rm bob: exit %d\n%s%s", code, out, errs)
	}
}
