package chat

import "strings"

// maxOutputDefaults is the output budget sent as max tokens (and held for)
// when a request does not set one, by model name prefix; the first match
// wins. Reasoning models spend part of it thinking, so they get more.
var maxOutputDefaults = []struct {
	prefix string
	tokens int
}{
	{"o1", 16384}, {"o3", 16384}, {"o4", 16384}, {"gpt-5", 16384},
	{"deepseek-reasoner", 16384},
	{"gpt-4.1", 8192}, {"gpt-4o", 4096}, {"gpt-4", 4096}, {"gpt-3.5", 4096},
	{"deepseek", 4096},
	{"claude", 4096},
	{"gemini-2.5", 8192}, {"gemini", 8192},
}

// FallbackMaxOutput is the output budget of models not listed above
// (local models and unknown names).
const FallbackMaxOutput = 2048

// DefaultMaxOutput returns the default output budget for model.
func DefaultMaxOutput(model string) int {
	m := strings.ToLower(model)
	for _, d := range maxOutputDefaults {
		if strings.HasPrefix(m, d.prefix) {
			return d.tokens
		}
	}
	return FallbackMaxOutput
}

// MaxRequestTokens bounds SendRequest.MaxTokens.
const MaxRequestTokens = 1 << 20
