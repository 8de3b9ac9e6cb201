package metering

import (
	"errors"
	"testing"

	"meterdesk/backend/rates"
	"meterdesk/backend/tokenizer"
)

func TestEstimateCost(t *testing.T) {
	svc, ctx := newRates(t, nil)
	if _, err := svc.Apply(ctx, rates.Change{Rows: []rates.Row{
		{Provider: "openai", Model: "gpt-4o", Input: "0.5", Output: "2"},
		{Provider: "openai", Model: "o3", Input: "1", Output: "2", Reasoning: "5", PerRequest: "0.25"},
		{Provider: "local", Model: "llama3", Input: "0", Output: "0"},
		{Provider: "local", Model: "free-prompt", Input: "0", PerRequest: "0", Output: "0.5"},
	}}); err != nil {
		t.Fatal(err)
	}
	msgs := []Message{{Role: "system", Content: "You are terse."}, {Role: "user", Content: "hello world"}}
	exact, err := tokenizer.CountMessages("openai", "gpt-4o", msgs)
	if err != nil {
		t.Fatal(err)
	}
	p := exact.Tokens // 3+1+4 + 3+1+2 + 3 = 17 with o200k_base
	if p != 17 {
		t.Fatalf("prompt tokens = %d, want 17", p)
	}
	for _, tc := range []struct {
		name, provider, model string
		maxOut                int64
		low, high             string
		exact, free           bool
		thinking              bool // HighThinking: the budget priced at the reasoning rate
	}{
		{"gpt-4o range", "openai", "gpt-4o", 100, "8.5", "208.5", true, false, false},
		{"no output budget", "openai", "gpt-4o", 0, "8.5", "8.5", true, false, false},
		// 10 output tokens at the reasoning rate 5, not the output rate 2
		// the picker shows: the estimate says why (HighThinking).
		{"reasoning rate above output rate bounds the high end", "openai", "o3", 10, "17.25", "67.25", true, false, true},
		{"a reasoning rate above output, no output budget", "openai", "o3", 0, "17.25", "17.25", true, false, false},
		{"free local model", "local", "llama3", 4096, "0", "0", false, true, false},
		// Free is the high end's: a free prompt with a priced output budget
		// is checked against the balance.
		{"free prompt, priced output is not free", "local", "free-prompt", 10, "0", "5", false, false, false},
		{"default rates, any provider", "", "gpt-4.1", 3, "17", "20", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateCost(ctx, svc, tc.provider, tc.model, msgs, tc.maxOut)
			if err != nil {
				t.Fatal(err)
			}
			if e.Low != tc.low || e.High != tc.high || e.Exact != tc.exact || e.Free != tc.free || e.RateVersion != 2 ||
				e.HighThinking != tc.thinking {
				t.Fatalf("estimate = %+v, want [%s, %s] exact=%v free=%v highThinking=%v", e, tc.low, tc.high, tc.exact, tc.free, tc.thinking)
			}
			if tc.exact && e.PromptTokens != p {
				t.Fatalf("prompt tokens %d, want %d", e.PromptTokens, p)
			}
		})
	}
	claude, err := EstimateCost(ctx, svc, "anthropic", "claude-sonnet-4-20250514", msgs, 0)
	if err != nil {
		t.Fatal(err)
	}
	if claude.Exact || claude.Family != "anthropic" || claude.PromptTokens != tokenizer.FamilyAnthropic.Scale(p) {
		t.Fatalf("claude estimate = %+v", claude)
	}
	if _, err := EstimateCost(ctx, svc, "openai", "gpt-4o", msgs, -1); !errors.Is(err, ErrNegativeUsage) {
		t.Fatalf("negative max output: %v", err)
	}
	if _, err := EstimateCost(ctx, svc, "openai", "gpt-4o", []Message{{Content: "x"}}, 1); err == nil {
		t.Fatal("a message without a role was estimated")
	}
}

func TestEstimateUsageForInterruptedStream(t *testing.T) {
	msgs := []Message{{Role: "user", Content: "hello world"}}
	u, err := EstimateDelivered("openai", "gpt-4o", msgs, Delivered{Text: "hello world"})
	if err != nil {
		t.Fatal(err)
	}
	if u != (Usage{Input: 3 + 1 + 2 + 3, Output: 2, Requests: 1, Estimated: true}) {
		t.Fatalf("usage = %+v", u)
	}
}

// TestEstimateDelivered: a stream without final usage is charged the input
// the provider already reported (exact) or else the counted prompt, and for
// output and reasoning the larger of the provider's count so far and the
// tokenizer's count of what was streamed. o200k_base counts: "hello world"
// 2, "hmm" 2, "Partial answer" 2, "Let me think about this carefully." 7.
func TestEstimateDelivered(t *testing.T) {
	msgs := []Message{{Role: "user", Content: "hello world"}} // 3+1+2+3 = 9 tokens (gpt-4o)
	const thought = "Let me think about this carefully."
	for _, tc := range []struct {
		name          string
		provider, mdl string
		d             Delivered
		want          Usage
	}{
		{"nothing reported: prompt, text and reasoning counted", "openai", "gpt-4o",
			Delivered{Text: "hello world", Reasoning: thought},
			Usage{Input: 9, Output: 2, Reasoning: 7, Requests: 1, Estimated: true}},
		{"all-zero report counts as none", "openai", "gpt-4o",
			Delivered{Text: "hello world", Reported: &Usage{Requests: 1}},
			Usage{Input: 9, Output: 2, Requests: 1, Estimated: true}},
		// Anthropic: message_start's input/cache counts are exact; thinking
		// is billed as output: ceil((2 + 2) * 1.3) = 6 > the provisional 1.
		{"anthropic cut after message_start", "anthropic", "claude-sonnet-4-20250514",
			Delivered{Text: "hello world", Reasoning: "hmm", ReasoningInOutput: true,
				Reported: &Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 1, Requests: 1}},
			Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 6, Requests: 1, Estimated: true, InputReported: true}},
		// Gemini: prompt and cache final; thoughts so far (300) above the
		// count of no thought text; candidates so far 3 = ceil(2 * 1.15).
		{"gemini cut after usageMetadata", "gemini", "gemini-2.5-flash",
			Delivered{Text: "Partial answer", Reported: &Usage{Input: 12, CacheRead: 4000, Output: 3, Reasoning: 300, Requests: 1}},
			Usage{Input: 12, CacheRead: 4000, Output: 3, Reasoning: 300, Requests: 1, Estimated: true, InputReported: true}},
		// Reported output so far below the count of the text: the count wins;
		// reasoning text counted above the reported reasoning so far.
		{"running usage behind the text", "openai", "gpt-4o",
			Delivered{Text: "hello world", Reasoning: thought, Reported: &Usage{Input: 100, Output: 1, Reasoning: 3, Requests: 1}},
			Usage{Input: 100, Output: 2, Reasoning: 7, Requests: 1, Estimated: true, InputReported: true}},
		// Reported output so far above the count of the text (the provider
		// generated more than reached us): the report wins.
		{"running usage ahead of the text", "openai", "gpt-4o",
			Delivered{Text: "hi", Reported: &Usage{Input: 10, Output: 500, Requests: 1}},
			Usage{Input: 10, Output: 500, Requests: 1, Estimated: true, InputReported: true}},
		// Only a cache write reported (the whole prompt written to the
		// cache) is a reported input side too: kept, not re-counted.
		{"anthropic cut, only a cache write reported", "anthropic", "claude-sonnet-4-20250514",
			Delivered{Text: "hello world", Reported: &Usage{CacheWrite: 40, Requests: 1}},
			Usage{CacheWrite: 40, Output: 3, Requests: 1, Estimated: true, InputReported: true}},
		// DeepSeek-style reasoning_content: counted as reasoning, scaled:
		// ceil(7 * 1.15) = 9; text ceil(2 * 1.15) = 3; prompt ceil(9 * 1.15) = 11.
		{"deepseek reasoning text, nothing reported", "deepseek", "deepseek-reasoner",
			Delivered{Text: "hello world", Reasoning: thought},
			Usage{Input: 11, Output: 3, Reasoning: 9, Requests: 1, Estimated: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := EstimateDelivered(tc.provider, tc.mdl, msgs, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if u != tc.want {
				t.Fatalf("usage = %+v, want %+v", u, tc.want)
			}
		})
	}
}
