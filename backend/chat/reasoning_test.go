package chat_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// sentReasoning is what the last chat request to srv carried that a
// reasoning level decides, in the provider's own names (see
// providers.TestReasoningOnTheWire).
func sentReasoning(t *testing.T, srv *fake.Server, kind providers.Kind) map[string]any {
	t.Helper()
	body := lastBody(t, srv)
	from, names := body, []string{"reasoning_effort", "max_completion_tokens", "max_tokens"}
	switch kind {
	case providers.KindAnthropic:
		names = []string{"thinking", "output_config", "max_tokens"}
	case providers.KindGemini:
		from, _ = body["generationConfig"].(map[string]any)
		names = []string{"thinkingConfig", "maxOutputTokens"}
	}
	out := map[string]any{}
	for _, n := range names {
		if v, ok := from[n]; ok {
			out[n] = v
		}
	}
	return out
}

// o3miniRates prices o3-mini (the other models are testRates').
var o3miniRates = []rates.Row{{Provider: rates.OpenAI, Model: "o3-mini", Input: "0.0011", Output: "0.0044"}}

// thinkingSend is the set-up of a send with a Reasoning level: a fresh env
// whose one provider "p" is a fake, and a conversation with model there.
type thinkingSend struct {
	flavor fake.Flavor         // the fake's wire format ("": Anthropic's)
	kind   providers.Kind      // the provider's kind ("": Anthropic)
	rp     string              // the provider's rates ("": Anthropic's)
	model  string              // the conversation's model
	extra  []rates.Row         // prices beside testRates
	set    *chat.ModelSettings // the conversation's settings (nil: none saved)
	script *fake.Script        // what the fake answers (nil: "42", 30 prompt and 10 completion tokens)
	pool   string              // the pool's credits ("": 1,000)
}

// start makes the env, the fake (closed when t ends) and the conversation.
func (s thinkingSend) start(t *testing.T) (*env, *fake.Server, chat.Conversation) {
	t.Helper()
	flavor, kind, rp, pool := s.flavor, s.kind, s.rp, s.pool
	if flavor == "" {
		flavor, kind, rp = fake.Anthropic, providers.KindAnthropic, rates.Anthropic
	}
	if pool == "" {
		pool = "1000"
	}
	script := fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}}
	if s.script != nil {
		script = *s.script
	}
	e := newEnv(t, nil)
	if len(s.extra) > 0 {
		if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: append(append([]rates.Row{}, testRates...), s.extra...), Reason: "reasoning models"}); err != nil {
			t.Fatal(err)
		}
	}
	e.fund(pool)
	srv := fake.New(flavor, script)
	t.Cleanup(srv.Close)
	e.add("p", kind, rp, srv.BaseURL(), 0)
	conv := e.conversation("p", s.model, "")
	if s.set != nil {
		if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: s.set}); err != nil {
			t.Fatalf("saving the settings: %v (they are refused only when sent)", err)
		}
	}
	return e, srv, conv
}

// TestReasoningIsHeldAndCharged: a conversation's Reasoning level reaches
// each provider in its own field, the hold covers the thinking budget and
// the answer's (thinking is billed as output: Claude's High asks for 16,384
// thinking tokens above the 4,096 of the answer, so it holds for 20,480),
// the composer's estimate is that hold, and the usage with thinking is
// charged exactly as the provider reports it (Anthropic's output_tokens
// include the thinking, OpenAI's reasoning_tokens are inside
// completion_tokens, Gemini's thoughtsTokenCount is beside
// candidatesTokenCount; the normalisers already count each so).
func TestReasoningIsHeldAndCharged(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		level  providers.Reasoning
		script fake.Script
		budget int    // the output budget held for and sent
		rate   string // output rate: the hold is the prompt plus budget × rate
		sent   string // sentReasoning
		charge string
	}{
		// 30×0.003 + 2,500×0.015 (output_tokens, thinking included)
		{"claude high", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningHigh,
			fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 2500}},
			20480, "0.015", `{"max_tokens":20480,"thinking":{"type":"enabled","budget_tokens":16384}}`, "37.59"},
		{"claude low", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningLow,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 900}},
			5120, "0.015", `{"max_tokens":5120,"thinking":{"type":"enabled","budget_tokens":1024}}`, "13.59"},
		// Default and Off send nothing: the answer's budget alone, as before.
		{"claude default", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningDefault,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}},
			4096, "0.015", `{"max_tokens":4096}`, "0.24"},
		{"claude off", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningOff,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}},
			4096, "0.015", `{"max_tokens":4096}`, "0.24"},
		// 40×0.0003 + (100 + 5,000 thoughts)×0.0025 (no reasoning rate: output's)
		{"gemini flash high", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningHigh,
			fake.Script{Thinking: []string{"Thinking."}, Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 40, Completion: 100, Reasoning: 5000}},
			32768, "0.0025", `{"maxOutputTokens":32768,"thinkingConfig":{"thinkingBudget":24576}}`, "12.762"},
		{"gemini flash off", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningOff,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 40, Completion: 100}},
			8192, "0.0025", `{"maxOutputTokens":8192,"thinkingConfig":{"thinkingBudget":0}}`, "0.262"},
		// reasoning_effort has no budget: its reasoning counts within
		// max_completion_tokens, as before. 20×0.0011 + 900×0.0044
		{"openai o3-mini high", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", providers.ReasoningHigh,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 20, Completion: 900, Reasoning: 800}},
			16384, "0.0044", `{"max_completion_tokens":16384,"reasoning_effort":"high"}`, "3.982"},
		// Not a reasoning model: nothing sent, nothing added.
		{"openai gpt-4o high", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", providers.ReasoningHigh,
			fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 20, Completion: 10}},
			4096, "0.01", `{"max_completion_tokens":4096}`, "0.12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, srv, conv := thinkingSend{flavor: tc.flavor, kind: tc.kind, rp: tc.rateP, model: tc.model, extra: o3miniRates,
				set: &chat.ModelSettings{Reasoning: tc.level}, script: &tc.script}.start(t)
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			// The upper end is the prompt plus the whole budget at the output rate.
			room := decimal.RequireFromString(est.Estimate.High).Sub(decimal.RequireFromString(est.Estimate.Low))
			if est.Estimate.MaxOutputTokens != int64(tc.budget) ||
				!room.Equal(decimal.NewFromInt(int64(tc.budget)).Mul(decimal.RequireFromString(tc.rate))) {
				t.Fatalf("estimate for %d output tokens %+v", tc.budget, est.Estimate)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			if m.Charge.Hold != est.Estimate.High || m.OutputBudget != tc.budget {
				t.Errorf("held %s for %d tokens, estimated %s for %d", m.Charge.Hold, m.OutputBudget, est.Estimate.High, tc.budget)
			}
			if m.Charge.Amount != tc.charge || m.Charge.Estimated || m.Content != "42" {
				t.Errorf("charged %s (estimated %v) for %q, want %s exactly", m.Charge.Amount, m.Charge.Estimated, m.Content, tc.charge)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tc.sent), &want); err != nil {
				t.Fatal(err)
			}
			if got := sentReasoning(t, srv, tc.kind); !reflect.DeepEqual(got, want) {
				t.Errorf("sent %v, want %s", got, tc.sent)
			}
			e.checkLedger()
		})
	}
}

// TestReasoningBudgetNeedsCredits: the thinking budget is held before the
// request: a pool that covers Claude's answer budget (4,096 output tokens,
// 61.44 credits) but not the 16,384 thinking tokens High adds is refused
// with nothing sent or charged, and the same message goes out at Default.
func TestReasoningBudgetNeedsCredits(t *testing.T) {
	e, srv, conv := thinkingSend{model: "claude-sonnet-4-20250514", set: &chat.ModelSettings{Reasoning: providers.ReasoningHigh}, pool: "100"}.start(t)
	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil || est.Estimate.MaxOutputTokens != 20480 {
		t.Fatalf("estimate %+v, %v", est, err)
	}
	// The refusal says how much of the hold the thinking budget is
	// (16,384 × 0.015 of 20,480 × 0.015 + the prompt), and that a lower
	// level may let it through; not a smaller output budget, since the
	// thinking budget alone (245.76) is over the 100 available.
	_, err = e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) {
		t.Fatalf("send at High: %v, want ErrInsufficientCredits", err)
	}
	const why = "the rest is the room held for up to 20,480 output tokens, 16,384 of them the thinking budget of Reasoning high " +
		"(245.76 credits of the hold), and not even one output token fits beside that thinking budget, so a lower Reasoning level may let it through"
	if !strings.Contains(err.Error(), ". The prompt costs "+est.Estimate.Low+"; "+why) || strings.Contains(err.Error(), "hold:") ||
		strings.Contains(err.Error(), "smaller output budget") {
		t.Errorf("refusal %q\nwant it to say: %s", err, why)
	}
	// The local API says it in its own fields: reasoning_effort, max_tokens.
	var ie *chat.InsufficientCreditsError
	const apiWhy = "the rest is held for up to 20,480 output tokens, 16,384 of them the thinking budget of reasoning_effort high " +
		"(245.76 credits), and not even one output token fits beside that thinking budget, so a lower reasoning_effort may let it through."
	if !errors.As(err, &ie) || !strings.Contains(ie.APIMessage(), " The prompt costs "+est.Estimate.Low+"; "+apiWhy) {
		t.Errorf("refusal for the API %q\nwant it to say: %s", ie.APIMessage(), apiWhy)
	}
	checkAPIWords(t, ie.APIMessage())
	if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
		t.Fatalf("%d provider requests, charged %s", n, e.charged())
	}
	// A send's own level wins for that send: at Default it fits.
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI,
		Reasoning: providers.ReasoningDefault})
	if err != nil || m.OutputBudget != 4096 {
		t.Fatalf("send at Default: %+v, %v", m, err)
	}
	if got := sentReasoning(t, srv, providers.KindAnthropic); !reflect.DeepEqual(got, map[string]any{"max_tokens": float64(4096)}) {
		t.Errorf("sent %v", got)
	}
	if c, err := e.svc.Conversation(adminCtx, conv.ID); err != nil || c.Settings.Reasoning != providers.ReasoningHigh {
		t.Errorf("a send's level changed the conversation's to %q (%v)", c.Settings.Reasoning, err)
	}
	e.checkLedger()
}

// TestReasoningSupportInTheModelList: the model picker says what the
// Reasoning setting does with each model, so the window can say when it
// does not apply.
func TestReasoningSupportInTheModelList(t *testing.T) {
	e := newEnv(t, nil)
	e.add("claude", providers.KindAnthropic, rates.Anthropic, "https://api.anthropic.com", 0)
	e.add("gemini", providers.KindGemini, rates.Gemini, "https://generativelanguage.googleapis.com", 0)
	e.add("openai", providers.KindOpenAI, rates.OpenAI, "https://api.openai.com/v1", 0)
	e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, "https://api.deepseek.com", 0)
	opts, err := e.svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*chat.ReasoningSupport{
		// How the thinking budget is charged, per kind: Claude's as output,
		// Gemini's thoughts at the reasoning rate (the window said "as
		// output" for both).
		"claude-sonnet-4-20250514": {Control: "budget", ThinkingCharged: chat.ThinkingChargedAsOutput, Off: true, Low: 1024, Medium: 4096, High: 16384, FixedSampling: true},
		"gemini-2.5-flash":         {Control: "budget", ThinkingCharged: chat.ThinkingChargedAsReasoning, Off: true, Low: 1024, Medium: 8192, High: 24576},
		"gpt-4o":                   nil,
		"deepseek-chat":            nil,
	}
	checkSupport(t, opts, want)
}

// checkSupport checks that each model of want is listed in opts, once, with
// the ReasoningSupport want says (nil: none).
func checkSupport(t *testing.T, opts []chat.ModelOption, want map[string]*chat.ReasoningSupport) {
	t.Helper()
	seen := map[string]int{}
	for _, o := range opts {
		if w, ok := want[o.Model]; ok {
			seen[o.Model]++
			if !reflect.DeepEqual(o.ReasoningSupport, w) {
				t.Errorf("%s: %+v, want %+v", o.Model, o.ReasoningSupport, w)
			}
		}
	}
	for m := range want {
		if seen[m] != 1 {
			t.Errorf("%s listed %d times: %+v", m, seen[m], opts)
		}
	}
}

// TestReasoningSupportSaysWhatOffSends: the model list says which effort
// Off sends (gpt-5.1's "none"), and none for Claude's adaptive thinking,
// where Off sends nothing (Claude thinks only when asked): the window's
// hint read every effort model's Off as "Reasoning effort none".
func TestReasoningSupportSaysWhatOffSends(t *testing.T) {
	e := newEnv(t, nil)
	e.add("claude", providers.KindAnthropic, rates.Anthropic, "https://api.anthropic.com", 0)
	e.add("openai", providers.KindOpenAI, rates.OpenAI, "https://api.openai.com/v1", 0)
	rows := append(append([]rates.Row{}, testRates...), claudeRates...)
	rows = append(rows, rates.Row{Provider: rates.OpenAI, Model: "gpt-5.1", Input: "0.00125", Output: "0.01"})
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: rows, Reason: "reasoning models"}); err != nil {
		t.Fatal(err)
	}
	opts, err := e.svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*chat.ReasoningSupport{
		"gpt-5.1":         {Control: "effort", Off: true, OffEffort: "none"},
		"claude-opus-4-7": {Control: "effort", Off: true, FixedSampling: true, NoSampling: true},
		"o3-mini":         {Control: "effort"},
	}
	checkSupport(t, opts, want)
}

// claudeRates price the Claude models whose thinking differs from Claude
// 4's (adaptive thinking, or none documented).
var claudeRates = []rates.Row{
	{Provider: rates.Anthropic, Model: "claude-opus-4-7", Input: "0.005", Output: "0.025"},
	{Provider: rates.Anthropic, Model: "claude-opus-4-6", Input: "0.005", Output: "0.025"},
	{Provider: rates.Anthropic, Model: "claude-mythos-preview", Input: "0.025", Output: "0.125"},
	{Provider: rates.Anthropic, Model: "claude-opus-4-9", Input: "0.005", Output: "0.025"},
}

// TestAdaptiveThinkingHoldsMaxOutput: Claude Opus 4.7 and the other models
// that refuse a thinking budget are sent adaptive thinking with the level
// as output_config.effort, and their thinking counts within max_tokens:
// nothing is added to the output budget that is sent, held and estimated
// (before, they were sent "enabled" with a budget, a 400), and so is Opus
// 4.6, where the budget is deprecated; a Claude name whose rule is not
// documented yet is sent nothing, and holds its answer's budget alone.
func TestAdaptiveThinkingHoldsMaxOutput(t *testing.T) {
	for _, tc := range []struct {
		model  string
		level  providers.Reasoning
		budget int    // the output budget sent, held and estimated
		sent   string // sentReasoning
	}{
		{"claude-opus-4-7", providers.ReasoningHigh, 4096,
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"high"}}`},
		{"claude-opus-4-7", providers.ReasoningLow, 4096,
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"low"}}`},
		{"claude-opus-4-7", providers.ReasoningOff, 4096, `{"max_tokens":4096}`},
		{"claude-mythos-preview", providers.ReasoningMedium, 4096,
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"medium"}}`},
		{"claude-opus-4-6", providers.ReasoningMedium, 4096,
			`{"max_tokens":4096,"thinking":{"type":"adaptive"},"output_config":{"effort":"medium"}}`},
		{"claude-opus-4-9", providers.ReasoningHigh, 4096, `{"max_tokens":4096}`},
	} {
		t.Run(tc.model+" "+string(tc.level), func(t *testing.T) {
			e, srv, conv := thinkingSend{model: tc.model, extra: claudeRates, set: &chat.ModelSettings{Reasoning: tc.level}}.start(t)
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil || est.Estimate.MaxOutputTokens != int64(tc.budget) {
				t.Fatalf("estimate %+v, %v; want %d output tokens", est.Estimate, err, tc.budget)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			if m.OutputBudget != tc.budget || m.Charge.Hold != est.Estimate.High {
				t.Errorf("held %s for %d tokens, estimated %s", m.Charge.Hold, m.OutputBudget, est.Estimate.High)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tc.sent), &want); err != nil {
				t.Fatal(err)
			}
			if got := sentReasoning(t, srv, providers.KindAnthropic); !reflect.DeepEqual(got, want) {
				t.Errorf("sent %v, want %s", got, tc.sent)
			}
			e.checkLedger()
		})
	}
}

// TestReasoningLevelAsTyped: a level written with capitals or blanks is
// the level itself for the estimate and the send alike (it is checked and
// kept as ParseReasoning reads it): "HIGH" prices and holds Claude's
// 16,384 thinking tokens, and the send goes out with them. Before, the
// check passed but the level was dropped: the estimate held no thinking
// budget and the provider adapter refused the send.
func TestReasoningLevelAsTyped(t *testing.T) {
	for _, level := range []providers.Reasoning{"HIGH", " High ", "high"} {
		t.Run(string(level), func(t *testing.T) {
			e, srv, conv := thinkingSend{model: "claude-sonnet-4-20250514"}.start(t)
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, level, nil)
			if err != nil || est.Estimate.MaxOutputTokens != 20480 {
				t.Fatalf("estimate at %q: %+v, %v; want 20480 output tokens", level, est.Estimate, err)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI, Reasoning: level})
			if err != nil || m.OutputBudget != 20480 || m.Charge.Hold != est.Estimate.High {
				t.Fatalf("send at %q: %+v, %v", level, m, err)
			}
			want := map[string]any{"max_tokens": float64(20480), "thinking": map[string]any{"type": "enabled", "budget_tokens": float64(16384)}}
			if got := sentReasoning(t, srv, providers.KindAnthropic); !reflect.DeepEqual(got, want) {
				t.Errorf("sent %v", got)
			}
			e.checkLedger()
		})
	}
}

// TestThinkingSamplingRefused: Claude refuses a temperature other than 1
// and a top_p below 0.95 while it thinks (a 400, documented), and
// Meterdesk knows both before sending: such a send is refused before
// anything is held, sent or charged, the draft kept, with ErrInvalid (the
// CLI's exit 2) and a message naming the setting to clear; the window says
// the same under its Reasoning picker. A temperature of 1, a top_p from
// 0.95, or a level that does not turn thinking on, is sent as before.
func TestThinkingSamplingRefused(t *testing.T) {
	half, one, tight, loose := 0.5, 1.0, 0.9, 0.95
	for _, tc := range []struct {
		name  string
		model string
		set   chat.ModelSettings
		send  chat.SendRequest // a send's own overrides
		want  string           // the refusal ("" = sent)
	}{
		{"temperature at high", "claude-sonnet-4-20250514", chat.ModelSettings{Temperature: &half, Reasoning: providers.ReasoningHigh}, chat.SendRequest{},
			"invalid chat request: claude-sonnet-4-20250514 takes no temperature other than 1 while it thinks (Reasoning high): " +
				"clear Temperature in Model settings, or set Reasoning to Default or Off (nothing was sent or charged)"},
		{"top P with adaptive thinking", "claude-opus-4-6", chat.ModelSettings{TopP: &tight, Reasoning: providers.ReasoningLow}, chat.SendRequest{},
			"invalid chat request: claude-opus-4-6 takes a top P only from 0.95 to 1 while it thinks (Reasoning low): " +
				"clear Top P in Model settings, or set Reasoning to Default or Off (nothing was sent or charged)"},
		// Opus 4.7 and later refuse a sampling of their own at any level:
		// the Reasoning level is no way past it.
		{"Opus 4.7 refuses a temperature at Off too", "claude-opus-4-7", chat.ModelSettings{Temperature: &half, Reasoning: providers.ReasoningOff}, chat.SendRequest{},
			"invalid chat request: claude-opus-4-7 takes no temperature other than 1, at any Reasoning level: " +
				"clear Temperature in Model settings (nothing was sent or charged)"},
		{"Opus 4.7 refuses a top P at Default", "claude-opus-4-7", chat.ModelSettings{TopP: &loose}, chat.SendRequest{},
			"invalid chat request: claude-opus-4-7 takes no top P other than 1, at any Reasoning level: " +
				"clear Top P in Model settings (nothing was sent or charged)"},
		{"Opus 4.7 at temperature 1 and top P 1: taken (and not sent)", "claude-opus-4-7",
			chat.ModelSettings{Temperature: &one, TopP: &one, Reasoning: providers.ReasoningHigh}, chat.SendRequest{}, ""},
		{"Mythos always thinks: only clearing helps", "claude-mythos-preview", chat.ModelSettings{Temperature: &half, Reasoning: providers.ReasoningMedium}, chat.SendRequest{},
			"invalid chat request: claude-mythos-preview takes no temperature other than 1 while it thinks (Reasoning medium): " +
				"clear Temperature in Model settings (nothing was sent or charged)"},
		{"Mythos thinks at Default too", "claude-mythos-preview", chat.ModelSettings{Temperature: &half}, chat.SendRequest{},
			"invalid chat request: claude-mythos-preview takes no temperature other than 1 while it thinks (Reasoning default): " +
				"clear Temperature in Model settings (nothing was sent or charged)"},
		{"a send's own temperature", "claude-sonnet-4-20250514", chat.ModelSettings{Reasoning: providers.ReasoningLow}, chat.SendRequest{Temperature: &half},
			"invalid chat request: claude-sonnet-4-20250514 takes no temperature other than 1 while it thinks (Reasoning low): " +
				"clear Temperature in Model settings, or set Reasoning to Default or Off (nothing was sent or charged)"},
		{"a send's own level", "claude-sonnet-4-20250514", chat.ModelSettings{Temperature: &half}, chat.SendRequest{Reasoning: "High"},
			"invalid chat request: claude-sonnet-4-20250514 takes no temperature other than 1 while it thinks (Reasoning high): " +
				"clear Temperature in Model settings, or set Reasoning to Default or Off (nothing was sent or charged)"},
		{"temperature 1 and top P 0.95 are taken", "claude-sonnet-4-20250514", chat.ModelSettings{Temperature: &one, TopP: &loose, Reasoning: providers.ReasoningHigh}, chat.SendRequest{}, ""},
		{"no thinking at Default", "claude-sonnet-4-20250514", chat.ModelSettings{Temperature: &half, TopP: &tight}, chat.SendRequest{}, ""},
		{"no thinking at Off", "claude-opus-4-6", chat.ModelSettings{Temperature: &half, Reasoning: providers.ReasoningOff}, chat.SendRequest{}, ""},
		{"a model without thinking", "claude-opus-4-9", chat.ModelSettings{Temperature: &half, Reasoning: providers.ReasoningHigh}, chat.SendRequest{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, srv, conv := thinkingSend{model: tc.model, extra: claudeRates, set: &tc.set}.start(t)
			req := tc.send
			req.ConversationID, req.Text, req.Source = conv.ID, "Think about it", chat.SourceUI
			m, err := e.svc.Send(adminCtx, req)
			if tc.want == "" {
				if err != nil || m.Content != "42" || srv.ChatRequests() != 1 {
					t.Fatalf("send: %+v, %v (%d requests)", m, err, srv.ChatRequests())
				}
				e.checkLedger()
				return
			}
			var tse *chat.ThinkingSamplingError
			if !errors.Is(err, chat.ErrInvalid) || !errors.As(err, &tse) || err.Error() != tc.want {
				t.Fatalf("send: %v\nwant %s", err, tc.want)
			}
			if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
				t.Errorf("%d provider requests, charged %s", n, e.charged())
			}
			if info := chat.Classify(err); info.Code != chat.CodeInvalid {
				t.Errorf("classified %+v", info)
			}
			c, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil || c.Draft != "Think about it" {
				t.Errorf("draft %q, %v: want the text kept", c.Draft, err)
			}
			if msgs, err := e.svc.Messages(adminCtx, conv.ID); err != nil || len(msgs) != 0 {
				t.Errorf("messages %+v, %v: want none stored", msgs, err)
			}
			e.checkLedger()
		})
	}
}

// TestExactReasoning: a send that names its reasoning level itself
// (MeterRequest.ExactReasoning, the local API's reasoning_effort) is
// refused with a *ReasoningError (ErrInvalid) before anything is held or
// sent when the model does not honour the level: a model that takes no
// reasoning setting (gpt-4o, DeepSeek's), Off to one that always thinks
// (Mythos). Without ExactReasoning the same send goes out with nothing of
// the level in it, as the chat's Reasoning setting does where it does not
// apply; a level the model honours goes out either way.
func TestExactReasoning(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		level  providers.Reasoning
		want   string // ExactReasoning's refusal ("" = sent)
	}{
		{"no reasoning setting", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", providers.ReasoningHigh,
			"invalid chat request: gpt-4o takes no reasoning level Meterdesk can send (Reasoning high); leave the level to the provider (nothing was sent or charged)"},
		{"deepseek", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", providers.ReasoningOff,
			"invalid chat request: deepseek-chat takes no reasoning level Meterdesk can send (Reasoning off); leave the level to the provider (nothing was sent or charged)"},
		{"off to a model that always thinks", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-mythos-preview", providers.ReasoningOff,
			"invalid chat request: claude-mythos-preview always reasons and cannot be asked not to (Reasoning off); ask for low, medium or high, or leave the level to the provider (nothing was sent or charged)"},
		{"off to Claude, which thinks only when asked", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningOff, ""},
		{"low to o3-mini", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", providers.ReasoningLow, ""},
		{"default to a model without reasoning", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", providers.ReasoningDefault, ""},
	} {
		for _, exact := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, exact %v", tc.name, exact), func(t *testing.T) {
				srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}})
				defer srv.Close()
				e := newEnv(t, nil)
				e.fund("1000")
				rows := append(append(append([]rates.Row{}, testRates...), claudeRates...), o3miniRates...)
				if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: rows, Reason: "reasoning"}); err != nil {
					t.Fatal(err)
				}
				e.add("p", tc.kind, tc.rp, srv.BaseURL(), 0)
				_, _, err := e.svc.Meter().Run(adminCtx, chat.MeterRequest{ID: "exact-1", Model: tc.model, Source: chat.SourceAPI,
					Messages: []providers.Message{{Role: "user", Content: "Think"}}, Reasoning: tc.level, ExactReasoning: exact}, nil)
				if !exact || tc.want == "" {
					if err != nil || srv.ChatRequests() != 1 {
						t.Fatalf("run: %v (%d requests)", err, srv.ChatRequests())
					}
					e.checkLedger()
					return
				}
				var re *chat.ReasoningError
				if !errors.Is(err, chat.ErrInvalid) || !errors.As(err, &re) || err.Error() != tc.want {
					t.Fatalf("run: %v\nwant %s", err, tc.want)
				}
				if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
					t.Errorf("%d provider requests, charged %s", n, e.charged())
				}
				if n := e.count(`SELECT count(*) FROM ledger_holds`); n != 0 {
					t.Errorf("%d holds, want none", n)
				}
			})
		}
	}
}

// TestModelRulesRefusedBeforeTheHold: a send its model would refuse with a
// 400 is refused before anything is held, sent or charged, its draft
// kept, with ErrInvalid and words saying what to change; the composer's
// estimate (and `chat --estimate`) says the same and is Blocked:
//   - a reasoning level the model does not take (gpt-5-pro takes only
//     high; Gemini 3 Pro low and high);
//   - an output budget above the model's documented ceiling (Claude Opus
//     4.1 writes at most 32,000 tokens: Max output 30,000 plus High's
//     16,384 thinking budget is 46,384);
//   - a temperature Opus 4.7 refuses whatever the level.
//
// Each failed before: the send was held for and went out, and came back
// as the provider's 400.
func TestModelRulesRefusedBeforeTheHold(t *testing.T) {
	half := 0.5
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		set    chat.ModelSettings
		want   string // the refusal's advice
		check  func(error) bool
	}{
		{"gpt-5-pro low", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5-pro", chat.ModelSettings{Reasoning: providers.ReasoningLow},
			"gpt-5-pro takes Reasoning high, not low: set Reasoning to High or Default in Model settings",
			func(err error) bool { var e *chat.ReasoningLevelError; return errors.As(err, &e) }},
		{"gemini 3 pro medium", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-3-pro-preview", chat.ModelSettings{Reasoning: providers.ReasoningMedium},
			"gemini-3-pro-preview takes Reasoning low or high, not medium: set Reasoning to Low, High or Default in Model settings",
			func(err error) bool { var e *chat.ReasoningLevelError; return errors.As(err, &e) }},
		{"claude opus 4.1 above its ceiling", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-opus-4-1",
			chat.ModelSettings{MaxOutput: 30000, Reasoning: providers.ReasoningHigh},
			"claude-opus-4-1 writes at most 32,000 output tokens: Max output 30,000 plus the 16,384 thinking tokens of Reasoning high is 46,384: " +
				"lower Max output tokens to 15,616 or less, or the Reasoning level",
			func(err error) bool { var e *chat.OutputCeilingError; return errors.As(err, &e) }},
		{"claude sonnet 4.5 above its ceiling without thinking", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-5",
			chat.ModelSettings{MaxOutput: 100000},
			"claude-sonnet-4-5 writes at most 64,000 output tokens: lower Max output tokens to 64,000 or less",
			func(err error) bool { var e *chat.OutputCeilingError; return errors.As(err, &e) }},
		{"claude opus 5 above its ceiling", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-opus-5",
			chat.ModelSettings{MaxOutput: 200000},
			"claude-opus-5 writes at most 128,000 output tokens: lower Max output tokens to 128,000 or less",
			func(err error) bool { var e *chat.OutputCeilingError; return errors.As(err, &e) }},
		{"claude opus 4.7 temperature at default", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-opus-4-7",
			chat.ModelSettings{Temperature: &half},
			"claude-opus-4-7 takes no temperature other than 1, at any Reasoning level: clear Temperature in Model settings",
			func(err error) bool {
				var e *chat.ThinkingSamplingError
				return errors.As(err, &e) && e.Always && !e.CanDisable
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}})
			defer srv.Close()
			e := newEnv(t, nil)
			e.fund("1000")
			row := rates.Row{Provider: tc.rateP, Model: tc.model, Input: "0.001", Output: "0.002"}
			if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: append(append([]rates.Row{}, testRates...), row), Reason: "model"}); err != nil {
				t.Fatal(err)
			}
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "")
			if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &tc.set}); err != nil {
				t.Fatalf("saving the settings: %v (they are refused only when sent)", err)
			}
			est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Think about it", 0, "", nil)
			if err != nil || !est.Blocked || len(est.Warnings) == 0 || est.Warnings[0] != tc.want {
				t.Errorf("estimate %+v, %v\nwant the warning %s", est, err, tc.want)
			}
			_, err = e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Think about it", Source: chat.SourceUI})
			if !errors.Is(err, chat.ErrInvalid) || !tc.check(err) || err.Error() != "invalid chat request: "+tc.want+" (nothing was sent or charged)" {
				t.Fatalf("send: %v\nwant %s", err, tc.want)
			}
			if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
				t.Errorf("%d provider requests, charged %s", n, e.charged())
			}
			c, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil || c.Draft != "Think about it" {
				t.Errorf("draft %q, %v: want the text kept", c.Draft, err)
			}
			e.checkLedger()
		})
	}
}

// TestEstimateWarnsOfASendsOwnSampling: `meterdesk chat --estimate
// --temperature` is checked as the send would be (EstimateDraftWith, the
// same check as Send): a temperature Claude refuses while it thinks is
// warned of, and Blocked; one it takes is not.
func TestEstimateWarnsOfASendsOwnSampling(t *testing.T) {
	half, one := 0.5, 1.0
	e := newEnv(t, nil)
	e.fund("1000")
	e.add("claude", providers.KindAnthropic, rates.Anthropic, "https://api.anthropic.com", 0)
	for _, tc := range []struct {
		temp *float64
		want []string
	}{
		{&half, []string{"claude-sonnet-4-20250514 takes no temperature other than 1 while it thinks (Reasoning high): " +
			"clear Temperature in Model settings, or set Reasoning to Default or Off"}},
		{&one, []string{}},
	} {
		est, err := e.svc.EstimateDraftWith(adminCtx, 0, "claude", "claude-sonnet-4-20250514", "Hi",
			chat.DraftOptions{Reasoning: providers.ReasoningHigh, Temperature: tc.temp})
		if err != nil || !reflect.DeepEqual(est.Warnings, tc.want) || est.Blocked != (len(tc.want) > 0) {
			t.Errorf("temperature %v: %+v, %v; want warnings %q", *tc.temp, est, err, tc.want)
		}
	}
}

// TestModelListSaysWhatEachModelTakes: the model picker's list says which
// levels a model takes (gpt-5-pro: high; Gemini 3 Pro: low and high, as a
// thinking level), that Opus 4.7 takes no sampling of its own at any
// level, and a model's documented output ceiling (none where the docs give
// none): the window's warnings read these.
func TestModelListSaysWhatEachModelTakes(t *testing.T) {
	e := newEnv(t, nil)
	e.add("claude", providers.KindAnthropic, rates.Anthropic, "https://api.anthropic.com", 0)
	e.add("openai", providers.KindOpenAI, rates.OpenAI, "https://api.openai.com/v1", 0)
	e.add("gemini", providers.KindGemini, rates.Gemini, "https://generativelanguage.googleapis.com", 0)
	rows := append(append([]rates.Row{}, testRates...), claudeRates...)
	rows = append(rows, rates.Row{Provider: rates.OpenAI, Model: "gpt-5-pro", Input: "0.015", Output: "0.12"},
		rates.Row{Provider: rates.Gemini, Model: "gemini-3-pro-preview", Input: "0.002", Output: "0.012"},
		rates.Row{Provider: rates.Anthropic, Model: "claude-opus-4-1", Input: "0.015", Output: "0.075"})
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: rows, Reason: "models"}); err != nil {
		t.Fatal(err)
	}
	opts, err := e.svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		support *chat.ReasoningSupport
		ceiling int
	}
	wants := map[string]want{
		"gpt-5-pro": {&chat.ReasoningSupport{Control: "effort", Takes: []providers.Reasoning{providers.ReasoningHigh}}, 0},
		"gemini-3-pro-preview": {&chat.ReasoningSupport{Control: "budget", ThinkingCharged: chat.ThinkingChargedAsReasoning, Low: 1024, Medium: 0, High: 24576, ThinkingLevel: true,
			Takes: []providers.Reasoning{providers.ReasoningLow, providers.ReasoningHigh}}, 0},
		"claude-opus-4-7": {&chat.ReasoningSupport{Control: "effort", Off: true, FixedSampling: true, NoSampling: true}, 128000},
		"claude-opus-4-1": {&chat.ReasoningSupport{Control: "budget", ThinkingCharged: chat.ThinkingChargedAsOutput, Off: true, Low: 1024, Medium: 4096, High: 16384, FixedSampling: true}, 32000},
		"claude-opus-4-9": {nil, 0},
	}
	seen := 0
	for _, o := range opts {
		if w, ok := wants[o.Model]; ok {
			seen++
			if !reflect.DeepEqual(o.ReasoningSupport, w.support) || o.OutputCeiling != w.ceiling {
				t.Errorf("%s: %+v, ceiling %d; want %+v, %d", o.Model, o.ReasoningSupport, o.OutputCeiling, w.support, w.ceiling)
			}
		}
	}
	if seen != len(wants) {
		t.Fatalf("%d of %d models listed", seen, len(wants))
	}
}
