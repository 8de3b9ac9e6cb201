package chat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// reasoningRateRows price every model of these tests with a reasoning
// rate above its output rate (the rates calculator's worst case), so that
// the upper end says which of the two the output budget was held at.
var reasoningRateRows = []rates.Row{
	{Provider: rates.Anthropic, Model: "claude-sonnet-4-20250514", Input: "0.003", Output: "0.015", Reasoning: "0.03"},
	{Provider: rates.DeepSeek, Model: "deepseek-chat", Input: "0.0005", Output: "0.002", Reasoning: "0.004"},
	{Provider: rates.DeepSeek, Model: "deepseek-reasoner", Input: "0.0005", Output: "0.002", Reasoning: "0.004"},
	{Provider: rates.Gemini, Model: "gemini-2.5-flash", Input: "0.0003", Output: "0.0025", Reasoning: "0.0035"},
	{Provider: rates.Gemini, Model: "gemini-2.5-pro", Input: "0.00125", Output: "0.01", Reasoning: "0.02"},
	{Provider: rates.OpenAI, Model: "gpt-5.1", Input: "0.00125", Output: "0.01", Reasoning: "0.02"},
	{Provider: rates.OpenAI, Model: "o3-mini", Input: "0.0011", Output: "0.0044", Reasoning: "0.0088"},
	{Provider: rates.Local, Model: "qwen3", Input: "0", Output: "0.001", Reasoning: "0.002"},
}

// reasoningSend is a fresh env with reasoningRateRows, the pool funded with
// pool ("": nothing), one provider "p" (a fake of flavor answering script)
// and a conversation with model there at level, holding for 1,000 output
// tokens (and a thinking budget on top where the level asks for one).
func reasoningSend(t *testing.T, flavor fake.Flavor, kind providers.Kind, rp, model string, level providers.Reasoning,
	script fake.Script, pool string) (*env, chat.Conversation) {
	t.Helper()
	e := newEnv(t, nil)
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: reasoningRateRows, Reason: "reasoning rates"}); err != nil {
		t.Fatal(err)
	}
	if pool != "" {
		e.fund(pool)
	}
	srv := fake.New(flavor, script)
	t.Cleanup(srv.Close)
	e.add("p", kind, rp, srv.BaseURL(), 0)
	conv := e.conversation("p", model, "")
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{
		Settings: &chat.ModelSettings{MaxOutput: 1000, Reasoning: level}}); err != nil {
		t.Fatal(err)
	}
	return e, conv
}

// TestHoldPricesReasoningOnlyWhereItIsBilled: the estimate's upper end, and
// the hold a send takes (the same figure), price the output budget at the
// reasoning rate only where the reply may be billed reasoning tokens
// (providers.BillsReasoning): each provider kind with thinking on and off.
// Claude's thinking is billed as output, so its budget is held at the
// output rate whatever the level; deepseek-chat never thinks; Gemini 2.5
// Flash and gpt-5.1 at Off are told not to. Where the model thinks, may, or
// Meterdesk cannot tell (a local model), the budget stays at the reasoning
// rate, and the estimate says so (HighThinking).
func TestHoldPricesReasoningOnlyWhereItIsBilled(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		level  providers.Reasoning
		budget int64  // the output budget held for (1,000 and any thinking budget)
		room   string // the upper end less the prompt's cost: budget × the rate held at
		wide   bool   // HighThinking: held at the reasoning rate
	}{
		{"claude off", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningOff, 1000, "15", false},
		{"claude default", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningDefault, 1000, "15", false},
		// 1,000 + 16,384 thinking tokens, billed as output: 17,384 × 0.015.
		{"claude high", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningHigh, 17384, "260.76", false},
		{"deepseek-chat", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", providers.ReasoningDefault, 1000, "2", false},
		{"deepseek-reasoner", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner", providers.ReasoningDefault, 1000, "4", true},
		{"gemini flash off", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningOff, 1000, "2.5", false},
		{"gemini flash default", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningDefault, 1000, "3.5", true},
		// 1,000 + 24,576 thinking tokens: 25,576 × 0.0035.
		{"gemini flash high", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningHigh, 25576, "89.516", true},
		{"gemini pro off (cannot stop thinking)", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-pro", providers.ReasoningOff, 1000, "20", true},
		{"gpt-5.1 off", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", providers.ReasoningOff, 1000, "10", false},
		{"gpt-5.1 default", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", providers.ReasoningDefault, 1000, "20", true},
		{"gpt-5.1 high", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", providers.ReasoningHigh, 1000, "20", true},
		{"o3-mini off (always reasons)", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", providers.ReasoningOff, 1000, "8.8", true},
		{"local model (unknown)", fake.OpenAI, providers.KindCompatible, rates.Local, "qwen3", providers.ReasoningOff, 1000, "2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, conv := reasoningSend(t, tc.flavor, tc.kind, tc.rp, tc.model, tc.level,
				fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}}, "1000")
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			room := decimal.RequireFromString(est.Estimate.High).Sub(decimal.RequireFromString(est.Estimate.Low))
			if est.Estimate.MaxOutputTokens != tc.budget || !room.Equal(decimal.RequireFromString(tc.room)) || est.Estimate.HighThinking != tc.wide {
				t.Fatalf("estimate %+v: %s above the prompt for %d tokens, highThinking %v; want %s for %d, %v",
					est.Estimate, room, est.Estimate.MaxOutputTokens, est.Estimate.HighThinking, tc.room, tc.budget, tc.wide)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			if m.Charge.Hold != est.Estimate.High {
				t.Errorf("held %s, estimated %s", m.Charge.Hold, est.Estimate.High)
			}
			e.checkLedger()
		})
	}
}

// TestNarrowHoldLetsATightBalanceSend: the member's view of the fix. A pool
// holding exactly what a send of gemini-2.5-flash with thinking off may
// cost (its output budget at the output rate) sends it; at Default, where
// Gemini thinks and its thoughts are billed at the reasoning rate, the same
// pool is refused, nothing sent or charged, the hold named in the refusal.
func TestNarrowHoldLetsATightBalanceSend(t *testing.T) {
	script := fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}}
	e, conv := reasoningSend(t, fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningOff, script, "")
	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.fund(est.Estimate.High)
	wide, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, providers.ReasoningDefault, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !decimal.RequireFromString(wide.Estimate.High).GreaterThan(decimal.RequireFromString(est.Estimate.High)) {
		t.Fatalf("at Default %s, at Off %s: want Default's wider", wide.Estimate.High, est.Estimate.High)
	}
	// Default first: refused, and nothing moves.
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{
		Settings: &chat.ModelSettings{MaxOutput: 1000, Reasoning: providers.ReasoningDefault}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) || !strings.Contains(err.Error(), "may cost up to "+wide.Estimate.High+" credits") {
		t.Fatalf("send at Default with %s: %v", est.Estimate.High, err)
	}
	if got := e.balance("pool"); !decimal.RequireFromString(got).Equal(decimal.RequireFromString(est.Estimate.High)) {
		t.Fatalf("pool %s after a refused send, want %s", got, est.Estimate.High)
	}
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{
		Settings: &chat.ModelSettings{MaxOutput: 1000, Reasoning: providers.ReasoningOff}}); err != nil {
		t.Fatal(err)
	}
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if err != nil {
		t.Fatalf("send at Off with exactly its hold: %v", err)
	}
	if m.Charge.Hold != est.Estimate.High || m.Charge.Capped {
		t.Errorf("held %s (capped %v), want %s", m.Charge.Hold, m.Charge.Capped, est.Estimate.High)
	}
	e.checkLedger()
}

// TestReasoningBeyondANarrowHold: a reply held for at the output rate
// (gemini-2.5-flash with thinking off: no reasoning is billed) that reports
// thoughts all the same is charged exactly what it reports, at the
// reasoning rate: 40×0.0003 + 100×0.0025 + 5,000×0.0035 = 17.762, far above
// its hold (the prompt and 1,000 tokens at 0.0025). It is the overrun rule
// of every send (docs/chat.md "Actual > hold"): a pool that has it is
// charged it whole; one that has only the hold is charged the hold, marked
// capped, the price kept exact, and the reply's line says so in a member's
// words.
func TestReasoningBeyondANarrowHold(t *testing.T) {
	script := fake.Script{Thinking: []string{"Thinking."}, Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 40, Completion: 100, Reasoning: 5000}}
	for _, tc := range []struct {
		name   string
		pool   string // "": exactly the hold
		amount string // "": the hold
		capped bool
	}{
		{name: "the pool has it", pool: "1000", amount: "17.762"},
		{name: "the pool has only the hold", capped: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, conv := reasoningSend(t, fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningOff, script, tc.pool)
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if est.Estimate.HighThinking {
				t.Fatalf("estimate %+v: held at the reasoning rate with thinking off", est.Estimate)
			}
			if tc.pool == "" {
				e.fund(est.Estimate.High)
			}
			amount := tc.amount
			if amount == "" {
				amount = est.Estimate.High
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			ch := m.Charge
			if ch.Hold != est.Estimate.High || ch.Price != "17.762" || ch.Amount != amount || ch.Capped != tc.capped || ch.Estimated {
				t.Fatalf("held %s, price %s, charged %s (capped %v, estimated %v); want %s held, 17.762, %s charged (capped %v)",
					ch.Hold, ch.Price, ch.Amount, ch.Capped, ch.Estimated, est.Estimate.High, amount, tc.capped)
			}
			if !strings.Contains(ch.Summary, "reasoning 5,000 tokens (17.50 credits)") {
				t.Errorf("summary %q does not name the reasoning charged", ch.Summary)
			}
			capped := "(charged up to the amount set aside for this reply; the usage came to 17.762 credits)"
			if strings.Contains(ch.Summary, capped) != tc.capped {
				t.Errorf("summary %q: says it was capped %v, want %v", ch.Summary, !tc.capped, tc.capped)
			}
			if got, want := e.charged(), amount; !decimal.RequireFromString(got).Equal(decimal.RequireFromString(want)) {
				t.Errorf("charged %s in the ledger, want %s", got, want)
			}
			e.checkLedger()
		})
	}
}

// TestRefusalSaysReasoningOffWhereItFits: a send refused for credits at
// Default on a model that can stop reasoning (Gemini 2.5 Flash, gpt-5.1),
// its output budget held at the reasoning rate, says that turning
// Reasoning off would let it through when the narrower hold (its output
// at the output rate) fits what the pool has: the send's refusal and the
// composer's estimate alike, in the words the window and the CLI show.
// Not where it would not fit, nor on a model that cannot stop (Gemini 2.5
// Pro: a pool of what its output would cost at the output rate), where a
// smaller output budget is all it says.
func TestRefusalSaysReasoningOffWhereItFits(t *testing.T) {
	script := fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}}
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		output string // 1,000 output tokens at the output rate
		short  bool   // the pool: half of that beside the prompt, else all of it
		says   bool
	}{
		{"gemini flash, Off fits", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", "2.5", false, true},
		{"gemini flash, Off does not fit", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", "2.5", true, false},
		{"gpt-5.1, Off fits", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", "10", false, true},
		{"gemini pro cannot stop thinking", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-pro", "10", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := reasoningSend(t, tc.flavor, tc.kind, tc.rp, tc.model, providers.ReasoningOff, script, "")
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it: the estimate's pre-flight
			conv := e.conversationAs(alice, "p", tc.model, "")
			if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{
				Settings: &chat.ModelSettings{MaxOutput: 1000, Reasoning: providers.ReasoningDefault}}); err != nil {
				t.Fatal(err)
			}
			est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			output := decimal.RequireFromString(tc.output)
			if tc.short {
				output = output.Div(decimal.NewFromInt(2))
			}
			pool := decimal.RequireFromString(est.Estimate.Low).Add(output)
			e.fund(pool.String())
			off := decimal.RequireFromString(est.Estimate.Low).Add(decimal.RequireFromString(tc.output))
			words := "or turn Reasoning off (it may then cost up to " + off.String() + " credits, its output held at the output rate, not the reasoning rate)"
			_, err = e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			var ie *chat.InsufficientCreditsError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "so a smaller output budget may let it through") {
				t.Fatalf("send at Default with %s: %v", pool, err)
			}
			if strings.Contains(err.Error(), words) != tc.says || (ie.ReasoningOff == off.String()) != tc.says || strings.Contains(err.Error(), "Reasoning off") != tc.says {
				t.Errorf("send at Default with %s: %q (ReasoningOff %q); want Reasoning off offered: %v", pool, err, ie.ReasoningOff, tc.says)
			}
			// The local API's words name it as its requests do: reasoning_effort "none".
			api := `so a smaller max_tokens may let it through, or reasoning_effort "none" (it may then cost up to ` + off.String() + " credits"
			if strings.Contains(ie.APIMessage(), api) != tc.says || !strings.Contains(ie.APIMessage(), "so a smaller max_tokens may let it through") {
				t.Errorf("API message %q; want reasoning_effort \"none\" offered: %v", ie.APIMessage(), tc.says)
			}
			// The window shows the send's refusal as ClassifyFor words it, and the composer's estimate says the same.
			sent := chat.ClassifyFor(alice, err)
			est, err = e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil || est.RefusalInfo == nil || sent == nil || est.RefusalInfo.Message != sent.Message ||
				strings.Contains(est.RefusalInfo.Message, words) != tc.says {
				t.Errorf("estimate's refusal %+v, %v; send's %+v; want the same, Reasoning off offered: %v", est.RefusalInfo, err, sent, tc.says)
			}
			if got := e.balance("pool"); !decimal.RequireFromString(got).Equal(pool) {
				t.Errorf("pool %s after a refused send, want %s", got, pool)
			}
			e.checkLedger()
		})
	}
}
