package cli

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

func TestChatCommand(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	// The provider lists gpt-unpriced: a model without a rate of its own is
	// a note (TestChatWarnsOfAnUnlistedModel has one it does not list).
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hel", "lo"}, Usage: fake.Usage{Prompt: 9, Completion: 2},
		Models: []string{"gpt-4o", "gpt-unpriced"}})
	defer srv.Close()
	dir := newDatabase(t)
	run := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		return provRun(t, stdin, append([]string{"--data-dir", dir}, args...)...)
	}
	must := func(args ...string) {
		t.Helper()
		if code, out, errs := run("sk-test-0123456789\n", args...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008", "--reasoning", "0.008")

	// The estimate sends nothing: "Hi" as gpt-4o (o200k_base) is 8 prompt
	// tokens with the chat overhead; 4,096 output tokens at most. With no
	// credits it says the send's refusal, and exits as the send would
	// (TestChatEstimateSaysTheSendsRefusal).
	code, out, errs := run("", "chat", "--model", "gpt-4o", "--estimate", "Hi")
	if code != ExitRefused || !strings.Contains(out, "gpt-4o: 8 prompt tokens (exact), up to 4,096 output tokens: 0.016 to 32.784 credits") ||
		!strings.Contains(errs, "not enough credits") || srv.ChatRequests() != 0 {
		t.Fatalf("estimate: %d %q %q", code, out, errs)
	}
	if code, _, errs := run("", "chat", "--estimate", "Hi"); code != 2 || !strings.Contains(errs, "needs --model") {
		t.Fatalf("estimate without a model: %d %q", code, errs)
	}

	// No credits: refused before the provider is asked, nothing stored
	// (TestFailedChatLeavesNothing has every kind of failure).
	code, out, errs = run("", "chat", "--model", "gpt-4o", "Hi")
	if code != ExitRefused || !strings.Contains(errs, "not enough credits") || strings.Contains(errs, "draft") || out != "" ||
		!strings.Contains(errs, "top up with: meterdesk credits topup --amount X") {
		t.Fatalf("unfunded chat: %d %q %q", code, out, errs)
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("provider got %d requests", n)
	}
	if code, out, _ := run("", "conversations", "list"); code != 0 || out != "no conversations\n" {
		t.Fatalf("the refused chat left a conversation: %q", out)
	}
	must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")

	code, out, errs = run("", "chat", "Hi", "--model", "gpt-4o")
	// 9*0.002 + 2*0.008
	if code != 0 || !strings.HasPrefix(out, "Hello\n") || strings.Contains(errs, "note:") || !strings.Contains(out, "charged 0.034 credits to pool (the workspace pool): gpt-4o · input 9 tokens (0.018 credits) · output 2 tokens (0.016 credits) · total 0.034 credits") {
		t.Fatalf("chat: %d %q %q", code, out, errs)
	}
	// How to go on with the new conversation, on standard error only.
	var conv int64
	if _, err := fmt.Sscanf(errs, "conversation %d: continue it with: meterdesk chat --conversation ", &conv); err != nil ||
		!strings.Contains(errs, fmt.Sprintf("--conversation %d \"…\"", conv)) || strings.Contains(out, "continue it") {
		t.Fatalf("chat did not say its conversation on stderr: %q %q", out, errs)
	}
	code, out, errs = run("Hi again", "--json", "chat", "--model", "gpt-4o", "-")
	var res struct {
		ConversationID int64  `json:"conversationId"`
		Text           string `json:"text"`
		Status         string `json:"status"`
		Charge         struct {
			Amount    string `json:"amount"`
			Breakdown struct {
				Total string `json:"total"`
			} `json:"breakdown"`
		} `json:"charge"`
		Error any `json:"error"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Text != "Hello" || res.Status != "done" ||
		res.Charge.Amount != "0.034" || res.Charge.Breakdown.Total != "0.034" || res.Error != nil {
		t.Fatalf("chat --json: %d %q %q", code, out, errs)
	}
	if code, out, _ := run("", "credits", "balance", "pool"); code != 0 || !strings.Contains(out, "99.932") {
		t.Fatalf("balance after two chats: %s", out)
	}
	code, out, _ = run("", "conversations", "list", "--search", "again")
	if code != 0 || !strings.Contains(out, "Hi again") || strings.Contains(out, "\t1\t") {
		t.Fatalf("list: %q", out)
	}
	code, out, errs = run("", "conversations", "list", "--limit", "1")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(errs, "the 1 most recent are listed") {
		t.Fatalf("list --limit 1: %d %q %q", code, out, errs)
	}
	if code, out, errs := run("", "conversations", "list", "--limit", "1000"); code != 0 || errs != "" || strings.Count(out, "\n") < 3 {
		t.Fatalf("list --limit 1000 (all of them): %d %q %q", code, out, errs)
	}
	code, out, _ = run("", "conversations", "show", "3")
	if code != 0 || !strings.Contains(out, "user:\nHi again") || !strings.Contains(out, "total 0.034 credits") {
		t.Fatalf("show: %d %q", code, out)
	}
	if code, _, errs := run("", "conversations", "delete", "3"); code != 0 {
		t.Fatalf("delete: %s", errs)
	}
	// "New chat": a blank conversation, handed out again until it is used.
	code, out, errs = run("", "--json", "conversations", "new")
	var blank struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &blank) != nil || blank.ID != 4 || blank.Title != "New chat" {
		t.Fatalf("conversations new: %d %q %q", code, out, errs)
	}
	if code, out, _ := run("", "conversations", "new"); code != 0 || out != "conversation 4 (New chat)\n" {
		t.Fatalf("conversations new again: %d %q", code, out)
	}
	for _, args := range [][]string{
		{"chat", "Hi"},                                // no model
		{"chat", "--model", "gpt-4o"},                 // no prompt (stdin empty)
		{"chat", "--bogus", "--model", "gpt-4o", "x"}, // unknown flag
		{"conversations"},
		{"conversations", "show", "abc"},
		{"conversations", "frob"},
		{"conversations", "new", "extra"},
		{"conversations", "list", "--limit", "0"},
	} {
		if code, _, _ := run("", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := run("", "conversations", "show", "3"); code != ExitNotFound || !strings.Contains(errs, "not found") {
		t.Fatalf("show deleted: %d %s", code, errs)
	}
	if n := srv.ChatRequests(); n != 2 {
		t.Fatalf("provider got %d chat requests, want 2", n)
	}
	// A priced model sends without a note; an unpriced one says, before
	// the reply, that the default rate applies (1 credit per token here).
	code, out, errs = run("", "chat", "--model", "gpt-unpriced", "--max-tokens", "10", "Hi")
	if code != 0 || !strings.HasPrefix(out, "Hello\n") ||
		!strings.HasPrefix(errs, "note: gpt-unpriced has no rate of its own, so the default rate applies (1 credit per token); you can set one in Settings → Rates\nconversation ") {
		t.Fatalf("chat with an unpriced model: %d %q %q", code, out, errs)
	}
	code, out, _ = run("", "chat", "--model", "gpt-unpriced", "--max-tokens", "10", "--estimate", "Hi")
	if code != 0 || !strings.Contains(out, "warning: gpt-unpriced has no rate of its own") {
		t.Fatalf("estimate of an unpriced model: %d %q", code, out)
	}
	if code, out, _ := run("", "credits", "balance", "pool"); code != 0 || !strings.Contains(out, "88.932") {
		t.Fatalf("balance after the unpriced chat (9 + 2 tokens at 1 credit each): %s", out)
	}
	// No hint when the conversation was given.
	if code, out, errs := run("", "chat", "--conversation", fmt.Sprint(conv), "And?"); code != 0 || strings.Contains(errs, "continue it") {
		t.Fatalf("chat --conversation %d: %d %q %q", conv, code, out, errs)
	}
}

// TestChatMemberWithoutCredits: a member, who cannot top up, is told to ask
// an admin (in the message and as askAdmin in --json), never given the
// admin's top-up command; nothing reaches the provider.
func TestChatMemberWithoutCredits(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_PASSWORD", "correct horse") // stdin carries the key
	for _, args := range [][]string{
		{"providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"},
		{"rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008"},
	} {
		if code, out, errs := runIn(t, "sk-test-0123456789\n", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "1234") // bob's PIN
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o", "Hi")
	if code != ExitRefused || !strings.Contains(errs, "not enough credits") || !strings.Contains(errs, "ask an admin for credits to send it") ||
		strings.Contains(errs, "credits topup") || out != "" {
		t.Fatalf("member without credits: %d %q %q", code, out, errs)
	}
	code, out, _ = runIn(t, "", "--data-dir", dir, "--json", "--user", "bob", "chat", "--model", "gpt-4o", "Hi")
	var res struct {
		Error struct {
			Code     string `json:"code"`
			TopUp    bool   `json:"topUp"`
			AskAdmin bool   `json:"askAdmin"`
		} `json:"error"`
	}
	if code != ExitRefused || json.Unmarshal([]byte(out), &res) != nil || res.Error.Code != "insufficient_credits" ||
		res.Error.TopUp || !res.Error.AskAdmin {
		t.Fatalf("member without credits --json: %d %q", code, out)
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("provider got %d requests", n)
	}
}

// TestChatUnreachableProviderSaysOfflineOnce: the error line for a provider
// that cannot be reached says "offline" once (not "offline: chat: offline:
// …"), charges nothing and leaves no conversation behind.
func TestChatUnreachableProviderSaysOfflineOnce(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: refused
	dir := newDatabase(t)
	run := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		return provRun(t, stdin, append([]string{"--data-dir", dir}, args...)...)
	}
	for _, args := range [][]string{
		{"providers", "add", "--name", "box", "--kind", "openai_compatible", "--url", "http://" + addr + "/v1"},
		{"rates", "set", "local", "llama3.2", "--input", "0.002", "--output", "0.008"},
		{"credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD"},
	} {
		if code, out, errs := run("", args...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	code, out, errs := run("", "chat", "--model", "llama3.2", "Hi")
	want := "meterdesk chat: offline: the provider cannot be reached: nothing is answering at " + addr +
		" (is the local server running?)\n"
	if code != 1 || out != "" || errs != want {
		t.Fatalf("chat: %d %q\nstderr %q\nwant   %q", code, out, errs, want)
	}
	if code, out, _ := run("", "credits", "balance", "pool"); code != 0 || !strings.Contains(out, "100") {
		t.Fatalf("balance after an offline send: %s", out)
	}
	if code, out, _ := run("", "conversations", "list"); code != 0 || out != "no conversations\n" {
		t.Fatalf("the offline send left a conversation: %q", out)
	}
	code, out, errs = run("", "providers", "test", "box")
	// A connection test leads with what it means (providers.TestFailure).
	if code != 1 || !strings.HasPrefix(out, "box: nothing answers at "+addr+" — is the server running? (") {
		t.Fatalf("providers test: %d %q %q", code, out, errs)
	}
}
