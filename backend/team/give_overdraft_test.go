package team

import (
	"context"
	"errors"
	"sync"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestGiveStopsAtMovable: a member's wallet with 5 credits and an overdraft
// of 10 said "5.00 credits can move now", yet a give of 12 went through and
// left it at -7: the member gave away credits the overdraft lent them. An
// overdraft lets a member's sends run below zero; a give moves at most what
// the line says can move (the wallet's Movable), and one minor unit more is
// refused in the line's words, nothing written. The ledger's GiveCheck is
// wired as core wires it.
func TestGiveStopsAtMovable(t *testing.T) {
	for _, c := range []struct {
		name, topUp, spend, give string
		policy                   ledger.Policy
		want                     string // the refusal; "" taken
	}{
		{"an overdraft: exactly what can move", "5", "", "5", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")}, ""},
		{"an overdraft: one minor unit over", "5", "", "5.000000001", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"your wallet is short by 0.000000001 credits: 5.00 credits can move now"},
		{"an overdraft: into it", "5", "", "12", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"your wallet is short by 7.00 credits: 5.00 credits can move now"},
		{"an overdraft in use: a negative balance", "5", "8", "1", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"your wallet is short by 1.00 credits: nothing in it can move now"},
		{"an overdraft in use: one minor unit", "5", "8", "0.000000001", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"your wallet is short by 0.000000001 credits: nothing in it can move now"},
		{"an overdraft at zero balance", "5", "5", "0.01", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"your wallet is short by 0.01 credits: nothing in it can move now"},
		{"a minimum: exactly what can move", "20", "", "17", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")}, ""},
		{"a minimum: one minor unit over", "20", "", "17.000000001", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			"your wallet is short by 0.000000001 credits: 17.00 credits can move now (your minimum balance of 3.00 credits stays)"},
		{"blocked: exactly what can move", "20", "", "20", ledger.Policy{Kind: ledger.PolicyBlocked}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			e.led.SetGiveCheck(e.svc.MayGive) // as core wires it
			m := e.addMember("bob", nil)
			wallet := ledger.UserAccount(m.ID)
			e.topUp(wallet, c.topUp)
			sys := access.WithActor(context.Background(), access.System)
			if err := e.led.SetPolicy(sys, wallet, c.policy); err != nil {
				t.Fatal(err)
			}
			if c.spend != "" { // a send runs the wallet down, into its overdraft
				if err := e.use(m, wallet, "gpt-4o", c.spend); err != nil {
					t.Fatal(err)
				}
			}
			ctx := e.as(actorFor(m))
			before, err := e.led.Balance(e.adminCtx(), wallet)
			if err != nil {
				t.Fatal(err)
			}
			pool, err := e.led.Balance(e.adminCtx(), ledger.AccountPool)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.Transfer(ctx, ledger.TransferRequest{ID: "give-1", Op: ledger.OpTransfer, From: wallet,
				To: ledger.AccountPool, Amount: d(c.give)})
			after, berr := e.led.Balance(e.adminCtx(), wallet)
			if berr != nil {
				t.Fatal(berr)
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("give %s of the %s that can move: %v", c.give, before.Movable, err)
				}
				if !after.Balance.Equal(before.Balance.Sub(d(c.give))) || after.Balance.Sign() < 0 {
					t.Fatalf("after giving %s: balance %s, was %s", c.give, after.Balance, before.Balance)
				}
				return
			}
			if !errors.Is(err, ledger.ErrInsufficientFunds) || err.Error() != c.want {
				t.Fatalf("give %s: %v\nwant %q", c.give, err, c.want)
			}
			pool2, perr := e.led.Balance(e.adminCtx(), ledger.AccountPool)
			if perr != nil || !after.Balance.Equal(before.Balance) || !pool2.Balance.Equal(pool.Balance) {
				t.Fatalf("the refused give wrote: wallet %s (was %s), pool %s (was %s) %v",
					after.Balance, before.Balance, pool2.Balance, pool.Balance, perr)
			}
			if seen, err := e.led.Seen(e.adminCtx(), "give-1"); err != nil || seen {
				t.Fatalf("the refused give's id is used: %v %v", seen, err)
			}
		})
	}
}

// TestTwoGivesAtOnceStopAtMovable: two gives of 4 from a wallet of 5 with
// an overdraft of 10, at once: each fitted the overdraft, and both went
// through (the wallet at -3). Each is checked in the ledger's write
// transaction against what the other left, so one is taken and the other
// refused, the wallet at 1.
func TestTwoGivesAtOnceStopAtMovable(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetGiveCheck(e.svc.MayGive) // as core wires it
	m := e.addMember("bob", nil)
	wallet := ledger.UserAccount(m.ID)
	e.topUp(wallet, "5")
	if err := e.led.SetPolicy(access.WithActor(context.Background(), access.System), wallet,
		ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")}); err != nil {
		t.Fatal(err)
	}
	ctx := e.as(actorFor(m))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.svc.Transfer(ctx, ledger.TransferRequest{ID: nextID("give"), Op: ledger.OpTransfer, From: wallet,
				To: ledger.AccountPool, Amount: d("4")})
		}()
	}
	close(start)
	wg.Wait()
	taken, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			taken++
		case errors.Is(err, ledger.ErrInsufficientFunds) && err.Error() == "your wallet is short by 3.00 credits: 1.00 credits can move now":
			refused++
		default:
			t.Errorf("a give: %v", err)
		}
	}
	b, err := e.led.Balance(e.adminCtx(), wallet)
	if err != nil {
		t.Fatal(err)
	}
	if taken != 1 || refused != 1 || !b.Balance.Equal(d("1")) {
		t.Fatalf("two gives of 4 from 5: %d taken, %d refused, the wallet at %s; want 1, 1, 1", taken, refused, b.Balance)
	}
}
