package chat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/metering"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestLapsedHoldOfNothing: the narrow paths of a reply whose hold was of
// nothing (a free estimate). A local model priced only per tool call (0.5
// credits a call) holds 0, since tool calls are not predicted, yet costs
// something when the reply calls tools; a free reply costs nothing. Each
// case is settled twice, once in time (the hold's posting) and once after
// the stream outlived its hold (chargeLapsed), and is charged the same
// both ways, by one rule: the price when the pool and bob's limits allow
// it, else capped at the hold, which is nothing (a capped charge of 0,
// no refusal: earlier the lapsed reply was refused with the ledger's bare
// "insufficient funds" or the overrun's limit error, which the in-time
// settle never says); and a charge of nothing is never refused by a limit,
// even one lowered below what bob used meanwhile (earlier a free lapsed
// reply was refused then). Each checks the exact charge, its breakdown and
// summary, the balances against the postings and that no hold is left
// pending.
func TestLapsedHoldOfNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tools   int    // tool calls the reply makes (0.5 credits each)
		limit   string // bob's daily limit, set before the send ("" = none)
		lowered string // bob's daily limit once the reply streamed ("" = unchanged)
		left    string // the pool is spent down to this once the reply streamed ("" = not spent)
		amount  string // charged
		capped  bool
		summary string
	}{
		{name: "tool calls priced, the pool pays: the price above a hold of nothing", tools: 2, amount: "1",
			summary: "tool calls 2 (1.00) · total 1.00 credits"},
		{name: "tool calls priced, the pool has less than the price: capped at the hold, nothing", tools: 2, left: "0.4",
			amount: "0", capped: true, summary: "total 0.00 credits (charged up to the amount set aside for this reply; the usage came to 1.00 credits)"},
		{name: "tool calls priced, the pool spent to nothing: capped at the hold, nothing", tools: 2, left: "0",
			amount: "0", capped: true, summary: "(charged up to the amount set aside for this reply; the usage came to 1.00 credits)"},
		{name: "tool calls priced, bob's limit below the price: capped at the hold, nothing", tools: 2, limit: "0.6",
			amount: "0", capped: true, summary: "(charged up to the amount set aside for this reply; the usage came to 1.00 credits)"},
		{name: "tool calls priced, exactly bob's limit: the price", tools: 2, limit: "1", amount: "1"},
		{name: "a free reply, bob's limit lowered below what he used: nothing, not refused", limit: "10", lowered: "0.1",
			amount: "0", summary: "tooly · input 10 tokens · output 1 token · free"},
		{name: "a free reply, the pool spent to nothing: nothing", left: "0", amount: "0"},
	} {
		for _, lapsed := range []bool{false, true} {
			name := tc.name + ", in time"
			if lapsed {
				name = tc.name + ", lapsed"
			}
			t.Run(name, func(t *testing.T) {
				e, clk, tm, alice, bob, bobCtx := teamAt(t, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
				if _, err := e.rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "tooly",
					Input: "0", Output: "0", PerToolCall: "0.5"}}, Reason: "a model priced per tool call"}); err != nil {
					t.Fatal(err)
				}
				if tc.limit != "" {
					if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.limit}); err != nil {
						t.Fatal(err)
					}
				}
				e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, clk.now)
				e.fund("100")
				srv := fake.NewOpenAI(fake.Script{})
				t.Cleanup(srv.Close)
				e.add("ollama", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
				spent := "0"
				if tc.lowered != "" {
					// bob used 0.5 earlier today (one tool call), so the
					// lowered limit is below what he used.
					srv.SetScript(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 10, Completion: 1},
						Tools: []fake.ToolCall{{Name: "f", Args: []string{"{}"}}}})
					if _, _, err := e.svc.Meter().Run(bobCtx, chat.MeterRequest{ID: "earlier", Model: "tooly", Source: chat.SourceUI,
						Messages: []providers.Message{{Role: "user", Content: "call f"}}}, nil); err != nil {
						t.Fatal(err)
					}
					spent = "0.5"
				}
				script := fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 10, Completion: 1}}
				for range tc.tools {
					script.Tools = append(script.Tools, fake.ToolCall{Name: "lookup", Args: []string{`{"q":1}`}})
				}
				srv.SetScript(script)
				c, err := e.svc.Meter().Begin(bobCtx, chat.MeterRequest{ID: "long-1", Model: "tooly", Source: chat.SourceUI,
					Messages: []providers.Message{{Role: "user", Content: "2+2?"}}})
				if err != nil {
					t.Fatal(err)
				}
				if c.HoldMinor != 0 || c.Payer != ledger.AccountPool {
					t.Fatalf("hold %s from %s: the cases need a hold of nothing on the pool", money.MinorString(c.HoldMinor), c.Payer)
				}
				r, serr := c.Stream(bobCtx, nil)
				if serr != nil || r.ToolCalls != tc.tools {
					t.Fatalf("stream: %d tool calls, %v; want %d", r.ToolCalls, serr, tc.tools)
				}
				if lapsed {
					clk.add(chat.HoldTTL + time.Minute) // the stream outlived its hold
				}
				if tc.lowered != "" {
					if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.lowered}); err != nil {
						t.Fatal(err)
					}
				}
				if tc.left != "" {
					if err := e.led.EnsureAccount(systemCtx, "dept:1"); err != nil {
						t.Fatal(err)
					}
					if _, err := e.led.Transfer(alice, ledger.TransferRequest{ID: "spend", Op: ledger.OpTransfer, From: ledger.AccountPool,
						To: "dept:1", Amount: mustDec(subtract(e.balance(ledger.AccountPool), tc.left))}); err != nil {
						t.Fatal(err)
					}
				}
				ch, err := c.Settle(bobCtx, r, serr, nil)
				if err != nil || ch == nil {
					t.Fatalf("settle = %+v, %v; want a charge of %s", ch, err, tc.amount)
				}
				price := money.DisplayString(mustDec("0.5").Mul(decimal.NewFromInt(int64(tc.tools))).String())
				if ch.Amount != tc.amount || ch.Capped != tc.capped || ch.Hold != "0" || ch.TransferID == 0 ||
					money.DisplayString(ch.Price) != price {
					t.Fatalf("charge %s (capped %v, price %s, hold %s, transfer %d); want %s (capped %v, price %s, hold 0)",
						ch.Amount, ch.Capped, ch.Price, ch.Hold, ch.TransferID, tc.amount, tc.capped, price)
				}
				if tc.tools > 0 {
					var line *metering.Line
					for i, l := range ch.Breakdown.Lines {
						if l.Kind == metering.LineToolCalls {
							line = &ch.Breakdown.Lines[i]
						}
					}
					if line == nil || line.Quantity != int64(tc.tools) || money.DisplayString(line.Amount) != price {
						t.Fatalf("breakdown %+v: want %d tool calls priced %s", ch.Breakdown.Lines, tc.tools, price)
					}
				}
				if !strings.Contains(ch.Summary, tc.summary) {
					t.Fatalf("summary %q, want it to say %q", ch.Summary, tc.summary)
				}
				if n := e.count(`SELECT count(*) FROM chat_charges WHERE request_id = 'long-1' AND transfer_id = ? AND amount_minor = ?`,
					ch.TransferID, mustMinor(tc.amount)); n != 1 {
					t.Fatalf("%d charge rows for transfer %d of %s", n, ch.TransferID, tc.amount)
				}
				var meta string
				if err := e.db.Read().QueryRow(`SELECT meta FROM ledger_transfers WHERE id = ?`, ch.TransferID).Scan(&meta); err != nil ||
					strings.Contains(meta, `"capped":true`) != tc.capped {
					t.Fatalf("meta %s (%v), want capped %v", meta, err, tc.capped)
				}
				total := mustDec(spent).Add(mustDec(tc.amount)).String()
				if e.charged() != total || e.balance(ledger.AccountUsage) != total {
					t.Fatalf("charged %s, sys:usage %s; want %s", e.charged(), e.balance(ledger.AccountUsage), total)
				}
				pool := subtract("100", total)
				if tc.left != "" {
					pool = subtract(tc.left, tc.amount)
				}
				if e.balance(ledger.AccountPool) != pool {
					t.Fatalf("pool %s, want %s", e.balance(ledger.AccountPool), pool)
				}
				want := "posted"
				if lapsed {
					want = "voided"
				}
				if st, err := e.svc.Meter().HoldStatus(alice, "long-1"); err != nil || st != want {
					t.Fatalf("hold %q, %v; want %s", st, err, want)
				}
				e.checkLedger()
			})
		}
	}
}
