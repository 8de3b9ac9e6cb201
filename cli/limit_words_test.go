package cli

import (
	"strings"
	"testing"
)

// TestCLILimitsSayItAsTheLimitsPage: `limits` names the member as the
// Limits page does, by their display name ("Robert's daily limit", where it
// said the sign-in name), says which limit `remove` removed ("Robert's
// limit for gpt-4o removed", where it said "model limit removed"), and
// heads the list's columns in the page's words (HELD FOR SENDS, LEFT, where
// it said PENDING and REMAINING).
func TestCLILimitsSayItAsTheLimitsPage(t *testing.T) {
	dir := teamWorkspace(t) // bob is user:2
	admin := asAlice(t, dir)
	admin("users", "update", "bob", "--display", "Robert")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"limits", "set", "bob", "daily", "40"}, "Robert's daily limit: 40.00 credits per day\n"},
		{[]string{"limits", "set", "bob", "daily", "40"}, "Robert's daily limit: 40.00 credits per day\nRobert's daily limit unchanged: they had it already (nothing written or audited)\n"},
		{[]string{"limits", "set", "bob", "model", "gpt-4o", "5"}, "Robert's limit for gpt-4o: 5.00 credits per month\n"},
		{[]string{"limits", "remove", "bob", "model", "gpt-4o"}, "Robert's limit for gpt-4o removed\n"},
		{[]string{"limits", "remove", "bob", "daily"}, "Robert's daily limit removed\n"},
	} {
		if got := admin(c.args...); got != c.want {
			t.Errorf("%v: %q, want %q", c.args, got, c.want)
		}
	}
	admin("limits", "set", "bob", "monthly", "100")
	out := admin("limits", "list", "bob")
	head, _, _ := strings.Cut(out, "\n")
	for _, col := range []string{"USED", "HELD FOR SENDS", "LEFT", "RESETS"} {
		if !strings.Contains(head, col) {
			t.Errorf("limits list's header lacks %s: %q", col, head)
		}
	}
	if strings.Contains(head, "PENDING") || strings.Contains(head, "REMAINING") {
		t.Errorf("limits list's header: %q", head)
	}
}

// TestCLILimitsRemoveMissingSaysWhoHasNone: `limits remove` of a limit the
// member does not have says it as a removal names it ("Robert has no limit
// for gpt-4o", where it said "remove the model limit of member 2: model
// limit: not found") and still exits ExitNotFound.
func TestCLILimitsRemoveMissingSaysWhoHasNone(t *testing.T) {
	dir := teamWorkspace(t) // bob is user:2
	admin := asAlice(t, dir)
	admin("users", "update", "bob", "--display", "Robert")
	admin("limits", "set", "bob", "model", "claude", "5")
	admin("limits", "remove", "bob", "daily") // the workspace gives him one: the second removal finds none
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"limits", "remove", "bob", "model", "gpt-4o"}, "meterdesk limits remove: Robert has no limit for gpt-4o\n"},
		{[]string{"limits", "remove", "bob", "daily"}, "meterdesk limits remove: Robert has no daily limit\n"},
		{[]string{"limits", "remove", "bob", "monthly"}, "meterdesk limits remove: Robert has no monthly limit\n"},
	} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != ExitNotFound || out != "" || errs != c.want {
			t.Errorf("%v: exit %d, %q, %q; want %d and %q", c.args, code, out, errs, ExitNotFound, c.want)
		}
	}
	if out := admin("limits", "list", "bob"); !strings.Contains(out, "claude") {
		t.Errorf("bob's claude limit is gone: %q", out)
	}
}
