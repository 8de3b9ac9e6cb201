package team

import (
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
	if n[0].Title != "bob's wallet is running low" || n[0].Body != "bob's wallet has 90 credits left, below 100 credits." || n[0].UserID != bob.ID {
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
