package providers

import "testing"

// TestOverContextWindow: each provider's documented refusal of a prompt
// over the context window is recognised (by OpenAI's code or the words),
// and other 400s, other statuses and HTML pages are not.
func TestOverContextWindow(t *testing.T) {
	for _, c := range []struct {
		name      string
		status    int
		msg, code string
		want      bool
	}{
		{"OpenAI", 400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.", "context_length_exceeded", true},
		{"OpenAI, the code alone", 400, "Your input exceeds the context window of this model. Please adjust your input and try again.", "context_length_exceeded", true},
		{"DeepSeek, vLLM: OpenAI's older words", 400, "This model's maximum context length is 65536 tokens. However, you requested 70521 tokens (62329 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.", "invalid_request_error", true},
		{"Anthropic", 400, "prompt is too long: 208310 tokens > 200000 maximum", "", true},
		{"Gemini", 400, "The input token count (1250000) exceeds the maximum number of tokens allowed (1048576).", "", true},
		{"a 413", 413, "prompt is too long: 208310 tokens > 200000 maximum", "", true},
		{"a refused parameter", 400, "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", "unsupported_value", false},
		{"max_tokens too large", 400, "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5", "", false},
		{"Gemini's bad argument", 400, "Invalid JSON payload received. Unknown name \"max_tokens\": Cannot find field.", "", false},
		{"a server error quoting it", 500, "This model's maximum context length is 4096 tokens.", "", false},
		{"a rate limit", 429, "prompt is too long", "context_length_exceeded", false},
	} {
		if got := overContextWindow(c.status, c.msg, c.code); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
