package ledger

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
)

// TestMovable: Balance.Movable and Movable are what of its own credits may
// leave an account now (the available balance above its floor, never below
// zero, an overdraft's room not counted in), and the member's give of
// exactly that is taken while one minor unit more is refused, nothing
// written, so a window offering it is never refused. Out of a wallet with
// an overdraft the give went on into the overdraft (a wallet at 20 with an
// overdraft of 500 gave 20.000000001, and one at -3 gave 0.000000001): an
// overdraft lends to the member's sends, not to their gives. An admin's
// transfer keeps the policy's rule: an overdraft lends to it, a floor the
// account keeps (blocked, a minimum) stops it as it stops the member.
func TestMovable(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, fund  string
		policy      Policy
		hold, spend string
		want        string
	}{
		{"blocked", "50", Policy{Kind: PolicyBlocked}, "", "", "50"},
		{"a minimum kept", "500", Policy{Kind: PolicyMinimum, Limit: d("100")}, "", "", "400"},
		{"a minimum and a hold", "500", Policy{Kind: PolicyMinimum, Limit: d("100")}, "30", "", "370"},
		{"under its minimum", "80", Policy{Kind: PolicyMinimum, Limit: d("100")}, "", "", "0"},
		{"an overdraft is not its own", "20", Policy{Kind: PolicyOverdraft, Limit: d("500")}, "", "", "20"},
		{"an overdraft and a hold", "20", Policy{Kind: PolicyOverdraft, Limit: d("500")}, "5", "", "15"},
		{"an overdraft in use", "5", Policy{Kind: PolicyOverdraft, Limit: d("10")}, "", "8", "0"},
		{"an overdraft of 0", "5", Policy{Kind: PolicyOverdraft}, "", "", "5"},
		{"carry", "7.5", Policy{Kind: PolicyCarry}, "", "", "7.5"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := int64(10 + i)
			code := UserAccount(id)
			member := access.WithActor(context.Background(), access.Actor{UserID: id, Name: "m", Role: access.RoleMember})
			e.ensure(t, code)
			e.fund(t, code, c.fund)
			if err := e.s.SetPolicy(adminCtx, code, c.policy); err != nil {
				t.Fatal(err)
			}
			if c.hold != "" {
				if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "hold-" + code, From: code, Amount: d(c.hold)}); err != nil {
					t.Fatal(err)
				}
			}
			if c.spend != "" { // a send runs into the overdraft
				if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "spend-" + code, Op: OpUsage, From: code, To: AccountUsage,
					Amount: d(c.spend)}); err != nil {
					t.Fatal(err)
				}
			}
			b := e.balance(t, code)
			m, err := e.s.Movable(adminCtx, code)
			if err != nil {
				t.Fatal(err)
			}
			if b.Movable.String() != c.want || m.String() != c.want {
				t.Fatalf("movable: balance says %s, Movable %s, want %s", b.Movable, m, c.want)
			}
			over := m.Add(d("0.000000001"))
			_, err = e.s.Transfer(member, TransferRequest{ID: "over-" + code, Op: OpTransfer, From: code, To: AccountPool, Amount: over})
			var short *ShortError
			if !errors.As(err, &short) || !short.Room.Equal(m) || m.Sign() > 0 && !short.Short.Equal(d("0.000000001")) {
				t.Fatalf("the member gives one more than movable: %v (%+v), want short with room %s", err, short, m)
			}
			if lends := c.policy.Kind == PolicyOverdraft && c.policy.Limit.Sign() > 0; lends &&
				!strings.HasSuffix(err.Error(), ", which a member's give does not draw on: "+money.Display(m)+" can move)") {
				t.Fatalf("the refusal does not say the overdraft is not drawn on: %v", err)
			}
			if after := e.balance(t, code); !after.Balance.Equal(b.Balance) || !after.Pending.Equal(b.Pending) {
				t.Fatalf("the refused give wrote: %+v, was %+v", after, b)
			}
			if m.Sign() > 0 {
				if _, err := e.s.Transfer(member, TransferRequest{ID: "all-" + code, Op: OpTransfer, From: code, To: AccountPool,
					Amount: m}); err != nil {
					t.Fatalf("the member's give of movable refused: %v", err)
				}
				e.fund(t, code, m.String()) // as it was, for the admin's transfer
			}
			_, err = e.s.Transfer(adminCtx, TransferRequest{ID: "admin-over-" + code, Op: OpTransfer, From: code, To: AccountPool, Amount: over})
			lends := c.policy.Kind == PolicyOverdraft && c.policy.Limit.Sign() > 0
			if lends != (err == nil) || !lends && !errors.Is(err, ErrInsufficientFunds) {
				t.Fatalf("an admin moves one more than movable: %v, want taken %v", err, lends)
			}
		})
	}
	if _, err := e.s.Movable(adminCtx, "user:999"); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("movable of nobody: %v", err)
	}
	e.verify(t)
}

// TestTransferBefore: a transfer's Before runs in its transaction before the
// accounts are checked, so a change it makes (a policy dropped with
// SetPolicyTx) is what the debit is checked against, and lands with the
// transfer; an error from Before refuses the request with nothing written,
// its own change included.
func TestTransferBefore(t *testing.T) {
	e := newEnv(t)
	code := UserAccount(5)
	e.ensure(t, code)
	e.fund(t, code, "500")
	if err := e.s.SetPolicy(adminCtx, code, Policy{Kind: PolicyMinimum, Limit: d("100")}); err != nil {
		t.Fatal(err)
	}
	drop := func(fail error) Guard {
		return func(ctx context.Context, tx *sql.Tx) error {
			before, changed, err := SetPolicyTx(ctx, tx, code, Policy{Kind: PolicyBlocked, Limit: decimal.Zero})
			if err != nil {
				return err
			}
			if !changed || before.Kind != PolicyMinimum || before.Limit.String() != "100" {
				t.Errorf("SetPolicyTx said %v %v", before, changed)
			}
			return fail
		}
	}
	// Without Before the minimum refuses it.
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "plain", Op: OpTransfer, From: code, To: AccountPool, Amount: d("500")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("all of it past a minimum: %v", err)
	}
	snap := e.snapshot(t)
	boom := errors.New("boom")
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "fails", Op: OpTransfer, From: code, To: AccountPool, Amount: d("500"),
		Before: drop(boom)}); !errors.Is(err, boom) {
		t.Fatalf("Before's error: %v", err)
	}
	if e.snapshot(t) != snap || e.balance(t, code).Policy.Kind != PolicyMinimum {
		t.Fatal("a refused Before left something written")
	}
	tr, err := e.s.Transfer(adminCtx, TransferRequest{ID: "ok", Op: OpTransfer, From: code, To: AccountPool, Amount: d("500"), Before: drop(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Amount.String() != "500" {
		t.Fatalf("transfer: %+v", tr)
	}
	b := e.balance(t, code)
	if b.Policy.Kind != PolicyBlocked || !b.Balance.IsZero() {
		t.Fatalf("after: %+v", b)
	}
	// SetPolicyTx: unchanged says so; bad input and system accounts are refused.
	err = e.db.Write(context.Background(), func(tx *sql.Tx) error {
		if _, changed, err := SetPolicyTx(context.Background(), tx, code, Policy{Kind: PolicyBlocked}); err != nil || changed {
			t.Errorf("same policy again: changed %v, %v", changed, err)
		}
		for _, c := range []struct {
			code string
			p    Policy
			want error
		}{
			{code, Policy{Kind: PolicyBlocked, Limit: d("1")}, ErrInvalidRequest},
			{code, Policy{Kind: "generous"}, ErrInvalidRequest},
			{code, Policy{Kind: PolicyMinimum, Limit: d("-1")}, ErrInvalidAmount},
			{AccountUsage, Policy{Kind: PolicyBlocked}, ErrInvalidRequest},
			{"user:404", Policy{Kind: PolicyBlocked}, ErrUnknownAccount},
		} {
			if _, _, err := SetPolicyTx(context.Background(), tx, c.code, c.p); !errors.Is(err, c.want) {
				t.Errorf("SetPolicyTx(%s, %v): %v, want %v", c.code, c.p, err, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.verify(t)
}

// TestOpenCheckSeesTheAmount: the installed OpenCheck is given the amount
// each credit brings (a top-up's package's credits included) and the
// balance before it in its transaction; what it refuses writes nothing.
func TestOpenCheckSeesTheAmount(t *testing.T) {
	e := newEnv(t)
	e.fund(t, AccountPool, "100")
	code := UserAccount(7)
	e.ensure(t, code)
	var seen []string
	e.s.SetOpenCheck(func(ctx context.Context, tx *sql.Tx, c string, amount decimal.Decimal) error {
		var bal int64
		if err := tx.QueryRowContext(ctx, "SELECT balance_minor FROM ledger_accounts WHERE code = ?", c).Scan(&bal); err != nil {
			return err
		}
		seen = append(seen, c+" "+amount.String())
		if amount.GreaterThan(d("10")) {
			return errors.New("too much")
		}
		return nil
	})
	defer e.s.SetOpenCheck(nil)
	p, err := e.s.SavePackage(adminCtx, Package{Name: "Small", Credits: d("4"), Price: "1", Currency: "EUR", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "pkg", Account: code, PackageID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "t", Op: OpTransfer, From: AccountPool, To: code, Amount: d("2.5")}); err != nil {
		t.Fatal(err)
	}
	snap := e.snapshot(t)
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "big", Op: OpGrant, From: AccountPool, To: code, Amount: d("11")}); err == nil || !strings.Contains(err.Error(), "too much") {
		t.Fatalf("refused credit: %v", err)
	}
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "bigtop", Account: code, Credits: d("12"), Price: "0"}); err == nil || !strings.Contains(err.Error(), "too much") {
		t.Fatalf("refused top-up: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused credit wrote something")
	}
	if got := strings.Join(seen, ", "); got != code+" 4, "+code+" 2.5, "+code+" 11, "+code+" 12" {
		t.Fatalf("the check saw %q", got)
	}
	e.verify(t)
}
