package metering

import "testing"

func TestNormalisers(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Usage
		want Usage
	}{
		// OpenAI: prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens.
		{"openai plain", FromOpenAI(1000, 0, 500, 0), Usage{Input: 1000, Output: 500, Requests: 1}},
		{"openai cached+reasoning", FromOpenAI(1000, 400, 300, 200), Usage{Input: 600, CacheRead: 400, Output: 100, Reasoning: 200, Requests: 1}},
		{"openai all cached", FromOpenAI(1024, 1024, 10, 0), Usage{CacheRead: 1024, Output: 10, Requests: 1}},
		{"openai inconsistent counts clamp", FromOpenAI(10, 20, 5, 9), Usage{CacheRead: 10, Reasoning: 5, Requests: 1}},
		{"openai negative clamps", FromOpenAI(-5, -1, -2, -3), Usage{Requests: 1}},
		// DeepSeek: hit + miss = prompt; reasoning inside completion.
		{"deepseek", FromDeepSeek(300, 700, 500, 200), Usage{Input: 700, CacheRead: 300, Output: 300, Reasoning: 200, Requests: 1}},
		{"deepseek chat", FromDeepSeek(0, 12, 7, 0), Usage{Input: 12, Output: 7, Requests: 1}},
		// Anthropic: input_tokens excludes both cache counts.
		{"anthropic", FromAnthropic(100, 2000, 500, 300), Usage{Input: 100, CacheRead: 2000, CacheWrite: 500, Output: 300, Requests: 1}},
		// Gemini: promptTokenCount includes cachedContentTokenCount; thoughts beside candidates.
		{"gemini", FromGemini(1200, 200, 400, 600), Usage{Input: 1000, CacheRead: 200, Output: 400, Reasoning: 600, Requests: 1}},
		{"gemini no cache", FromGemini(8, 0, 3, 0), Usage{Input: 8, Output: 3, Requests: 1}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
}

func TestUsageAdd(t *testing.T) {
	a := Usage{Input: 1, CacheRead: 2, CacheWrite: 3, Output: 4, Reasoning: 5, Requests: 1, ToolCalls: 2}
	b := Usage{Input: 10, Output: 1, Requests: 1, Estimated: true}
	want := Usage{Input: 11, CacheRead: 2, CacheWrite: 3, Output: 5, Reasoning: 5, Requests: 2, ToolCalls: 2, Estimated: true}
	if got := a.Add(b); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
