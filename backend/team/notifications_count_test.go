package team

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/ledger"
)

// raiseMany stores n notifications about account (user id uid, 0 = none).
func (e *env) raiseMany(n int, account string, uid int64) {
	e.t.Helper()
	err := e.svc.write(context.Background(), func(tx *sql.Tx) error {
		for i := range n {
			if _, err := e.svc.insertNotification(context.Background(), tx, Notification{Kind: KindAlert, Level: LevelWarning,
				Account: account, UserID: uid, Title: fmt.Sprintf("%s %d", account, i), Body: "below 10 credits"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// TestUnreadNotificationsCountsEveryOne: the unread count is a count of
// every unread notification the actor may see, not of a list that stops at
// 200: an admin with 700 unread is told 700, a member the 400 of theirs
// (their wallet's and their department's) and not the others'; marking read
// lowers it by as many. Before, the window's badge counted the newest 200
// it had listed.
func TestUnreadNotificationsCountsEveryOne(t *testing.T) {
	e := newEnv(t).setup("UTC")
	research, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	bob := e.addMember("bob", func(m *NewMember) { m.DepartmentID = research.ID })
	carol := e.addMember("carol", nil)
	e.raiseMany(300, userAccount(bob.ID), 0)
	e.raiseMany(250, userAccount(carol.ID), 0)
	e.raiseMany(100, research.Account, 0)
	e.raiseMany(50, ledger.AccountPool, 0) // admins only

	count := func(a string) int {
		t.Helper()
		ctx := e.adminCtx()
		switch a {
		case "bob":
			ctx = e.as(actorFor(bob))
		case "carol":
			ctx = e.as(actorFor(carol))
		}
		n, err := e.svc.UnreadNotifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		listed, err := e.svc.Notifications(ctx, true, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != min(n, 200) {
			t.Fatalf("%s: %d unread listed of %d", a, len(listed), n)
		}
		return n
	}
	want := func(step string, admin, b, c int) {
		t.Helper()
		if got := [3]int{count("alice"), count("bob"), count("carol")}; got != [3]int{admin, b, c} {
			t.Fatalf("%s: unread alice, bob, carol = %v, want %v", step, got, [3]int{admin, b, c})
		}
	}
	want("raised", 700, 400, 250)

	ten, err := e.svc.Notifications(e.as(actorFor(bob)), true, 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 0, len(ten))
	for _, n := range ten {
		ids = append(ids, n.ID)
	}
	if err := e.svc.MarkRead(e.as(actorFor(bob)), ids); err != nil {
		t.Fatal(err)
	}
	want("bob read 10", 690, 390, 250)
	if err := e.svc.MarkRead(e.as(actorFor(bob)), nil); err != nil {
		t.Fatal(err)
	}
	want("bob read all", 300, 0, 250)
}

// TestNotificationQueriesUseIndexes: the unread count, the lists and "mark
// all read" find their rows by the indexes of migrations 0800 and 0890, not
// by reading every notification: an admin's unread ones by the partial
// index of the unread, a member's by user_id and account (the visibility
// clause is written so that SQLite takes it as three index searches), and
// a member's unread ones by user_id and account with read_at, not by the
// partial index of every unread notification of the workspace (which read
// the admins' unread ones too). Only an admin's whole list reads the
// table, newest first, and stops at its limit.
func TestNotificationQueriesUseIndexes(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	for _, who := range []struct {
		name string
		ctx  context.Context
	}{{"admin", e.adminCtx()}, {"member", e.as(actorFor(bob))}} {
		where, args, err := e.svc.visibility(who.ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		unread, unreadArgs, err := e.svc.visibility(who.ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		type query struct {
			sql  string
			args []any
		}
		queries := map[string]query{
			"unread count": {"SELECT count(*) FROM notifications WHERE " + unread, unreadArgs},
			"unread list":  {"SELECT id FROM notifications WHERE " + unread + " ORDER BY id DESC LIMIT 200", unreadArgs},
			"mark all":     {"UPDATE notifications SET read_at = 'x' WHERE " + unread, unreadArgs},
		}
		if who.name == "member" {
			queries["list"] = query{"SELECT id FROM notifications WHERE " + where + " ORDER BY id DESC LIMIT 200", args}
			queries["next page"] = query{"SELECT id FROM notifications WHERE " + where + " AND id < 1000 ORDER BY id DESC LIMIT 201", args}
			queries["unread next page"] = query{"SELECT id FROM notifications WHERE " + unread + " AND id < 1000 ORDER BY id DESC LIMIT 201", unreadArgs}
		}
		for name, q := range queries {
			plan, err := e.db.QueryPlan(context.Background(), q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(plan, "\n")
			var want []string
			switch {
			case who.name == "admin":
				want = []string{"INDEX notifications_unread (read_at=?)"}
			case name == "list": // by user_id and account: either index of each
				want = []string{"MULTI-INDEX OR", "USING INDEX notifications_user", "(user_id=?)", "USING INDEX notifications_account", "(account=?)"}
			case name == "next page": // the window's Show more: the cursor narrows each search
				want = []string{"MULTI-INDEX OR", "USING INDEX notifications_user (user_id=? AND rowid<?)", "USING INDEX notifications_account (account=? AND rowid<?)"}
			case name == "unread next page":
				want = []string{"MULTI-INDEX OR", "USING INDEX notifications_user_read (user_id=? AND read_at=? AND rowid<?)", "USING INDEX notifications_account_read (account=? AND read_at=? AND rowid<?)"}
			default: // a member's unread ones: theirs alone
				want = []string{"MULTI-INDEX OR", "USING INDEX notifications_user_read (user_id=? AND read_at=?)", "USING INDEX notifications_account_read (account=? AND read_at=?)"}
			}
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("%s's %s: no %q in its plan:\n%s", who.name, name, w, all)
				}
			}
			if strings.Contains(all, "SCAN notifications") {
				t.Errorf("%s's %s reads every notification:\n%s", who.name, name, all)
			}
			if who.name == "member" && strings.Contains(all, "notifications_unread") {
				t.Errorf("%s's %s reads every unread notification of the workspace:\n%s", who.name, name, all)
			}
		}
	}
}
