package team

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
)

// notifications returns the emitted notifications, for the given accounts
// only when any are given.
func notifications(e *env, accounts ...string) []Notification {
	var out []Notification
	for _, ev := range e.rec.Events() {
		if ev.Name == events.Notification {
			n := ev.Payload.(Notification)
			if len(accounts) == 0 || slices.Contains(accounts, n.Account) {
				out = append(out, n)
			}
		}
	}
	return out
}

// chargeAlerts charges m credits on acct a minute after the last step, as a
// chat's settlement does (AfterChargeNeeded, AfterCharge), checks how many
// notifications about acct it raised, and returns whether AfterChargeNeeded
// said there was anything to do.
func chargeAlerts(t *testing.T, e *env, m Member, acct, credits string, wantNew int) bool {
	t.Helper()
	e.clock.Add(time.Minute)
	before := len(notifications(e, acct))
	if err := e.use(m, acct, "m", credits); err != nil {
		t.Fatal(err)
	}
	needed := e.afterCharge(t, acct)
	if got := len(notifications(e, acct)) - before; got != wantNew {
		t.Fatalf("after using %s (balance %s): %d new notifications, want %d", credits, e.balance(acct), got, wantNew)
	}
	return needed
}

// TestAlertOncePerCrossing: an alert fires once when the balance crosses a
// threshold, not on every message below it, and re-arms when the balance
// rises above it again.
func TestAlertOncePerCrossing(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	acct := ledger.UserAccount(bob.ID)
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Absolute: []string{"100", "10"}, Depleted: true, Desktop: true}); err != nil {
		t.Fatal(err)
	}
	e.topUp(acct, "150")
	step := func(credits string, wantNew int) bool {
		t.Helper()
		return chargeAlerts(t, e, bob, acct, credits, wantNew)
	}
	step("40", 0)       // 110 (the pool, never evaluated, is found empty: its alert fires)
	if !step("15", 1) { // 95: crossed 100
		t.Fatal("a charge that crosses 100: AfterChargeNeeded said false")
	}
	if step("5", 0) { // 90: below 100, which has fired
		t.Fatal("a charge below a fired threshold: AfterChargeNeeded said true")
	}
	step("5", 0)  // 85
	step("80", 1) // 5: crossed 10
	step("1", 0)  // 4
	step("4", 1)  // 0: depleted
	n := notifications(e, acct)
	if last := n[len(n)-1]; last.Level != LevelCritical || last.UserID != bob.ID || !last.Desktop {
		t.Fatalf("depleted notification %+v", last)
	}
	// Rising above 100 re-arms every threshold; crossing again fires again.
	e.topUp(acct, "200")
	e.afterCharge(t, acct)
	step("150", 1) // 50: crossed 100 again
	// Several thresholds at once give one notification (the most severe).
	step("50", 1) // 0: crossed 10 and depleted
	// Bob sees his own notifications; the list is newest first.
	list, err := e.svc.Notifications(e.as(actorFor(bob)), true, 0)
	if err != nil || len(list) != 5 {
		t.Fatalf("bob's notifications: %d %v", len(list), err)
	}
	// Ids bob cannot see (another's, or none at all) are refused, and nothing is marked.
	carol := e.addMember("carol", nil)
	if err := e.svc.MarkRead(e.as(actorFor(carol)), []int64{list[0].ID}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("carol marks bob's notification read: %v", err)
	}
	if err := e.svc.MarkRead(e.as(actorFor(bob)), []int64{list[0].ID, 9999}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown id among bob's: %v", err)
	}
	if again := e.notes(e.as(actorFor(bob)), true); len(again) != 5 {
		t.Fatalf("a refused MarkRead marked %d", 5-len(again))
	}
	if err := e.svc.MarkRead(e.as(actorFor(bob)), []int64{list[0].ID, list[0].ID}); err != nil {
		t.Fatalf("one id twice: %v", err)
	}
	if err := e.svc.MarkRead(e.as(actorFor(bob)), nil); err != nil {
		t.Fatal(err)
	}
	if list := e.notes(e.as(actorFor(bob)), true); len(list) != 0 {
		t.Fatalf("unread after MarkRead: %d", len(list))
	}
}

// TestAlertFiresAgainAfterACreditNobodyEvaluated: a top-up runs no alert
// evaluation (a move does: AfterMove), so the alert it re-armed is found at
// the next charge:
// the balance was above the threshold just before it, after the alert last
// fired. Below the threshold all along, it stays quiet.
func TestAlertFiresAgainAfterACreditNobodyEvaluated(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	acct := ledger.UserAccount(bob.ID)
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(acct, "120")
	use := func(credits string, wantNew int) { t.Helper(); chargeAlerts(t, e, bob, acct, credits, wantNew) }
	use("90", 1) // 30: crossed 100
	use("5", 0)  // 25: still below, quiet
	e.clock.Add(time.Minute)
	e.topUp(acct, "100") // 125, and no evaluation runs
	use("100", 1)        // 25: crossed 100 again
	use("5", 0)          // 20
}

func TestAlertPercentOfBudget(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Percent: []string{"20", "10"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp("pool", "5000")
	dep := e.department("Research")
	if _, err := e.svc.Allocate(ctx, dep.ID, "1000", ""); err != nil {
		t.Fatal(err)
	}
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
	before := len(notifications(e, dep.Account))
	e.use(carol, dep.Account, "m", "790") // 210 left: above 20% of 1000
	e.afterCharge(t, dep.Account)
	if len(notifications(e, dep.Account)) != before {
		t.Fatal("fired above 20%")
	}
	e.use(carol, dep.Account, "m", "11") // 199: below 200
	e.afterCharge(t, dep.Account)
	n := notifications(e, dep.Account)
	if len(n) != before+1 || n[len(n)-1].Account != dep.Account {
		t.Fatalf("20%% alert: %+v", n[before:])
	}
	// A member of another department does not see it; carol does.
	dave := e.addMember("dave", nil)
	if l := e.notes(e.as(actorFor(dave)), false); len(l) != 0 {
		t.Fatalf("dave sees %d", len(l))
	}
	if l := e.notes(e.as(actorFor(carol)), false); len(l) != 1 {
		t.Fatalf("carol sees %d", len(l))
	}
}

func TestAlertSettingsValidation(t *testing.T) {
	e := newEnv(t).setup("UTC")
	for name, in := range map[string]AlertSettings{
		"negative":        {Absolute: []string{"-1"}},
		"zero":            {Absolute: []string{"0"}},
		"percent > 100":   {Percent: []string{"101"}},
		"percent precise": {Percent: []string{"10.001"}},
		"not a number":    {Absolute: []string{"lots"}},
		"decimal comma":   {Percent: []string{"12,5"}},
		"thousands comma": {Absolute: []string{"2,500"}},
	} {
		before := dump(t, e.db)
		if _, err := e.svc.SetAlertSettings(e.adminCtx(), in); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(name, "comma") && !strings.Contains(err.Error(), "use a point for decimals and spaces or ';' between thresholds") {
			t.Errorf("%s: %v, want the reason", name, err)
		}
		if dump(t, e.db) != before {
			t.Errorf("%s: wrote", name)
		}
	}
	got, _ := e.svc.AlertSettings(e.adminCtx())
	if len(got.Absolute) != 2 || got.Absolute[0] != "100" || len(got.Percent) != 2 || !got.Depleted {
		t.Fatalf("defaults %+v", got)
	}
}

// TestParseThresholds: the one way a list of thresholds is typed, in the
// window and the CLI: spaces or ';' between thresholds, a point for
// decimals, a comma refused as ambiguous.
func TestParseThresholds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{"", []string{}, false},
		{"  ", []string{}, false},
		{"100 10", []string{"100", "10"}, false},
		{"100;10", []string{"100", "10"}, false},
		{" 100 ; 10 ;", []string{"100", "10"}, false},
		{"12.5\t20\n5", []string{"12.5", "20", "5"}, false},
		{"2500", []string{"2500"}, false},
		{"2,500", nil, true},
		{"12,5", nil, true},
		{"100, 10", nil, true},
		{"100,", nil, true},
	} {
		got, err := ParseThresholds(c.in)
		if c.bad {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "use a point for decimals and spaces or ';' between thresholds") {
				t.Errorf("ParseThresholds(%q) = %q, %v; want the comma refused with the rule", c.in, got, err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") || got == nil {
			t.Errorf("ParseThresholds(%q) = %#v, %v; want %#v", c.in, got, err, c.want)
		}
	}
}

// TestAutoRechargeMonthlyCap: recharges move a set amount from the pool,
// never more than the monthly cap; the cap resets next month.
func TestAutoRechargeMonthlyCap(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.clock.Set(time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC))
	e.topUp("pool", "10000")
	dep := e.department("Ops")
	if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "50", Amount: "100", MonthlyCap: "250", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
	spend := func(credits, wantBalance string) {
		t.Helper()
		if err := e.use(carol, dep.Account, "m", credits); err != nil {
			t.Fatal(err)
		}
		e.afterCharge(t, dep.Account)
		if got := e.balance(dep.Account); got != wantBalance {
			t.Fatalf("balance %s, want %s", got, wantBalance)
		}
	}
	spend("40", "60")   // above the threshold: no recharge
	spend("20", "140")  // 40 < 50: +100
	spend("100", "140") // 40: +100 (200 this month)
	spend("100", "90")  // 40: +50 (cap 250 reached)
	spend("50", "40")   // 40: cap reached, nothing
	spend("1", "39")
	rules, _ := e.svc.ListAutoRecharge(ctx)
	if len(rules) != 1 || rules[0].ThisMonth != "250" {
		t.Fatalf("rules %+v", rules)
	}
	capNotes := 0
	var moved []string
	for _, n := range notifications(e) {
		if n.Kind == KindRecharge && n.Title == "Auto-recharge cap reached" {
			capNotes++
			// Its amounts by the display rule, as the window writes credits;
			// the rule's own fields (ThisMonth above) stay canonical.
			if !strings.Contains(n.Body, "reached its auto-recharge cap of 250.00 credits for ") {
				t.Errorf("cap notification %q", n.Body)
			}
		}
		if strings.HasPrefix(n.Body, "Moved ") {
			moved = append(moved, strings.Fields(n.Body)[1])
		}
	}
	if !slices.Equal(moved, []string{"100.00", "100.00", "50.00"}) {
		t.Errorf("recharges notified as %q, want 100.00, 100.00 and 50.00 credits moved", moved)
	}
	if capNotes != 1 {
		t.Fatalf("%d cap notifications, want 1", capNotes)
	}
	var recharges int
	e.db.Read().QueryRow(`SELECT count(*) FROM ledger_transfers t JOIN ledger_accounts c ON c.id = t.credit_id
		WHERE c.code = ? AND t.meta LIKE '%autoRecharge%'`, dep.Account).Scan(&recharges)
	if recharges != 3 {
		t.Fatalf("%d recharge transfers, want 3", recharges)
	}
	// Next month the cap is fresh.
	e.clock.Set(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	spend("1", "138")
}

func TestAutoRechargeValidation(t *testing.T) {
	e := newEnv(t).setup("UTC")
	for name, in := range map[string]AutoRecharge{
		"pool":         {Account: "pool", Threshold: "1", Amount: "1", MonthlyCap: "1"},
		"unknown dept": {Account: "dept:9", Threshold: "1", Amount: "1", MonthlyCap: "1"},
		"zero amount":  {Account: "user:1", Threshold: "1", Amount: "0", MonthlyCap: "1"},
		"negative cap": {Account: "user:1", Threshold: "1", Amount: "1", MonthlyCap: "-1"},
	} {
		if _, err := e.svc.SetAutoRecharge(e.adminCtx(), in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestMoveOutAlertsTheSideItLeaves: moving credits out of a department can
// take it below a threshold; that alert fires as a charge's would.
func TestMoveOutAlertsTheSideItLeaves(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(ledger.AccountPool, "1000")
	lab, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Lab"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Allocate(ctx, lab.ID, "150", ""); err != nil {
		t.Fatal(err)
	}
	if n := len(notifications(e, lab.Account)); n != 0 {
		t.Fatalf("%d notifications after the allocation", n)
	}
	e.clock.Add(time.Minute)
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: lab.ID, To: 0, Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	if n := notifications(e, lab.Account); len(n) != 1 || n[0].Level != LevelWarning {
		t.Fatalf("after moving 100 out (50 left): %+v", n)
	}
}

// TestAlertPercentOfTheLastFunding: without a department budget, a percent
// alert counts from the last credit that funded the account, a top-up or a
// transfer into it (credits given from the pool, a move from another
// department): a wallet funded from the pool, as the window does it, and a
// department funded only by moves fire as a topped-up wallet does.
// AfterChargeNeeded agrees with AfterCharge.
func TestAlertPercentOfTheLastFunding(t *testing.T) {
	for _, c := range []struct {
		name string
		fund func(e *env) (m Member, acct string) // funds the account with 100
		want string                               // the alert's body at 65
	}{
		{name: "wallet given credits from the pool", fund: func(e *env) (Member, string) {
			dave := e.addMember("dave", func(n *NewMember) { n.Funding = FundWallet })
			acct := ledger.UserAccount(dave.ID)
			e.topUp(acct, "13") // an old top-up of another amount: not the reference
			e.clock.Add(time.Minute)
			if _, err := e.led.Transfer(e.adminCtx(), ledger.TransferRequest{ID: nextID("give"), Op: ledger.OpTransfer,
				From: ledger.AccountPool, To: acct, Amount: d("87")}); err != nil {
				t.Fatal(err)
			}
			return dave, acct
		}, want: "dave's wallet has 65.00 credits left, below 90% of 87.00 credits."},
		{name: "department funded by a move", fund: func(e *env) (Member, string) {
			ctx := e.adminCtx()
			lab := e.department("Lab")
			ops := e.department("Ops")
			if _, err := e.svc.Allocate(ctx, lab.ID, "500", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: lab.ID, To: ops.ID, Amount: "100"}); err != nil {
				t.Fatal(err)
			}
			carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = ops.ID })
			return carol, ops.Account
		}, want: "The Ops department has 65.00 credits left, below 90% of 100.00 credits."},
		{name: "wallet topped up", fund: func(e *env) (Member, string) {
			erin := e.addMember("erin", func(n *NewMember) { n.Funding = FundWallet })
			acct := ledger.UserAccount(erin.ID)
			if _, err := e.led.Transfer(e.adminCtx(), ledger.TransferRequest{ID: nextID("give"), Op: ledger.OpTransfer,
				From: ledger.AccountPool, To: acct, Amount: d("5")}); err != nil {
				t.Fatal(err)
			}
			e.clock.Add(time.Minute)
			e.topUp(acct, "95")
			return erin, acct
		}, want: "erin's wallet has 65.00 credits left, below 90% of 95.00 credits."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Percent: []string{"90"}}); err != nil {
				t.Fatal(err)
			}
			e.topUp(ledger.AccountPool, "10000")
			m, acct := c.fund(e)
			if got := e.balance(acct); got != "100" {
				t.Fatalf("funded: balance %s, want 100", got)
			}
			if !chargeAlerts(t, e, m, acct, "35", 1) { // 65: below 90% of the reference
				t.Fatal("AfterChargeNeeded said false for a charge crossing the percent threshold")
			}
			n := notifications(e, acct)
			if got := n[len(n)-1].Body; got != c.want {
				t.Fatalf("alert %q, want %q", got, c.want)
			}
			chargeAlerts(t, e, m, acct, "5", 0) // 60: fired already
		})
	}
}

// TestAutoRechargeRaisedCapIsToldAgain: "cap reached" is said once per
// month and cap: after the admin raises a reached cap, reaching the new one
// is said too. Setting a rule answers what it recharged this month, as the
// list does.
func TestAutoRechargeRaisedCapIsToldAgain(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.clock.Set(time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC))
	e.topUp(ledger.AccountPool, "10000")
	dep := e.department("Ops")
	if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
		t.Fatal(err)
	}
	set := func(capm, wantThisMonth string) {
		t.Helper()
		r, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "50", Amount: "100", MonthlyCap: capm, Enabled: true})
		if err != nil || r.ThisMonth != wantThisMonth {
			t.Fatalf("set cap %s: %+v, %v; want this month %s", capm, r, err, wantThisMonth)
		}
	}
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
	capNotes := func() (n int) {
		for _, x := range notifications(e, dep.Account) {
			if x.Kind == KindRecharge && x.Title == "Auto-recharge cap reached" {
				n++
			}
		}
		return n
	}
	spend := func(credits, wantBalance string, wantCapNotes int) {
		t.Helper()
		e.clock.Add(time.Minute)
		if err := e.use(carol, dep.Account, "m", credits); err != nil {
			t.Fatal(err)
		}
		e.afterCharge(t, dep.Account)
		if got := e.balance(dep.Account); got != wantBalance {
			t.Fatalf("balance %s, want %s", got, wantBalance)
		}
		if got := capNotes(); got != wantCapNotes {
			t.Fatalf("after spending %s: %d cap notifications, want %d", credits, got, wantCapNotes)
		}
	}
	set("100", "0")
	spend("60", "140", 0) // 40: +100, the cap of 100 used
	spend("100", "40", 1) // cap reached
	spend("1", "39", 1)   // said once
	set("200", "100")     // the admin raises the cap
	spend("1", "138", 1)  // 38: +100
	spend("100", "38", 2) // the new cap reached: said again
	spend("1", "37", 2)
}

// TestAlertAtTheThresholdIsNotBelowIt: a threshold is crossed when the
// balance falls BELOW it (docs/team.md): a balance exactly at it raises
// nothing, one minor unit less raises the alert.
func TestAlertAtTheThresholdIsNotBelowIt(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	acct := ledger.UserAccount(bob.ID)
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(acct, "150")
	for _, step := range []struct {
		use, balance string
		wantNew      int
	}{
		{"50", "100", 0},                   // exactly at 100: not below it
		{"0.000000001", "99.999999999", 1}, // one minor unit below: crossed
	} {
		chargeAlerts(t, e, bob, acct, step.use, step.wantNew)
		if got := e.balance(acct); got != step.balance {
			t.Fatalf("balance %s, want %s", got, step.balance)
		}
	}
}

// TestAutoRechargeAtTheThresholdIsNotBelowIt: a rule acts when the balance
// is BELOW its threshold (docs/team.md): exactly at it, nothing is moved and
// a reached cap is not told; one minor unit less, the cap is told.
func TestAutoRechargeAtTheThresholdIsNotBelowIt(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp("pool", "10000")
	dep, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
		t.Fatal(err)
	}
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "50", Amount: "100", MonthlyCap: "100", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	capNotes := func() int {
		n := 0
		for _, x := range notifications(e, dep.Account) {
			if x.Kind == KindRecharge && x.Title == "Auto-recharge cap reached" {
				n++
			}
		}
		return n
	}
	for _, step := range []struct {
		name, use, balance string
		capNotes           int
	}{
		{"exactly at the threshold: no recharge", "50", "50", 0},
		{"below it: recharged up to the cap", "10", "140", 0},
		{"exactly at it with the cap reached: nothing told", "90", "50", 0},
		{"one minor unit below it: the cap is told", "0.000000001", "49.999999999", 1},
	} {
		if err := e.use(carol, dep.Account, "m", step.use); err != nil {
			t.Fatal(err)
		}
		e.afterCharge(t, dep.Account)
		if got := e.balance(dep.Account); got != step.balance || capNotes() != step.capNotes {
			t.Fatalf("%s: balance %s (want %s), %d cap notifications (want %d)", step.name, got, step.balance, capNotes(), step.capNotes)
		}
	}
}
