package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
)

// TestChatEstimateSaysWhyItsUpperEndIsThinking: a model whose reasoning
// rate is above its output rate has its estimate's upper end priced at the
// reasoning rate for the whole output budget (docs/metering.md: a reasoning
// model may spend it all thinking, and the hold covers that), which read as
// too high beside the output rate the picker shows. The line now says why;
// a model whose reasoning rate is its output rate says nothing more.
func TestChatEstimateSaysWhyItsUpperEndIsThinking(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Models: []string{"gpt-4o", "o3"}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	// out 3,000 and reasoning 4,000 credits per 1M tokens.
	d.must("rates", "set", "openai", "o3", "--input", "0.002", "--output", "0.003", "--reasoning", "0.004")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	for _, c := range []struct {
		model, want string
	}{
		// "Hi": 8 prompt tokens (0.016 credits and no per-request rate);
		// 1,000 output tokens at 0.004: 4.00 more.
		{"o3", "o3: 8 prompt tokens (exact), up to 1,000 output tokens: 0.016 to 4.016 credits, " + chat.HighThinkingWords + "\n"},
		{"gpt-4o", "gpt-4o: 8 prompt tokens (exact), up to 1,000 output tokens: 0.016 to 8.016 credits\n"},
	} {
		out := d.must("chat", "--model", c.model, "--max-tokens", "1000", "--estimate", "Hi")
		if !strings.HasPrefix(out, c.want) {
			t.Errorf("%s: %q, want it to start %q", c.model, out, c.want)
		}
		var res struct {
			Estimate struct {
				HighThinking bool `json:"highThinking"`
			} `json:"estimate"`
		}
		if err := json.Unmarshal([]byte(d.must("--json", "chat", "--model", c.model, "--max-tokens", "1000", "--estimate", "Hi")), &res); err != nil ||
			res.Estimate.HighThinking != (c.model == "o3") {
			t.Errorf("%s --json: highThinking %v (%v)", c.model, res.Estimate.HighThinking, err)
		}
	}
	if !strings.Contains(chat.HighThinkingWords, "if it thinks for the whole budget") {
		t.Errorf("the words %q do not say why", chat.HighThinkingWords)
	}
}
