package metering

import "testing"

func TestNormalisers(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Usage
		want Usage
	}{
		// OpenAI: prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens.
		{"openai plain", FromOpenAI(1000, 0, 500, 0, 1500), Usage{Input: 1000, Output: 500, Requests: 1}},
		{"openai cached+reasoning", FromOpenAI(1000, 400, 300, 200, 1300), Usage{Input: 600, CacheRead: 400, Output: 100, Reasoning: 200, Requests: 1}},
		{"openai all cached", FromOpenAI(1024, 1024, 10, 0, 1034), Usage{CacheRead: 1024, Output: 10, Requests: 1}},
		{"openai negative clamps", FromOpenAI(-5, -1, -2, -3, 0), Usage{Requests: 1}},
		{"openai cached beyond prompt clamps", FromOpenAI(10, 20, 5, 0, 15), Usage{CacheRead: 10, Output: 5, Requests: 1}},
		// total_tokens = prompt + completion confirms the inside convention:
		// reasoning beyond completion is clamped.
		{"openai reasoning beyond completion, total says inside", FromOpenAI(10, 0, 5, 9, 15), Usage{Input: 10, Reasoning: 5, Requests: 1}},
		{"openai all completion is reasoning", FromOpenAI(10, 0, 5, 5, 15), Usage{Input: 10, Reasoning: 5, Requests: 1}},
		// No total_tokens (0): reasoning within completion is inside, also
		// when it is all of completion (only MORE reasoning than completion
		// cannot be inside).
		{"openai no total, reasoning inside", FromOpenAI(1000, 400, 300, 200, 0), Usage{Input: 600, CacheRead: 400, Output: 100, Reasoning: 200, Requests: 1}},
		{"openai no total, all completion is reasoning", FromOpenAI(10, 0, 100, 100, 0), Usage{Input: 10, Reasoning: 100, Requests: 1}},
		// xAI/Grok convention: reasoning_tokens beside completion_tokens,
		// total_tokens = prompt + completion + reasoning.
		{"xai reasoning beside completion", FromOpenAI(12, 0, 2, 317, 331), Usage{Input: 12, Output: 2, Reasoning: 317, Requests: 1}},
		{"xai beside, reasoning below completion", FromOpenAI(100, 40, 300, 200, 600), Usage{Input: 60, CacheRead: 40, Output: 300, Reasoning: 200, Requests: 1}},
		// No total_tokens and more reasoning than completion: it cannot be inside.
		{"no total, reasoning beyond completion is beside", FromOpenAI(12, 0, 2, 317, 0), Usage{Input: 12, Output: 2, Reasoning: 317, Requests: 1}},
		// A total that matches neither sum does not make reasoning fit inside.
		{"odd total, reasoning beyond completion is beside", FromOpenAI(12, 0, 2, 317, 400), Usage{Input: 12, Output: 2, Reasoning: 317, Requests: 1}},
		{"odd total, reasoning within completion is inside", FromOpenAI(12, 0, 300, 200, 400), Usage{Input: 12, Output: 100, Reasoning: 200, Requests: 1}},
		// Reasoning counted only in total_tokens, no reasoning count
		// (Gemini's OpenAI compatibility): the difference is reasoning.
		{"hidden reasoning in total only", FromOpenAI(20, 0, 424, 0, 1016), Usage{Input: 20, Output: 424, Reasoning: 572, Requests: 1}},
		{"hidden reasoning in total, cached prompt", FromOpenAI(1000, 400, 50, 0, 1300), Usage{Input: 600, CacheRead: 400, Output: 50, Reasoning: 250, Requests: 1}},
		{"hidden reasoning, nothing visible", FromOpenAI(21, 0, 0, 0, 81), Usage{Input: 21, Reasoning: 60, Requests: 1}},
		{"hidden reasoning of one token", FromOpenAI(10, 0, 5, 0, 16), Usage{Input: 10, Output: 5, Reasoning: 1, Requests: 1}},
		// A total below prompt + completion adds nothing.
		{"total below the sum", FromOpenAI(20, 0, 424, 0, 400), Usage{Input: 20, Output: 424, Requests: 1}},
		// DeepSeek: hit + miss = prompt; reasoning inside completion.
		{"deepseek", FromDeepSeek(300, 700, 500, 200), Usage{Input: 700, CacheRead: 300, Output: 300, Reasoning: 200, Requests: 1}},
		{"deepseek chat", FromDeepSeek(0, 12, 7, 0), Usage{Input: 12, Output: 7, Requests: 1}},
		// Anthropic: input_tokens excludes both cache counts.
		{"anthropic", FromAnthropic(100, 2000, 500, 300), Usage{Input: 100, CacheRead: 2000, CacheWrite: 500, Output: 300, Requests: 1}},
		// Gemini: promptTokenCount includes cachedContentTokenCount; thoughts beside candidates.
		{"gemini", FromGemini(1200, 200, 400, 600), Usage{Input: 1000, CacheRead: 200, Output: 400, Reasoning: 600, Requests: 1}},
		{"gemini no cache", FromGemini(8, 0, 3, 0), Usage{Input: 8, Output: 3, Requests: 1}},
		{"gemini cached beyond prompt clamps", FromGemini(30, 50, 3, 0), Usage{CacheRead: 30, Output: 3, Requests: 1}},
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
	// A cut stream whose input was reported, plus an exact usage: the
	// sum's input side is still the provider's.
	c := Usage{Input: 5, Output: 1, Requests: 1, Estimated: true, InputReported: true}
	if got := a.Add(c); !got.Estimated || !got.InputReported {
		t.Fatalf("exact + input reported = %+v", got)
	}
	if got := c.Add(b); !got.Estimated || got.InputReported {
		t.Fatalf("input reported + counted = %+v", got)
	}
	// Two exact usages: exact, so nothing says "input reported" (the
	// breakdown would call an exact charge partly counted).
	if got := a.Add(a); got.Estimated || got.InputReported {
		t.Fatalf("exact + exact = %+v", got)
	}
}
