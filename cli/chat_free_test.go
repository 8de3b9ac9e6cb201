package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatSaysAFreeReplyIsFree: `meterdesk chat` to a model rated 0 on a
// local server printed "charged 0.00 credits to pool (the workspace pool): m1 · input 10 tokens
// (0.00 credits) · output 2 tokens (0.00 credits) · total 0.00 credits"; it
// now says "nothing charged to pool (the workspace pool): … · free", the reply's breakdown in
// the window's words (chat.Summary, as the API key list says "free"), and
// so does `conversations show`; --json keeps the exact "0".
func TestChatSaysAFreeReplyIsFree(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2}, Models: []string{"m1"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL())
	d.must("rates", "set", "local", "m1", "--input", "0", "--output", "0")

	const line = "nothing charged to pool (the workspace pool): m1 · input 10 tokens · output 2 tokens · free\n"
	code, out, errs := d.run("chat", "--model", "m1", "--max-tokens", "10", "Hi")
	if code != 0 || out != "Hello\n\n"+line {
		t.Fatalf("chat: exit %d %q %q\nwant the output %q", code, out, errs, "Hello\n\n"+line)
	}
	var conv int64
	if _, err := fmt.Sscanf(errs, "conversation %d:", &conv); err != nil {
		t.Fatalf("no conversation in %q: %v", errs, err)
	}
	show := d.must("conversations", "show", fmt.Sprint(conv))
	if !strings.Contains(show, "[m1 · input 10 tokens · output 2 tokens · free]\n") || strings.Contains(show, "0.00") {
		t.Errorf("conversations show:\n%s\nwant the reply's line ending \"free\"", show)
	}

	code, out, errs = d.run("--json", "chat", "--model", "m1", "--max-tokens", "10", "Hi")
	var got struct {
		Charge struct {
			Amount    string `json:"amount"`
			Price     string `json:"price"`
			Summary   string `json:"summary"`
			Breakdown struct {
				Total string `json:"total"`
			} `json:"breakdown"`
		} `json:"charge"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("--json: exit %d %v: %s %s", code, err, out, errs)
	}
	if c := got.Charge; c.Amount != "0" || c.Price != "0" || c.Breakdown.Total != "0" || c.Summary != "m1 · input 10 tokens · output 2 tokens · free" {
		t.Errorf("--json charge %+v, want an exact 0 and the summary ending \"free\"", c)
	}
}
