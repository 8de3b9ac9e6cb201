package providers

import "testing"

// TestNamesAddress: what a stored error of a provider whose address is
// unknown may name as an address (then a member reads only that it
// failed), and what only looks like one. Before, a time, an Ollama tag, a
// file name, two sentences run together and a name in code were taken
// for a host:port or a domain name, and a member read the stock sentence
// for errors that name no address.
func TestNamesAddress(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		// Addresses.
		{"chat stream ollama:11434: the reply was cut off", true},
		{"dial tcp ollama:11434", true},
		{"read tcp 10.0.0.9:5555->10.0.0.5:8080: connection reset by peer", true},
		{"chat stream 10.0.0.5:8080: cut off", true},
		{"dial tcp [fd00::5]:8080: connection refused", true},
		{"x509: certificate is valid for lab.internal, not this one", true},
		{"no such host api.example.com", true},
		{"no such host API.EXAMPLE.COM", true},
		{"see api.example.com.Please retry", true}, // a domain name, a sentence run on
		{"chat stream lab.example:7000: cut off", true},
		{"dial tcp: lookup gpu: no such host", true},
		{`Post "http://ollama/v1/chat": EOF`, true},
		{"localhost:1234/v1", true},
		{"could not connect to gpu-box:8000.", true}, // a sentence's full stop
		{"could not connect to gpu-box:8000. Is it running?", true},
		{"could not connect to gpu-box:8000.\nIs it running?", true},
		// Not addresses.
		{"the reply was cut off before it finished: unexpected EOF", false},
		{"rate limited until 12:30", false},
		{"retry after 2026-01-01T12:30:00Z", false},
		{"retry after T12:30:00Z", false},
		{"model qwen2.5:0.5b not found", false},
		{"model qwen2.5:0.5b.", false},
		{"pull qwen2.5:0.5b. Then retry", false},
		{"model qwen2.5:0.5 not found", false},
		{`model "deepseek-r1:1.5b" not found, try pulling it first`, false},
		{"check config.yaml", false},
		{"You exceeded your current quota.Please check your plan", false},
		{"openai.RateLimitError: too many requests", false},
		{"the model gpt-4.1-mini or claude-3.5-sonnet does not exist", false},
	} {
		if got := namesAddress(c.text); got != c.want {
			t.Errorf("namesAddress(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
