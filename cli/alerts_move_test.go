package cli

import (
	"strings"
	"testing"
)

// TestCLINoNotificationsAndAlertsAfterATransfer: `alerts notifications`
// with none to list says so ("No notifications.", [] with --json), where
// it printed nothing; and `credits transfer` taking a wallet below an alert
// threshold raises the alert at once, with no charge after it.
func TestCLINoNotificationsAndAlertsAfterATransfer(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "No notifications.\n"},
		{[]string{"--unread"}, "No unread notifications.\n"},
		{[]string{"--before", "5"}, "No notifications older than 5.\n"},
		{[]string{"--json"}, "[]\n"},
	} {
		if out := admin(append([]string{"alerts", "notifications"}, c.args...)...); out != c.want {
			t.Errorf("alerts notifications %v: %q, want %q", c.args, out, c.want)
		}
	}

	admin("alerts", "set", "--absolute", "100", "--percent", "")
	admin("credits", "topup", "--amount", "1000")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "150")
	if out := admin("alerts", "notifications"); out != "No notifications.\n" {
		t.Fatalf("after funding bob's wallet with 150: %q", out)
	}
	admin("credits", "transfer", "--op", "transfer", "--from", "user:2", "--to", "pool", "--amount", "60")
	out := admin("alerts", "notifications")
	if !strings.Contains(out, "[warning] bob's wallet is running low: bob's wallet has 90.00 credits left, below 100.00 credits.") ||
		!strings.HasSuffix(out, "\n1 unread\n") {
		t.Fatalf("after moving 60 out of bob's wallet (90 left): %q", out)
	}
}
