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
	}{
		{"gpt-4o range", "openai", "gpt-4o", 100, "8.5", "208.5", true, false},
		{"no output budget", "openai", "gpt-4o", 0, "8.5", "8.5", true, false},
		{"reasoning rate above output rate bounds the high end", "openai", "o3", 10, "17.25", "67.25", true, false},
		{"free local model", "local", "llama3", 4096, "0", "0", false, true},
		{"default rates, any provider", "", "gpt-4.1", 3, "17", "20", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateCost(ctx, svc, tc.provider, tc.model, msgs, tc.maxOut)
			if err != nil {
				t.Fatal(err)
			}
			if e.Low != tc.low || e.High != tc.high || e.Exact != tc.exact || e.Free != tc.free || e.RateVersion != 2 {
				t.Fatalf("estimate = %+v, want [%s, %s] exact=%v free=%v", e, tc.low, tc.high, tc.exact, tc.free)
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
	u, err := EstimateUsage("openai", "gpt-4o", msgs, "hello world")
	if err != nil {
		t.Fatal(err)
	}
	if u != (Usage{Input: 3 + 1 + 2 + 3, Output: 2, Requests: 1, Estimated: true}) {
		t.Fatalf("usage = %+v", u)
	}
}
