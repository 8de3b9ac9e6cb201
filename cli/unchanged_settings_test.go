package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLISettingsUnchanged: `limits set`, `alerts set`, `alerts recharge
// set`, `users disable|enable`, `workspace update`, `credits value --set`,
// `credits validity --set` and `settings set` with what is there already
// (50.00 for 50,
// thresholds in another order or repeated, a disabled member disabled
// again, the workspace's name with spaces around it) say "unchanged" (a
// line after what they print; "unchanged": true with --json, false on a
// change) and write nothing, no audit entry either; a real change is
// written and audited once; a refused input writes nothing. Before, each
// printed its result as if it had changed. `credits validity --set 12`
// while none is stored stores it (the default asked for explicitly).
func TestCLISettingsUnchanged(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2, department 1 has a recharge rule 5/10/100, bob a daily limit of 50
	admin := asAlice(t, dir)
	// unchangedOf reads "unchanged" from --json output: an object, or a list of one.
	unchangedOf := func(args []string, out string) bool {
		t.Helper()
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("--json %v: %v\n%s", args, err, out)
		}
		if l, ok := v.([]any); ok && len(l) == 1 {
			v = l[0]
		}
		u, ok := v.(map[string]any)["unchanged"].(bool)
		if !ok {
			t.Fatalf("--json %v has no unchanged: %s", args, out)
		}
		return u
	}
	for _, c := range []unchangedCase{
		{[]string{"limits", "set", "bob", "daily", "50.00"}, "limit.set", true,
			"bob's daily limit: 50.00 credits per day\nbob's daily limit unchanged: they had it already (nothing written or audited)"},
		{[]string{"limits", "set", "bob", "daily", "60"}, "limit.set", false, "bob's daily limit: 60.00 credits per day"},
		{[]string{"alerts", "set", "--absolute", "100 10", "--percent", "20 10"}, "alerts.update", true,
			"alert settings unchanged: they were in force already (nothing written or audited)"},
		{[]string{"alerts", "set", "--absolute", "10 100 10"}, "alerts.update", true, "absolute: 100 10 credits"},
		{[]string{"alerts", "set", "--absolute", "50 80"}, "alerts.update", false, "absolute: 80 50 credits"},
		{[]string{"alerts", "set", "--absolute", "80; 50.0 80"}, "alerts.update", true, "alert settings unchanged"},
		{[]string{"alerts", "recharge", "set", "dept:1", "--threshold", "5.00", "--amount", "10", "--cap", "100.0"}, "recharge.set", true,
			"auto-recharge for dept:1 unchanged: the account had this rule already (nothing written or audited)"},
		{[]string{"alerts", "recharge", "set", "dept:1", "--threshold", "5", "--amount", "10", "--cap", "100", "--disabled"}, "recharge.set", false, "dept:1"},
		{[]string{"users", "enable", "bob"}, "member.enable", true,
			"member bob unchanged: they were active already (nothing written or audited)"},
		{[]string{"users", "disable", "bob"}, "member.disable", false, "disabled"},
		{[]string{"users", "disable", "2"}, "member.disable", true,
			"member bob unchanged: they were disabled already (nothing written or audited)"},
		{[]string{"users", "enable", "bob"}, "member.enable", false, "active"},
		{[]string{"workspace", "update"}, "workspace.update", true,
			"workspace unchanged: it had these settings already (nothing written or audited)"},
		{[]string{"workspace", "update", "--name", " Acme ", "--currency", "eur", "--credit-value", "0.010", "--timezone", "Europe/Berlin"}, "workspace.update", true,
			"workspace unchanged"},
		{[]string{"workspace", "update", "--tax-id", "DE123"}, "workspace.update", false, "DE123"},
		{[]string{"credits", "value", "--set", "0.01", "--currency", "EUR"}, "credits.value", true,
			"1 credit = 0.01 EUR\ncredit value unchanged: it was that already (nothing written or audited)"},
		{[]string{"credits", "value", "--set", "0.02", "--currency", "EUR"}, "credits.value", false, "1 credit = 0.02 EUR"},
		{[]string{"credits", "value", "--set", "0.020", "--currency", "eur"}, "credits.value", true, "credit value unchanged"},
		// None stored yet: the default asked for is stored, and logged.
		{[]string{"credits", "validity", "--set", "12"}, "credits.lot_validity", false, "top-up credits are valid for 12 months"},
		{[]string{"credits", "validity", "--set", "12"}, "credits.lot_validity", true,
			"top-up credits are valid for 12 months\nlot validity unchanged: it was that already (nothing written or audited)"},
		{[]string{"credits", "validity", "--set", "0"}, "credits.lot_validity", false, "top-up credits never expire"},
		{[]string{"settings", "set", "workspace.name", " Acme "}, "settings.set", true,
			"workspace.name unchanged: it was Acme already (nothing written)"},
		{[]string{"settings", "set", "workspace.name", "Acme Two"}, "settings.set", false, "workspace.name = Acme Two"},
	} {
		c.run(t, dir, admin)
		// --json says it: repeated, each is now what is there already
		// (a change: run once more, unchanged false on a fresh value below).
		if !unchangedOf(c.args, admin(append([]string{"--json"}, c.args...)...)) {
			t.Fatalf("--json %v repeated: not unchanged", c.args)
		}
	}
	// --json on a change: "unchanged": false.
	for _, args := range [][]string{
		{"limits", "set", "bob", "daily", "70"},
		{"alerts", "set", "--absolute", "90"},
		{"alerts", "recharge", "set", "dept:1", "--threshold", "6", "--amount", "10", "--cap", "100"},
		{"users", "disable", "bob"},
		{"workspace", "update", "--tax-id", "DE456"},
		{"credits", "value", "--set", "0.03", "--currency", "EUR"},
		{"credits", "validity", "--set", "6"},
		{"settings", "set", "workspace.name", "Acme Three"},
	} {
		if unchangedOf(args, admin(append([]string{"--json"}, args...)...)) {
			t.Fatalf("--json %v: a change said unchanged", args)
		}
	}
	// Refused: exit 2 with the reason, nothing written.
	for _, c := range []struct {
		args []string
		why  string
	}{
		{[]string{"alerts", "set", "--absolute", "80 0"}, "absolute threshold"},
		{[]string{"alerts", "set", "--percent", "20 120"}, "percent threshold \"120\""},
		{[]string{"alerts", "set", "--absolute", "80,5"}, "use a point for decimals"},
		{[]string{"limits", "set", "bob", "daily", "-1"}, "limit -1 is negative"},
		{[]string{"credits", "validity", "--set", "-1"}, "0-1200"},
	} {
		before := dbDump(t, dir)
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.why) {
			t.Fatalf("%v: exit %d, stderr %q, want 2 and %q\n%s", c.args, code, errs, c.why, out)
		}
		if dbDump(t, dir) != before {
			t.Fatalf("%v (refused) wrote something", c.args)
		}
	}
}
