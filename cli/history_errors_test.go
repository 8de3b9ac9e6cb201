package cli

import (
	"strings"
	"testing"
)

// TestCreditsHistoryRefusalsNameItOnce: credits history's refusals read
// "meterdesk credits history: WHY", as other commands' do, not
// "meterdesk credits history: history: WHY" (the ledger names its history
// "history", which the command's name already says), each with its exit
// code and nothing on stdout.
func TestCreditsHistoryRefusalsNameItOnce(t *testing.T) {
	dir := teamWorkspace(t)
	for _, tc := range []struct {
		user string
		args []string
		code int
		want string
	}{
		{"alice", []string{"--op", "bogus"}, ExitUsage,
			`invalid request: op "bogus" (want one of topup, usage, transfer, refund, expiry, adjustment, grant, hold, post, void)`},
		{"alice", []string{"--account", "nope"}, ExitNotFound,
			`unknown account: "nope" (want pool, dept:<id>, user:<id> or sys:topup|usage|expiry|adjust|refund)`},
		{"alice", []string{"--account", "user:999"}, ExitNotFound, `unknown account: "user:999"`},
		{"alice", []string{"--provider", "Nope"}, ExitNotFound, `unknown provider: no provider named "Nope" (there are none)`},
		{"alice", []string{"--limit", "-1"}, ExitUsage, "invalid request: a limit and a cursor are positive (0 = the default)"},
		{"bob", []string{"--member", "alice"}, ExitRefused, "not allowed for your role (members see only their own transfers)"},
		{"bob", []string{"--account", "user:1"}, ExitRefused, "read user:1: not allowed for your role"},
		// Refused by the CLI itself: named once already.
		{"alice", []string{"--from", "2026-02-01", "--to", "2026-01-01"}, ExitUsage, "invalid date range: --to 2026-01-01 is before --from 2026-02-01"},
	} {
		t.Run(strings.Join(append([]string{tc.user}, tc.args...), " "), func(t *testing.T) {
			t.Setenv("METERDESK_PASSWORD", map[string]string{"alice": "correct horse", "bob": "1234"}[tc.user])
			code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", tc.user, "credits", "history"}, tc.args...)...)
			if want := "meterdesk credits history: " + tc.want + "\n"; code != tc.code || out != "" || errs != want {
				t.Errorf("exit %d, stdout %q, stderr %q;\nwant exit %d, stderr %q", code, out, errs, tc.code, want)
			}
		})
	}
}
