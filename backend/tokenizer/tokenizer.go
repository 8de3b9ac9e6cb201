// Package tokenizer counts tokens offline. OpenAI-family models are counted
// exactly with tiktoken's encodings (o200k_base and cl100k_base, whose BPE
// ranks are embedded in the binary by tiktoken-go-loader: nothing is
// downloaded at run time), by the package's own encoder (Encoder), which
// gives tiktoken-go's tokens in near-linear time. Other families (Claude,
// Gemini, DeepSeek, local models) have no public offline tokenizer, so their
// count is a documented approximation: the o200k_base count scaled up by a
// per-family factor (see Family and docs/metering.md).
package tokenizer

import (
	"fmt"
	"strings"
	"sync"
)

// Encoding names supported offline.
const (
	O200kBase  = "o200k_base"
	Cl100kBase = "cl100k_base"
)

var (
	encMu sync.Mutex
	encs  = map[string]*Encoder{}
)

// Get returns the named encoding (O200kBase or Cl100kBase), loading it from
// the embedded ranks on first use. It is safe for concurrent use.
func Get(name string) (*Encoder, error) {
	if name != O200kBase && name != Cl100kBase {
		return nil, fmt.Errorf("tokenizer: unsupported encoding %q", name)
	}
	encMu.Lock()
	defer encMu.Unlock()
	if e, ok := encs[name]; ok {
		return e, nil
	}
	e, err := newEncoder(name)
	if err != nil {
		return nil, err
	}
	encs[name] = e
	return e, nil
}

// CountText returns the number of tokens of text in the named encoding. Special
// token markers such as "<|endoftext|>" in user text are counted as ordinary
// text, as the provider APIs do.
func CountText(encoding, text string) (int, error) {
	if text == "" {
		return 0, nil
	}
	e, err := Get(encoding)
	if err != nil {
		return 0, err
	}
	return e.Count(text), nil
}

// EncodingForModel returns the tiktoken encoding an OpenAI model uses and
// true, or "" and false for a model outside the OpenAI family.
// gpt-4o, gpt-4.1, gpt-4.5, the o-series and gpt-5 use o200k_base;
// gpt-4, gpt-4-turbo and gpt-3.5 use cl100k_base.
func EncodingForModel(model string) (string, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	m = strings.TrimPrefix(m, "openai/")
	for _, p := range []string{"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "gpt-oss"} {
		if hasModelPrefix(m, p) {
			return O200kBase, true
		}
	}
	for _, p := range []string{"gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"} {
		if hasModelPrefix(m, p) {
			return Cl100kBase, true
		}
	}
	return "", false
}

// hasModelPrefix reports whether m is p or starts with p followed by a
// separator, so that "o1" matches "o1-mini" but not "o1x".
func hasModelPrefix(m, p string) bool {
	if !strings.HasPrefix(m, p) {
		return false
	}
	if len(m) == len(p) {
		return true
	}
	switch m[len(p)] {
	case '-', '.', ':', '_':
		return true
	}
	return false
}
