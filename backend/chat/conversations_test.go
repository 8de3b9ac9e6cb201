package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

func TestConversationsCRUDAndSearch(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Paris is the capital."}, Usage: fake.Usage{Prompt: 8, Completion: 5}})
	defer srv.Close()
	e.add("openai", providers.KindOpenAI, rates.OpenAI, srv.BaseURL(), 0)
	a := e.conversation("openai", "gpt-4o", "")
	b := e.conversation("openai", "gpt-4o", "You are terse.")
	if a.Title != chat.DefaultTitle || b.SystemPrompt != "You are terse." {
		t.Fatalf("created %+v %+v", a, b)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: a.ID, Text: "What is the capital of France? 100% sure_", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Conversation(adminCtx, a.ID)
	if got.Title != "What is the capital of France? 100% sure_" || got.Messages != 2 {
		t.Fatalf("after send %+v", got)
	}
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"", []int64{a.ID, b.ID}},
		{"PARIS", []int64{a.ID}},
		{"100%", []int64{a.ID}},
		{"%", []int64{a.ID}}, // literal percent, not a wildcard
		{"_", []int64{a.ID}},
		{"nothing like this", nil},
	} {
		list, err := e.svc.ListConversations(adminCtx, tc.q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
			t.Fatalf("search %q = %v, want %v", tc.q, ids, tc.want)
		}
	}
	list, _ := e.svc.ListConversations(adminCtx, "paris", 0)
	if !strings.Contains(list[0].Snippet, "Paris") {
		t.Fatalf("snippet %q", list[0].Snippet)
	}
	title, sys := "Geography", "Answer in French."
	up, err := e.svc.UpdateConversation(adminCtx, a.ID, chat.ConversationInput{Title: title, SystemPrompt: &sys})
	if err != nil || up.Title != title || up.SystemPrompt != sys || up.Model != "gpt-4o" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	// Bad input is refused and nothing changes.
	long := strings.Repeat("x", chat.MaxTitle+1)
	for _, in := range []chat.ConversationInput{{Title: long}, {Title: "two\nlines"}} {
		if _, err := e.svc.UpdateConversation(adminCtx, a.ID, in); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("update %q = %v", in.Title, err)
		}
		if _, err := e.svc.CreateConversation(adminCtx, in); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("create %q = %v", in.Title, err)
		}
	}
	if got, _ := e.svc.Conversation(adminCtx, a.ID); got.Title != title {
		t.Fatalf("title changed to %q", got.Title)
	}
	// Members see only their own conversations.
	if _, err := e.svc.Conversation(memberCtx(9), a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("member read = %v", err)
	}
	if l, _ := e.svc.ListConversations(memberCtx(9), "", 0); len(l) != 0 {
		t.Fatalf("member sees %d conversations", len(l))
	}
	if err := e.svc.DeleteConversation(memberCtx(9), a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("member delete = %v", err)
	}
	// Delete keeps the charge (and the ledger) but removes the messages.
	if err := e.svc.DeleteConversation(adminCtx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Conversation(adminCtx, a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("deleted conversation still readable: %v", err)
	}
	if e.count(`SELECT count(*) FROM chat_messages`) != 0 || e.count(`SELECT count(*) FROM chat_charges`) != 1 {
		t.Fatal("delete removed the wrong rows")
	}
	if err := e.svc.DeleteConversation(adminCtx, 999); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("delete unknown = %v", err)
	}
	e.checkLedger()
}

func TestSummaryFormatsLines(t *testing.T) {
	ch := &chat.Charge{Model: "gpt-4o", Amount: "1234.5", Price: "1234.5", Estimated: true}
	ch.Breakdown.Lines = append(ch.Breakdown.Lines,
		lineOf("input", 523, "2.1"), lineOf("per_request", 1, "0"), lineOf("per_tool_call", 2, "1"))
	want := "gpt-4o · input 523 tokens (2.1 credits) · tool calls 2 (1) · total 1,234.5 credits · estimated (the provider reported no usage)"
	if got := chat.Summary(ch); got != want {
		t.Fatalf("summary\n got %s\nwant %s", got, want)
	}
}
