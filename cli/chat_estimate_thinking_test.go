package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

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

// TestChatEstimateHoldsNoReasoningWhereNoneIsBilled: `chat --estimate`'s
// upper end is the hold the send takes, and it prices the output budget at
// a reasoning rate above the output rate only where the reply may bill
// reasoning (providers.BillsReasoning): deepseek-chat never thinks, and
// gemini-2.5-flash at --reasoning off is told not to, so their upper ends
// are at the output rate (1,000 × 0.003 above the prompt) with no words
// after the range; deepseek-reasoner and gemini-2.5-flash at its default,
// which think, stay at the reasoning rate (1,000 × 0.004) and say why.
func TestChatEstimateHoldsNoReasoningWhereNoneIsBilled(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	ds := fake.NewDeepSeek(fake.Script{Chunks: []string{"Hello"}})
	defer ds.Close()
	gm := fake.NewGemini(fake.Script{Chunks: []string{"Hello"}})
	defer gm.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "ds", "--kind", "deepseek", "--url", ds.BaseURL(), "--key-stdin")
	d.must("providers", "add", "--name", "gm", "--kind", "gemini", "--url", gm.BaseURL(), "--key-stdin")
	for _, m := range [][2]string{{"deepseek", "deepseek-chat"}, {"deepseek", "deepseek-reasoner"}, {"gemini", "gemini-2.5-flash"}} {
		d.must("rates", "set", m[0], m[1], "--input", "0.002", "--output", "0.003", "--reasoning", "0.004")
	}
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	for _, c := range []struct {
		args  []string
		room  string // the upper end less the prompt's cost
		words bool
	}{
		{[]string{"--model", "deepseek-chat"}, "3", false},
		{[]string{"--model", "deepseek-reasoner"}, "4", true},
		{[]string{"--model", "gemini-2.5-flash", "--reasoning", "off"}, "3", false},
		{[]string{"--model", "gemini-2.5-flash"}, "4", true},
	} {
		args := append(append([]string{"chat"}, c.args...), "--max-tokens", "1000", "--estimate", "Hi")
		out := d.must(args...)
		if strings.Contains(out, chat.HighThinkingWords) != c.words {
			t.Errorf("%v: %q, the reasoning rate's words %v, want %v", c.args, out, !c.words, c.words)
		}
		var res struct {
			Estimate struct {
				Low, High    string
				HighThinking bool `json:"highThinking"`
			} `json:"estimate"`
		}
		if err := json.Unmarshal([]byte(d.must(append([]string{"--json"}, args...)...)), &res); err != nil {
			t.Fatal(err)
		}
		room := decimal.RequireFromString(res.Estimate.High).Sub(decimal.RequireFromString(res.Estimate.Low))
		if !room.Equal(decimal.RequireFromString(c.room)) || res.Estimate.HighThinking != c.words {
			t.Errorf("%v --json: %s to %s (%s above the prompt), highThinking %v; want %s above it, %v",
				c.args, res.Estimate.Low, res.Estimate.High, room, res.Estimate.HighThinking, c.room, c.words)
		}
	}
}

// TestChatRefusalSaysReasoningOff: `meterdesk chat` to gemini-2.5-flash at
// its default (thinking on, the output budget held at the reasoning rate)
// with a pool that holds exactly the same send with --reasoning off is
// refused for credits (exit 3, nothing charged), and the refusal says
// what would fit: a smaller output budget, or turning Reasoning off; the
// send with --reasoning off then goes through. `chat --estimate` says the
// same refusal.
func TestChatRefusalSaysReasoningOff(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	gm := fake.NewGemini(fake.Script{Chunks: []string{"Hello"}})
	defer gm.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "gm", "--kind", "gemini", "--url", gm.BaseURL(), "--key-stdin")
	d.must("rates", "set", "gemini", "gemini-2.5-flash", "--input", "0.002", "--output", "0.003", "--reasoning", "0.004")
	var res struct {
		Estimate struct{ High string } `json:"estimate"`
	}
	// The pool is empty: the estimate says it is refused (exit 3), and what it may cost.
	if _, out, _ := d.run("--json", "chat", "--model", "gemini-2.5-flash", "--reasoning", "off", "--max-tokens", "1000", "--estimate", "Hi"); json.Unmarshal([]byte(out), &res) != nil || res.Estimate.High == "" {
		t.Fatalf("estimate at off: %q", out)
	}
	d.must("credits", "topup", "--amount", res.Estimate.High, "--price", "0", "--currency", "USD")
	words := "so a smaller output budget may let it through, or turn Reasoning off (it may then cost up to " + res.Estimate.High + " credits"
	for _, args := range [][]string{
		{"chat", "--model", "gemini-2.5-flash", "--max-tokens", "1000", "Hi"},
		{"chat", "--model", "gemini-2.5-flash", "--max-tokens", "1000", "--estimate", "Hi"},
	} {
		code, out, errs := d.run(args...)
		if code != 3 || !strings.Contains(out+errs, words) || !strings.Contains(out+errs, "send with --max-tokens 750 or less, or with --reasoning off --max-tokens 1000") {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q\nwant exit 3 saying %q", args, code, out, errs, words)
		}
	}
	d.must("chat", "--model", "gemini-2.5-flash", "--reasoning", "off", "--max-tokens", "1000", "Hi")
}

// TestChatRefusalSaysConversationReasoningOff: the same refusal of a send
// to a stored conversation gives the conversation's own way to turn
// Reasoning off, `meterdesk conversations set N --reasoning off`, beside
// its --max-output (it named only --max-output, while the refusal's words
// said "or turn Reasoning off"); the line run as given lets the send through.
func TestChatRefusalSaysConversationReasoningOff(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	gm := fake.NewGemini(fake.Script{Chunks: []string{"Hello"}})
	defer gm.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "gm", "--kind", "gemini", "--url", gm.BaseURL(), "--key-stdin")
	d.must("rates", "set", "gemini", "gemini-2.5-flash", "--input", "0.002", "--output", "0.003", "--reasoning", "0.004")
	d.must("conversations", "new")
	d.must("conversations", "set", "1", "--max-output", "1000")
	var res struct {
		Estimate struct{ High string } `json:"estimate"`
	}
	if _, out, _ := d.run("--json", "chat", "--conversation", "1", "--model", "gemini-2.5-flash", "--reasoning", "off", "--estimate", "Hi"); json.Unmarshal([]byte(out), &res) != nil || res.Estimate.High == "" {
		t.Fatalf("estimate at off: %q", out)
	}
	d.must("credits", "topup", "--amount", res.Estimate.High, "--price", "0", "--currency", "USD")
	want := "(or meterdesk conversations set 1 --max-output 750, or meterdesk conversations set 1 --reasoning off)"
	code, out, errs := d.run("chat", "--conversation", "1", "--model", "gemini-2.5-flash", "Hi")
	if code != 3 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant exit 3 saying %q", code, out, errs, want)
	}
	d.must("conversations", "set", "1", "--reasoning", "off")
	d.must("chat", "--conversation", "1", "--model", "gemini-2.5-flash", "Hi")
}
