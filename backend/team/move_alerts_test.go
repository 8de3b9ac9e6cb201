package team

import (
	"context"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestMoveAlertsAtOnce: a move straight through the ledger (what
// `meterdesk credits transfer` and the window's Transfer do) that takes a
// wallet or the pool below a threshold raises its alert at once, as a
// charge's would, not at the account's next charge; a move back above it
// re-arms it, a replay raises nothing, and a refused move nothing.
func TestMoveAlertsAtOnce(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	carol := e.addMember("carol", func(n *NewMember) { n.Funding = FundWallet })
	bobW, carolW := ledger.UserAccount(bob.ID), ledger.UserAccount(carol.ID)
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(ledger.AccountPool, "1000")
	e.topUp(bobW, "150")
	e.topUp(carolW, "500")
	admin, bobCtx := e.adminCtx(), e.as(actorFor(bob))

	type counts map[string]int
	steps := []struct {
		name string
		ctx  func() (ctxActor access.Actor)
		req  ledger.TransferRequest
		want counts // new notifications per account
	}{
		{"admin moves 60 out of bob's wallet (90 left)", nil,
			ledger.TransferRequest{ID: "m1", Op: ledger.OpTransfer, From: bobW, To: ledger.AccountPool, Amount: d("60")},
			counts{bobW: 1}},
		{"the same request again (a replay)", nil,
			ledger.TransferRequest{ID: "m1", Op: ledger.OpTransfer, From: bobW, To: ledger.AccountPool, Amount: d("60")},
			counts{}},
		{"bob moves 10 to carol (80 left, below already)", func() access.Actor { return actorFor(bob) },
			ledger.TransferRequest{ID: "m2", Op: ledger.OpTransfer, From: bobW, To: carolW, Amount: d("10")},
			counts{}},
		{"a grant lifts bob above 100 (130)", nil,
			ledger.TransferRequest{ID: "m3", Op: ledger.OpGrant, From: ledger.AccountPool, To: bobW, Amount: d("50")},
			counts{}},
		{"an adjustment takes him below again (70)", nil,
			ledger.TransferRequest{ID: "m4", Op: ledger.OpAdjustment, From: bobW, To: ledger.AccountAdjust, Amount: d("60")},
			counts{bobW: 1}},
		{"a grant takes the pool below 100 (60)", nil,
			ledger.TransferRequest{ID: "m5", Op: ledger.OpGrant, From: ledger.AccountPool, To: carolW, Amount: d("950")},
			counts{ledger.AccountPool: 1}},
	}
	for _, s := range steps {
		e.clock.Add(time.Minute)
		ctx := admin
		if s.ctx != nil {
			ctx = e.as(s.ctx())
		}
		before := counts{}
		for _, a := range []string{bobW, carolW, ledger.AccountPool} {
			before[a] = len(notifications(e, a))
		}
		if _, err := e.led.Transfer(ctx, s.req); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for a, n := range before {
			if got := len(notifications(e, a)) - n; got != s.want[a] {
				t.Fatalf("%s: %d new notifications for %s, want %d", s.name, got, a, s.want[a])
			}
		}
	}
	n := notifications(e, bobW)
	if n[0].Title != "bob's wallet is running low" || n[0].Body != "bob's wallet has 90.00 credits left, below 100.00 credits." || n[0].UserID != bob.ID {
		t.Fatalf("bob's first alert: %+v", n[0])
	}
	// Bob sees it in his list, with no charge made.
	if list := e.notes(bobCtx, true); len(list) != 2 {
		t.Fatalf("bob's unread notifications: %+v", list)
	}

	// A refused move (more than the wallet has) moves nothing and says nothing.
	before := len(notifications(e))
	if _, err := e.led.Transfer(bobCtx, ledger.TransferRequest{ID: "m6", Op: ledger.OpTransfer, From: bobW, To: carolW, Amount: d("5000")}); err == nil {
		t.Fatal("a move of more than bob has: accepted")
	}
	if got := len(notifications(e)); got != before {
		t.Fatalf("a refused move raised %d notifications", got-before)
	}
}

// TestRechargeEvaluatesAlertsOnce: a charge whose auto-recharge takes the
// pool below a threshold, and leaves the wallet it recharged below one,
// raises one alert for each, evaluated once each: by AfterCharge after the
// recharge, not by the ledger's move hook as well (the recharge's transfer
// is Unhooked).
func TestRechargeEvaluatesAlertsOnce(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	acct := ledger.UserAccount(bob.ID)
	if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(ledger.AccountPool, "130")
	e.topUp(acct, "150")
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: acct, Threshold: "50", Amount: "40", MonthlyCap: "1000", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	evaluated := map[string]int{}
	evaluating = func(a string) { evaluated[a]++ }
	t.Cleanup(func() { evaluating = func(string) {} })

	e.clock.Add(time.Minute)
	if err := e.use(bob, acct, "m", "120"); err != nil { // 30 left: below the recharge's 50
		t.Fatal(err)
	}
	e.afterCharge(t, acct) // +40 from the pool: the wallet 70, the pool 90
	if got, pool := e.balance(acct), e.balance(ledger.AccountPool); got != "70" || pool != "90" {
		t.Fatalf("wallet %s, pool %s after the recharge; want 70 and 90", got, pool)
	}
	count := func(account, kind string) int {
		t.Helper()
		var n int
		if err := e.db.Read().QueryRow("SELECT count(*) FROM notifications WHERE account = ? AND kind = ?", account, kind).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		account, kind string
		want          int
	}{{acct, KindAlert, 1}, {ledger.AccountPool, KindAlert, 1}, {acct, KindRecharge, 1}} {
		if got := count(c.account, c.kind); got != c.want {
			t.Errorf("%d %s notifications for %s, want %d", got, c.kind, c.account, c.want)
		}
	}
	if got := len(notifications(e, acct, ledger.AccountPool)); got != 3 {
		t.Errorf("%d notifications emitted, want 3 (two alerts, the recharge)", got)
	}
	if evaluated[acct] != 1 || evaluated[ledger.AccountPool] != 1 || len(evaluated) != 2 {
		t.Errorf("evaluated %v, want the wallet and the pool once each", evaluated)
	}
}

// TestAlertEvaluatedAgainFiresNoMore: a crossing evaluated a second time
// (AfterMove, AfterCharge and the start-up check may all look at the same
// debit) raises nothing more: when the threshold fired is read back as the
// instant it was (crossed_at is nanosecond text), which is after the debit
// that crossed it. It was read as the zero time, so every evaluation after
// that debit fired again.
func TestAlertEvaluatedAgainFiresNoMore(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	acct := ledger.UserAccount(bob.ID)
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), AlertSettings{Absolute: []string{"100"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp(acct, "150")
	e.clock.Add(time.Minute)
	if _, err := e.led.Transfer(e.adminCtx(), ledger.TransferRequest{ID: "down", Op: ledger.OpTransfer, From: acct,
		To: ledger.AccountPool, Amount: d("60")}); err != nil { // the hook evaluates: 90, fired
		t.Fatal(err)
	}
	for i := range 3 {
		e.clock.Add(time.Second)
		e.svc.AfterMove(context.Background(), []string{acct})
		if got := len(notifications(e, acct)); got != 1 {
			t.Fatalf("evaluation %d again: %d notifications, want 1", i+1, got)
		}
	}
}
