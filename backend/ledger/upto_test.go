package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestUsageUpToMovesWhatThePolicyAllows: a usage transfer with UpTo moves
// all of its amount when the payer's policy allows it, else as much as the
// policy allows (its available balance above the floor, counted after the
// payer's expired holds are voided), and fails with ErrInsufficientFunds,
// writing nothing, when that is nothing. A retry replays what the first
// moved; other ops refuse UpTo. The balances always add up to the postings.
func TestUsageUpToMovesWhatThePolicyAllows(t *testing.T) {
	for _, c := range []struct {
		name    string
		policy  Policy
		fund    string
		live    string // a live hold on the account ("" = none)
		expired string // a hold that has expired by the transfer ("" = none)
		amount  string
		moved   string // "" = refused, nothing written
		balance string // the account's balance after it
	}{
		{"enough: all of it", Policy{Kind: PolicyBlocked}, "8", "", "", "5", "5", "3"},
		{"blocked: the available balance", Policy{Kind: PolicyBlocked}, "3", "", "", "5", "3", "0"},
		{"blocked: less a live hold", Policy{Kind: PolicyBlocked}, "3", "1", "", "5", "2", "1"},
		{"blocked: an expired hold is released first", Policy{Kind: PolicyBlocked}, "3", "", "3", "5", "3", "0"},
		{"overdraft: down to its limit", Policy{Kind: PolicyOverdraft, Limit: d("2")}, "3", "", "", "7", "5", "-2"},
		{"overdraft: within it, all of it", Policy{Kind: PolicyOverdraft, Limit: d("2")}, "3", "", "", "4.5", "4.5", "-1.5"},
		{"minimum: keeps the minimum", Policy{Kind: PolicyMinimum, Limit: d("1")}, "3", "", "", "5", "2", "1"},
		{"carry: like blocked for a transfer", Policy{Kind: PolicyCarry}, "2", "", "", "5", "2", "0"},
		{"one minor unit left", Policy{Kind: PolicyBlocked}, "0.000000001", "", "", "5", "0.000000001", "0"},
		{"blocked and empty: refused", Policy{Kind: PolicyBlocked}, "", "", "", "5", "", "0"},
		{"minimum reached: refused", Policy{Kind: PolicyMinimum, Limit: d("3")}, "3", "", "", "5", "", "3"},
		{"all held: refused", Policy{Kind: PolicyBlocked}, "3", "3", "", "5", "", "3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			if c.fund != "" {
				e.fund(t, "user:2", c.fund)
			}
			if c.expired != "" {
				if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "old", From: "user:2", Amount: d(c.expired), TTL: time.Minute}); err != nil {
					t.Fatal(err)
				}
				e.clk.Advance(2 * time.Minute)
			}
			if c.live != "" {
				if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "live", From: "user:2", Amount: d(c.live), TTL: time.Hour}); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.s.SetPolicy(adminCtx, "user:2", c.policy); err != nil {
				t.Fatal(err)
			}
			req := TransferRequest{ID: "u1", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d(c.amount),
				Dims: Dims{UserID: 2, Model: "m"}, UpTo: true}
			snap := e.snapshot(t)
			tr, err := e.s.Transfer(memberCtx(2), req)
			if c.moved == "" {
				if !errors.Is(err, ErrInsufficientFunds) || e.snapshot(t) != snap {
					t.Fatalf("transfer = %+v, %v; want ErrInsufficientFunds and nothing written", tr, err)
				}
			} else {
				if err != nil || !tr.Amount.Equal(d(c.moved)) {
					t.Fatalf("transfer = %v, %v; want %s moved", tr.Amount, err, c.moved)
				}
				// A retry replays the first transfer: nothing moves again.
				again, err := e.s.Transfer(memberCtx(2), req)
				if err != nil || !again.Replayed || again.ID != tr.ID || !again.Amount.Equal(d(c.moved)) {
					t.Fatalf("retry = %+v, %v; want the first transfer replayed", again, err)
				}
				if got := e.balance(t, AccountUsage).Balance; !got.Equal(d(c.moved)) {
					t.Fatalf("sys:usage %s, want %s", got, c.moved)
				}
			}
			if got := e.balance(t, "user:2").Balance; !got.Equal(d(c.balance)) {
				t.Fatalf("user:2 balance %s, want %s", got, c.balance)
			}
			if c.expired != "" && c.moved != "" {
				if st, err := e.s.HoldStatus(adminCtx, "old"); err != nil || st != "voided" {
					t.Fatalf("the expired hold is %q, %v; want voided by the transfer", st, err)
				}
			}
			e.verify(t)
		})
	}
}

// TestUpToIsForUsageOnly: UpTo on another op is refused (nothing written),
// and a transfer without it is never partial.
func TestUpToIsForUsageOnly(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	e.fund(t, "user:2", "3")
	snap := e.snapshot(t)
	for _, req := range []TransferRequest{
		{ID: "t1", Op: OpTransfer, From: "user:2", To: "user:3", Amount: d("5"), UpTo: true},
		{ID: "t2", Op: OpRefund, From: AccountRefund, To: "user:3", Amount: d("5"), UpTo: true},
	} {
		if _, err := e.s.Transfer(adminCtx, req); !errors.Is(err, ErrInvalidRequest) {
			t.Fatalf("%s with UpTo: %v, want ErrInvalidRequest", req.Op, err)
		}
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "u1", Op: OpUsage, From: "user:2", To: AccountUsage,
		Amount: d("5")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("usage without UpTo: %v, want ErrInsufficientFunds", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused transfer wrote something")
	}
	// The same id with and without UpTo is other content: a conflict.
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "u2", Op: OpUsage, From: "user:2", To: AccountUsage,
		Amount: d("1"), UpTo: true}); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.Transfer(adminCtx, TransferRequest{ID: "u2", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("1")})
	if !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("the same id without UpTo: %v, want ErrIdempotencyConflict", err)
	}
	e.wantBalance(t, "user:2", "2", "2")
	e.verify(t)
}

// TestZeroIsAUsageAmountOnly: a metered usage transfer of nothing (a free
// model's reply that outlived its hold, with its charge record in Attach)
// is written and moves nothing, even from an empty blocked account; a usage
// of nothing typed in by hand, and any other transfer of nothing, is
// refused, writing nothing.
func TestZeroIsAUsageAmountOnly(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	snap := e.snapshot(t)
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "t0", Op: OpTransfer, From: "user:2", To: "user:3",
		Amount: d("0")}); !errors.Is(err, ErrInvalidAmount) || e.snapshot(t) != snap {
		t.Fatalf("a transfer of 0: %v, want ErrInvalidAmount and nothing written", err)
	}
	// A usage of nothing typed in by hand (no charge record: the CLI's
	// credits transfer --op usage --amount 0) is refused too.
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "h0", Op: OpUsage, From: "user:2", To: AccountUsage,
		Amount: d("0"), Dims: Dims{Source: "cli"}}); !errors.Is(err, ErrInvalidAmount) || e.snapshot(t) != snap {
		t.Fatalf("a usage of 0 typed in: %v, want ErrInvalidAmount and nothing written", err)
	}
	attached := false
	tr, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u0", Op: OpUsage, From: "user:2", To: AccountUsage,
		Amount: d("0"), Dims: Dims{UserID: 2, Model: "m"},
		Attach: func(context.Context, *sql.Tx, Transfer) error { attached = true; return nil }})
	if err != nil || !tr.Amount.IsZero() || !attached {
		t.Fatalf("a usage transfer of 0 = %+v, %v (charge record written: %v); want it written, moving nothing", tr, err, attached)
	}
	e.wantBalance(t, "user:2", "0", "0")
	if got := e.balance(t, AccountUsage).Balance; !got.IsZero() {
		t.Fatalf("sys:usage %s, want 0", got)
	}
	e.verify(t)
}

// TestUsageCap: a transfer's Cap is given the amount the policy lets it
// move (with UpTo, after the policy's cap) and the instant the transfer is
// recorded at, and decides what moves: all of it, or, with UpTo, less but
// more than nothing; its error refuses the transfer, writing nothing, and
// so does a cap that asks for more than the amount, for less without
// UpTo, or for nothing. A retry replays what the first moved without
// asking the cap again.
func TestUsageCap(t *testing.T) {
	errRefused := errors.New("refused by the cap")
	for _, c := range []struct {
		name   string
		fund   string
		amount string
		upTo   bool
		cap    string // what the cap allows ("" = it refuses with errRefused)
		given  string // the amount the cap is asked about
		moved  string // "" = refused, nothing written
		err    error
	}{
		{"all of it", "10", "5", false, "5", "5", "5", nil},
		{"less, up to", "10", "5", true, "2", "5", "2", nil},
		{"after the policy's cap", "3", "5", true, "2", "3", "2", nil},
		{"the policy's cap kept", "3", "5", true, "3", "3", "3", nil},
		{"refused", "10", "5", true, "", "5", "", errRefused},
		{"less without up to: invalid", "10", "5", false, "2", "5", "", ErrInvalidRequest},
		{"nothing: invalid", "10", "5", true, "0", "5", "", ErrInvalidRequest},
		{"more than asked: invalid", "10", "5", true, "6", "5", "", ErrInvalidRequest},
		{"the policy refuses first: not asked", "", "5", true, "5", "", "", ErrInsufficientFunds},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			if c.fund != "" {
				e.fund(t, "user:2", c.fund)
			}
			e.clk.Set(time.Date(2026, 1, 15, 23, 59, 59, 999_000_000, time.UTC))
			var given string
			var at time.Time
			req := TransferRequest{ID: "u1", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d(c.amount),
				Dims: Dims{UserID: 2, Model: "m"}, UpTo: c.upTo,
				Cap: func(ctx context.Context, tx *sql.Tx, when time.Time, amount decimal.Decimal) (decimal.Decimal, error) {
					given, at = amount.String(), when
					e.clk.Advance(time.Millisecond) // midnight passes while the cap decides: the transfer keeps its instant
					if c.cap == "" {
						return decimal.Zero, errRefused
					}
					return d(c.cap), nil
				}}
			snap := e.snapshot(t)
			tr, err := e.s.Transfer(memberCtx(2), req)
			if given != c.given {
				t.Fatalf("the cap was asked about %q, want %q", given, c.given)
			}
			if c.moved == "" {
				if !errors.Is(err, c.err) || e.snapshot(t) != snap {
					t.Fatalf("transfer = %+v, %v; want %v and nothing written", tr, err, c.err)
				}
				return
			}
			if err != nil || !tr.Amount.Equal(d(c.moved)) {
				t.Fatalf("transfer = %v, %v; want %s moved", tr.Amount, err, c.moved)
			}
			if !tr.CreatedAt.Equal(at) || at.Day() != 15 {
				t.Fatalf("recorded at %v, the cap was told %v (the day before midnight)", tr.CreatedAt, at)
			}
			asked := given
			given = ""
			again, err := e.s.Transfer(memberCtx(2), req)
			if err != nil || !again.Replayed || !again.Amount.Equal(d(c.moved)) || given != "" {
				t.Fatalf("retry = %+v, %v (cap asked %q after %q); want the first replayed", again, err, given, asked)
			}
			if got := e.balance(t, AccountUsage).Balance; !got.Equal(d(c.moved)) {
				t.Fatalf("sys:usage %s, want %s", got, c.moved)
			}
			e.verify(t)
		})
	}
}

// TestAskedIsTheIdempotencyContent: a transfer or a posting with Asked is
// retried by what its caller asked, not by the amount and meta it wrote:
// a caller whose first attempt was refused and whose second (capped, with
// UpTo, other meta) was written gets that one replayed when it starts over
// with its first attempt, nothing moving twice; the same id asking
// something else, or without Asked, is a conflict; Asked is refused in
// TransferMany, and must be a JSON object.
func TestAskedIsTheIdempotencyContent(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "3")
	usage := func(id, amount, meta, asked string, upTo bool) TransferRequest {
		return TransferRequest{ID: id, Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d(amount), UpTo: upTo,
			Dims: Dims{UserID: 2, Model: "m"}, Meta: json.RawMessage(meta), Asked: json.RawMessage(asked)}
	}
	const asked = `{"price":"5","cap":"4"}`
	if _, err := e.s.Transfer(adminCtx, usage("u1", "5", `{"capped":false}`, asked, false)); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("the price: %v, want ErrInsufficientFunds", err)
	}
	first, err := e.s.Transfer(adminCtx, usage("u1", "4", `{"capped":true}`, asked, true))
	if err != nil || !first.Amount.Equal(d("3")) {
		t.Fatalf("capped = %+v, %v; want 3 moved", first, err)
	}
	for _, retry := range []TransferRequest{
		usage("u1", "5", `{"capped":false}`, asked, false),          // starting over: the price
		usage("u1", "4", `{"capped":true}`, asked, true),            // the capped attempt again
		usage("u1", "5", `{}`, `{ "cap":"4", "price":"5" }`, false), // the same object, spelt otherwise
	} {
		again, err := e.s.Transfer(adminCtx, retry)
		if err != nil || !again.Replayed || again.ID != first.ID || !again.Amount.Equal(d("3")) {
			t.Fatalf("retry %+v = %+v, %v; want the first transfer replayed", retry, again, err)
		}
	}
	for _, other := range []TransferRequest{
		usage("u1", "5", `{"capped":false}`, `{"price":"6","cap":"4"}`, false),
		usage("u1", "4", `{"capped":true}`, "", true),
	} {
		if _, err := e.s.Transfer(adminCtx, other); !errors.Is(err, ErrIdempotencyConflict) {
			t.Fatalf("other request %+v: %v, want ErrIdempotencyConflict", other, err)
		}
	}
	otherDims := usage("u1", "5", `{}`, asked, false)
	otherDims.Dims.Model = "n"
	if _, err := e.s.Transfer(adminCtx, otherDims); !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("other dims, same Asked: %v, want ErrIdempotencyConflict", err)
	}

	// A posting: the price refused above the hold, the hold posted; a
	// retry of the price replays the posting of the hold.
	e.fund(t, "user:2", "2")
	if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "h1", From: "user:2", Amount: d("1"), TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	post := func(amount, meta, asked string) PostRequest {
		return PostRequest{ID: "p1", HoldID: "h1", Amount: d(amount), Meta: json.RawMessage(meta), Asked: json.RawMessage(asked)}
	}
	if _, err := e.s.Post(adminCtx, post("9", `{"capped":false}`, `{"price":"9"}`)); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("the overrun: %v, want ErrInsufficientFunds", err)
	}
	posted, err := e.s.Post(adminCtx, post("1", `{"capped":true}`, `{"price":"9"}`))
	if err != nil || !posted.Amount.Equal(d("1")) {
		t.Fatalf("the hold posted = %+v, %v", posted, err)
	}
	again, err := e.s.Post(adminCtx, post("9", `{"capped":false}`, `{"price":"9"}`))
	if err != nil || !again.Replayed || again.ID != posted.ID || !again.Amount.Equal(d("1")) {
		t.Fatalf("the price retried = %+v, %v; want the posting of the hold replayed", again, err)
	}
	for _, other := range []PostRequest{post("9", `{"capped":false}`, `{"price":"10"}`), post("1", `{"capped":true}`, "")} {
		if _, err := e.s.Post(adminCtx, other); !errors.Is(err, ErrIdempotencyConflict) {
			t.Fatalf("other posting %+v: %v, want ErrIdempotencyConflict", other, err)
		}
	}
	e.wantBalance(t, "user:2", "1", "1")
	if got := e.balance(t, AccountUsage).Balance; !got.Equal(d("4")) {
		t.Fatalf("sys:usage %s, want 4 (3 moved, 1 posted, once each)", got)
	}

	snap := e.snapshot(t)
	if _, err := e.s.TransferMany(adminCtx, "m1", []TransferRequest{usage("", "1", `{}`, asked, false)}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("Asked in TransferMany: %v, want ErrInvalidRequest", err)
	}
	if _, err := e.s.Transfer(adminCtx, usage("u2", "1", `{}`, `[1]`, false)); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("Asked not an object: %v, want ErrInvalidRequest", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused request wrote something")
	}
	e.verify(t)
}
