package chat_test

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// hiddenLabel is what the summary of an estimated charge adds when the
// model reasoned where its stream showed none of it, or a summary.
const hiddenLabel = " · hidden reasoning not counted (the provider bills it; it streamed none of it, or a summary)"

// TestCutReplyOfAHiddenReasonerSaysItsReasoningIsNotCounted: a stream cut
// (or stopped) before its usage, from a model whose reasoning the provider
// bills but does not stream (OpenAI's o-series and gpt-5: none of it;
// Claude 4 with thinking on: a summary), is charged what can be counted
// (the delivered text, the summary), and its charge says the hidden
// reasoning is not counted — in the breakdown (reasoningHidden, kept in
// the charge row and the posting's meta) and the summary — rather than
// pass for a complete count. Models whose stream shows all their
// reasoning (Claude 3.7, DeepSeek), or none at all (gpt-4o, Claude without
// thinking), and any reply with the provider's usage, say nothing of it.
func TestCutReplyOfAHiddenReasonerSaysItsReasoningIsNotCounted(t *testing.T) {
	drop := func(sc fake.Script) fake.Script { sc.Fault, sc.FailAfter = fake.Drop, len(sc.Thinking)+1; return sc }
	text := fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 30, Completion: 40, Reasoning: 20}}
	thought := fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 30, Completion: 40}}
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		rateP     string
		model     string
		reasoning providers.Reasoning
		script    fake.Script
		hidden    bool
		estimated bool
	}{
		{"o3-mini cut", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", "", drop(text), true, true},
		{"gpt-5 cut", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5", providers.ReasoningLow, drop(text), true, true},
		{"gpt-5.1 at Off (no reasoning) cut", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", providers.ReasoningOff, drop(text), false, true},
		{"gpt-4o cut", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", "", drop(text), false, true},
		{"o3-mini finished: the provider's usage", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", "", text, false, false},
		{"Claude Sonnet 4 thinking, cut", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			providers.ReasoningHigh, drop(thought), true, true},
		{"Claude Opus 4.7 adaptive thinking, cut", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-opus-4-7",
			providers.ReasoningMedium, drop(thought), true, true},
		{"Claude 3.7 thinking (streamed whole), cut", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-3-7-sonnet-20250219",
			providers.ReasoningHigh, drop(thought), false, true},
		{"Claude Sonnet 4 without thinking, cut", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			"", drop(text), false, true},
		{"DeepSeek reasoner (streamed whole), cut", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner",
			"", drop(thought), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("10000000")
			srv := fake.New(tc.flavor, tc.script)
			t.Cleanup(srv.Close)
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			ch, _, err := e.svc.Meter().Run(adminCtx, chat.MeterRequest{ID: "hidden-1", Model: tc.model, Source: chat.SourceAPI,
				Reasoning: tc.reasoning, Messages: []providers.Message{{Role: "user", Content: "Hi"}}}, nil)
			if ch == nil || (err == nil) == tc.estimated {
				t.Fatalf("run = %+v, %v", ch, err)
			}
			if ch.Estimated != tc.estimated || ch.Breakdown.ReasoningHidden != tc.hidden ||
				strings.HasSuffix(ch.Summary, hiddenLabel) != tc.hidden {
				t.Fatalf("estimated %v, reasoningHidden %v, summary %q; want %v, %v", ch.Estimated, ch.Breakdown.ReasoningHidden,
					ch.Summary, tc.estimated, tc.hidden)
			}
			var meta struct {
				Breakdown metering.Breakdown `json:"breakdown"`
			}
			var raw string
			if err := e.db.Read().QueryRow(`SELECT meta FROM ledger_transfers WHERE id = ?`, ch.TransferID).Scan(&raw); err != nil ||
				json.Unmarshal([]byte(raw), &meta) != nil || meta.Breakdown.ReasoningHidden != tc.hidden {
				t.Fatalf("posting meta %s (%v), want reasoningHidden %v", raw, err, tc.hidden)
			}
			var row struct {
				metering.Breakdown
			}
			if err := e.db.Read().QueryRow(`SELECT breakdown FROM chat_charges WHERE request_id = 'hidden-1'`).Scan(&raw); err != nil ||
				json.Unmarshal([]byte(raw), &row) != nil || row.ReasoningHidden != tc.hidden {
				t.Fatalf("charge row breakdown %s (%v), want reasoningHidden %v", raw, err, tc.hidden)
			}
			e.checkLedger()
		})
	}
}
