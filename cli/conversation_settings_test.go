package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

func TestConversationSettingsCommands(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	dir, run, must := d.dir, d.run, d.must
	// body is the last chat request's JSON body.
	body := func() map[string]any {
		t.Helper()
		reqs := srv.Requests()
		var m map[string]any
		if len(reqs) == 0 || json.Unmarshal(reqs[len(reqs)-1].Body, &m) != nil {
			t.Fatalf("no chat request body in %d requests", len(reqs))
		}
		return m
	}
	must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")
	must("conversations", "new")
	must("conversations", "set", "1", "--title", "Tuned")

	out := must("conversations", "set", "1", "--temperature", "0.4", "--max-output", "50")
	if out != "conversation 1 (Tuned): temperature 0.4 · top-p default · max output 50 tokens · reasoning default · history all\n" {
		t.Fatalf("set: %q", out)
	}
	// A setting not named stays as it is.
	if out := must("conversations", "set", "1", "--top-p", "0.8"); !strings.Contains(out, "temperature 0.4 · top-p 0.8 · max output 50 tokens · reasoning default") {
		t.Fatalf("set top-p: %q", out)
	}
	if out := must("chat", "--conversation", "1", "--model", "gpt-4o", "--estimate", "Hi"); !strings.Contains(out, "up to 50 output tokens") {
		t.Fatalf("estimate: %q", out)
	}
	must("chat", "--conversation", "1", "--model", "gpt-4o", "Hi")
	if b := body(); b["temperature"] != 0.4 || b["top_p"] != 0.8 || b["max_completion_tokens"] != float64(50) {
		t.Fatalf("request with the conversation's settings: %v", b)
	}
	// A send's own flags, for that send only (0 is a temperature).
	must("chat", "--conversation", "1", "--model", "gpt-4o", "--temperature", "0", "--max-tokens", "20", "Again")
	if b := body(); b["temperature"] != 0.0 || b["top_p"] != 0.8 || b["max_completion_tokens"] != float64(20) {
		t.Fatalf("request with a send's flags: %v", b)
	}
	if out := must("conversations", "show", "1"); !strings.Contains(out, "settings: temperature 0.4 · top-p 0.8 · max output 50 tokens · reasoning default") {
		t.Fatalf("show: %q", out)
	}
	var conv struct {
		Settings struct {
			Temperature *float64 `json:"temperature"`
			TopP        *float64 `json:"topP"`
			MaxOutput   int      `json:"maxOutput"`
		} `json:"settings"`
	}
	if out := must("--json", "conversations", "set", "1", "--temperature", "default", "--max-output", "DEFAULT"); json.Unmarshal([]byte(out), &conv) != nil ||
		conv.Settings.Temperature != nil || conv.Settings.TopP == nil || *conv.Settings.TopP != 0.8 || conv.Settings.MaxOutput != 0 {
		t.Fatalf("set default --json: %q", out)
	}
	sent := srv.ChatRequests()

	// Bad input: a usage error (2) or the backend's refusal (1); nothing
	// changed, nothing sent.
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"conversations", "set", "1"}, 2, "at least one of"},
		{[]string{"conversations", "set"}, 2, "conversations set ID"},
		{[]string{"conversations", "set", "abc", "--title", "x"}, 2, "not a positive number"},
		{[]string{"conversations", "set", "1", "--title", " "}, 2, "must not be empty"},
		{[]string{"conversations", "set", "1", "--temperature", "warm"}, 2, "not a number"},
		{[]string{"conversations", "set", "1", "--max-output", "1.5"}, 2, "whole number"},
		{[]string{"conversations", "set", "1", "--temperature", "2.5"}, ExitUsage, "temperature must be a number from 0 to 2"},
		{[]string{"conversations", "set", "1", "--top-p", "-0.1"}, ExitUsage, "top_p must be a number from 0 to 1"},
		{[]string{"conversations", "set", "1", "--max-output", "-3"}, ExitUsage, "max output must be from 0"},
		{[]string{"conversations", "set", "99", "--temperature", "1"}, ExitNotFound, "not found"},
		{[]string{"chat", "--conversation", "1", "--model", "gpt-4o", "--temperature", "hot", "Hi"}, 2, "not a number"},
		// A plain decimal, as the window's form takes it: ParseFloat's other
		// forms are refused.
		{[]string{"chat", "--conversation", "1", "--model", "gpt-4o", "--temperature", "1e-1", "Hi"}, 2, "not a number (write a plain decimal such as 0.7)"},
		{[]string{"chat", "--conversation", "1", "--model", "gpt-4o", "--top-p", "0x1p-1", "Hi"}, 2, "not a number (write a plain decimal such as 0.7)"},
		{[]string{"conversations", "set", "1", "--temperature", "1e-400"}, 2, `--temperature "1e-400" is not a number (a plain decimal such as 0.7`},
		{[]string{"conversations", "set", "1", "--top-p", "0_1"}, 2, `--top-p "0_1" is not a number`},
		{[]string{"conversations", "set", "1", "--top-p", "Inf"}, 2, `--top-p "Inf" is not a number`},
		{[]string{"chat", "--conversation", "1", "--model", "gpt-4o", "--top-p", "2", "Hi"}, ExitUsage, "top_p must be a number from 0 to 1"},
		{[]string{"chat", "--conversation", "1", "--system", "Be brief", "Hi"}, 2, "to change conversation 1's: meterdesk conversations set 1 --system TEXT"},
	} {
		code, _, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
	if out := must("conversations", "show", "1"); !strings.Contains(out, "settings: temperature default · top-p 0.8 · max output default (the model's) · reasoning default") {
		t.Fatalf("settings after refused changes: %q", out)
	}
	if n := srv.ChatRequests(); n != sent {
		t.Fatalf("refused sends reached the provider (%d → %d requests)", sent, n)
	}

	// Export: Markdown to stdout or to a file.
	md := must("conversations", "export", "1")
	if !strings.HasPrefix(md, "# Tuned\n") || strings.Count(md, "## You") != 2 || !strings.Contains(md, "Total charged: ") {
		t.Fatalf("export: %q", md)
	}
	file := filepath.Join(dir, "tuned.md")
	if out := must("conversations", "export", "1", "--out", file); out != "conversation 1 written to "+file+"\n" {
		t.Fatalf("export --out: %q", out)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != md {
		t.Fatalf("exported file differs from stdout: %v", err)
	}
	// A folder that does not exist is said once, as every export says it
	// (it read "export conversation 1 to F: export to F: …").
	missing := filepath.Join(dir, "nope", "x.md")
	if code, _, errs := run("conversations", "export", "1", "--out", missing); code != ExitNotFound ||
		errs != "meterdesk conversations export: conversation 1: export to "+missing+": that folder does not exist ("+filepath.Dir(missing)+")\n" {
		t.Errorf("export into a missing folder: exit %d %q", code, errs)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"conversations", "export"}, 2},
		{[]string{"conversations", "export", "x"}, 2},
		{[]string{"conversations", "export", "99"}, ExitNotFound},
		{[]string{"conversations", "export", "1", "--out", filepath.Join(dir, "no-such-folder", "x.md")}, ExitNotFound},
	} {
		if code, _, _ := run(tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d", tc.args, code, tc.code)
		}
	}
}
