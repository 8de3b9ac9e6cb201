package chat_test

import (
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestOverrunBoundaries: the edges of the overrun rule, to the minor unit
// (10^-9 credits). A local model priced 0.002 a completion token and
// 0.000000001 a tool call holds 4.096 for its 2,048-token output budget; a
// reply of 2,048 tokens costs exactly the hold, one that also calls a tool
// exactly one minor unit more. A charge equal to the hold is no overrun
// (no check asked, whatever the limits and the pool's balance); one above
// it is charged whole when the room the member's daily limit leaves, or
// what the pool has, is exactly the price (a limit is reached, not passed),
// and capped at the hold when it is one minor unit less. A reply that
// outlived its hold (chargeLapsed) is charged the same.
func TestOverrunBoundaries(t *testing.T) {
	const hold = "4.096"
	for _, tc := range []struct {
		name   string
		tools  int    // 0: the price is the hold; 1: one minor unit above it
		limit  string // bob's daily limit ("" = none)
		lower  string // bob's daily limit once the reply streamed ("" = unchanged)
		pool   string // the pool's balance before the send
		amount string
		capped bool
		// a lapsed reply's charge when it differs ("" = amount, capped):
		// with no hold left, it is asked of the limits whole.
		lapsedAmount string
		lapsedCapped bool
	}{
		{name: "the price is the hold, the limit is the hold, the pool has the hold", limit: hold, pool: hold, amount: hold},
		{name: "the price is the hold, the limit lowered below it meanwhile: no overrun, nothing asked", limit: "10", lower: "1",
			pool: "100", amount: hold, lapsedAmount: "1", lapsedCapped: true},
		{name: "one unit above the hold, the limit exactly the price", tools: 1, limit: "4.096000001", pool: "100", amount: "4.096000001"},
		{name: "one unit above the hold, the limit one unit short", tools: 1, limit: hold, pool: "100", amount: hold, capped: true},
		{name: "one unit above the hold, the pool has exactly the price", tools: 1, pool: "4.096000001", amount: "4.096000001"},
		{name: "one unit above the hold, the pool one unit short", tools: 1, pool: hold, amount: hold, capped: true},
	} {
		for _, lapsed := range []bool{false, true} {
			name := tc.name + ", in time"
			if lapsed {
				name = tc.name + ", lapsed"
			}
			t.Run(name, func(t *testing.T) {
				e, clk, tm, alice, bob, bobCtx := teamAt(t, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
				if _, err := e.rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "edge",
					Input: "0", Output: "0.002", PerToolCall: "0.000000001"}}, Reason: "a model priced to the minor unit"}); err != nil {
					t.Fatal(err)
				}
				if tc.limit != "" {
					if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.limit}); err != nil {
						t.Fatal(err)
					}
				}
				e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, clk.now)
				e.fund(tc.pool)
				script := fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 10, Completion: 2048}}
				for range tc.tools {
					script.Tools = append(script.Tools, fake.ToolCall{Name: "f", Args: []string{"{}"}})
				}
				srv := fake.NewOpenAI(script)
				t.Cleanup(srv.Close)
				e.add("ollama", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
				c, err := e.svc.Meter().Begin(bobCtx, chat.MeterRequest{ID: "edge-1", Model: "edge", Source: chat.SourceUI,
					Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
				if err != nil {
					t.Fatal(err)
				}
				if money.MinorString(c.HoldMinor) != hold || c.Payer != ledger.AccountPool {
					t.Fatalf("hold %s from %s: the cases need a hold of %s on the pool", money.MinorString(c.HoldMinor), c.Payer, hold)
				}
				r, serr := c.Stream(bobCtx, nil)
				if lapsed {
					clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
				}
				if tc.lower != "" {
					if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.lower}); err != nil {
						t.Fatal(err)
					}
				}
				amount, capped := tc.amount, tc.capped
				if lapsed && tc.lapsedAmount != "" {
					amount, capped = tc.lapsedAmount, tc.lapsedCapped
				}
				ch, err := c.Settle(bobCtx, r, serr, nil)
				if err != nil || ch == nil {
					t.Fatalf("settle = %+v, %v; want a charge of %s", ch, err, amount)
				}
				price := hold
				if tc.tools > 0 {
					price = "4.096000001"
				}
				if ch.Amount != amount || ch.Capped != capped || ch.Price != price || ch.Hold != hold {
					t.Fatalf("charge %s (capped %v, price %s, hold %s); want %s (capped %v, price %s)",
						ch.Amount, ch.Capped, ch.Price, ch.Hold, amount, capped, price)
				}
				if capped && amount == hold && !strings.Contains(ch.Summary, "charged up to the amount set aside for this reply") {
					t.Fatalf("summary %q: want it capped at the hold", ch.Summary)
				}
				if e.charged() != amount || e.balance(ledger.AccountUsage) != amount ||
					e.balance(ledger.AccountPool) != subtract(tc.pool, amount) {
					t.Fatalf("charged %s, sys:usage %s, pool %s; want %s", e.charged(), e.balance(ledger.AccountUsage),
						e.balance(ledger.AccountPool), amount)
				}
				if tc.limit != "" {
					ls, err := tm.Limits(alice, bob.ID)
					if err != nil || len(ls) != 1 || ls[0].Used != amount || ls[0].Pending != "0" {
						t.Fatalf("limits %+v, %v; want %s used, nothing pending", ls, err, amount)
					}
				}
				e.checkLedger()
			})
		}
	}
}
