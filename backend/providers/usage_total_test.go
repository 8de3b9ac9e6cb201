package providers_test

import (
	"context"
	"testing"

	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestReasoningOnlyInTotal: an OpenAI-compatible server that counts the
// model's thoughts only in total_tokens (Gemini's OpenAI compatibility:
// no reasoning_tokens, completion_tokens without them) is charged for
// them as reasoning; OpenAI's shape (reasoning inside completion_tokens,
// total = prompt + completion) and DeepSeek's are not counted twice.
func TestReasoningOnlyInTotal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		usage  fake.Usage
		want   metering.Usage
	}{
		{"gemini openai compatibility", fake.OpenAI, providers.KindCompatible, fake.Usage{Prompt: 20, Completion: 424, Total: 1016},
			metering.Usage{Input: 20, Output: 424, Reasoning: 572, Requests: 1}},
		{"openai, reasoning inside completion", fake.OpenAI, providers.KindOpenAI, fake.Usage{Prompt: 20, Completion: 424, Reasoning: 300},
			metering.Usage{Input: 20, Output: 124, Reasoning: 300, Requests: 1}},
		{"openai, no reasoning", fake.OpenAI, providers.KindOpenAI, fake.Usage{Prompt: 20, Completion: 424},
			metering.Usage{Input: 20, Output: 424, Requests: 1}},
		{"deepseek-reasoner", fake.DeepSeek, providers.KindDeepSeek, fake.Usage{Prompt: 20, Cached: 8, Completion: 424, Reasoning: 300},
			metering.Usage{Input: 12, CacheRead: 8, Output: 124, Reasoning: 300, Requests: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: tc.usage})
			defer srv.Close()
			res, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), request("gemini-2.5-flash"))
			if err != nil {
				t.Fatal(err)
			}
			if res.Usage == nil || *res.Usage != tc.want {
				t.Fatalf("usage %+v, want %+v", res.Usage, tc.want)
			}
		})
	}
}
