package ledger

import (
	"errors"
	"testing"
	"time"
)

// TestLifetimeUsedCountsEveryPosting: an account's lifetime usage counts
// what it paid into sys:usage by every path that writes a posting (a
// hold's post, a usage transfer written at once or batched, a leg of a
// multi-leg transfer), and nothing it moved elsewhere.
func TestLifetimeUsedCountsEveryPosting(t *testing.T) {
	for _, tc := range []struct {
		name string
		pay  func(t *testing.T, e *env)
		used string
	}{
		{"a hold's posting", func(t *testing.T, e *env) {
			if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("4")}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "h", Amount: d("1.5")}); err != nil {
				t.Fatal(err)
			}
		}, "1.5"},
		{"a usage transfer", func(t *testing.T, e *env) {
			if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "u", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("2.25")}); err != nil {
				t.Fatal(err)
			}
		}, "2.25"},
		{"usage legs of one transfer", func(t *testing.T, e *env) {
			if _, err := e.s.TransferMany(adminCtx, "legs", []TransferRequest{
				{Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("1")},
				{Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("0.5")},
			}); err != nil {
				t.Fatal(err)
			}
		}, "1.5"},
		{"a transfer to another account is no usage", func(t *testing.T, e *env) {
			if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g", Op: OpTransfer, From: "user:2", To: "pool", Amount: d("3")}); err != nil {
				t.Fatal(err)
			}
		}, "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			e.fund(t, "user:2", "10")
			tc.pay(t, e)
			if b := e.balance(t, "user:2"); !b.LifetimeUsed.Equal(d(tc.used)) {
				t.Fatalf("lifetime used = %s, want %s", b.LifetimeUsed, tc.used)
			}
			e.verify(t)
		})
	}
}

// TestHoldOnItsOwnAccountIsRefused: a hold whose credit account is its
// debit account is a bad request, refused before anything is reserved.
func TestHoldOnItsOwnAccountIsRefused(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	snap := e.snapshot(t)
	for _, code := range []string{"user:2", "pool"} {
		if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "self-" + code, From: code, To: code, Amount: d("1")}); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("hold from %s to itself: %v, want ErrInvalidRequest", code, err)
		}
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused hold wrote something")
	}
}

// TestDebitVoidsExpiredHoldsFirst: any debit of an account first voids its
// expired holds (chat relies on it: a reply that outlived its hold finds it
// voided), so their reservation is gone after it, not left until later.
func TestDebitVoidsExpiredHoldsFirst(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("4"), TTL: time.Minute}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(2 * time.Minute)
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "u", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("1")}); err != nil {
		t.Fatal(err)
	}
	if st, err := e.s.HoldStatus(adminCtx, "h"); err != nil || st != "voided" {
		t.Fatalf("expired hold after a debit: %q, %v; want voided", st, err)
	}
	e.wantBalance(t, "user:2", "9", "9")
	e.verify(t)
}
