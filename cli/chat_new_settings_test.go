package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatNewConversationKeepsTheSendsSettings: `chat` without
// --conversation dropped the settings given on its command line
// (--max-tokens, --temperature, --top-p, --reasoning, --history): the new
// conversation had the defaults, so continuing it sent others. They are
// now its model settings, as `conversations set` stores them, and the next
// send without flags uses them. A bad one is refused (exit 2) with nothing
// stored; without flags the new conversation has the defaults.
func TestChatNewConversationKeepsTheSendsSettings(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "o3-mini", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	body := func() map[string]any {
		t.Helper()
		reqs := srv.Requests()
		var m map[string]any
		if len(reqs) == 0 || json.Unmarshal(reqs[len(reqs)-1].Body, &m) != nil {
			t.Fatalf("no chat request body in %d requests", len(reqs))
		}
		return m
	}
	newChat := func(args ...string) string {
		t.Helper()
		code, out, errs := d.run(append([]string{"chat", "--model", "o3-mini"}, args...)...)
		var id int64
		i := strings.Index(errs, "conversation ")
		if i < 0 {
			t.Fatalf("%v: exit %d %q %q", args, code, out, errs)
		}
		if _, err := fmt.Sscanf(errs[i:], "conversation %d:", &id); code != 0 || err != nil {
			t.Fatalf("%v: exit %d %q %q", args, code, out, errs)
		}
		return fmt.Sprint(id)
	}

	id := newChat("--max-tokens", "50", "--temperature", "0.3", "--top-p", "0.9", "--reasoning", "low", "--history", "2", "Hi")
	want := "settings: temperature 0.3 · top-p 0.9 · max output 50 tokens · reasoning low · history last 2 exchanges"
	if out := d.must("conversations", "show", id); !strings.Contains(out, want) {
		t.Fatalf("show %s: %q\nwant %q", id, out, want)
	}
	d.must("chat", "--conversation", id, "Again")
	if b := body(); b["max_completion_tokens"] != float64(50) || b["reasoning_effort"] != "low" {
		t.Fatalf("the next send without flags: %v", b)
	}

	// --history all is the default (stored as all); no flags: the defaults.
	id = newChat("--history", "all", "Hi")
	if out := d.must("conversations", "show", id); strings.Contains(out, "settings:") {
		t.Fatalf("show %s with the default settings: %q", id, out)
	}

	// A bad setting: refused in the send's words, nothing stored.
	before := d.must("conversations", "list")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--max-tokens", "99999999"}, "max tokens must be from 0"},
		{[]string{"--temperature", "3"}, "temperature"},
		{[]string{"--top-p", "1.5"}, "top"},
	} {
		code, _, errs := d.run(append(append([]string{"chat", "--model", "o3-mini"}, c.args...), "Hi")...)
		if code != ExitUsage || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, code, errs, ExitUsage, c.msg)
		}
	}
	if after := d.must("conversations", "list"); after != before {
		t.Errorf("refused sends changed the conversations:\n%s\n%s", before, after)
	}
}
