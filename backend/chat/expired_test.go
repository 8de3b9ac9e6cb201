package chat_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// testClock is a clock the test moves forward.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// longCall starts a send on a fresh clocked env with a pool of 100 whose
// DeepSeek reply (1000 prompt tokens, 600 of them cached, 50 completion)
// costs 0.36 credits, well under its hold (the 4,096-token output budget,
// about 8.2 credits), and streams it. It returns the call and the reply.
func longCall(t *testing.T) (*env, *testClock, *chat.Call, providers.Result, error) {
	t.Helper()
	clk := &testClock{t: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)}
	e := newEnvAt(t, nil, clk.now)
	e.fund("100")
	srv := fake.NewDeepSeek(fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 1000, Cached: 600, Completion: 50}})
	t.Cleanup(srv.Close)
	e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, srv.BaseURL(), 0)
	c, err := e.svc.Meter().Begin(adminCtx, chat.MeterRequest{ID: "long-1", Model: "deepseek-chat", Source: chat.SourceAPI,
		Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
	if err != nil {
		t.Fatal(err)
	}
	if c.HoldMinor <= 360_000_000 {
		t.Fatalf("hold %d minor units: the test needs a hold above the price", c.HoldMinor)
	}
	r, serr := c.Stream(adminCtx, nil)
	return e, clk, c, r, serr
}

// otherDebit moves 1 credit from the pool to a department: a debit of the
// payer by someone else, which voids the pool's expired holds first.
func otherDebit(t *testing.T, e *env, id string) {
	t.Helper()
	if err := e.led.EnsureAccount(systemCtx, "dept:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.led.Transfer(adminCtx, ledger.TransferRequest{ID: id, Op: ledger.OpTransfer, From: ledger.AccountPool,
		To: "dept:1", Amount: decimal.NewFromInt(1)}); err != nil {
		t.Fatalf("other debit: %v", err)
	}
}

// TestReplyOutlivingItsHoldIsCharged: a reply whose stream lasted longer
// than its hold (HoldTTL) is charged its price, exactly once, whether the
// expired hold is still pending at the settle, or was voided meanwhile by
// another debit of the payer or by a process start (VoidStaleHolds).
func TestReplyOutlivingItsHoldIsCharged(t *testing.T) {
	for _, tc := range []struct {
		name      string
		meanwhile func(t *testing.T, e *env)
		other     string // credits the meanwhile step moved out of the pool
	}{
		{"nothing else happened", nil, "0"},
		{"another debit of the payer", func(t *testing.T, e *env) { otherDebit(t, e, "other") }, "1"},
		{"a process start voided stale holds", func(t *testing.T, e *env) {
			if n, err := e.led.VoidStaleHolds(adminCtx); err != nil || n != 1 {
				t.Fatalf("VoidStaleHolds = %d, %v; want 1", n, err)
			}
		}, "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clk, c, r, serr := longCall(t)
			clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
			if tc.meanwhile != nil {
				tc.meanwhile(t, e)
			}
			ch, err := c.Settle(adminCtx, r, serr, nil)
			if err != nil || ch == nil {
				t.Fatalf("settle = %+v, %v; want the reply charged", ch, err)
			}
			if ch.Amount != "0.36" || ch.Price != "0.36" || ch.Capped || ch.TransferID == 0 {
				t.Fatalf("charge %+v, want 0.36 (the price, not the hold)", ch)
			}
			if e.charged() != "0.36" || e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long-1'`) != 1 {
				t.Fatalf("charged %s", e.charged())
			}
			if want := subtract(subtract("100", "0.36"), tc.other); e.balance("pool") != want {
				t.Fatalf("pool %s, want %s", e.balance("pool"), want)
			}
			if usage := e.balance(ledger.AccountUsage); usage != "0.36" {
				t.Fatalf("sys:usage %s, want 0.36", usage)
			}
			if st, err := e.svc.Meter().HoldStatus(adminCtx, "long-1"); err != nil || st != "voided" {
				t.Fatalf("hold %q, %v; want voided", st, err)
			}
			e.checkLedger()
		})
	}
}

// TestSettleRetriedChargesOnce: a settle run again for a call already
// charged (a retry that lost the first answer) replays the first charge or
// is refused, never charging twice, whichever way the first was posted; and
// a hold that was posted (here by another posting id) is never charged
// again, even though its posting fails with ErrHoldResolved as a voided
// one's does.
func TestSettleRetriedChargesOnce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		expired   bool                                      // the stream outlived its hold
		meanwhile func(t *testing.T, e *env)                // before the first settle
		retry     func(r providers.Result) providers.Result // what the retry settles
		retryErr  bool
	}{
		{"posted, same usage", false, nil, nil, false},
		{"posted, other usage", false, nil, moreUsage, true},
		{"expired, same usage", true, nil, nil, false},
		{"expired, other usage", true, nil, moreUsage, true},
		{"expired and voided by another debit, same usage", true, func(t *testing.T, e *env) { otherDebit(t, e, "other") }, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clk, c, r, serr := longCall(t)
			if tc.expired {
				clk.add(chat.HoldTTL + time.Minute)
			}
			if tc.meanwhile != nil {
				tc.meanwhile(t, e)
			}
			first, err := c.Settle(adminCtx, r, serr, nil)
			if err != nil || first == nil || first.Amount != "0.36" {
				t.Fatalf("first settle = %+v, %v", first, err)
			}
			pool := e.balance("pool")
			r2 := r
			if tc.retry != nil {
				r2 = tc.retry(r)
			}
			again, err := chat.Resettle(c).Settle(adminCtx, r2, serr, nil)
			switch {
			case tc.retryErr && (err == nil || again != nil):
				t.Fatalf("a retry with other usage = %+v, %v; want an error", again, err)
			case tc.retryErr && !errors.Is(err, ledger.ErrIdempotencyConflict):
				t.Fatalf("a retry with other usage: %v, want ErrIdempotencyConflict", err)
			case !tc.retryErr && (err != nil || again == nil || again.TransferID != first.TransferID || again.Amount != "0.36"):
				t.Fatalf("retry = %+v, %v; want the first charge (transfer %d)", again, err, first.TransferID)
			}
			if e.charged() != "0.36" || e.balance("pool") != pool || e.balance(ledger.AccountUsage) != "0.36" {
				t.Fatalf("after the retry: charged %s, pool %s (was %s), sys:usage %s", e.charged(), e.balance("pool"), pool,
					e.balance(ledger.AccountUsage))
			}
			e.checkLedger()
		})
	}

	t.Run("hold posted by another posting", func(t *testing.T) {
		e, _, c, r, serr := longCall(t)
		if _, err := e.led.Post(adminCtx, ledger.PostRequest{ID: "post:elsewhere", HoldID: c.HoldID, Amount: decimal.RequireFromString("0.5")}); err != nil {
			t.Fatal(err)
		}
		ch, err := c.Settle(adminCtx, r, serr, nil)
		if !errors.Is(err, ledger.ErrHoldResolved) || ch != nil {
			t.Fatalf("settle of a posted hold = %+v, %v; want ErrHoldResolved and no charge", ch, err)
		}
		if e.balance("pool") != "99.5" || e.balance(ledger.AccountUsage) != "0.5" || e.charged() != "0" {
			t.Fatalf("pool %s, sys:usage %s, charged %s: the posted hold was charged again", e.balance("pool"),
				e.balance(ledger.AccountUsage), e.charged())
		}
		if err := e.led.Verify(adminCtx); err != nil {
			t.Fatal(err)
		}
	})
}

// moreUsage is r with 10 more completion tokens reported.
func moreUsage(r providers.Result) providers.Result {
	u := *r.Usage
	u.Output += 10
	r.Usage = &u
	return r
}
