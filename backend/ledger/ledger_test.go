package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
)

func TestTransferMovesExactAmountsAndEmits(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "dept:7")
	e.fund(t, "pool", "100")
	before := e.rec.Count(events.BalanceChanged)
	tr, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g1", Op: OpGrant, From: "pool", To: "dept:7", Amount: d("40.5")})
	if err != nil {
		t.Fatal(err)
	}
	if tr.From != "pool" || tr.To != "dept:7" || !tr.Amount.Equal(d("40.5")) || tr.Kind != KindPosted {
		t.Fatalf("transfer = %+v", tr)
	}
	if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u1", Op: OpUsage, From: "dept:7", To: AccountUsage,
		Amount: d("0.0000025"), Dims: Dims{UserID: 2, DepartmentID: 7, Model: "gpt-x", Source: "ui"}}); err != nil {
		t.Fatal(err)
	}
	e.wantBalance(t, "pool", "59.5", "59.5")
	e.wantBalance(t, "dept:7", "40.4999975", "40.4999975")
	e.wantBalance(t, AccountUsage, "0.0000025", "0.0000025")
	e.wantBalance(t, AccountTopUp, "-100", "-100")
	b := e.balance(t, "dept:7")
	if !b.LifetimeUsed.Equal(d("0.0000025")) || b.LastTransfer == nil || b.LastTransfer.RequestID != "u1" {
		t.Fatalf("dept balance = %+v", b)
	}
	var minor int64
	if err := e.db.Read().QueryRow(`SELECT amount_minor FROM ledger_transfers WHERE request_id='u1'`).Scan(&minor); err != nil || minor != 2500 {
		t.Fatalf("stored minor units = %d, %v; want 2500", minor, err)
	}
	if got := e.rec.Count(events.BalanceChanged); got != before+2 {
		t.Fatalf("BalanceChanged emitted %d times, want %d", got-before, 2)
	}
	e.verify(t)
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "pool", "10")
	req := TransferRequest{ID: "same", Op: OpGrant, From: "pool", To: "user:2", Amount: d("3"), Meta: json.RawMessage(`{"b":1, "a":"x"}`)}
	first, err := e.s.Transfer(adminCtx, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Meta = json.RawMessage(`{"a":"x","b":1}`) // same content, other key order
	again, err := e.s.Transfer(adminCtx, req)
	if err != nil || again.ID != first.ID {
		t.Fatalf("retry = %+v, %v; want the first result %d", again, err, first.ID)
	}
	snap := e.snapshot(t)
	for name, change := range map[string]func(r *TransferRequest){
		"amount": func(r *TransferRequest) { r.Amount = d("3.000000001") },
		"to":     func(r *TransferRequest) { r.To = "pool"; r.From = "user:2" },
		"meta":   func(r *TransferRequest) { r.Meta = json.RawMessage(`{"a":"y","b":1}`) },
		"dims":   func(r *TransferRequest) { r.Model = "other" },
	} {
		r := req
		change(&r)
		if _, err := e.s.Transfer(adminCtx, r); !errors.Is(err, ErrIdempotencyConflict) {
			t.Errorf("%s changed: err = %v, want ErrIdempotencyConflict", name, err)
		}
	}
	// The same id as a hold is a conflict too.
	if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "same", From: "user:2", Amount: d("1")}); !errors.Is(err, ErrIdempotencyConflict) {
		t.Errorf("hold with a transfer's id: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a conflicting retry wrote something")
	}
	e.wantBalance(t, "user:2", "3", "3")
}

func TestConcurrentRetriesWriteOnce(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "pool", "10")
	errs := make(chan error, 50)
	ids := make(chan int64, 50)
	for range 50 {
		go func() {
			tr, err := e.s.Transfer(adminCtx, TransferRequest{ID: "once", Op: OpGrant, From: "pool", To: "user:2", Amount: d("1")})
			errs <- err
			ids <- tr.ID
		}()
	}
	var first int64
	for range 50 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		id := <-ids
		if first == 0 {
			first = id
		} else if id != first {
			t.Fatalf("retries returned transfers %d and %d", first, id)
		}
	}
	e.wantBalance(t, "user:2", "1", "1")
}

func TestParseAmountRejectsBadInput(t *testing.T) {
	for _, s := range []string{"", " ", "NaN", "nan", "Inf", "-Inf", "1e3", "0x10", "1,000", "abc", "1.2.3",
		"0.0000000001", "99999999999999999999999", "--1", "1 000"} {
		if _, err := ParseAmount(s); !errors.Is(err, ErrInvalidAmount) {
			t.Errorf("ParseAmount(%q) = %v, want ErrInvalidAmount", s, err)
		}
	}
	for s, want := range map[string]string{"12": "12", "0.0000025": "0.0000025", "-0.5": "-0.5", "0.000000001": "0.000000001"} {
		if v, err := ParseAmount(s); err != nil || v.String() != want {
			t.Errorf("ParseAmount(%q) = %s, %v", s, v, err)
		}
	}
}

func TestBadTransfersWriteNothing(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	e.s.indexEvery.Store(-1)
	e.fund(t, "pool", "10") // left out of the debit index until the refusals...
	e.s.indexEvery.Store(0) // ...which must not bring it up to date either
	ok := TransferRequest{ID: "x", Op: OpGrant, From: "pool", To: "user:2", Amount: d("1")}
	cases := []struct {
		name string
		ctx  context.Context
		mod  func(r *TransferRequest)
		want error
	}{
		{"negative", adminCtx, func(r *TransferRequest) { r.Amount = d("-1") }, ErrInvalidAmount},
		{"zero", adminCtx, func(r *TransferRequest) { r.Amount = d("0") }, ErrInvalidAmount},
		{"over-precise", adminCtx, func(r *TransferRequest) { r.Amount = d("0.0000000001") }, ErrInvalidAmount},
		{"overflow", adminCtx, func(r *TransferRequest) { r.Amount = d("99999999999999999999") }, ErrInvalidAmount},
		{"just over MaxMinor", adminCtx, func(r *TransferRequest) { r.Amount = d("2305843009.213693952") }, ErrInvalidAmount},
		{"unknown account", adminCtx, func(r *TransferRequest) { r.To = "user:99" }, ErrUnknownAccount},
		{"malformed account", adminCtx, func(r *TransferRequest) { r.To = "user:abc" }, ErrUnknownAccount},
		{"zero user id", adminCtx, func(r *TransferRequest) { r.To = "user:0" }, ErrUnknownAccount},
		{"padded id", adminCtx, func(r *TransferRequest) { r.To = "user:02" }, ErrUnknownAccount},
		{"unknown system account", adminCtx, func(r *TransferRequest) { r.From = "sys:bank" }, ErrUnknownAccount},
		{"same account", adminCtx, func(r *TransferRequest) { r.To = "pool" }, ErrInvalidRequest},
		{"unknown op", adminCtx, func(r *TransferRequest) { r.Op = "steal" }, ErrInvalidRequest},
		{"topup op", adminCtx, func(r *TransferRequest) { r.Op = OpTopUp }, ErrInvalidRequest},
		{"empty id", adminCtx, func(r *TransferRequest) { r.ID = "" }, ErrInvalidRequest},
		{"id with space", adminCtx, func(r *TransferRequest) { r.ID = "a b" }, ErrInvalidRequest},
		{"long id", adminCtx, func(r *TransferRequest) { r.ID = strings.Repeat("x", 129) }, ErrInvalidRequest},
		{"bad source", adminCtx, func(r *TransferRequest) { r.Source = "web" }, ErrInvalidRequest},
		{"meta not object", adminCtx, func(r *TransferRequest) { r.Meta = json.RawMessage(`[1]`) }, ErrInvalidRequest},
		{"meta malformed", adminCtx, func(r *TransferRequest) { r.Meta = json.RawMessage(`{"a":`) }, ErrInvalidRequest},
		{"usage not to sink", memberCtx(2), func(r *TransferRequest) { r.Op = OpUsage; r.From = "user:2"; r.To = "user:3" }, ErrInvalidRequest},
		{"insufficient", adminCtx, func(r *TransferRequest) { r.Amount = d("10.000000001") }, ErrInsufficientFunds},
		{"member grants", memberCtx(2), func(r *TransferRequest) {}, access.ErrForbidden},
		{"member moves pool", memberCtx(2), func(r *TransferRequest) { r.Op = OpTransfer }, access.ErrForbidden},
		{"no actor", context.Background(), func(r *TransferRequest) { r.Op = OpUsage; r.To = AccountUsage }, access.ErrUnauthenticated},
		// A member's usage is theirs, with a model: never typed in for
		// another account (the CLI's `credits transfer --op usage`).
		{"member spends another wallet", memberCtx(2), func(r *TransferRequest) { r.Op = OpUsage; r.From = "user:3"; r.To = AccountUsage }, access.ErrForbidden},
		{"member spends the pool", memberCtx(2), func(r *TransferRequest) { r.Op = OpUsage; r.To = AccountUsage }, access.ErrForbidden},
		{"member's usage for another", memberCtx(2), func(r *TransferRequest) {
			r.Op, r.From, r.To, r.Dims = OpUsage, "user:2", AccountUsage, Dims{UserID: 3, Model: "m"}
		}, access.ErrForbidden},
		{"member's usage without a model", memberCtx(2), func(r *TransferRequest) {
			r.Op, r.From, r.To, r.Dims = OpUsage, "user:2", AccountUsage, Dims{UserID: 2}
		}, access.ErrForbidden},
	}
	snap := e.snapshot(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.mod(&r)
			_, err := e.s.Transfer(c.ctx, r)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if e.snapshot(t) != snap {
				t.Fatal("a rejected transfer wrote something")
			}
		})
	}
	_, err := e.s.Transfer(adminCtx, TransferRequest{ID: "y", Op: OpGrant, From: "pool", To: "user:2", Amount: d("20")})
	if err == nil || !strings.Contains(err.Error(), "pool is short by 10.00 credits") {
		t.Fatalf("insufficient funds message = %v; want the account and the shortfall", err)
	}
}

func TestTransferManyIsAtomic(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "dept:1", "dept:2")
	e.fund(t, "pool", "10")
	legs := []TransferRequest{
		{Op: OpGrant, From: "pool", To: "dept:1", Amount: d("6")},
		{Op: OpGrant, From: "pool", To: "dept:2", Amount: d("6")}, // only 4 left
	}
	snap := e.snapshot(t)
	if _, err := e.s.TransferMany(adminCtx, "split", legs); !errors.Is(err, ErrInsufficientFunds) || !strings.Contains(err.Error(), "leg 1") {
		t.Fatalf("err = %v, want ErrInsufficientFunds on leg 1", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a failed multi-leg transfer wrote its first leg")
	}
	legs[1].Amount = d("4")
	ts, err := e.s.TransferMany(adminCtx, "split", legs)
	if err != nil || len(ts) != 2 || ts[1].Leg != 1 {
		t.Fatalf("TransferMany = %+v, %v", ts, err)
	}
	again, err := e.s.TransferMany(adminCtx, "split", legs)
	if err != nil || again[0].ID != ts[0].ID || again[1].ID != ts[1].ID {
		t.Fatalf("retry = %+v, %v", again, err)
	}
	e.wantBalance(t, "pool", "0", "0")
	e.verify(t)
	if _, err := e.s.TransferMany(adminCtx, "none", nil); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("no legs: %v", err)
	}
}

func TestPolicies(t *testing.T) {
	cases := []struct {
		policy        Policy
		okAmount      string // succeeds from a balance of 10
		failAmount    string // then this fails
		wantAvailable string
	}{
		{Policy{Kind: PolicyBlocked}, "10", "0.000000001", "0"},
		{Policy{Kind: PolicyOverdraft, Limit: d("5")}, "15", "0.000000001", "-5"},
		{Policy{Kind: PolicyMinimum, Limit: d("0.10")}, "9.9", "0.000000001", "0.1"},
		{Policy{Kind: PolicyCarry}, "10", "0.000000001", "0"},
	}
	for _, c := range cases {
		t.Run(string(c.policy.Kind), func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			if err := e.s.SetPolicy(adminCtx, "user:2", c.policy); err != nil {
				t.Fatal(err)
			}
			e.fund(t, "user:2", "10")
			if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "a", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d(c.okAmount)}); err != nil {
				t.Fatal(err)
			}
			snap := e.snapshot(t)
			_, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "b", From: "user:2", Amount: d(c.failAmount)})
			if !errors.Is(err, ErrInsufficientFunds) {
				t.Fatalf("hold beyond policy: %v", err)
			}
			if e.snapshot(t) != snap {
				t.Fatal("rejected hold wrote something")
			}
			b := e.balance(t, "user:2")
			if !b.Available.Equal(d(c.wantAvailable)) {
				t.Fatalf("available = %s, want %s", b.Available, c.wantAvailable)
			}
			// A free (zero) hold and post are never blocked by the balance.
			if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "free", From: "user:2", Amount: d("0")}); err != nil {
				t.Fatalf("zero hold: %v", err)
			}
			if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "free-post", HoldID: "free", Amount: d("0")}); err != nil {
				t.Fatalf("zero post: %v", err)
			}
			e.verify(t)
		})
	}
}

func TestSetPolicyBadInput(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	snap := e.snapshot(t)
	for name, c := range map[string]struct {
		ctx  context.Context
		code string
		p    Policy
		want error
	}{
		"member":           {memberCtx(2), "user:2", Policy{Kind: PolicyCarry}, access.ErrForbidden},
		"unknown kind":     {adminCtx, "user:2", Policy{Kind: "generous"}, ErrInvalidRequest},
		"negative limit":   {adminCtx, "user:2", Policy{Kind: PolicyOverdraft, Limit: d("-1")}, ErrInvalidAmount},
		"precise limit":    {adminCtx, "user:2", Policy{Kind: PolicyOverdraft, Limit: d("0.0000000001")}, ErrInvalidAmount},
		"limit on blocked": {adminCtx, "user:2", Policy{Kind: PolicyBlocked, Limit: d("1")}, ErrInvalidRequest},
		"system account":   {adminCtx, AccountUsage, Policy{Kind: PolicyBlocked}, ErrInvalidRequest},
		"unknown account":  {adminCtx, "user:5", Policy{Kind: PolicyBlocked}, ErrUnknownAccount},
	} {
		if err := e.s.SetPolicy(c.ctx, c.code, c.p); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if e.snapshot(t) != snap {
		t.Fatal("a rejected policy change wrote something")
	}
}

func TestGuardAndAttachRunInTheTransaction(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "5")
	if _, err := e.db.Writer().Exec(`CREATE TABLE IF NOT EXISTS test_charges(transfer_id INTEGER, note TEXT)`); err != nil {
		t.Fatal(err)
	}
	limit := errors.New("monthly limit reached")
	snap := e.snapshot(t)
	_, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "g", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("1"),
		Guard: func(ctx context.Context, tx *sql.Tx) error { return limit }})
	if !errors.Is(err, limit) || e.snapshot(t) != snap {
		t.Fatalf("guard rejection: %v (or something was written)", err)
	}
	_, err = e.s.Transfer(memberCtx(2), TransferRequest{ID: "a", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("1"),
		Attach: func(ctx context.Context, tx *sql.Tx, tr Transfer) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO test_charges VALUES (?, 'x')`, tr.ID); err != nil {
				return err
			}
			return errors.New("charge row rejected")
		}})
	if err == nil || e.snapshot(t) != snap || count(t, e.db.Read(), `SELECT count(*) FROM test_charges`) != 0 {
		t.Fatalf("attach failure: %v (or something was written)", err)
	}
	tr, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "b", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("1"),
		Attach: func(ctx context.Context, tx *sql.Tx, tr Transfer) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO test_charges VALUES (?, 'ok')`, tr.ID)
			return err
		}})
	if err != nil || count(t, e.db.Read(), `SELECT count(*) FROM test_charges WHERE transfer_id = ?`, tr.ID) != 1 {
		t.Fatalf("attach: %v", err)
	}
	// A panicking hook is an error for that request only.
	_, err = e.s.Transfer(memberCtx(2), TransferRequest{ID: "p", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("1"),
		Guard: func(ctx context.Context, tx *sql.Tx) error { panic("boom") }})
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panicking guard: %v", err)
	}
	e.wantBalance(t, "user:2", "4", "4")
}

func TestRolesOnReads(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	if _, err := e.s.Balance(memberCtx(2), "user:2"); err != nil {
		t.Fatalf("own balance: %v", err)
	}
	if _, err := e.s.Balance(memberCtx(2), "pool"); err != nil {
		t.Fatalf("pool balance: %v", err)
	}
	for _, code := range []string{"user:3", AccountTopUp} {
		if _, err := e.s.Balance(memberCtx(2), code); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("member reads %s: %v", code, err)
		}
	}
	// The last transfer names who spent what: a member sees it only on
	// their own wallet, not on the pool others spend from.
	e.fund(t, "pool", "10")
	e.fund(t, "user:2", "10")
	if b, err := e.s.Balance(memberCtx(2), "pool"); err != nil || b.LastTransfer != nil || !b.Balance.Equal(d("10")) {
		t.Fatalf("member reads the pool: last %+v, %v", b.LastTransfer, err)
	}
	if b, err := e.s.Balance(memberCtx(2), "user:2"); err != nil || b.LastTransfer == nil {
		t.Fatalf("member reads their own wallet: last %+v, %v", b.LastTransfer, err)
	}
	if b, err := e.s.Balance(adminCtx, "pool"); err != nil || b.LastTransfer == nil {
		t.Fatalf("admin reads the pool: last %+v, %v", b.LastTransfer, err)
	}
	if _, err := e.s.Balance(context.Background(), "pool"); !errors.Is(err, access.ErrUnauthenticated) {
		t.Fatalf("no actor: %v", err)
	}
	if _, err := e.s.Balance(adminCtx, "user:9"); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestCloseRejectsLaterWrites(t *testing.T) {
	e := newEnv(t)
	e.s.Close()
	if err := e.s.EnsureAccount(adminCtx, "user:2"); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	e.s.Close() // idempotent
	_ = time.Second
}

// TestSpendable: what a debit may still take under each policy, the same
// floor the debit checks use.
func TestSpendable(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		code    string
		policy  Policy
		want    string
		bounded bool
	}{
		{"user:1", Policy{Kind: PolicyBlocked}, "10", true},
		{"user:2", Policy{Kind: PolicyMinimum, Limit: d("2.5")}, "7.5", true},
		{"user:3", Policy{Kind: PolicyOverdraft, Limit: d("4")}, "14", true},
		{"user:4", Policy{Kind: PolicyCarry}, "10", true},
	} {
		e.ensure(t, c.code)
		e.fund(t, c.code, "10")
		if err := e.s.SetPolicy(adminCtx, c.code, c.policy); err != nil {
			t.Fatal(err)
		}
		got, bounded, err := e.s.Spendable(adminCtx, c.code)
		if err != nil || !got.Equal(d(c.want)) || bounded != c.bounded {
			t.Errorf("%s (%s): %s, %v, %v; want %s", c.code, c.policy.Kind, got, bounded, err, c.want)
		}
	}
	if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "h", From: "user:2", Amount: d("7")}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := e.s.Spendable(adminCtx, "user:2"); !got.Equal(d("0.5")) {
		t.Errorf("after a hold of 7: %s, want 0.5", got)
	}
	if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "h2", From: "user:2", Amount: d("0.500000001")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Errorf("a hold just over what is spendable: %v", err)
	}
	if _, bounded, err := e.s.Spendable(adminCtx, AccountUsage); err != nil || bounded {
		t.Errorf("sys:usage: bounded %v, %v", bounded, err)
	}
	if _, _, err := e.s.Spendable(memberCtx(2), "user:3"); err == nil {
		t.Error("a member read another wallet")
	}
	if _, _, err := e.s.Spendable(adminCtx, "user:99"); !errors.Is(err, ErrUnknownAccount) {
		t.Errorf("unknown account: %v", err)
	}
}

// TestDepartmentReads: a department's account (balance, overdraft, lots) is
// read by an admin and by a member in that department now (the installed
// ReadCheck); another member is refused, by every read, and with no check
// installed only admins read it.
func TestDepartmentReads(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "dept:1", "dept:2")
	e.fund(t, "dept:1", "10")
	e.fund(t, "dept:2", "20")
	reads := map[string]func(ctx context.Context, code string) error{
		"balance":   func(ctx context.Context, code string) error { _, err := e.s.Balance(ctx, code); return err },
		"available": func(ctx context.Context, code string) error { _, err := e.s.Available(ctx, code); return err },
		"spendable": func(ctx context.Context, code string) error { _, _, err := e.s.Spendable(ctx, code); return err },
		"movable":   func(ctx context.Context, code string) error { _, err := e.s.Movable(ctx, code); return err },
	}
	type tc struct {
		who  string
		ctx  context.Context
		code string
		ok   bool
	}
	check := func(phase string, cases []tc) {
		t.Helper()
		for _, c := range cases {
			for name, read := range reads {
				err := read(c.ctx, c.code)
				if c.ok && err != nil {
					t.Errorf("%s: %s reads %s's %s: %v", phase, c.who, c.code, name, err)
				}
				if !c.ok && !errors.Is(err, access.ErrForbidden) {
					t.Errorf("%s: %s reads %s's %s: %v, want refused", phase, c.who, c.code, name, err)
				}
			}
		}
	}
	// No check installed: admins only.
	check("no check", []tc{
		{"admin", adminCtx, "dept:1", true},
		{"system", systemCtx, "dept:2", true},
		{"member 2", memberCtx(2), "dept:1", false},
	})
	// Member 2 is in department 1, member 3 in none.
	var asked []string
	e.s.SetReadCheck(func(ctx context.Context, userID int64, code string) (bool, error) {
		asked = append(asked, code)
		return userID == 2 && code == "dept:1", nil
	})
	check("member 2 in dept 1", []tc{
		{"member 2", memberCtx(2), "dept:1", true},
		{"member 2", memberCtx(2), "dept:2", false},
		{"member 3", memberCtx(3), "dept:1", false},
		{"admin", adminCtx, "dept:2", true},
		{"member 2", memberCtx(2), "pool", true}, // the pool, that may pay their sends, stays readable
	})
	if b, err := e.s.Balance(memberCtx(2), "dept:1"); err != nil || !b.Balance.Equal(d("10")) || b.LastTransfer != nil {
		t.Fatalf("member 2 reads dept:1: %+v %v", b, err)
	}
	_, err := e.s.Balance(memberCtx(3), "dept:2")
	if err == nil || !strings.Contains(err.Error(), "own department") {
		t.Errorf("refusal %v: want it to say a member reads their own department's", err)
	}
	if len(asked) == 0 {
		t.Fatal("the check was never asked")
	}
	// A failing check refuses, with its error.
	boom := errors.New("boom")
	e.s.SetReadCheck(func(context.Context, int64, string) (bool, error) { return false, boom })
	if _, err := e.s.Balance(memberCtx(2), "dept:1"); !errors.Is(err, boom) {
		t.Errorf("failing check: %v", err)
	}
	e.s.SetReadCheck(nil)
	if _, err := e.s.Balance(memberCtx(2), "dept:1"); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("check removed: %v", err)
	}
	e.wantBalance(t, "dept:1", "10", "10")
	e.wantBalance(t, "dept:2", "20", "20")
}
