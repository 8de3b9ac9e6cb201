package chat_test

import (
	"fmt"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestAPageOfManyFreeReplacedRepliesSaysFree: the collapsed line said
// "free" only when every replaced reply was listed, so a page (which lists
// the newest MaxReplacedListed) of a reply that replaced more free replies
// said "12 earlier replies replaced · 0.00 credits" while the whole read
// (conversations show) said "· free". Whether all were free is now read of
// all of them, listed or not: the page and the whole read say the same.
// The words under the listed ones for those not listed are Go's too
// (NotListed), made once for the window.
func TestAPageOfManyFreeReplacedRepliesSaysFree(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	t.Cleanup(srv.Close)
	e.add("box", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
	conv := e.conversation("box", "llama3.2", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	n := chat.MaxReplacedListed + 2
	for range n {
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Regenerate: true, MaxTokens: 10}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what      string
		ms        []chat.Message
		notListed string
	}{
		{"page", page.Messages, "and 2 earlier ones, not listed here (meterdesk conversations show lists them)"},
		{"whole", whole, ""},
	} {
		r := tc.ms[len(tc.ms)-1].Replaced
		if r == nil {
			t.Fatalf("%s: no replaced replies", tc.what)
		}
		if want := fmt.Sprintf("%d earlier replies replaced · free", n); r.Summary != want || !r.Free {
			t.Errorf("%s: %q (free %v), want %q", tc.what, r.Summary, r.Free, want)
		}
		if r.NotListed != tc.notListed {
			t.Errorf("%s: not listed %q, want %q", tc.what, r.NotListed, tc.notListed)
		}
	}
}

// TestReplacedReplyLinesAreGos: each replaced reply's line in the window's
// expanded list ("Stopped reply · gpt-4o · … · total … credits") was made
// in TypeScript, and `conversations show` made its own ("[stopped: …]").
// Go makes it once (ReplacedReply.Line), which both print.
func TestReplacedReplyLinesAreGos(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Text: "q"}); err != nil {
		t.Fatal(err)
	}
	srv.Enqueue(fake.Script{Chunks: []string{"Hal", "f"}, Usage: fake.Usage{Prompt: 8, Completion: 9}, Fault: fake.Hang, FailAfter: 1})
	id := chat.NewID()
	stopped, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: id, Regenerate: true,
		OnDelta: func(string) { e.svc.Stop(adminCtx, id) }})
	if err != nil || stopped.Status != chat.StatusStopped {
		t.Fatalf("the stopped send: %+v, %v", stopped, err)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Regenerate: true}); err != nil {
		t.Fatal(err)
	}
	whole, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := whole[len(whole)-1].Replaced
	if r == nil || len(r.Replies) != 2 {
		t.Fatalf("replaced %+v, want 2 replies", r)
	}
	for i, want := range []string{"Reply · ", "Stopped reply · "} {
		if got := r.Replies[i].Line; got != want+r.Replies[i].Charge.Summary || r.Replies[i].Charge.Summary == "" {
			t.Errorf("reply %d: %q, want %q then its charge's summary %q", i, got, want, r.Replies[i].Charge.Summary)
		}
	}

	charge := chat.Charge{Summary: "gpt-4o · total 0.054 credits"}
	for _, tc := range []struct {
		r    chat.ReplacedReply
		want string
	}{
		{chat.ReplacedReply{Status: chat.StatusDone, Charge: charge}, "Reply · gpt-4o · total 0.054 credits"},
		{chat.ReplacedReply{Status: chat.StatusStopped, Charge: charge}, "Stopped reply · gpt-4o · total 0.054 credits"},
		{chat.ReplacedReply{Status: chat.StatusInterrupted, Charge: charge}, "Interrupted reply · gpt-4o · total 0.054 credits"},
		{chat.ReplacedReply{Status: chat.StatusError, Charge: charge, WrittenBy: &chat.Author{Name: "Ann"}},
			"Failed reply sent by Ann · gpt-4o · total 0.054 credits"},
	} {
		if got := chat.ReplacedReplyLine(&tc.r); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r    chat.Replaced
		want string
	}{
		{chat.Replaced{Count: 2, Replies: make([]chat.ReplacedReply, 2)}, ""},
		{chat.Replaced{Count: 11, Replies: make([]chat.ReplacedReply, 10)}, "and 1 earlier one, not listed here (meterdesk conversations show lists them)"},
		{chat.Replaced{Count: 1000, Replies: make([]chat.ReplacedReply, 10)}, "and 990 earlier ones, not listed here (meterdesk conversations show lists them)"},
	} {
		if got := chat.ReplacedNotListed(&tc.r); got != tc.want {
			t.Errorf("%d of %d listed: %q, want %q", len(tc.r.Replies), tc.r.Count, got, tc.want)
		}
	}
}
