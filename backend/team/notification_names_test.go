package team

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// notifyEveryKind raises a notification of every kind that names an
// account: a wallet's auto-recharge the pool cannot pay ("Auto-recharge
// failed") and its alert, and a department's recharges ("Auto-recharge"),
// its cap ("Auto-recharge cap reached") and its alerts ("is running low",
// "is out of credits"). The department is called dept and bob's display
// name is display (bob is paid by his wallet; carol spends the
// department's credits).
func notifyEveryKind(t *testing.T, e *env, dept, display string) (Department, Member, Member) {
	t.Helper()
	ctx := e.adminCtx()
	e.clock.Set(time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC))
	if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Absolute: []string{"60"}, Depleted: true}); err != nil {
		t.Fatal(err)
	}
	dep, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: dept})
	if err != nil {
		t.Fatal(err)
	}
	bob := e.addMember("bob", func(n *NewMember) { n.Funding, n.DisplayName = FundWallet, display })
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
	wallet := ledger.UserAccount(bob.ID)
	spend := func(m Member, acct, credits string) {
		t.Helper()
		e.clock.Add(time.Minute)
		if err := e.use(m, acct, "m", credits); err != nil {
			t.Fatal(err)
		}
		e.afterCharge(t, acct)
	}
	// The pool is empty: bob's recharge fails.
	e.topUp(wallet, "100")
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: wallet, Threshold: "10", Amount: "10", MonthlyCap: "100", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	spend(bob, wallet, "95") // 5: below 60 and below the rule's 10
	// The department is recharged from the pool until its cap.
	e.topUp("pool", "1000")
	if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "50", Amount: "100", MonthlyCap: "150", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	spend(carol, dep.Account, "45")  // 55: below 60
	spend(carol, dep.Account, "15")  // 40: +100
	spend(carol, dep.Account, "100") // 40: +50, the cap
	spend(carol, dep.Account, "90")  // 0: the cap reached, out of credits
	var kinds []string
	for _, want := range []struct{ acct, text string }{
		{wallet, "Auto-recharge failed"},
		{wallet, display + "'s wallet is running low"},
		{dep.Account, "The " + dept + " department is running low"},
		{dep.Account, "Auto-recharge"},
		{dep.Account, "Auto-recharge cap reached"},
		{dep.Account, "The " + dept + " department is out of credits"},
	} {
		found := false
		for _, n := range notifications(e, want.acct) {
			found = found || n.Title == want.text
		}
		if !found {
			kinds = append(kinds, want.text)
		}
	}
	if kinds != nil {
		var all []string
		for _, n := range notifications(e) {
			all = append(all, n.Title+": "+n.Body)
		}
		t.Fatalf("no notification %q among:\n%s", kinds, strings.Join(all, "\n"))
	}
	return dep, bob, carol
}

// listed returns what Notifications shows the actor of ctx, one
// "title: body" line per notification about the accounts, oldest first.
func listed(t *testing.T, e *env, svc *Service, as Member, accounts ...string) string {
	t.Helper()
	ctx := e.adminCtx()
	if as.ID != 0 {
		ctx = e.as(actorFor(as))
	}
	list, err := svc.Notifications(ctx, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		for _, a := range accounts {
			if list[i].Account == a {
				out = append(out, list[i].Title+": "+list[i].Body)
			}
		}
	}
	return strings.Join(out, "\n")
}

// TestNotificationsNameAccountsAsTheyAreNow: a notification names its
// member's wallet or department by the name it has now (people's rule, as
// statements and reports do), not the one it had when it was written: a
// department renamed, a member's display name changed, then the member
// removed and the department archived ("(removed)", "(archived)"), in the
// list the window and `alerts notifications` show, for admins and for the
// member it concerns alike (who reads their own wallet's as "Your wallet":
// TestNotificationsSayYourWalletToItsOwner). A department reads "The
// Research department" where it begins a sentence and "the Research
// department" within one. Names that contain the notifications' own words
// ("with", digits) are replaced whole.
func TestNotificationsNameAccountsAsTheyAreNow(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	dep, bob, carol := notifyEveryKind(t, e, "Ops with 5 Eng", "Bob with 2 Cats")
	wallet := ledger.UserAccount(bob.ID)
	before := listed(t, e, e.svc, Member{}, wallet, dep.Account)
	if !strings.Contains(before, "The Ops with 5 Eng department") || !strings.Contains(before, "to the Ops with 5 Eng department.") ||
		!strings.Contains(before, "Bob with 2 Cats's wallet") {
		t.Fatalf("before the renames:\n%s", before)
	}

	for _, c := range []struct {
		step     string
		change   func() error
		dept     string // as it begins a sentence; within one its "The" is "the"
		walletOf string
	}{
		{"renamed", func() error {
			if _, err := e.svc.UpdateDepartment(ctx, dep.ID, DepartmentInput{Name: "Research", Overdraft: "0"}); err != nil {
				return err
			}
			_, err := e.svc.UpdateMember(ctx, bob.ID, MemberUpdate{DisplayName: "Robert", Role: bob.Role, Funding: FundWallet, MinBalance: "0"})
			return err
		}, "The Research department", "Robert's wallet"},
		{"display name cleared", func() error {
			_, err := e.svc.UpdateMember(ctx, bob.ID, MemberUpdate{DisplayName: "", Role: bob.Role, Funding: FundWallet, MinBalance: "0"})
			return err
		}, "The Research department", "bob's wallet"},
		{"ended", func() error {
			if _, err := e.svc.RemoveMember(ctx, bob.ID); err != nil {
				return err
			}
			if _, err := e.svc.UpdateMember(ctx, carol.ID, MemberUpdate{Role: carol.Role, Funding: FundPool, MinBalance: "0"}); err != nil {
				return err
			}
			return e.svc.ArchiveDepartment(ctx, dep.ID)
		}, "The Research department (archived)", "bob (removed)'s wallet"},
	} {
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.step, err)
		}
		// The same lines, each old name replaced by the current one.
		want := strings.NewReplacer("The Ops with 5 Eng department", c.dept, "the Ops with 5 Eng department", "t"+c.dept[1:],
			"Bob with 2 Cats's wallet", c.walletOf).Replace(before)
		if got := listed(t, e, e.svc, Member{}, wallet, dep.Account); got != want {
			t.Errorf("%s, the admin's list:\n%s\nwant\n%s", c.step, got, want)
		}
		// Bob, signed in, reads his own wallet's as his: "Your wallet",
		// whatever it is called, and a member's instruction where the admin
		// is told to top up the pool.
		if c.step != "ended" {
			admin := listed(t, e, e.svc, Member{}, wallet)
			want := strings.NewReplacer("\n"+c.walletOf+" is", "\nYour wallet is", ": "+c.walletOf+" has", ": Your wallet has",
				"recharge "+c.walletOf+" with", "recharge your wallet with", "Top up the pool.", "Ask an admin for credits.").Replace("\n" + admin)[1:]
			if got := listed(t, e, e.svc, bob, wallet); got != want || strings.Contains(got, c.walletOf) {
				t.Errorf("%s, bob's list:\n%s\nwant\n%s", c.step, got, want)
			}
		}
	}
}

// TestNotificationNamesReadBackFromEarlierText: notifications an earlier
// version wrote (no written name stored) get it back from their text when
// the database is migrated (0850), exactly as this version stores it for
// every kind, names holding the sentences' own words included; a text that
// is none of those sentences keeps none and is shown as written. After
// that, they too name their account as it is called now.
func TestNotificationNamesReadBackFromEarlierText(t *testing.T) {
	e := newEnv(t).setup("UTC")
	dep, bob, _ := notifyEveryKind(t, e, "Ops with 5 Eng 7", "Bob reached its auto-recharge cap of 3")
	wallet := ledger.UserAccount(bob.ID)
	names := func(db *store.DB) string {
		t.Helper()
		var s string
		if err := db.Read().QueryRow(`SELECT group_concat(id || '=' || named, '|') FROM (SELECT id, named FROM notifications ORDER BY id)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := names(e.db)
	for _, n := range []string{"The Ops with 5 Eng 7 department", "the Ops with 5 Eng 7 department", "Bob reached its auto-recharge cap of 3's wallet", "The workspace pool"} {
		if !strings.Contains(want, "="+n+"|") && !strings.HasSuffix(want, "="+n) {
			t.Fatalf("no notification stored with the name %q: %s", n, want)
		}
	}
	before := listed(t, e, e.svc, Member{}, wallet, dep.Account)
	var last int64
	if err := e.db.Read().QueryRow("SELECT max(id) FROM notifications").Scan(&last); err != nil {
		t.Fatal(err)
	}
	// As an earlier version left them, with one notification in words of
	// another kind.
	db := e.reopenAfter(
		"ALTER TABLE notifications DROP COLUMN named",
		"DELETE FROM schema_migrations WHERE version = 850",
		`INSERT INTO notifications(created_at, kind, level, account, user_id, title, body)
			VALUES ('2026-05-10T12:30:00.000000000Z', 'alert', 'warning', '`+dep.Account+`', NULL, 'Something else', 'Department Ops with 5 Eng 7 did it.')`,
	)
	defer db.Close()
	if got, want := names(db), want+fmt.Sprintf("|%d=", last+1); got != want {
		t.Errorf("the names read back:\n%s\nwant\n%s", got, want)
	}
	// Renamed since: the earlier notifications follow, the odd one stays.
	for _, q := range []string{
		fmt.Sprintf("UPDATE departments SET name = 'Research' WHERE id = %d", dep.ID),
		fmt.Sprintf("UPDATE users SET display_name = 'Robert' WHERE id = %d", bob.ID),
	} {
		if _, err := db.Writer().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	svc := New(db, e.led, e.rec, e.clock.Now)
	wantList := strings.NewReplacer("The Ops with 5 Eng 7 department", "The Research department",
		"the Ops with 5 Eng 7 department", "the Research department",
		"Bob reached its auto-recharge cap of 3's wallet", "Robert's wallet").Replace(before) +
		"\nSomething else: Department Ops with 5 Eng 7 did it."
	if got := listed(t, e, svc, Member{}, wallet, dep.Account); got != wantList {
		t.Errorf("after the migration and the renames:\n%s\nwant\n%s", got, wantList)
	}
}
