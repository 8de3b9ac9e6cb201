package cli

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/core"
	"meterdesk/backend/providers/fake"
)

// TestChatWhileTheWindowAnswersIsBusy: `meterdesk chat --conversation`
// (and a delete) while another process on the data
// folder (the window: a backend of its own) is writing a reply in that
// conversation is refused as busy (exit 4), saying it is another window or
// command, and stores nothing; once the reply ends, the command sends.
func TestChatWhileTheWindowAnswersIsBusy(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " world"}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "oai", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.001", "--output", "0.002")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	d.must("chat", "--model", "gpt-4o", "Hi")

	window, err := core.Open(context.Background(), core.Options{DataDir: d.dir})
	if err != nil {
		t.Fatal(err)
	}
	defer window.Close()
	ctx := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin})
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1})
	first := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, err := window.Chat.Send(ctx, chat.SendRequest{ConversationID: 1, MessageID: "window-1", Text: "Next", Source: chat.SourceUI,
			OnDelta: func(string) { once.Do(func() { close(first) }) }})
		done <- err
	}()
	select {
	case <-first:
	case err := <-done:
		t.Fatalf("the window's send ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the window's send never streamed")
	}
	// The commands here run in the test's process: the window's hold is
	// made another running process's (the test's parent), as it is when
	// the window is the app (else a command's start takes it for one left
	// by a process with its pid that is gone, and voids it).
	setOwner := func(pid int) {
		if _, err := window.DB.Writer().Exec(`UPDATE ledger_holds SET owner_pid = ? WHERE status = 'pending'`, pid); err != nil {
			t.Fatal(err)
		}
	}
	setOwner(os.Getppid())
	shown := d.must("conversations", "show", "1")
	// The window's reply reads as being written, not as one an app that was
	// closed left ("[interrupted] the app was closed …; nothing was charged").
	if !strings.Contains(shown, "[streaming] being written in another window or command using this data folder") {
		t.Errorf("conversations show while the window answers:\n%s", shown)
	}
	for _, args := range [][]string{
		{"chat", "--conversation", "1", "Again"},
		{"conversations", "delete", "1"},
	} {
		code, out, errs := d.run(args...)
		if code != ExitBusy || !strings.Contains(errs, "a reply is already being generated") || !strings.Contains(errs, "another window or command") {
			t.Errorf("%v while the window answers: %d\nstdout %q\nstderr %q", args, code, out, errs)
		}
	}
	if again := d.must("conversations", "show", "1"); again != shown {
		t.Errorf("the refusals changed the conversation:\n%s\nwas\n%s", again, shown)
	}
	setOwner(os.Getpid())
	if !window.Chat.Stop(ctx, "window-1") {
		t.Fatal("Stop found no running send")
	}
	if err := <-done; err != nil {
		t.Fatalf("the window's stopped send: %v", err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}})
	d.must("chat", "--conversation", "1", "Again")
}
