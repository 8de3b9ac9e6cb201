package ledger

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestMemberGiveStopsAtMovableOnEveryPath: a member's give from their own
// wallet moves at most its Movable however it reaches the ledger: as legs
// of one TransferMany (each leg checked against what the legs before it
// left, a usage leg into the overdraft included), beside a pending hold
// (counted as the line counts it), to nine decimal places.
func TestMemberGiveStopsAtMovableOnEveryPath(t *testing.T) {
	od := Policy{Kind: PolicyOverdraft, Limit: d("10")}
	use := func(amount string) TransferRequest {
		return TransferRequest{Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d(amount), Dims: Dims{UserID: 2, Model: "m"}}
	}
	give := func(amount string) TransferRequest {
		return TransferRequest{Op: OpTransfer, From: "user:2", To: AccountPool, Amount: d(amount)}
	}
	for _, c := range []struct {
		name, fund, hold string
		legs             []TransferRequest
		taken            bool
	}{
		{"two legs: exactly what can move", "5", "", []TransferRequest{give("4"), give("1")}, true},
		{"two legs: one minor unit over", "5", "", []TransferRequest{give("4"), give("1.000000001")}, false},
		{"a send into the overdraft, then a give", "5", "", []TransferRequest{use("8"), give("0.000000001")}, false},
		{"a send, then a give of what is left", "5.123456789", "", []TransferRequest{use("5"), give("0.123456789")}, true},
		{"a pending hold: what can move", "10.123456789", "4.000000001", []TransferRequest{give("6.123456788")}, true},
		{"a pending hold: one minor unit over", "10.123456789", "4.000000001", []TransferRequest{give("6.123456789")}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			e.fund(t, "user:2", c.fund)
			if err := e.s.SetPolicy(adminCtx, "user:2", od); err != nil {
				t.Fatal(err)
			}
			if c.hold != "" {
				if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d(c.hold), Dims: Dims{UserID: 2, Model: "m"}}); err != nil {
					t.Fatal(err)
				}
			}
			before := e.snapshot(t)
			_, err := e.s.TransferMany(memberCtx(2), "many", c.legs)
			if c.taken {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if b := e.balance(t, "user:2"); b.Available.Sign() < 0 {
					t.Fatalf("left available %s", b.Available)
				}
			} else {
				if !errors.Is(err, ErrInsufficientFunds) {
					t.Fatalf("want insufficient funds, got %v", err)
				}
				if after := e.snapshot(t); after != before {
					t.Fatalf("the refused give wrote:\n%s\nwas\n%s", after, before)
				}
			}
			e.verify(t)
		})
	}
}

// TestMemberGivesBesideSendsInOneBatch: a member's gives, sends (usage,
// applied in memory in the writer's batch) and chat holds on one wallet
// with an overdraft, all at once, so that they share the writer's batches:
// replayed in the order the ledger wrote them, every give found the credits
// it moved available (pending holds counted), none drew on the overdraft.
func TestMemberGivesBesideSendsInOneBatch(t *testing.T) {
	for round := range 3 {
		e := newEnv(t)
		e.ensure(t, "user:2", "user:3")
		e.fund(t, "user:2", "100")
		if err := e.s.SetPolicy(adminCtx, "user:2", Policy{Kind: PolicyOverdraft, Limit: d("1000")}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ctx := memberCtx(2)
				var err error
				switch i % 3 {
				case 0:
					_, err = e.s.Transfer(ctx, TransferRequest{ID: fmt.Sprint("g", i), Op: OpTransfer, From: "user:2", To: "user:3", Amount: d("3")})
					if errors.Is(err, ErrInsufficientFunds) {
						err = nil
					}
				case 1:
					_, err = e.s.Transfer(ctx, TransferRequest{ID: fmt.Sprint("u", i), Op: OpUsage, From: "user:2", To: AccountUsage,
						Amount: d("2"), Dims: Dims{UserID: 2, Model: "m"}})
				case 2:
					_, err = e.s.Hold(ctx, HoldRequest{ID: fmt.Sprint("h", i), From: "user:2", Amount: d("2"), Dims: Dims{UserID: 2, Model: "m"}})
				}
				if err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		rows, err := e.db.Read().Query(`SELECT t.op, t.kind, t.amount_minor, d.code, c.code FROM ledger_transfers t
			JOIN ledger_accounts d ON d.id = t.debit_id JOIN ledger_accounts c ON c.id = t.credit_id ORDER BY t.id`)
		if err != nil {
			t.Fatal(err)
		}
		var bal, pend int64
		for rows.Next() {
			var op, kind, from, to string
			var amt int64
			if err := rows.Scan(&op, &kind, &amt, &from, &to); err != nil {
				t.Fatal(err)
			}
			switch {
			case to == "user:2":
				bal += amt
			case from != "user:2":
			case kind == KindPending:
				pend += amt
			case op == OpTransfer && bal-pend < amt:
				t.Errorf("round %d: a give of %d with %d available", round, amt, bal-pend)
				fallthrough
			default:
				bal -= amt
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		e.verify(t)
	}
}
