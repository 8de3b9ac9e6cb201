package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

func TestHoldPostReleasesTheRest(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	h, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h1", From: "user:2", Amount: d("4"), Dims: Dims{UserID: 2, Model: "m"}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Kind != KindPending || h.ExpiresAt == nil || !h.ExpiresAt.Equal(e.clk.Now().Add(DefaultHoldTTL)) {
		t.Fatalf("hold = %+v", h)
	}
	e.wantBalance(t, "user:2", "10", "6")
	p, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("1.25")})
	if err != nil {
		t.Fatal(err)
	}
	if p.HoldID != h.ID || p.Model != "m" || p.Op != OpPost {
		t.Fatalf("post = %+v", p)
	}
	e.wantBalance(t, "user:2", "8.75", "8.75")
	e.wantBalance(t, AccountUsage, "1.25", "1.25")
	// The same post again returns the first result; another resolution fails.
	if again, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("1.25")}); err != nil || again.ID != p.ID {
		t.Fatalf("post retry = %+v, %v", again, err)
	}
	snap := e.snapshot(t)
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p2", HoldID: "h1", Amount: d("1")}); !errors.Is(err, ErrHoldResolved) {
		t.Fatalf("second post: %v", err)
	}
	if _, err := e.s.Void(memberCtx(2), "v1", "h1"); !errors.Is(err, ErrHoldResolved) {
		t.Fatalf("void after post: %v", err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("2")}); !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("post id reused with another amount: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a rejected resolution wrote something")
	}
	e.verify(t)
}

func TestVoidReleasesEverything(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h1", From: "user:2", Amount: d("4")}); err != nil {
		t.Fatal(err)
	}
	v, err := e.s.Void(memberCtx(2), "v1", "h1")
	if err != nil || v.Kind != KindVoid || !v.Amount.Equal(d("4")) {
		t.Fatalf("void = %+v, %v", v, err)
	}
	e.wantBalance(t, "user:2", "10", "10")
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("1")}); !errors.Is(err, ErrHoldResolved) {
		t.Fatalf("post after void: %v", err)
	}
	if _, err := e.s.Void(memberCtx(2), "v2", "nope"); !errors.Is(err, ErrUnknownHold) {
		t.Fatalf("unknown hold: %v", err)
	}
	e.verify(t)
}

// The hold-overrun rule: an actual amount above the hold is posted in full
// if the policy allows the extra (carry always does, as debt); otherwise
// the post fails, nothing changes and the hold stays pending.
func TestHoldOverrun(t *testing.T) {
	cases := []struct {
		name    string
		policy  Policy
		fund    string
		post    string
		wantErr error
		wantBal string
	}{
		{"blocked with headroom", Policy{Kind: PolicyBlocked}, "10", "7", nil, "3"},
		{"blocked without headroom", Policy{Kind: PolicyBlocked}, "5", "5.5", ErrInsufficientFunds, "5"},
		{"overdraft within limit", Policy{Kind: PolicyOverdraft, Limit: d("1")}, "5", "5.5", nil, "-0.5"},
		{"minimum breached", Policy{Kind: PolicyMinimum, Limit: d("0.10")}, "5", "4.95", ErrInsufficientFunds, "5"},
		{"carry goes negative", Policy{Kind: PolicyCarry}, "5", "8", nil, "-3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			if err := e.s.SetPolicy(adminCtx, "user:2", c.policy); err != nil {
				t.Fatal(err)
			}
			e.fund(t, "user:2", c.fund)
			if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("4")}); err != nil {
				t.Fatal(err)
			}
			snap := e.snapshot(t)
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "h", Amount: d(c.post)})
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("post err = %v, want %v", err, c.wantErr)
			}
			if err != nil {
				if e.snapshot(t) != snap {
					t.Fatal("a refused overrun wrote something")
				}
				if b := e.balance(t, "user:2"); !b.Pending.Equal(d("4")) {
					t.Fatalf("hold no longer pending: %+v", b)
				}
			}
			if b := e.balance(t, "user:2"); !b.Balance.Equal(d(c.wantBal)) {
				t.Fatalf("balance = %s, want %s", b.Balance, c.wantBal)
			}
			e.verify(t)
		})
	}
}

func TestHoldExpiry(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("10"), TTL: time.Minute}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	snap := e.snapshot(t)
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "h", Amount: d("1")}); !errors.Is(err, ErrHoldExpired) {
		t.Fatalf("post after expiry: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a rejected post wrote something")
	}
	// The next debit voids the expired hold first, so its funds are usable.
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h2", From: "user:2", Amount: d("10")}); err != nil {
		t.Fatalf("hold after the old one expired: %v", err)
	}
	if _, err := e.s.Void(memberCtx(2), "v", "h"); !errors.Is(err, ErrHoldResolved) {
		t.Fatalf("void of auto-voided hold: %v", err)
	}
	e.verify(t)
}

// TestOverrunCountsExpiredHoldsReleased: a posting above its hold is
// checked against the account's policy after the account's expired holds
// are voided (a debit's refresh), so another send's expired reservation
// does not refuse an overrun the balance allows (chat would cap it at the
// hold); an overrun beyond the balance is still refused, and writes nothing.
func TestOverrunCountsExpiredHoldsReleased(t *testing.T) {
	for _, c := range []struct {
		post    string
		wantErr error
		wantBal string
	}{
		// 10 funded, "old" (6) expired, "h" (2) posted at 5: 10 is there once "old" is gone.
		{"5", nil, "5"},
		{"10", nil, "0"},
		{"10.5", ErrInsufficientFunds, "10"},
	} {
		t.Run(c.post, func(t *testing.T) {
			e := newEnv(t)
			e.ensure(t, "user:2")
			e.fund(t, "user:2", "10")
			if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "old", From: "user:2", Amount: d("6"), TTL: time.Minute}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("2"), TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			e.clk.Advance(2 * time.Minute) // "old" has expired, "h" has not
			snap := e.snapshot(t)
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "h", Amount: d(c.post)})
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("post %s above a hold of 2 = %v, want %v", c.post, err, c.wantErr)
			}
			if err != nil {
				if e.snapshot(t) != snap {
					t.Fatal("a refused overrun wrote something")
				}
				e.wantBalance(t, "user:2", "10", "2") // both reservations still there
				return
			}
			e.wantBalance(t, "user:2", c.wantBal, c.wantBal)
			if _, err := e.s.Void(memberCtx(2), "v", "old"); !errors.Is(err, ErrHoldResolved) {
				t.Fatalf("the expired hold was not voided by the posting: %v", err)
			}
			e.verify(t)
		})
	}
}

func TestVoidStaleHolds(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	for _, id := range []string{"live", "expired", "orphan"} {
		ttl := time.Hour
		if id == "expired" {
			ttl = time.Minute
		}
		if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: id, From: "user:2", Amount: d("1"), TTL: ttl}); err != nil {
			t.Fatal(err)
		}
	}
	// "orphan" belongs to an earlier run of this process (same pid, other instance).
	if _, err := e.db.Writer().Exec(`UPDATE ledger_holds SET owner_instance = 'gone'
		WHERE transfer_id = (SELECT id FROM ledger_transfers WHERE request_id = 'orphan')`); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(2 * time.Minute)
	if _, err := e.s.VoidStaleHolds(memberCtx(2)); err == nil {
		t.Fatal("a member voided stale holds")
	}
	n, err := e.s.VoidStaleHolds(systemCtx)
	if err != nil || n != 2 {
		t.Fatalf("VoidStaleHolds = %d, %v; want 2", n, err)
	}
	e.wantBalance(t, "user:2", "10", "9")
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "live", Amount: d("1")}); err != nil {
		t.Fatalf("live hold was voided: %v", err)
	}
	e.verify(t)
}

func TestBadHolds(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	snap := e.snapshot(t)
	for name, c := range map[string]struct {
		r    HoldRequest
		want error
	}{
		"negative":        {HoldRequest{ID: "a", From: "user:2", Amount: d("-1")}, ErrInvalidAmount},
		"over-precise":    {HoldRequest{ID: "a", From: "user:2", Amount: d("1.0000000001")}, ErrInvalidAmount},
		"overflow":        {HoldRequest{ID: "a", From: "user:2", Amount: d("1e20")}, ErrInvalidAmount},
		"unknown account": {HoldRequest{ID: "a", From: "user:3", Amount: d("1")}, ErrUnknownAccount},
		"system account":  {HoldRequest{ID: "a", From: AccountTopUp, Amount: d("1")}, ErrInvalidRequest},
		"ttl too long":    {HoldRequest{ID: "a", From: "user:2", Amount: d("1"), TTL: 30 * 24 * time.Hour}, ErrInvalidRequest},
		"too much":        {HoldRequest{ID: "a", From: "user:2", Amount: d("10.5")}, ErrInsufficientFunds},
		"no id":           {HoldRequest{From: "user:2", Amount: d("1")}, ErrInvalidRequest},
	} {
		if _, err := e.s.Hold(memberCtx(2), c.r); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "nope", Amount: d("1")}); !errors.Is(err, ErrUnknownHold) {
		t.Errorf("post unknown hold: %v", err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "x", Amount: d("-1")}); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("negative post: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a rejected hold wrote something")
	}
}

// TestHoldLeavesTheReserve: a nonzero hold must leave HoldRequest.Reserve
// available (the holds a caller promised and has not written yet); one that
// would eat into it is refused and writes nothing. A zero hold, or a reserve
// of zero or less, is not affected.
func TestHoldLeavesTheReserve(t *testing.T) {
	const credit = int64(1_000_000_000) // minor units per credit
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	for i, c := range []struct {
		name    string
		amount  string
		reserve int64
		ok      bool
	}{
		{"leaves exactly the reserve", "4", 6 * credit, true},
		{"one minor unit into the reserve", "4.000000001", 6 * credit, false},
		{"a zero hold", "0", 10 * credit, true},
		{"no reserve", "10", 0, true},
		{"a negative reserve is none", "10", -5 * credit, true},
		{"a reserve past any balance", "1", math.MaxInt64, false},
	} {
		snap := e.snapshot(t)
		id := fmt.Sprintf("r%d", i)
		calls := 0
		_, err := e.s.Hold(memberCtx(2), HoldRequest{ID: id, From: "user:2", Amount: d(c.amount),
			Reserve: func() int64 { calls++; return c.reserve }})
		if c.ok != (err == nil) || (!c.ok && !errors.Is(err, ErrInsufficientFunds)) {
			t.Fatalf("%s: hold = %v", c.name, err)
		}
		if !c.ok {
			if !strings.Contains(err.Error(), "promised to holds being taken") || e.snapshot(t) != snap {
				t.Fatalf("%s: %v (or it wrote something)", c.name, err)
			}
			continue
		}
		if _, err := e.s.Void(memberCtx(2), "v"+id, id); err != nil {
			t.Fatal(err)
		}
		if c.amount == "0" && calls != 0 {
			t.Fatalf("%s: the reserve was asked for", c.name)
		}
	}
	e.wantBalance(t, "user:2", "10", "10")
	e.verify(t)
}

// TestHoldRetryReturnsTheFirstResult retries a hold (its id is recognised by
// the insert, or after a failed check): the same content returns the first
// hold even when the account could no longer afford it or a guard now
// refuses it; other content is a conflict; nothing is reserved twice.
func TestHoldRetryReturnsTheFirstResult(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "20")
	req := HoldRequest{ID: "h1", From: "user:2", Amount: d("6"), Dims: Dims{UserID: 2, Model: "m"}}
	first, err := e.s.Hold(memberCtx(2), req)
	if err != nil {
		t.Fatal(err)
	}
	retry := func(name string, r HoldRequest) {
		t.Helper()
		again, err := e.s.Hold(memberCtx(2), r)
		if err != nil || again.ID != first.ID || again.Status != "pending" {
			t.Errorf("%s: got %+v, %v; want the first hold %d", name, again, err, first.ID)
		}
	}
	retry("same content, checks pass (the insert finds the id)", req) // 14 available
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h-big", From: "user:2", Amount: d("10")}); err != nil {
		t.Fatal(err)
	}
	retry("same content, funds now short", req) // 4 available < 6
	refuse := func(context.Context, *sql.Tx) error { return errors.New("limit reached") }
	retry("same content, guard now refuses", HoldRequest{ID: req.ID, From: req.From, Amount: req.Amount, Dims: req.Dims, Guard: refuse})
	for name, r := range map[string]HoldRequest{
		"other amount": {ID: "h1", From: "user:2", Amount: d("1")},
		"other model":  {ID: "h1", From: "user:2", Amount: d("6"), Dims: Dims{UserID: 2, Model: "x"}},
	} {
		if _, err := e.s.Hold(memberCtx(2), r); !errors.Is(err, ErrIdempotencyConflict) {
			t.Errorf("%s: err = %v, want ErrIdempotencyConflict", name, err)
		}
	}
	// A new id that the funds or a guard refuse is still refused.
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h2", From: "user:2", Amount: d("5")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("new hold over the available balance: %v, want ErrInsufficientFunds", err)
	}
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h3", From: "user:2", Amount: d("1"), Guard: refuse}); err == nil || !strings.Contains(err.Error(), "limit reached") {
		t.Fatalf("new hold refused by its guard: %v", err)
	}
	if n := count(t, e.db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id IN ('h1', 'h2', 'h3')`); n != 1 {
		t.Fatalf("%d rows for h1-h3, want 1", n)
	}
	e.wantBalance(t, "user:2", "20", "4")
	e.verify(t)
}

// TestAvailableMatchesBalance checks Available against Balance's Available
// (a pending hold counts), its unknown-account error and its role check.
func TestAvailableMatchesBalance(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	e.fund(t, "user:2", "10")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h1", From: "user:2", Amount: d("2.5")}); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.Available(memberCtx(2), "user:2")
	if err != nil || !got.Equal(d("7.5")) || !got.Equal(e.balance(t, "user:2").Available) {
		t.Fatalf("Available = %s, %v; want 7.5, as Balance says", got, err)
	}
	if _, err := e.s.Available(adminCtx, "user:99"); !errors.Is(err, ErrUnknownAccount) {
		t.Fatalf("unknown account: %v, want ErrUnknownAccount", err)
	}
	if _, err := e.s.Available(memberCtx(3), "user:2"); err == nil {
		t.Fatal("a member read another member's wallet")
	}
}

// TestResolveRetryReturnsTheFirstResult: a post or void finds a reused id
// through its own insert (no look-up first); a retry still gets the first
// result, and another use of the id the conflict, whichever check would
// fail first, with nothing written.
func TestResolveRetryReturnsTheFirstResult(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "20")
	for _, id := range []string{"h1", "h2", "h3"} {
		if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: id, From: "user:2", Amount: d("4")}); err != nil {
			t.Fatal(err)
		}
	}
	p1, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("3")})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := e.s.Void(memberCtx(2), "v2", "h2")
	if err != nil {
		t.Fatal(err)
	}
	snap := e.snapshot(t)
	if again, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("3")}); err != nil || again.ID != p1.ID {
		t.Errorf("post retry = %+v, %v; want transfer %d", again, err, p1.ID)
	}
	if again, err := e.s.Void(memberCtx(2), "v2", "h2"); err != nil || again.ID != v2.ID {
		t.Errorf("void retry = %+v, %v; want transfer %d", again, err, v2.ID)
	}
	for name, try := range map[string]func() error{
		"post id on another pending hold (the insert finds it)": func() error {
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h3", Amount: d("3")})
			return err
		},
		"void id as a post of another hold": func() error {
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "v2", HoldID: "h3", Amount: d("1")})
			return err
		},
		"post id as a void of another hold": func() error { _, err := e.s.Void(memberCtx(2), "p1", "h3"); return err },
		"post id on an unknown hold": func() error {
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "nope", Amount: d("3")})
			return err
		},
		"post id over the hold, beyond the policy": func() error {
			_, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h3", Amount: d("100")})
			return err
		},
	} {
		if err := try(); !errors.Is(err, ErrIdempotencyConflict) {
			t.Errorf("%s: err = %v, want ErrIdempotencyConflict", name, err)
		}
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused resolution wrote something")
	}
	// New ids are still refused for the reason that applies.
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p9", HoldID: "nope", Amount: d("1")}); !errors.Is(err, ErrUnknownHold) {
		t.Errorf("unknown hold: %v", err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p9", HoldID: "h1", Amount: d("1")}); !errors.Is(err, ErrHoldResolved) {
		t.Errorf("resolved hold: %v", err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p9", HoldID: "h3", Amount: d("100")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Errorf("overrun beyond the policy: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused resolution wrote something")
	}
	e.wantBalance(t, "user:2", "17", "13") // 3 posted; h3 still holds 4
	e.verify(t)
}

// TestStartUpJobsWriteOnlyWhenDue: with no hold pending and no lot due, the
// jobs every process runs as it starts take no write lock, so they do not
// wait for (or fail on) another process that is writing.
func TestStartUpJobsWriteOnlyWhenDue(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	other, err := sql.Open("sqlite", "file:"+filepath.Join(e.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	ctx, cancel := context.WithTimeout(systemCtx, 2*time.Second)
	defer cancel()
	if n, err := e.s.VoidStaleHolds(ctx); err != nil || n != 0 {
		t.Fatalf("VoidStaleHolds while another process writes: %d, %v", n, err)
	}
	if n, err := e.s.ExpireLots(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireLots while another process writes: %d, %v", n, err)
	}
}

// A history filtered by op usage lists every charge into sys:usage: a direct
// usage transfer and a posted hold (how chat and API charges are stored),
// not the hold itself, a void or other ops; op post still selects posts only.
func TestHistoryUsageIncludesPostedHolds(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h1", From: "user:2", Amount: d("4"), Dims: Dims{UserID: 2, Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p1", HoldID: "h1", Amount: d("1.25")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h2", From: "user:2", Amount: d("1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Void(memberCtx(2), "v2", "h2"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(systemCtx, TransferRequest{ID: "u1", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("0.5"), Dims: Dims{UserID: 2, Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	ops := func(ctx context.Context, f Filter) string {
		t.Helper()
		p, err := e.s.History(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tr := range p.Items {
			got = append(got, tr.Op+" "+tr.Amount.String())
		}
		return strings.Join(got, ", ")
	}
	for name, c := range map[string]struct {
		ctx  context.Context
		f    Filter
		want string
	}{
		"admin usage":         {adminCtx, Filter{Ops: []string{OpUsage}}, "usage 0.5, post 1.25"},
		"member usage":        {memberCtx(2), Filter{Ops: []string{OpUsage}}, "usage 0.5, post 1.25"},
		"member wallet usage": {memberCtx(2), Filter{Account: "user:2", Ops: []string{OpUsage}}, "usage 0.5, post 1.25"},
		"dated usage":         {adminCtx, Filter{Ops: []string{OpUsage}, From: e.clk.Now().Add(-time.Hour)}, "usage 0.5, post 1.25"},
		"usage and topup":     {adminCtx, Filter{Ops: []string{OpTopUp, OpUsage}}, "usage 0.5, post 1.25, topup 10"},
		"post only":           {adminCtx, Filter{Ops: []string{OpPost}}, "post 1.25"},
		"void only":           {adminCtx, Filter{Ops: []string{OpVoid}}, "void 1"},
		"sys:usage no filter": {adminCtx, Filter{Account: AccountUsage, Ops: []string{OpUsage}}, "usage 0.5, post 1.25"},
	} {
		if got := ops(c.ctx, c.f); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
}

// TestHoldFitsIsTheHoldsRule: HoldFits, on what Spendable reads and a
// reserve, says exactly what Hold then does, under each policy, with a
// pending hold already in place, around the edge of what fits; left is
// the room it counts (never below zero).
func TestHoldFitsIsTheHoldsRule(t *testing.T) {
	const credit = int64(1_000_000_000) // minor units per credit
	e := newEnv(t)
	for i, c := range []struct {
		policy   Policy
		reserve  int64
		amount   string
		left     string
		wantFits bool
	}{
		// Each account: 10 credits, a pending hold of 3.
		{Policy{Kind: PolicyBlocked}, 0, "7", "7", true},
		{Policy{Kind: PolicyBlocked}, 0, "7.000000001", "7", false},
		{Policy{Kind: PolicyBlocked}, 2 * credit, "5", "5", true},
		{Policy{Kind: PolicyBlocked}, 2 * credit, "5.000000001", "5", false},
		{Policy{Kind: PolicyBlocked}, 9 * credit, "0", "0", true},
		{Policy{Kind: PolicyBlocked}, 9 * credit, "0.000000001", "0", false},
		{Policy{Kind: PolicyMinimum, Limit: d("2.5")}, credit, "3.5", "3.5", true},
		{Policy{Kind: PolicyMinimum, Limit: d("2.5")}, credit, "3.6", "3.5", false},
		{Policy{Kind: PolicyOverdraft, Limit: d("4")}, credit, "10", "10", true},
		{Policy{Kind: PolicyOverdraft, Limit: d("4")}, credit, "10.1", "10", false},
		{Policy{Kind: PolicyCarry}, -credit, "7", "7", true},
	} {
		code := fmt.Sprintf("user:%d", i+1)
		e.ensure(t, code)
		e.fund(t, code, "10")
		if err := e.s.SetPolicy(adminCtx, code, c.policy); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "p" + code, From: code, Amount: d("3")}); err != nil {
			t.Fatal(err)
		}
		sp, bounded, err := e.s.Spendable(adminCtx, code)
		if err != nil {
			t.Fatal(err)
		}
		left, fits := HoldFits(money.MustMinor(sp), bounded, c.reserve, money.MustMinor(d(c.amount)))
		if fits != c.wantFits || money.MinorString(left) != c.left {
			t.Errorf("%d (%s, reserve %d, %s): HoldFits = %s, %v; want %s, %v", i, c.policy.Kind, c.reserve, c.amount,
				money.MinorString(left), fits, c.left, c.wantFits)
		}
		_, err = e.s.Hold(adminCtx, HoldRequest{ID: "h" + code, From: code, Amount: d(c.amount),
			Reserve: func() int64 { return c.reserve }})
		if held := err == nil; held != fits || (!held && !errors.Is(err, ErrInsufficientFunds)) {
			t.Errorf("%d (%s, reserve %d, %s): Hold = %v, HoldFits said %v", i, c.policy.Kind, c.reserve, c.amount, err, fits)
		}
	}
	if left, fits := HoldFits(0, false, credit, 5*credit); !fits || left != 0 {
		t.Errorf("unbounded: %d, %v", left, fits)
	}
	e.verify(t)
}
