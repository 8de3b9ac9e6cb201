package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCLIHistory: `conversations set --history` stores how many earlier
// exchanges a conversation's sends carry (shown by `conversations show`,
// with --json too), `chat --history` overrides it for one send, and
// `chat --estimate` prices the prompt the send will carry. A history that
// is not all or a whole number from 0 to 1000 is a usage error (exit 2):
// nothing changed, stored or sent.
func TestCLIHistory(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	run, must := d.run, d.must
	// users is the user turns of the last chat request.
	users := func() string {
		t.Helper()
		reqs := srv.Requests()
		var body struct {
			Messages []struct{ Role, Content string }
		}
		if len(reqs) == 0 || json.Unmarshal(reqs[len(reqs)-1].Body, &body) != nil {
			t.Fatalf("no chat request body in %d requests", len(reqs))
		}
		var out []string
		for _, m := range body.Messages {
			if m.Role == "user" {
				out = append(out, m.Content)
			}
		}
		return strings.Join(out, " ")
	}
	promptTokens := func(args ...string) int {
		t.Helper()
		var est struct {
			Estimate struct {
				PromptTokens int `json:"promptTokens"`
			} `json:"estimate"`
		}
		out := must(append([]string{"--json", "chat", "--conversation", "1", "--estimate"}, args...)...)
		if err := json.Unmarshal([]byte(out), &est); err != nil || est.Estimate.PromptTokens == 0 {
			t.Fatalf("estimate %v: %q", args, out)
		}
		return est.Estimate.PromptTokens
	}
	must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")
	must("chat", "--model", "gpt-4o", "one")
	must("chat", "--conversation", "1", "two")
	must("chat", "--conversation", "1", "three")
	if got := users(); got != "one two three" {
		t.Fatalf("All sent %q", got)
	}
	all := promptTokens("four")

	if out := must("conversations", "set", "1", "--history", "1"); !strings.HasSuffix(out, "· reasoning default · history last 1 exchange\n") {
		t.Fatalf("set --history 1: %q", out)
	}
	one := promptTokens("four")
	if one >= all || promptTokens("--history", "all", "four") != all || promptTokens("--history", "0", "four") >= one {
		t.Fatalf("estimates: %d with History 1, %d with all", one, all)
	}
	must("chat", "--conversation", "1", "four")
	if got := users(); got != "three four" {
		t.Fatalf("History 1 sent %q", got)
	}
	// A send's own History, for that send only.
	must("chat", "--conversation", "1", "--history", "ALL", "five")
	if got := users(); got != "one two three four five" {
		t.Fatalf("--history all sent %q", got)
	}
	must("chat", "--conversation", "1", "--history", "0", "six")
	if got := users(); got != "six" {
		t.Fatalf("--history 0 sent %q", got)
	}
	if out := must("conversations", "show", "1"); !strings.Contains(out, "settings: temperature default · top-p default · max output default (the model's) · reasoning default · history last 1 exchange") {
		t.Fatalf("show: %q", out)
	}
	var conv struct {
		Settings struct {
			History *int `json:"history"`
		} `json:"settings"`
	}
	if out := must("--json", "conversations", "show", "1"); json.Unmarshal([]byte(out), &conv) != nil || conv.Settings.History == nil || *conv.Settings.History != 1 {
		t.Fatalf("show --json: %q", out)
	}
	if out := must("conversations", "set", "1", "--history", "12"); !strings.HasSuffix(out, "· history last 12 exchanges\n") {
		t.Fatalf("set --history 12: %q", out)
	}
	if out := must("conversations", "set", "1", "--history", "0"); !strings.HasSuffix(out, "· history none (only the new message)\n") {
		t.Fatalf("set --history 0: %q", out)
	}
	// Back to All: a conversation at its defaults shows no settings line.
	if out := must("--json", "conversations", "set", "1", "--history", "all"); json.Unmarshal([]byte(out), &conv) != nil || conv.Settings.History != nil {
		t.Fatalf("set --history all: %q", out)
	}
	if out := must("conversations", "show", "1"); strings.Contains(out, "settings:") {
		t.Fatalf("show at defaults: %q", out)
	}
	must("conversations", "set", "1", "--history", "2")

	requests, list := srv.ChatRequests(), must("conversations", "list")
	for _, tc := range [][]string{
		{"conversations", "set", "1", "--history", "-1"},
		{"conversations", "set", "1", "--history", "1001"},
		{"conversations", "set", "1", "--history", "2.5"},
		{"conversations", "set", "1", "--title", "Other", "--history", "1e2"},
		{"conversations", "set", "1", "--history", ""},
		{"conversations", "set", "1", "--history", "some"},
		{"chat", "--conversation", "1", "--history", "-3", "Hi"},
		{"chat", "--conversation", "1", "--history", "1.0", "--estimate", "Hi"},
		{"chat", "--model", "gpt-4o", "--history", "99999", "Hi"},
	} {
		if code, _, errs := run(tc...); code != ExitUsage || !strings.Contains(errs, "is not a history: use all, or a whole number of exchanges from 0 to 1000") {
			t.Errorf("%v: exit %d %q, want %d and the rule", tc, code, errs, ExitUsage)
		}
	}
	if out := must("conversations", "show", "1"); !strings.Contains(out, "· history last 2 exchanges") || strings.Contains(out, "Other") {
		t.Fatalf("a refused change changed conversation 1: %q", out)
	}
	if n, after := srv.ChatRequests(), must("conversations", "list"); n != requests || after != list {
		t.Fatalf("refused commands sent %d requests or changed the list:\n%s\n%s", n-requests, list, after)
	}

	// The provider's refusal of a prompt over the context window is named,
	// with the command line's way to a shorter one; nothing is charged.
	balance := must("credits", "balance")
	srv.SetScript(fake.Script{Fault: fake.ContextTooLong})
	code, _, errs := run("chat", "--conversation", "1", "seven")
	if code != ExitFailed || !strings.Contains(errs, "This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat. (on the command line: meterdesk conversations set 1 --history N, or --history N for one send; nothing was charged)") {
		t.Fatalf("too long: exit %d %q", code, errs)
	}
	var res struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if code, out, _ := run("--json", "chat", "--conversation", "1", "seven"); code != ExitFailed || json.Unmarshal([]byte(out), &res) != nil ||
		res.Error.Code != "context_too_long" || res.Error.Message != "This conversation is too long for gpt-4o. Lower History in Model settings, or start a new chat." {
		t.Fatalf("too long, --json: exit %d %q", code, out)
	}
	if after := must("credits", "balance"); after != balance || !strings.Contains(must("conversations", "show", "1"), "six") ||
		strings.Contains(must("conversations", "show", "1"), "seven") {
		t.Fatalf("a refused send charged or stored something: %s → %s", balance, after)
	}
}
