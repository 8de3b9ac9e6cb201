package chat_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
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

// TestCappedSettleRetriedReplaysTheCharge: a settle retried after a
// capped charge (a retry that lost the first answer) gets that charge
// back, capped as it was, instead of an idempotency conflict: the retry
// starts again from the price, which the ledger recognises as the same
// request (ledger.PostRequest.Asked, TransferRequest.Asked: what the
// settle asked, not what was decided). Nothing is charged twice; a retry
// with other usage is still a conflict. The reply costs 20.26 (10,000
// completion tokens), above its hold of 8.1985, and the pool is left with
// less: the overrun is refused and the hold posted, or, the hold lapsed,
// what the pool has (5) is charged.
func TestCappedSettleRetriedReplaysTheCharge(t *testing.T) {
	for _, tc := range []struct {
		name     string
		expired  bool
		left     string // the pool is spent down to this before the first settle
		amount   string // the capped charge
		other    bool   // the retry reports other usage
		retryErr bool
	}{
		{"posted, capped at the hold, same usage", false, "10", "8.1985", false, false},
		{"posted, capped at the hold, other usage", false, "10", "8.1985", true, true},
		{"expired, capped at what the pool has, same usage", true, "5", "5", false, false},
		{"expired, capped at what the pool has, other usage", true, "5", "5", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clk, c, r, serr := longCall(t)
			u := *r.Usage
			u.Output = 10_000
			r.Usage = &u
			if tc.expired {
				clk.add(chat.HoldTTL + time.Minute)
			}
			if err := e.led.EnsureAccount(systemCtx, "dept:1"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.led.Transfer(adminCtx, ledger.TransferRequest{ID: "spend", Op: ledger.OpTransfer, From: ledger.AccountPool,
				To: "dept:1", Amount: mustDec(subtract("100", tc.left))}); err != nil {
				t.Fatal(err)
			}
			first, err := c.Settle(adminCtx, r, serr, nil)
			if err != nil || first == nil || first.Amount != tc.amount || !first.Capped || first.Price != "20.26" {
				t.Fatalf("first settle = %+v, %v; want capped at %s", first, err, tc.amount)
			}
			pool := e.balance("pool")
			r2 := r
			if tc.other {
				r2 = moreUsage(r)
			}
			again, err := chat.Resettle(c).Settle(adminCtx, r2, serr, nil)
			switch {
			case tc.retryErr && (again != nil || !errors.Is(err, ledger.ErrIdempotencyConflict)):
				t.Fatalf("a retry with other usage = %+v, %v; want ErrIdempotencyConflict", again, err)
			case !tc.retryErr && (err != nil || again == nil || again.TransferID != first.TransferID ||
				again.Amount != tc.amount || !again.Capped || again.Price != "20.26" || again.Summary != first.Summary):
				t.Fatalf("retry = %+v, %v; want the first charge %+v", again, err, first)
			}
			if e.charged() != tc.amount || e.balance("pool") != pool || e.balance(ledger.AccountUsage) != tc.amount ||
				e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long-1'`) != 1 {
				t.Fatalf("after the retry: charged %s, pool %s (was %s), sys:usage %s", e.charged(), e.balance("pool"), pool,
					e.balance(ledger.AccountUsage))
			}
			e.checkLedger()
		})
	}
}

// moreUsage is r with 10 more completion tokens reported.
func moreUsage(r providers.Result) providers.Result {
	u := *r.Usage
	u.Output += 10
	r.Usage = &u
	return r
}

// lapsedCase is a member's DeepSeek reply whose stream outlives its hold
// (1000 prompt tokens, 600 of them cached, and completion tokens: 0.26
// credits plus 0.002 a token; the hold is about 8.2 credits).
type lapsedCase struct {
	name       string
	completion int64
	limit      string        // bob's daily limit ("" = none)
	policy     ledger.Policy // the pool's policy, set once the hold has expired (zero = blocked)
	left       string        // the pool is spent down to this by another debit meanwhile ("" = not spent)
	amount     string        // charged; "hold" = the hold; "" = nothing can be charged
	capped     bool
	pool       string // the pool's balance after the settle; "" = what it had (100, or left) less the amount
	summary    string // in the charge's summary
	arrive     string // credits topped up just before the capped charge ("" = none)
}

// TestLapsedReplyIsChargedLikeAnyOther: a reply that outlived its hold is
// charged its price when the payer's policy and the member's limits (for
// the whole price: the voided hold reserves nothing) allow it; else capped
// at the hold, or at what the payer can still pay, or at the room the
// limits leave, when that is less, never below the policy's floor or past
// a limit; nothing only when nothing can be paid
// (TestLapsedReplyKeepsTheLimits has the limits' cases). Each case checks the exact amounts, the charge row, the balances
// against the postings and that no hold is left pending.
func TestLapsedReplyIsChargedLikeAnyOther(t *testing.T) {
	for _, tc := range []lapsedCase{
		{name: "the price, within the hold", completion: 50, amount: "0.36", summary: "total 0.36 credits"},
		{name: "the pool spent meanwhile: what it has left", completion: 50, left: "0.2", amount: "0.2", capped: true, pool: "0",
			summary: "charged only what the paying account and the spending limits still allowed; the usage came to 0.36 credits"},
		{name: "the pool spent to nothing: nothing", completion: 50, left: "0", pool: "0"},
		{name: "a minimum balance set meanwhile (the hold still pending): above the minimum", completion: 50,
			policy: ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("99.8")}, amount: "0.2", capped: true},
		{name: "an overdraft covers the price", completion: 50, left: "0",
			policy: ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.NewFromInt(1)}, amount: "0.36", pool: "-0.36"},
		{name: "an overdraft covers part of it", completion: 50, left: "0",
			policy: ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.RequireFromString("0.1")}, amount: "0.1", capped: true, pool: "-0.1"},
		{name: "carry: no new debt for a transfer", completion: 50, left: "0.2",
			policy: ledger.Policy{Kind: ledger.PolicyCarry}, amount: "0.2", capped: true, pool: "0"},
		{name: "the price, above the hold", completion: 5000, amount: "10.26"},
		{name: "above the hold, the pool has the hold but not the price: the hold", completion: 5000, left: "9",
			amount: "hold", capped: true, summary: "charged up to the amount set aside for this reply; the usage came to 10.26 credits"},
		{name: "above the hold, the pool has less than the hold: what it has", completion: 5000, left: "5", amount: "5", capped: true, pool: "0"},
		{name: "above the hold, past the member's daily limit: the hold", completion: 5000, limit: "10", amount: "hold", capped: true},
		{name: "within the hold and the limit: the price", completion: 50, limit: "8.5", amount: "0.36"},
		{name: "credits arrive once the price was refused: the price after all", completion: 50, left: "0.2", arrive: "1",
			amount: "0.36", pool: "0.84"},
	} {
		t.Run(tc.name, func(t *testing.T) { runLapsed(t, tc) })
	}
}

// teamAt is a clocked env at start with a UTC workspace: its team service,
// alice (its admin) and bob (a member), each with a context acting as them.
func teamAt(t *testing.T, start time.Time) (*env, *testClock, *team.Service, context.Context, team.Member, context.Context) {
	t.Helper()
	clk := &testClock{t: start}
	e := newEnvAt(t, nil, clk.now)
	tm := team.New(e.db, e.led, nil, clk.now)
	tm.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := tm.Setup(context.Background(), team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(context.Background(), admin)
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	return e, clk, tm, alice, bob, bobCtx
}

func runLapsed(t *testing.T, tc lapsedCase) {
	e, clk, tm, alice, bob, bobCtx := teamAt(t, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
	if tc.limit != "" {
		if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.limit}); err != nil {
			t.Fatal(err)
		}
	}
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, clk.now)
	e.fund("100")
	srv := fake.NewDeepSeek(fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 1000, Cached: 600, Completion: tc.completion}})
	t.Cleanup(srv.Close)
	e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, srv.BaseURL(), 0)
	c, err := e.svc.Meter().Begin(bobCtx, chat.MeterRequest{ID: "long-1", Model: "deepseek-chat", Source: chat.SourceUI,
		Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
	if err != nil {
		t.Fatal(err)
	}
	hold := money.MinorString(c.HoldMinor)
	if c.Payer != ledger.AccountPool || c.HoldMinor <= 360_000_000 || c.HoldMinor >= 9_000_000_000 {
		t.Fatalf("payer %s, hold %s: the cases need the pool and a hold between 0.36 and 9", c.Payer, hold)
	}
	r, serr := c.Stream(bobCtx, nil)
	clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
	if tc.left != "" {
		// Another debit of the pool (it voids the expired hold first).
		if err := e.led.EnsureAccount(systemCtx, "dept:1"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.led.Transfer(alice, ledger.TransferRequest{ID: "spend", Op: ledger.OpTransfer, From: ledger.AccountPool,
			To: "dept:1", Amount: decimal.RequireFromString(subtract("100", tc.left))}); err != nil {
			t.Fatal(err)
		}
	}
	if tc.policy.Kind != "" {
		if err := e.led.SetPolicy(alice, ledger.AccountPool, tc.policy); err != nil {
			t.Fatal(err)
		}
	}
	if tc.arrive != "" {
		transfers := 0
		defer chat.SetLapsedStep(func(step string) {
			if step == "transfer" {
				if transfers++; transfers == 2 { // the price was refused: the capped charge is next
					e.fund(tc.arrive)
				}
			}
		})()
	}
	ch, err := c.Settle(bobCtx, r, serr, nil)
	want := tc.amount
	if want == "hold" {
		want = hold
	}
	if want == "" {
		if !errors.Is(err, chat.ErrInsufficientCredits) || !errors.Is(err, ledger.ErrInsufficientFunds) || ch != nil ||
			!strings.Contains(err.Error(), "the reply outlived its hold (a stream longer than 2h0m0s), and the workspace pool has nothing left") {
			t.Fatalf("settle = %+v, %v; want ErrInsufficientCredits saying why, and no charge", ch, err)
		}
		want = "0"
	} else {
		if err != nil || ch == nil {
			t.Fatalf("settle = %+v, %v; want a charge of %s", ch, err, want)
		}
		price := "10.26" // 0.26 + 5000 × 0.002
		if tc.completion == 50 {
			price = "0.36"
		}
		if ch.Amount != want || ch.Capped != tc.capped || ch.Price != price || ch.Hold != hold || ch.TransferID == 0 {
			t.Fatalf("charge %s (capped %v, price %s, hold %s, transfer %d); want %s (capped %v, price %s, hold %s)",
				ch.Amount, ch.Capped, ch.Price, ch.Hold, ch.TransferID, want, tc.capped, price, hold)
		}
		if tc.summary != "" && !strings.Contains(ch.Summary, tc.summary) {
			t.Fatalf("summary %q, want it to say %q", ch.Summary, tc.summary)
		}
		// The charge row and the posting's meta say the same.
		if n := e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long-1' AND transfer_id = ? AND amount_minor = ?`,
			ch.TransferID, mustMinor(want)); n != 1 {
			t.Fatalf("%d charge rows for transfer %d of %s", n, ch.TransferID, want)
		}
		var meta string
		if err := e.db.Read().QueryRow(`SELECT meta FROM ledger_transfers WHERE id = ?`, ch.TransferID).Scan(&meta); err != nil ||
			strings.Contains(meta, `"capped":true`) != tc.capped {
			t.Fatalf("posting meta %s (%v), want capped %v", meta, err, tc.capped)
		}
	}
	if e.charged() != want || e.balance(ledger.AccountUsage) != want {
		t.Fatalf("charged %s, sys:usage %s; want %s", e.charged(), e.balance(ledger.AccountUsage), want)
	}
	pool := tc.pool
	if pool == "" && tc.left != "" {
		pool = subtract(tc.left, want)
	} else if pool == "" {
		pool = subtract("100", want)
	}
	if e.balance(ledger.AccountPool) != pool {
		t.Fatalf("pool %s, want %s", e.balance(ledger.AccountPool), pool)
	}
	if st, err := e.svc.Meter().HoldStatus(alice, "long-1"); err != nil || st != "voided" {
		t.Fatalf("hold %q, %v; want voided", st, err)
	}
	e.checkLedger()
}

// mustMinor is credits in minor units.
func mustMinor(credits string) int64 {
	n, err := money.ToMinor(decimal.RequireFromString(credits))
	if err != nil {
		panic(err)
	}
	return n
}

// TestLapsedChargeReportedWhenItsVoidFails: once the reply's charge is
// made, a failure to void its lapsed hold afterwards (here the ledger
// closes) is logged, naming the request but no text, and the charge is
// reported all the same. The charge's own transfer has voided the expired
// hold; should the hold still be pending (the clock went back between the
// failed posting and the transfer), it is voided later, by the payer's next
// debit or at the next start (VoidStaleHolds), once it has expired.
func TestLapsedChargeReportedWhenItsVoidFails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		back    bool                                          // the clock goes back before the charge
		later   func(t *testing.T, led *ledger.Service) error // what voids a still pending hold
		pending bool                                          // the hold is still pending after the settle
	}{
		{name: "the charge voided the hold"},
		{name: "the hold still pending, voided at the next start", back: true, pending: true,
			later: func(t *testing.T, led *ledger.Service) error {
				n, err := led.VoidStaleHolds(adminCtx)
				if err == nil && n != 1 {
					t.Errorf("VoidStaleHolds voided %d holds, want 1", n)
				}
				return err
			}},
		{name: "the hold still pending, voided by the payer's next debit", back: true, pending: true,
			later: func(t *testing.T, led *ledger.Service) error {
				if err := led.EnsureAccount(systemCtx, "dept:1"); err != nil {
					return err
				}
				_, err := led.Transfer(adminCtx, ledger.TransferRequest{ID: "next", Op: ledger.OpTransfer, From: ledger.AccountPool,
					To: "dept:1", Amount: decimal.NewFromInt(1)})
				return err
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clk, c, r, serr := longCall(t)
			var logged strings.Builder
			chat.SetLogger(e.svc.Meter(), slog.New(slog.NewTextHandler(&logged, nil)))
			clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
			defer chat.SetLapsedStep(func(step string) {
				switch {
				case step == "transfer" && tc.back:
					clk.add(-2 * time.Minute) // the hold is not expired again for the charge's transfer
				case step == "void":
					e.led.Close() // the void fails: ledger closed
				}
			})()
			ch, err := c.Settle(adminCtx, r, serr, nil)
			if err != nil || ch == nil || ch.Amount != "0.36" || ch.Capped || ch.TransferID == 0 {
				t.Fatalf("settle = %+v, %v; want the charge of 0.36 reported", ch, err)
			}
			if e.charged() != "0.36" || e.balance(ledger.AccountPool) != "99.64" || e.balance(ledger.AccountUsage) != "0.36" {
				t.Fatalf("charged %s, pool %s, sys:usage %s", e.charged(), e.balance(ledger.AccountPool), e.balance(ledger.AccountUsage))
			}
			log := logged.String()
			if !strings.Contains(log, "could not be voided") || !strings.Contains(log, "request=long-1") ||
				!strings.Contains(log, ledger.ErrClosed.Error()) || strings.Contains(log, "2+2?") {
				t.Fatalf("log %q: want the void's failure, with the request id and no text", log)
			}
			led := ledger.New(e.db, nil, clk.now) // the next start
			t.Cleanup(led.Close)
			if st, err := led.HoldStatus(adminCtx, c.HoldID); err != nil || (st == "pending") != tc.pending {
				t.Fatalf("hold %q, %v; pending %v wanted", st, err, tc.pending)
			}
			pool := "99.64"
			if tc.later != nil {
				clk.add(5 * time.Minute) // expired again
				if err := tc.later(t, led); err != nil {
					t.Fatal(err)
				}
				if tc.pending && strings.Contains(tc.name, "debit") {
					pool = "98.64"
				}
			}
			if st, err := led.HoldStatus(adminCtx, c.HoldID); err != nil || st != "voided" {
				t.Fatalf("hold %q, %v; want voided", st, err)
			}
			b, err := led.Balance(systemCtx, ledger.AccountPool)
			if err != nil || b.Balance.String() != pool || b.Available.String() != pool {
				t.Fatalf("pool %+v, %v; want %s, nothing held", b, err, pool)
			}
			if err := led.Verify(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`); n != 0 {
				t.Fatalf("%d holds pending", n)
			}
		})
	}
}

// TestFreeReplyOutlivingItsHoldSettles: a free model's reply (a local
// server priced 0) that outlived its hold owes nothing, so its settle
// succeeds with a charge of 0, whatever voided the hold meanwhile, no
// balance moves, and the hold ends voided.
func TestFreeReplyOutlivingItsHoldSettles(t *testing.T) {
	for _, tc := range []struct {
		name      string
		meanwhile func(t *testing.T, e *env)
	}{
		{"nothing else happened", nil},
		{"a process start voided stale holds", func(t *testing.T, e *env) {
			if _, err := e.led.VoidStaleHolds(adminCtx); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &testClock{t: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)}
			e := newEnvAt(t, nil, clk.now)
			e.fund("100")
			srv := fake.NewOpenAI(fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 10, Completion: 1}})
			t.Cleanup(srv.Close)
			e.add("ollama", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
			c, err := e.svc.Meter().Begin(adminCtx, chat.MeterRequest{ID: "free-1", Model: "llama3.2", Source: chat.SourceAPI,
				Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
			if err != nil {
				t.Fatal(err)
			}
			r, serr := c.Stream(adminCtx, nil)
			clk.add(chat.HoldTTL + time.Minute)
			if tc.meanwhile != nil {
				tc.meanwhile(t, e)
			}
			ch, err := c.Settle(adminCtx, r, serr, nil)
			if err != nil || ch == nil {
				t.Fatalf("settle = %+v, %v; want a charge of 0", ch, err)
			}
			if ch.Amount != "0" || ch.Price != "0" || ch.Capped {
				t.Fatalf("charge %+v, want 0", ch)
			}
			if e.balance("pool") != "100" || e.balance(ledger.AccountUsage) != "0" {
				t.Fatalf("pool %s, sys:usage %s; want 100 and 0", e.balance("pool"), e.balance(ledger.AccountUsage))
			}
			if st, err := e.svc.Meter().HoldStatus(adminCtx, "free-1"); err != nil || st != "voided" {
				t.Fatalf("hold %q, %v; want voided", st, err)
			}
			e.checkLedger()
		})
	}
}

// TestSettleTwiceIsRefused: a call is settled once; settling it again (a
// caller's slip, not a retry: chat.Resettle is that) is refused, and
// neither charges again nor reports the charge a second time.
func TestSettleTwiceIsRefused(t *testing.T) {
	e, _, c, r, serr := longCall(t)
	if first, err := c.Settle(adminCtx, r, serr, nil); err != nil || first == nil || first.Amount != "0.36" {
		t.Fatalf("first settle = %+v, %v", first, err)
	}
	again, err := c.Settle(adminCtx, r, serr, nil)
	if err == nil || again != nil || !strings.Contains(err.Error(), "already settled") {
		t.Fatalf("second settle = %+v, %v; want the refusal and no charge", again, err)
	}
	if e.charged() != "0.36" || e.balance("pool") != "99.64" {
		t.Fatalf("after a second settle: charged %s, pool %s", e.charged(), e.balance("pool"))
	}
	e.checkLedger()
}
