package ledger

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMoveHookIsToldOfEveryMoveButUsage: the move hook hears, after the
// commit, the pool, department and user accounts of every transfer,
// grant, adjustment and expiry, each once and never a system account; not
// usage (the metered flow checks after its charge), a replay, or a move
// that was refused.
func TestMoveHookIsToldOfEveryMoveButUsage(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "dept:1", "user:2", "user:3")
	e.fund(t, "pool", "100")
	var told []string
	e.s.SetMoveHook(func(_ context.Context, accounts []string) { told = append(told, strings.Join(accounts, " ")) })

	steps := []struct {
		name string
		run  func() error
		want []string
	}{
		{"grant", func() error {
			_, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g1", Op: OpGrant, From: "pool", To: "user:2", Amount: d("30")})
			return err
		}, []string{"pool user:2"}},
		{"replayed grant", func() error {
			_, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g1", Op: OpGrant, From: "pool", To: "user:2", Amount: d("30")})
			return err
		}, nil},
		{"member's transfer", func() error {
			_, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "t1", Op: OpTransfer, From: "user:2", To: "user:3", Amount: d("5")})
			return err
		}, []string{"user:2 user:3"}},
		{"adjustment", func() error {
			_, err := e.s.Transfer(adminCtx, TransferRequest{ID: "a1", Op: OpAdjustment, From: "user:3", To: AccountAdjust, Amount: d("1")})
			return err
		}, []string{"user:3"}},
		{"usage", func() error {
			_, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u1", Op: OpUsage, From: "user:2", To: AccountUsage,
				Amount: d("1"), Dims: Dims{UserID: 2, Model: "m"}})
			return err
		}, nil},
		{"legs", func() error {
			_, err := e.s.TransferMany(adminCtx, "m1", []TransferRequest{
				{Op: OpTransfer, From: "pool", To: "dept:1", Amount: d("10")},
				{Op: OpTransfer, From: "dept:1", To: "user:2", Amount: d("4")},
			})
			return err
		}, []string{"pool dept:1 user:2"}},
		{"refused: too few credits", func() error {
			_, err := e.s.Transfer(memberCtx(3), TransferRequest{ID: "t2", Op: OpTransfer, From: "user:3", To: "user:2", Amount: d("500")})
			if err == nil {
				t.Fatal("a move of more than the wallet has: accepted")
			}
			return nil
		}, nil},
	}
	for _, s := range steps {
		told = nil
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !slices.Equal(told, s.want) {
			t.Fatalf("%s: hook told %q, want %q", s.name, told, s.want)
		}
	}

	// Credits that expire: the accounts they expired from.
	if err := e.s.SetLotValidity(adminCtx, 1); err != nil {
		t.Fatal(err)
	}
	e.fund(t, "dept:1", "3")
	told = nil
	e.clk.Advance(32 * 24 * time.Hour)
	if n, err := e.s.ExpireLots(systemCtx); err != nil || n != 1 {
		t.Fatalf("ExpireLots = %d, %v", n, err)
	}
	if !slices.Equal(told, []string{"dept:1"}) {
		t.Fatalf("expiry: hook told %q", told)
	}
}
