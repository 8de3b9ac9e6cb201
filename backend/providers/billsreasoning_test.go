package providers_test

import (
	"testing"

	"meterdesk/backend/providers"
)

// TestBillsReasoning: a reply is held for at a reasoning rate above its
// output rate only where it may be billed reasoning tokens; each provider
// kind with thinking on and off. Narrowed only where the provider
// documents that no reasoning is billed apart from output (Claude bills
// its thinking as output; deepseek-chat is the non-thinking mode; Gemini's
// thinking budget 0 and OpenAI's reasoning_effort "none" turn it off);
// wide where the model reasons, or may, or Meterdesk cannot tell.
func TestBillsReasoning(t *testing.T) {
	for _, tc := range []struct {
		kind  providers.Kind
		local bool
		model string
		level providers.Reasoning
		want  bool
	}{
		// Claude: thinking, on or off, is output (output_tokens).
		{providers.KindAnthropic, false, "claude-sonnet-4-20250514", providers.ReasoningHigh, false},
		{providers.KindAnthropic, false, "claude-sonnet-4-20250514", providers.ReasoningOff, false},
		{providers.KindAnthropic, false, "claude-sonnet-4-20250514", providers.ReasoningDefault, false},
		{providers.KindAnthropic, false, "claude-opus-5", providers.ReasoningOff, false},
		{providers.KindAnthropic, false, "claude-mythos-preview", providers.ReasoningDefault, false},
		// DeepSeek: deepseek-chat never thinks; deepseek-reasoner always;
		// another name (deepseek-v4-flash thinks by default) may.
		{providers.KindDeepSeek, false, "deepseek-chat", providers.ReasoningDefault, false},
		{providers.KindDeepSeek, false, "deepseek-chat", providers.ReasoningHigh, false},
		{providers.KindDeepSeek, false, "deepseek-reasoner", providers.ReasoningOff, true},
		{providers.KindDeepSeek, false, "deepseek-v4-flash", providers.ReasoningDefault, true},
		// Gemini: off only with a budget of 0 (2.5 Flash, Flash-Lite at Off).
		{providers.KindGemini, false, "gemini-2.5-flash", providers.ReasoningOff, false},
		{providers.KindGemini, false, "gemini-2.5-flash-lite", providers.ReasoningOff, false},
		{providers.KindGemini, false, "gemini-2.5-flash", providers.ReasoningDefault, true},
		{providers.KindGemini, false, "gemini-2.5-flash", providers.ReasoningHigh, true},
		{providers.KindGemini, false, "gemini-2.5-pro", providers.ReasoningOff, true}, // cannot stop thinking
		{providers.KindGemini, false, "gemini-3-pro-preview", providers.ReasoningOff, true},
		{providers.KindGemini, false, "gemini-2.0-flash-thinking-exp", providers.ReasoningOff, true}, // no rule: unknown
		// OpenAI: reasoning_effort "none" (gpt-5.1 and later at Off) only.
		{providers.KindOpenAI, false, "gpt-5.1", providers.ReasoningOff, false},
		{providers.KindOpenAI, false, "gpt-5.2-2025-12-11", providers.ReasoningOff, false},
		{providers.KindOpenAI, false, "gpt-5.1", providers.ReasoningDefault, true}, // "none" is its default, not sent
		{providers.KindOpenAI, false, "gpt-5.1", providers.ReasoningLow, true},
		{providers.KindOpenAI, false, "gpt-5", providers.ReasoningOff, true}, // always reasons
		{providers.KindOpenAI, false, "o3", providers.ReasoningOff, true},
		{providers.KindOpenAI, false, "gpt-5-chat-latest", providers.ReasoningOff, true},
		{providers.KindOpenAI, false, "gpt-4o", providers.ReasoningOff, true}, // left as it was
		// A compatible server, remote or on this machine: unknown.
		{providers.KindCompatible, false, "gpt-5.1", providers.ReasoningOff, true},
		{providers.KindCompatible, true, "llama3.2", providers.ReasoningOff, true},
		{providers.KindCompatible, true, "qwen3", providers.ReasoningDefault, true},
		{"", false, "anything", providers.ReasoningOff, true},
	} {
		if got := providers.BillsReasoning(tc.kind, tc.local, tc.model, tc.level); got != tc.want {
			t.Errorf("BillsReasoning(%s, local %v, %s, %s) = %v, want %v", tc.kind, tc.local, tc.model, tc.level, got, tc.want)
		}
	}
}
