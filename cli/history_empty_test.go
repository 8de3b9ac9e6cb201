package cli

import (
	"strings"
	"testing"
)

// TestCreditsHistorySaysWhyItIsEmpty: with no row to list, `credits
// history` printed its header alone, where Credits → History says why
// nothing shows; now it prints the window's words (ledger.EmptyHistoryFor),
// and --json keeps its empty page.
func TestCreditsHistorySaysWhyItIsEmpty(t *testing.T) {
	dir := teamWorkspace(t) // nothing moved yet
	admin := asAlice(t, dir)
	const (
		filters = "No transfers. Nothing matches these filters yet.\n"
		account = "No transfers yet. No credits have moved in or out of this account yet.\n"
		none    = "No transfers yet. No credits have moved yet. A top-up or a chat's charge appears here.\n"
		theirs  = "No transfers yet. None of your transfers moved credits in or out of this account yet: " +
			"a transfer between it and your wallet, or a charge to it for your messages, appears here.\n"
	)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, none},
		{[]string{"--reservations"}, none},
		{[]string{"--op", "topup,usage,transfer,refund,expiry,adjustment,grant"}, none},
		{[]string{"--op", "refund"}, filters},
		{[]string{"--from", "2020-01-01"}, filters},
		{[]string{"--member", "bob"}, filters},
		{[]string{"--model", "gpt-4o"}, filters},
		{[]string{"--account", "dept:1"}, account},
		{[]string{"--account", "dept:1", "--op", "grant"}, filters},
	} {
		if got := admin(append([]string{"credits", "history"}, c.args...)...); got != c.want {
			t.Errorf("credits history %v:\n%q\nwant\n%q", c.args, got, c.want)
		}
	}
	if got := admin("--json", "credits", "history"); !strings.Contains(got, `"items": []`) {
		t.Errorf("--json credits history: %q, want an empty page", got)
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	for _, c := range []struct {
		account, want string
	}{{"pool", theirs}, {"user:2", account}} {
		code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "history", "--account", c.account)
		if code != 0 || out != c.want {
			t.Errorf("bob's credits history --account %s: exit %d %q %q, want %q", c.account, code, out, errs, c.want)
		}
	}
}
