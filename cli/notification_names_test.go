package cli

import (
	"context"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestCLINotificationsNameAccountsAsTheyAreNow: `alerts notifications`
// names a department or a member's wallet as it is called now, after a
// rename, a display name and a removal made with the CLI, not as it was
// called when the notification was written (the window's list reads the
// same team.Service.Notifications). A department reads "The Research
// department", though this one was written, as earlier versions wrote it,
// "Department Research"; bob reads his own wallet's as "Your wallet", the
// admin as his name.
func TestCLINotificationsNameAccountsAsTheyAreNow(t *testing.T) {
	dir := teamWorkspace(t) // Research is dept:1, bob is user:2
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// As the alerts write them (team.Service.evaluate): the name as it was
	// then, in the title, the body and the named column.
	for _, n := range []struct{ account, user, name string }{
		{"dept:1", "NULL", "Department Research"},
		{"user:2", "2", "bob's wallet"},
	} {
		if _, err := db.Writer().Exec(`INSERT INTO notifications(created_at, kind, level, account, user_id, title, body, named)
			VALUES ('2026-06-15T12:00:00.000000000Z', 'alert', 'warning', ?, `+n.user+`, ? || ' is running low', ? || ' has 5 credits left, below 10 credits.', ?)`,
			n.account, n.name, n.name, n.name); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	admin := asAlice(t, dir)
	bob := func() string {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		defer t.Setenv("METERDESK_PASSWORD", "correct horse")
		code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "alerts", "notifications")
		if code != 0 {
			t.Fatalf("bob's notifications: exit %d: %s", code, errs)
		}
		return out
	}
	for _, c := range []struct {
		change         []string
		dept, walletOf string
	}{
		{nil, "The Research department", "bob's wallet"},
		{[]string{"departments", "update", "1", "--name", "Lab"}, "The Lab department", "bob's wallet"},
		{[]string{"users", "update", "bob", "--display", "Robert"}, "The Lab department", "Robert's wallet"},
		{[]string{"users", "remove", "bob"}, "The Lab department", "Robert (removed)'s wallet"},
	} {
		if c.change != nil {
			admin(c.change...)
		}
		out := admin("alerts", "notifications")
		for _, want := range []string{
			c.dept + " is running low: " + c.dept + " has 5 credits left",
			c.walletOf + " is running low: " + c.walletOf + " has 5 credits left",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("after %v, alerts notifications lacks %q:\n%s", c.change, want, out)
			}
		}
		if c.change == nil || c.change[0] != "users" || c.change[1] != "remove" {
			if out := bob(); !strings.Contains(out, "Your wallet is running low: Your wallet has 5 credits left") || strings.Contains(out, c.walletOf) {
				t.Errorf("after %v, bob's notifications do not say \"Your wallet\" (or name him %q):\n%s", c.change, c.walletOf, out)
			}
		}
	}
}
