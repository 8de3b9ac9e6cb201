package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/providers/fake"
)

// TestChatEstimateCountsTheSystemPrompt: `chat --estimate --system S
// "prompt"` for a new conversation priced the prompt alone, while the send
// sends S first: the estimate was lower than the send's hold and charge.
// The estimate now builds the prompt the send does (system prompt, then the
// message), so its prompt tokens are the input the send charges (the fake
// reports no usage, so the charge counts the prompt it sent with the same
// tokenizer) and its high end is the send's hold. --system with
// --conversation, or a system prompt the new conversation would refuse, is
// refused by the estimate as by the send (exit 2, nothing written).
func TestChatEstimateCountsTheSystemPrompt(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Fault: fake.NoUsage})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	type estimate struct {
		Estimate struct {
			PromptTokens int64  `json:"promptTokens"`
			High         string `json:"high"`
		} `json:"estimate"`
	}
	type sent struct {
		Status string `json:"status"`
		Charge *struct {
			Hold      string `json:"hold"`
			Estimated bool   `json:"estimated"`
			Usage     struct {
				Input int64 `json:"input"`
			} `json:"usage"`
		} `json:"charge"`
	}
	const prompt = "What is the capital of France?"
	var bare int64 // the prompt's tokens without a system prompt
	for _, c := range []struct {
		name   string
		system string
	}{
		{"none", ""},
		{"one line", "You are a terse assistant. Answer in one word."},
		{"several lines", "You are a geography tutor.\nAlways name the country.\n\tBe kind, and never guess."},
	} {
		args := []string{"--model", "gpt-4o", "--max-tokens", "50"}
		if c.system != "" {
			args = append(args, "--system", c.system)
		}
		args = append(args, prompt)
		var est estimate
		out := d.must(append([]string{"--json", "chat", "--estimate"}, args...)...)
		if err := json.Unmarshal([]byte(out), &est); err != nil {
			t.Fatalf("%s: estimate: %v\n%s", c.name, err, out)
		}
		var got sent
		out = d.must(append([]string{"--json", "chat"}, args...)...)
		if err := json.Unmarshal([]byte(out), &got); err != nil || got.Status != "done" || got.Charge == nil {
			t.Fatalf("%s: send: %v\n%s", c.name, err, out)
		}
		if !got.Charge.Estimated || got.Charge.Usage.Input != est.Estimate.PromptTokens {
			t.Errorf("%s: the estimate counts %d prompt tokens, the send charged %d input tokens (estimated %v)",
				c.name, est.Estimate.PromptTokens, got.Charge.Usage.Input, got.Charge.Estimated)
		}
		if high, hold := decimal.RequireFromString(est.Estimate.High), decimal.RequireFromString(got.Charge.Hold); !high.Equal(hold) {
			t.Errorf("%s: the estimate's high end is %s, the send held %s", c.name, high, hold)
		}
		reqs := srv.Requests()
		if body := string(reqs[len(reqs)-1].Body); c.system != "" && !strings.Contains(body, `"role":"system"`) {
			t.Errorf("%s: the send sent no system prompt: %s", c.name, body)
		}
		switch {
		case c.system == "":
			bare = est.Estimate.PromptTokens
		case est.Estimate.PromptTokens <= bare:
			t.Errorf("%s: %d prompt tokens with a system prompt, %d without", c.name, est.Estimate.PromptTokens, bare)
		}
	}

	// Refused as the send is: exit 2, the same line, nothing written.
	d.must("conversations", "new")
	before := dbDump(t, d.dir)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"--system with --conversation", []string{"--conversation", "1", "--system", "Be brief.", "Hi"},
			"meterdesk chat: --system applies to new conversations; to change conversation 1's: meterdesk conversations set 1 --system TEXT\n"},
		{"a control character", []string{"--model", "gpt-4o", "--system", "Be\x07brief.", "Hi"},
			"invalid chat request: the system prompt: not plain text: it contains the control character U+0007\n"},
	} {
		code, out, errs := d.run(append([]string{"chat", "--estimate"}, c.args...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%s: estimate: exit %d, stdout %q, stderr %q; want %d and %q", c.name, code, out, errs, ExitUsage, c.want)
		}
		if scode, _, serrs := d.run(append([]string{"chat"}, c.args...)...); scode != ExitUsage || !strings.Contains(serrs, c.want) {
			t.Errorf("%s: send: exit %d, stderr %q; want %d and %q", c.name, scode, serrs, ExitUsage, c.want)
		}
	}
	if dbDump(t, d.dir) != before {
		t.Error("a refused estimate or send wrote to the database")
	}
}
