package cli

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCLIReasoning: `conversations set --reasoning` stores a conversation's
// Reasoning level (shown by `conversations show`, with --json too),
// `chat --reasoning` overrides it for one send (and sets a new
// conversation's send), and Claude is sent extended thinking with the
// budget inside max_tokens, which the estimate holds for. A level that is
// none of the five is a usage error (exit 2): nothing changed, stored or
// sent.
func TestCLIReasoning(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	run, must := d.run, d.must
	const model = "claude-sonnet-4-5"
	// sent is what the last chat request carried that a level decides.
	sent := func() map[string]any {
		t.Helper()
		reqs := srv.Requests()
		var m map[string]any
		if len(reqs) == 0 || json.Unmarshal(reqs[len(reqs)-1].Body, &m) != nil {
			t.Fatalf("no chat request body in %d requests", len(reqs))
		}
		out := map[string]any{"max_tokens": m["max_tokens"]}
		if th, ok := m["thinking"]; ok {
			out["thinking"] = th
		}
		return out
	}
	thinking := func(budget, max float64) map[string]any {
		return map[string]any{"max_tokens": max, "thinking": map[string]any{"type": "enabled", "budget_tokens": budget}}
	}
	must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", srv.BaseURL(), "--key-stdin")
	must("rates", "set", "anthropic", model, "--input", "0.003", "--output", "0.015")
	must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	must("conversations", "new")
	must("conversations", "set", "1", "--title", "Deep")

	if out := must("conversations", "set", "1", "--reasoning", "High"); out != "conversation 1 (Deep): temperature default · top-p default · max output default (the model's) · reasoning high · history all\n" {
		t.Fatalf("set --reasoning: %q", out)
	}
	// The estimate holds for the answer's 4,096 tokens and the 16,384 of thinking.
	if out := must("chat", "--conversation", "1", "--model", model, "--estimate", "Hi"); !strings.Contains(out, "up to 20,480 output tokens") {
		t.Fatalf("estimate: %q", out)
	}
	if out := must("chat", "--conversation", "1", "--model", model, "--reasoning", "low", "--estimate", "Hi"); !strings.Contains(out, "up to 5,120 output tokens") {
		t.Fatalf("estimate --reasoning low: %q", out)
	}
	must("chat", "--conversation", "1", "--model", model, "Hi")
	if got := sent(); !reflect.DeepEqual(got, thinking(16384, 20480)) {
		t.Fatalf("the conversation's level: %v", got)
	}
	// A send's own level, for that send only.
	must("chat", "--conversation", "1", "--model", model, "--reasoning", "off", "Again")
	if got := sent(); !reflect.DeepEqual(got, map[string]any{"max_tokens": float64(4096)}) {
		t.Fatalf("--reasoning off: %v", got)
	}
	if out := must("conversations", "show", "1"); !strings.Contains(out, "settings: temperature default · top-p default · max output default (the model's) · reasoning high") {
		t.Fatalf("show: %q", out)
	}
	var conv struct {
		Settings struct {
			Reasoning string `json:"reasoning"`
		} `json:"settings"`
	}
	if out := must("--json", "conversations", "show", "1"); json.Unmarshal([]byte(out), &conv) != nil || conv.Settings.Reasoning != "high" {
		t.Fatalf("show --json: %q", out)
	}
	// A new conversation's send.
	must("chat", "--model", model, "--reasoning", "MEDIUM", "New one")
	if got := sent(); !reflect.DeepEqual(got, thinking(4096, 8192)) {
		t.Fatalf("new conversation --reasoning medium: %v", got)
	}
	// Back to the provider's default.
	if out := must("--json", "conversations", "set", "1", "--reasoning", "default"); json.Unmarshal([]byte(out), &conv) != nil || conv.Settings.Reasoning != "default" {
		t.Fatalf("set --reasoning default: %q", out)
	}
	// A conversation at its defaults shows no settings line.
	if out := must("conversations", "show", "1"); strings.Contains(out, "settings:") {
		t.Fatalf("show at defaults: %q", out)
	}
	must("conversations", "set", "1", "--reasoning", "low")
	// Another setting changed alone keeps the level (the CLI starts from the stored settings).
	if out := must("conversations", "set", "1", "--temperature", "1"); !strings.HasSuffix(out, "temperature 1 · top-p default · max output default (the model's) · reasoning low · history all\n") {
		t.Fatalf("set --temperature: %q", out)
	}

	requests, list := srv.ChatRequests(), must("conversations", "list")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"conversations", "set", "1", "--reasoning", "extreme"}, `"extreme" is not a reasoning level: use default, off, low, medium or high`},
		{[]string{"conversations", "set", "1", "--reasoning", ""}, `"" is not a reasoning level`},
		{[]string{"conversations", "set", "1", "--title", "Other", "--reasoning", "none"}, `"none" is not a reasoning level`},
		{[]string{"chat", "--conversation", "1", "--model", model, "--reasoning", "max", "Hi"}, `"max" is not a reasoning level`},
		{[]string{"chat", "--model", model, "--reasoning", "minimal", "Hi"}, `"minimal" is not a reasoning level`},
		{[]string{"chat", "--model", model, "--reasoning", "hi gh", "--estimate", "Hi"}, `"hi gh" is not a reasoning level`},
	} {
		if code, _, errs := run(tc.args...); code != ExitUsage || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, code, errs, ExitUsage, tc.msg)
		}
	}
	if out := must("conversations", "show", "1"); !strings.HasPrefix(out, "# Deep ") || !strings.Contains(out, "· reasoning low") {
		t.Fatalf("a refused change changed conversation 1: %q", out)
	}
	if n, after := srv.ChatRequests(), must("conversations", "list"); n != requests || after != list {
		t.Fatalf("refused commands sent %d requests or changed the list:\n%s\n%s", n-requests, list, after)
	}
}
