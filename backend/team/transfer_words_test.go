package team

import (
	"errors"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestTransferSaysWhatMoved: a transfer asked for from the window
// (Credits.Transfer) or the CLI (`credits transfer`) says what moved in Go's
// words (TransferReceipt.Summary), which the Credits page's toast and the
// CLI print alike; the window made its own ("Gave 25.00 credits from the
// workspace pool to Lee Park · wallet", "Settled … of the debt of frank
// (removed) · wallet …") and the CLI printed codes ("grant 25.00: pool ->
// user:3").
func TestTransferSaysWhatMoved(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	e.led.SetGiveCheck(e.svc.MayGive)
	admin := e.adminCtx()
	research := e.department("Research")
	lee := e.addMember("lee", func(n *NewMember) { n.Funding = FundWallet; n.DisplayName = "Lee Park"; n.DepartmentID = research.ID })
	carol := e.addMember("carol", nil)
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	wallet, frankWallet := ledger.UserAccount(lee.ID), ledger.UserAccount(frank.ID)
	e.topUp(ledger.AccountPool, "1000")
	if err := e.led.SetPolicy(admin, frankWallet, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("500")}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(frank, frankWallet, "m", "18"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RemoveMemberWith(admin, frank.ID, false); err != nil {
		t.Fatal(err)
	}
	leeCtx := e.as(actorFor(lee))
	for _, c := range []struct {
		name     string
		asLee    bool
		op       string
		from, to string
		amount   string
		want     string
	}{
		{"an admin gives from the pool", false, ledger.OpTransfer, ledger.AccountPool, wallet, "25", "Gave 25.00 credits from the workspace pool to Lee Park's wallet"},
		{"an admin's grant", false, ledger.OpGrant, ledger.AccountPool, research.Account, "1", "Gave 1.00 credits from the workspace pool to the Research department"},
		{"an admin moves back", false, ledger.OpTransfer, wallet, ledger.AccountPool, "5", "Moved 5.00 credits from Lee Park's wallet back to the workspace pool"},
		{"an admin settles a removed member's debt", false, ledger.OpTransfer, ledger.AccountPool, frankWallet, "18",
			"Settled 18.00 credits of the debt of frank (removed)'s wallet from the workspace pool"},
		{"an admin moves between accounts", false, ledger.OpTransfer, research.Account, wallet, "1", "Moved 1.00 credits from the Research department to Lee Park's wallet"},
		{"a member gives to the pool", true, ledger.OpTransfer, wallet, ledger.AccountPool, "2", "Gave 2.00 credits from your wallet to the workspace pool"},
		{"a member gives to their department", true, ledger.OpTransfer, wallet, research.Account, "2.5", "Gave 2.50 credits from your wallet to the Research department's credits"},
		{"a member gives to a member", true, ledger.OpTransfer, wallet, ledger.UserAccount(carol.ID), "3", "Gave 3.00 credits from your wallet to carol"},
		// Corrections give nothing and settle nothing: the operation and the accounts, the bookkeeping ones as the
		// audit log names them. They said "Gave 990.00 credits from the workspace pool to sys:adjust", "Moved 50.00
		// credits from sys:adjust to …", "Settled … of the debt …" of a refund.
		{"an admin's adjustment out of the pool", false, ledger.OpAdjustment, ledger.AccountPool, "sys:adjust", "90",
			"Adjustment: moved 90.00 credits from the workspace pool to Adjustments"},
		{"an admin's grant from the adjustments account", false, ledger.OpGrant, "sys:adjust", wallet, "50",
			"Grant: moved 50.00 credits from Adjustments to Lee Park's wallet"},
		{"an admin's refund", false, ledger.OpRefund, "sys:refund", wallet, "4", "Refund: moved 4.00 credits from Refunds to Lee Park's wallet"},
		{"an admin's adjustment from the pool to a wallet", false, ledger.OpAdjustment, ledger.AccountPool, wallet, "1",
			"Adjustment: moved 1.00 credits from the workspace pool to Lee Park's wallet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := admin
			if c.asLee {
				ctx = leeCtx
			}
			amount := c.amount
			r, err := e.svc.Transfer(ctx, ledger.TransferRequest{ID: nextID("t"), Op: c.op, From: c.from, To: c.to, Amount: d(amount)})
			if err != nil || r.Summary != c.want {
				t.Fatalf("Transfer: %q, %v; want %q", r.Summary, err, c.want)
			}
			if r.From != c.from || r.To != c.to || !r.Amount.Equal(d(amount)) {
				t.Fatalf("the receipt's transfer: %+v", r.Transfer)
			}
		})
	}
}

// TestPoolLinesSayWhatThePoolGives: the lines under "Give credits from the
// pool" and "Settle the debt" on an admin's Credits page are Go's
// (PoolLines), naming the account as notifications do; the window built
// them in TypeScript ("Moves credits from the workspace pool (…) to Lee
// Park · wallet.", "frank (removed) · wallet owes … Its member was
// removed, …", which it said of an archived department too). A member is
// refused.
func TestPoolLinesSayWhatThePoolGives(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	admin := e.adminCtx()
	erin := e.addMember("erin", func(n *NewMember) { n.Funding = FundWallet })
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	gone := e.addMember("gone", func(n *NewMember) { n.Funding = FundWallet })
	research := e.department("Research")
	frankWallet := ledger.UserAccount(frank.ID)
	e.topUp(ledger.AccountPool, "1000")
	if err := e.led.SetPolicy(admin, frankWallet, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("500")}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(frank, frankWallet, "m", "18"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Member{frank, gone} {
		if _, err := e.svc.RemoveMemberWith(admin, m.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, account string
		want          PoolLines
	}{
		{"a wallet", ledger.UserAccount(erin.ID), PoolLines{Give: "Moves credits from the workspace pool (1,000.00 credits available) to erin's wallet. " +
			"Nothing is bought; to add new credits, top up below."}},
		{"a department", research.Account, PoolLines{Give: "Moves credits from the workspace pool (1,000.00 credits available) to the Research department. " +
			"Nothing is bought; to add new credits, top up below."}},
		{"a removed member's wallet in debt", frankWallet, PoolLines{Settle: "frank (removed)'s wallet owes 18.00 credits: frank was removed, " +
			"so it takes credits only to settle that debt: at most 18.00 credits, from the workspace pool (1,000.00 credits available)."}},
		{"a removed member's empty wallet", ledger.UserAccount(gone.ID), PoolLines{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.svc.PoolLines(admin, c.account)
			if err != nil || got != c.want {
				t.Errorf("PoolLines(%s) = %+v, %v\nwant %+v", c.account, got, err, c.want)
			}
		})
	}
	if _, err := e.svc.PoolLines(e.as(actorFor(erin)), ledger.UserAccount(erin.ID)); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a member: %v, want %v", err, access.ErrForbidden)
	}
}

// TestGiveWordsSayWhatCanMoveAndWhatToType: Give pressed with no amount in
// "Give credits from your wallet" says what can move in Go's words
// (GiveWords.NoAmount, NoGiveAmount), beside the line over the form; the
// window made it in TypeScript.
func TestGiveWordsSayWhatCanMoveAndWhatToType(t *testing.T) {
	e := newEnv(t).setup("UTC")
	lee := e.addMember("lee", func(n *NewMember) { n.Funding = FundWallet; n.MinBalance = "3" })
	e.topUp(ledger.UserAccount(lee.ID), "1020")
	got, err := e.svc.GiveWords(e.as(actorFor(lee)))
	want := GiveWords{
		Line:     "Moves credits from your wallet to the workspace pool, your department or another member: 1,017.00 credits can move now (your minimum balance of 3.00 credits stays).",
		NoAmount: "Type how many credits to give (at most 1,017.00 credits).",
	}
	if err != nil || got != want {
		t.Fatalf("GiveWords = %+v, %v\nwant %+v", got, err, want)
	}
}

// TestTransferReceiptOfAnAdminsOwnWalletMovedBack: an admin's "Move to the
// pool" from their own wallet (the only way the window moves it: an admin
// has no "Give credits from your wallet") says what it says of any wallet
// an admin moves back, "Moved … back", not a member's give ("Gave … from
// your wallet to the workspace pool"), which it said.
func TestTransferReceiptOfAnAdminsOwnWalletMovedBack(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	e.led.SetGiveCheck(e.svc.MayGive)
	ann := e.addMember("ann", func(n *NewMember) { n.Role = access.RoleAdmin; n.Funding = FundWallet })
	lee := e.addMember("lee", func(n *NewMember) { n.Funding = FundWallet })
	e.topUp(ledger.AccountPool, "100")
	annCtx, own := e.as(actorFor(ann)), ledger.UserAccount(ann.ID)
	if _, err := e.svc.Transfer(annCtx, ledger.TransferRequest{ID: nextID("t"), Op: ledger.OpTransfer, From: ledger.AccountPool, To: own, Amount: d("20")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		to, want string
	}{
		{ledger.AccountPool, "Moved 5.00 credits from your wallet back to the workspace pool"},
		// Elsewhere (the CLI only, for an admin): a give, as a member's.
		{ledger.UserAccount(lee.ID), "Gave 1.00 credits from your wallet to lee"},
	} {
		amount := "5"
		if c.to != ledger.AccountPool {
			amount = "1"
		}
		r, err := e.svc.Transfer(annCtx, ledger.TransferRequest{ID: nextID("t"), Op: ledger.OpTransfer, From: own, To: c.to, Amount: d(amount)})
		if err != nil || r.Summary != c.want {
			t.Fatalf("to %s: %q, %v; want %q", c.to, r.Summary, err, c.want)
		}
	}
}

// TestTransferReplaySaysWhatTheFirstRequestDid: a transfer asked for again
// with its id (the ledger returns the first one, writing nothing) says what
// the first request did, not what the same move would be now: a give to a
// member removed since was a give, not "Settled … of the debt of … (removed)'s
// wallet" (it said so of a member in debt given no more than the debt); a
// settlement stays one.
func TestTransferReplaySaysWhatTheFirstRequestDid(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	admin := e.adminCtx()
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	gina := e.addMember("gina", func(n *NewMember) { n.Funding = FundWallet })
	e.topUp(ledger.AccountPool, "1000")
	for _, m := range []Member{frank, gina} {
		w := ledger.UserAccount(m.ID)
		if err := e.led.SetPolicy(admin, w, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("500")}); err != nil {
			t.Fatal(err)
		}
		if err := e.use(m, w, "m", "30"); err != nil {
			t.Fatal(err)
		}
	}
	give := ledger.TransferRequest{ID: nextID("give"), Op: ledger.OpTransfer, From: ledger.AccountPool, To: ledger.UserAccount(frank.ID), Amount: d("10")}
	const gave = "Gave 10.00 credits from the workspace pool to frank's wallet"
	if r, err := e.svc.Transfer(admin, give); err != nil || r.Summary != gave {
		t.Fatalf("give: %q, %v; want %q", r.Summary, err, gave)
	}
	e.clock.Add(time.Minute)
	for _, m := range []Member{frank, gina} {
		if _, err := e.svc.RemoveMemberWith(admin, m.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Add(time.Minute)
	settle := ledger.TransferRequest{ID: nextID("settle"), Op: ledger.OpTransfer, From: ledger.AccountPool, To: ledger.UserAccount(gina.ID), Amount: d("12")}
	const settled = "Settled 12.00 credits of the debt of gina (removed)'s wallet from the workspace pool"
	if r, err := e.svc.Transfer(admin, settle); err != nil || r.Summary != settled {
		t.Fatalf("settle: %q, %v; want %q", r.Summary, err, settled)
	}
	e.clock.Add(time.Minute)
	for _, c := range []struct {
		req  ledger.TransferRequest
		want string
	}{
		{give, "Gave 10.00 credits from the workspace pool to frank (removed)'s wallet"},
		{settle, settled},
	} {
		r, err := e.svc.Transfer(admin, c.req)
		if err != nil || !r.Replayed || r.Summary != c.want {
			t.Fatalf("replay of %s: %q, replayed %v, %v; want %q", c.req.ID, r.Summary, r.Replayed, err, c.want)
		}
	}
}
