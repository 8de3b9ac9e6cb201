//go:build unix

package cli

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// interruptWhen runs the CLI and sends this process sig (SIGINT: Ctrl-C;
// SIGTERM: a kill) once ready() is true; the command's signal handler
// catches it.
func interruptWhen(t *testing.T, sig syscall.Signal, ready func(stdout string) bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errw syncBuffer
	done := make(chan int, 1)
	go func() { done <- Run(args, strings.NewReader(""), &out, &errw) }()
	deadline := time.Now().Add(20 * time.Second)
	for !ready(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("the command never got ready: %q %q", out.String(), errw.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		return code, out.String(), errw.String()
	case <-time.After(20 * time.Second):
		t.Fatalf("%v did not end the command", sig)
		return 0, "", ""
	}
}

// TestChatCtrlCStopsLikeTheWindow: Ctrl-C while a reply streams stops it as
// the window's Stop does: the reply is kept as "stopped" and charged for the
// text delivered (estimated, as the provider sent no usage), no hold is
// left, and the error names the conversation it is kept in. Ctrl-C before
// any text charges nothing and leaves no conversation. SIGTERM (a kill, a
// service stop) does the same, and the error line says SIGTERM, not Ctrl-C.
func TestChatCtrlCStopsLikeTheWindow(t *testing.T) {
	for _, c := range []struct {
		sig syscall.Signal
		by  string
	}{{syscall.SIGINT, "Ctrl-C"}, {syscall.SIGTERM, "SIGTERM"}} {
		t.Run(c.by, func(t *testing.T) { testChatStoppedBy(t, c.sig, c.by) })
	}
}

func testChatStoppedBy(t *testing.T, sig syscall.Signal, by string) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " there"}, FailAfter: 1, Fault: fake.Hang,
		Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")

	code, out, errs := interruptWhen(t, sig, func(out string) bool { return strings.Contains(out, "Hello") },
		"--data-dir", d.dir, "chat", "--model", "gpt-4o", "Hi")
	// "Hi" is 8 prompt tokens with the chat overhead; "Hello" 1 output token.
	if code != 1 || !strings.HasPrefix(out, "Hello\n") || !strings.Contains(out, "charged 0.024 credits to pool (the workspace pool)") ||
		!strings.Contains(out, "estimated") || !strings.Contains(errs, "stopped by "+by+": the reply is kept as far as it got, and charged for that") ||
		!strings.Contains(errs, "(kept in conversation 1; continue it with: meterdesk chat --conversation 1)") {
		t.Fatalf("%s mid-reply: %d %q %q", by, code, out, errs)
	}
	var conv struct {
		Messages []struct {
			Status  string `json:"status"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(d.must("--json", "conversations", "show", "1")), &conv); err != nil ||
		len(conv.Messages) != 2 || conv.Messages[1].Status != "stopped" || conv.Messages[1].Content != "Hello" {
		t.Fatalf("stored: %+v %v", conv, err)
	}
	if out := d.must("credits", "balance", "pool"); !strings.Contains(out, "balance    99.976") || !strings.Contains(out, "reserved   0.00\n") {
		t.Fatalf("pool after the stop: %s", out)
	}

	// Before the first text: nothing is charged, no hold is left.
	slow := fake.NewOpenAI(fake.Script{Chunks: []string{"late"}, FirstDelay: time.Minute})
	defer slow.Close()
	d.must("providers", "remove", "fake")
	d.must("providers", "add", "--name", "slow", "--kind", "openai", "--url", slow.BaseURL(), "--key-stdin")
	code, out, errs = interruptWhen(t, sig, func(string) bool { return slow.ChatRequests() == 1 },
		"--data-dir", d.dir, "chat", "--model", "gpt-4o", "Hi")
	if code != 1 || strings.Contains(out, "charged") ||
		errs != "meterdesk chat: stopped by "+by+" before any reply: nothing was charged\n" {
		t.Fatalf("%s before any text: %d %q %q", by, code, out, errs)
	}
	if out := d.must("credits", "balance", "pool"); !strings.Contains(out, "balance    99.976") || !strings.Contains(out, "reserved   0.00\n") {
		t.Fatalf("pool after a stop before any text: %s", out)
	}
	if code, _, errs := d.run("conversations", "show", "2"); code != ExitNotFound || !strings.Contains(errs, "not found") {
		t.Fatalf("a conversation is left by a send stopped before any text: %d %s", code, errs)
	}
	if out := d.must("--json", "conversations", "list"); strings.Count(out, `"id":`) != 1 {
		t.Fatalf("conversations after the stops: %s", out)
	}
}

// TestChatCtrlCOfAFreeReplySaysItWasFree: Ctrl-C while a free model's
// reply streams (a local server rated 0) printed "nothing charged to pool:
// … · free" and then "the reply is kept as far as it got, and charged for
// that", the words the window had under such a reply before it said
// "Stopped — free, nothing charged." (chat.StatusNote, by chat.Free). It
// now says it was free, nothing charged; a paid reply's line is as it was
// (TestChatCtrlCStopsLikeTheWindow).
func TestChatCtrlCOfAFreeReplySaysItWasFree(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " there"}, FailAfter: 1, Fault: fake.Hang,
		Usage: fake.Usage{Prompt: 9, Completion: 2}, Models: []string{"m1"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL())
	d.must("rates", "set", "local", "m1", "--input", "0", "--output", "0")

	code, out, errs := interruptWhen(t, syscall.SIGINT, func(out string) bool { return strings.Contains(out, "Hello") },
		"--data-dir", d.dir, "chat", "--model", "m1", "Hi")
	if code != 1 || !strings.HasPrefix(out, "Hello\n") || !strings.Contains(out, "nothing charged to pool (the workspace pool): m1 · ") || !strings.Contains(out, " · free") ||
		!strings.HasSuffix(errs, "\nmeterdesk chat: stopped by Ctrl-C: the reply is kept as far as it got; free, nothing charged (kept in conversation 1; continue it with: meterdesk chat --conversation 1)\n") {
		t.Fatalf("Ctrl-C mid-reply of a free model: %d %q %q", code, out, errs)
	}
	// The window's words, once: it printed "[stopped] Stopped — …", the status twice.
	if show := d.must("conversations", "show", "1"); !strings.Contains(show, "\n[Stopped — free, nothing charged.]\n") || strings.Contains(show, "[stopped]") {
		t.Errorf("conversations show:\n%s", show)
	}
}
