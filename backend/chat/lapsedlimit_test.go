package chat_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestLapsedReplyKeepsTheLimits: a reply that outlived its hold is charged
// within bob's spending limits, asked for its whole amount: the voided
// hold reserves no room under them any more, and bob's next send may have
// taken the room it gave back (the review's repro: two sends of 8.06
// under a daily limit of 10 were charged 16.12). The charge is then capped
// at the room the limits leave (and at what the pool can still pay, when
// that is less), marked capped; with no room, nothing is charged and the
// error names the limit. The limits are those of the day or the month the
// charge is recorded in: a stream that crossed midnight counts, and is
// checked, on the new day. Each case checks the exact amounts, what the
// limit shows as used, that the ledger adds up and that no hold is left
// pending.
//
// DeepSeek prices 1000 prompt tokens (600 cached) at 0.26 credits and a
// completion token at 0.002: 3900 of them cost 8.06, 5000 cost 10.26; each
// send holds 8.1985 for its 4,096-token output budget.
func TestLapsedReplyKeepsTheLimits(t *testing.T) {
	june15 := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		start      time.Time // when the long reply is sent (the clock then moves past its hold)
		kind       string    // bob's limit: daily, monthly or model (on deepseek-chat, per day)
		limit      string
		earlier    int64  // completion tokens of a send settled just before the long one (0 = none)
		completion int64  // the long reply's
		next       int64  // completion tokens of bob's next send, once the long one's hold expired (0 = none)
		left       string // the pool is spent down to this before the lapsed charge ("" = not spent)
		amount     string // charged for the long reply; "" = nothing, the limit's error
		capped     bool
		used       string // what the limit shows as used afterwards (in the period of the lapsed charge)
	}{
		{name: "the repro: the next send took the room the voided hold gave back", start: june15, kind: "daily", limit: "10",
			completion: 3900, next: 3900, amount: "1.94", capped: true, used: "10"},
		{name: "a model limit: the same", start: june15, kind: "model", limit: "10",
			completion: 3900, next: 3900, amount: "1.94", capped: true, used: "10"},
		{name: "the pool has less than the limit's room: what the pool has", start: june15, kind: "daily", limit: "10",
			completion: 3900, next: 3900, left: "1", amount: "1", capped: true, used: "9.06"},
		{name: "the limit's room below what the pool has: the room", start: june15, kind: "daily", limit: "10",
			completion: 3900, next: 3900, left: "3", amount: "1.94", capped: true, used: "10"},
		{name: "both sends within the limit: the price", start: june15, kind: "daily", limit: "20",
			completion: 3900, next: 3900, amount: "8.06", used: "16.12"},
		{name: "no other send: the price within the limit", start: june15, kind: "daily", limit: "10",
			completion: 3900, amount: "8.06", used: "8.06"},
		{name: "above the hold, the next send left less than the hold: the room", start: june15, kind: "daily", limit: "10",
			completion: 5000, next: 3900, amount: "1.94", capped: true, used: "10"},
		{name: "above the hold, the limit between the hold and the price: the hold", start: june15, kind: "daily", limit: "9",
			completion: 5000, amount: "8.1985", capped: true, used: "8.1985"},
		{name: "the next send used the limit up: nothing, naming the limit", start: june15, kind: "daily", limit: "8.1985",
			completion: 3900, next: 5000, used: "8.1985"},
		{name: "across midnight, the next send on the new day: the new day's room",
			start: time.Date(2026, 6, 15, 23, 0, 0, 0, time.UTC), kind: "daily", limit: "10",
			completion: 3900, next: 3900, amount: "1.94", capped: true, used: "10"},
		{name: "across midnight, the old day nearly used: the new day's room, the whole price",
			start: time.Date(2026, 6, 15, 23, 0, 0, 0, time.UTC), kind: "daily", limit: "17",
			earlier: 3900, completion: 5000, amount: "10.26", used: "10.26"},
		{name: "across the month's end, the next send in the new month: the new month's room",
			start: time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC), kind: "monthly", limit: "10",
			completion: 3900, next: 3900, amount: "1.94", capped: true, used: "10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, clk, tm, alice, bob, bobCtx := teamAt(t, tc.start)
			lim := team.Limit{UserID: bob.ID, Kind: tc.kind, Amount: tc.limit}
			if tc.kind == "model" {
				lim.Model, lim.Period = "deepseek-chat", team.PeriodDay
			}
			if _, err := tm.SetLimit(alice, lim); err != nil {
				t.Fatal(err)
			}
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, clk.now)
			e.fund("100")
			srv := fake.NewDeepSeek(fake.Script{})
			t.Cleanup(srv.Close)
			e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, srv.BaseURL(), 0)
			begin := func(id string, completion int64) (*chat.Call, providers.Result, error) {
				t.Helper()
				srv.SetScript(fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 1000, Cached: 600, Completion: completion}})
				c, err := e.svc.Meter().Begin(bobCtx, chat.MeterRequest{ID: id, Model: "deepseek-chat", Source: chat.SourceUI,
					Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
				if err != nil {
					t.Fatalf("begin %s: %v", id, err)
				}
				if money.MinorString(c.HoldMinor) != "8.1985" {
					t.Fatalf("hold %s: the cases need a hold of 8.1985", money.MinorString(c.HoldMinor))
				}
				r, serr := c.Stream(bobCtx, nil)
				return c, r, serr
			}
			send := func(id string, completion int64) string {
				t.Helper()
				c, r, serr := begin(id, completion)
				ch, err := c.Settle(bobCtx, r, serr, nil)
				if err != nil || ch == nil {
					t.Fatalf("settle %s: %+v, %v", id, ch, err)
				}
				return ch.Amount
			}
			spent := "0"
			if tc.earlier != 0 {
				spent = send("earlier", tc.earlier)
			}
			long, r, serr := begin("long", tc.completion)
			clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
			if tc.next != 0 {
				spent = decimal.RequireFromString(spent).Add(decimal.RequireFromString(send("next", tc.next))).String()
			}
			if tc.left != "" {
				if err := e.led.EnsureAccount(systemCtx, "dept:1"); err != nil {
					t.Fatal(err)
				}
				if _, err := e.led.Transfer(alice, ledger.TransferRequest{ID: "spend", Op: ledger.OpTransfer, From: ledger.AccountPool,
					To: "dept:1", Amount: decimal.RequireFromString(e.balance(ledger.AccountPool)).Sub(decimal.RequireFromString(tc.left))}); err != nil {
					t.Fatal(err)
				}
			}
			ch, err := long.Settle(bobCtx, r, serr, nil)
			want := tc.amount
			if want == "" {
				// A limit reached, as for a send over the limit: not "not
				// enough credits", and no top-up offered.
				var le *team.LimitError
				if ch != nil || errors.Is(err, chat.ErrInsufficientCredits) || errors.Is(err, ledger.ErrInsufficientFunds) ||
					!errors.Is(err, team.ErrLimitExceeded) || !errors.As(err, &le) ||
					!strings.Contains(err.Error(), "daily limit of 8.1985 credits reached") ||
					!strings.Contains(err.Error(), "the reply outlived its hold (a stream longer than 2h0m0s), and the member's spending limits leave nothing to pay for it; nothing was charged") {
					t.Fatalf("settle = %+v, %v; want nothing charged and the limit named", ch, err)
				}
				// The local API's words: the limit by name, when it resets,
				// and that nothing was charged (the gateway's 429).
				if msg, ok := chat.LimitAPIMessage(err); !ok || !strings.HasPrefix(msg, "The reply to this request outlived its hold "+
					"(a stream longer than 2h0m0s), and the daily spending limit of this API key's member (8.1985 credits a day, ") ||
					!strings.Contains(msg, " leaves nothing to pay for it, so nothing was charged. The limit resets at ") {
					t.Fatalf("for the API: %q (%v)", msg, ok)
				}
				for _, ctx := range []context.Context{bobCtx, alice} {
					info := chat.ClassifyFor(ctx, err)
					if info.Code != chat.CodeLimit || info.TopUp || info.AskAdmin || !strings.HasPrefix(info.Message, "daily limit of 8.1985 credits reached") ||
						!strings.Contains(info.Message, "outlived its hold") || strings.Contains(info.Message, "long") && strings.Contains(info.Message, "hold:long") {
						t.Fatalf("classified %+v; want the limit reached, no top-up", info)
					}
				}
				if e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long'`) != 0 {
					t.Fatal("a charge row for nothing charged")
				}
				want = "0"
			} else {
				if err != nil || ch == nil {
					t.Fatalf("settle = %+v, %v; want a charge of %s", ch, err, want)
				}
				if ch.Amount != want || ch.Capped != tc.capped {
					t.Fatalf("charge %s (capped %v, price %s); want %s (capped %v)", ch.Amount, ch.Capped, ch.Price, want, tc.capped)
				}
				if n := e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long' AND transfer_id = ? AND amount_minor = ?`,
					ch.TransferID, mustMinor(want)); n != 1 {
					t.Fatalf("%d charge rows for transfer %d of %s", n, ch.TransferID, want)
				}
				var meta, at string
				if err := e.db.Read().QueryRow(`SELECT meta, created_at FROM ledger_transfers WHERE id = ?`, ch.TransferID).Scan(&meta, &at); err != nil ||
					strings.Contains(meta, `"capped":true`) != tc.capped {
					t.Fatalf("transfer meta %s (%v), want capped %v", meta, err, tc.capped)
				}
				if day := clk.now().Format("2006-01-02"); !strings.HasPrefix(at, day) {
					t.Fatalf("the charge is recorded at %s, not on %s", at, day)
				}
			}
			total := decimal.RequireFromString(spent).Add(decimal.RequireFromString(want)).String()
			if e.charged() != total || e.balance(ledger.AccountUsage) != total {
				t.Fatalf("charged %s, sys:usage %s; want %s", e.charged(), e.balance(ledger.AccountUsage), total)
			}
			ls, err := tm.Limits(alice, bob.ID)
			if err != nil || len(ls) != 1 || ls[0].Used != tc.used || ls[0].Pending != "0" {
				t.Fatalf("limits %+v, %v; want %s used, nothing pending", ls, err, tc.used)
			}
			if st, err := e.svc.Meter().HoldStatus(alice, "long"); err != nil || st != "voided" {
				t.Fatalf("hold %q, %v; want voided", st, err)
			}
			e.checkLedger()
		})
	}
}
