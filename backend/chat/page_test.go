package chat_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
)

// TestMessagesPageReadsTheNewestFirst: a page is the newest visible
// messages below a point, in order and exactly as Messages gives them
// (charges included); paging back to the start gives the whole
// conversation, and Earlier says whether there is more.
func TestMessagesPageReadsTheNewestFirst(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	for i := range 6 {
		srv.SetScript(fake.Script{Chunks: []string{fmt.Sprint("A", i)}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: fmt.Sprint("Q", i), Source: chat.SourceUI}); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetScript(fake.Script{Chunks: []string{"A5 again"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Regenerate: true, Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	all, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 12 || all[11].Content != "A5 again" {
		t.Fatalf("messages: %s", contents(all))
	}

	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !page.Earlier || !reflect.DeepEqual(page.Messages, all[7:]) {
		t.Fatalf("newest 5: earlier %v %s, want %s", page.Earlier, contents(page.Messages), contents(all[7:]))
	}
	if page.Messages[4].Charge == nil || page.Messages[4].Charge.Amount != all[11].Charge.Amount {
		t.Fatalf("the newest reply's charge: %+v", page.Messages[4].Charge)
	}
	var got []chat.Message
	got = append(got, page.Messages...)
	for page.Earlier {
		if page, err = e.svc.MessagesPage(adminCtx, conv.ID, page.Messages[0].ID, 5); err != nil {
			t.Fatal(err)
		}
		got = append(append([]chat.Message{}, page.Messages...), got...)
	}
	if !reflect.DeepEqual(got, all) {
		t.Fatalf("paged back: %s, want %s", contents(got), contents(all))
	}
	// Exactly the rest: no earlier ones.
	if page, _ = e.svc.MessagesPage(adminCtx, conv.ID, all[2].ID, 2); page.Earlier || !reflect.DeepEqual(page.Messages, all[:2]) {
		t.Fatalf("the first two: earlier %v %s", page.Earlier, contents(page.Messages))
	}
	// The default size and a limit beyond the maximum read everything here.
	for _, limit := range []int{0, -1, chat.MaxPageSize + 1} {
		if page, _ = e.svc.MessagesPage(adminCtx, conv.ID, 0, limit); page.Earlier || !reflect.DeepEqual(page.Messages, all) {
			t.Fatalf("limit %d: earlier %v %d messages", limit, page.Earlier, len(page.Messages))
		}
	}
	if page.State.Count != 12 || page.State.LastID != all[11].ID || page.State.LastStatus != chat.StatusDone {
		t.Fatalf("state %+v", page.State)
	}
	empty := e.conversation("openai", "gpt-4o", "")
	if page, err = e.svc.MessagesPage(adminCtx, empty.ID, 0, 0); err != nil || page.Messages == nil || len(page.Messages) != 0 || page.Earlier {
		t.Fatalf("empty conversation: %+v, %v", page, err)
	}
}

// TestMessagesStateChangesWithTheMessages: the state the window compares on
// data:changed moves with every change to what it shows (a send, its reply
// finishing, a regenerate, an edit, a rename) and stays put otherwise (a
// draft, another conversation).
func TestMessagesStateChangesWithTheMessages(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	e.svc = chat.New(e.db, e.led, e.rates, nil, e.res, e.rec, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	})
	srv := e.openAI(fake.Script{Chunks: []string{"A1"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	other := e.conversation("openai", "gpt-4o", "")
	state := func() chat.MessagesState {
		t.Helper()
		st, err := e.svc.MessagesState(adminCtx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	seen := map[chat.MessagesState]string{}
	changed := func(what string) chat.MessagesState {
		t.Helper()
		st := state()
		if earlier, ok := seen[st]; ok {
			t.Fatalf("after %s the state is as after %s: %+v", what, earlier, st)
		}
		seen[st] = what
		return st
	}
	st := changed("creation")
	if st.Count != 0 || st.LastID != 0 || st.LastStatus != "" || !st.UpdatedAt.Equal(conv.UpdatedAt) {
		t.Fatalf("empty conversation: %+v (updated %v)", st, conv.UpdatedAt)
	}
	// While the reply is written, and when it is done.
	srv.SetScript(fake.Script{Chunks: []string{"A1", " more"}, ChunkDelay: 50 * time.Millisecond, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	var streaming chat.MessagesState
	var once sync.Once
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Q1", Source: chat.SourceUI,
		OnDelta: func(string) { once.Do(func() { streaming = state() }) }}); err != nil {
		t.Fatal(err)
	}
	seen[streaming] = "the first delta"
	if streaming.Count != 2 || streaming.LastStatus != chat.StatusStreaming {
		t.Fatalf("while streaming: %+v", streaming)
	}
	st = changed("the reply")
	if st.Count != 2 || st.LastStatus != chat.StatusDone || st.LastID != streaming.LastID {
		t.Fatalf("after the reply: %+v", st)
	}
	// Nothing that leaves the messages as they are moves it.
	if err := e.svc.SaveDraft(adminCtx, conv.ID, "typing"); err != nil {
		t.Fatal(err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"B"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: other.ID, Text: "elsewhere", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	if again := state(); again != st {
		t.Fatalf("a draft and another conversation changed the state: %+v, was %+v", again, st)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Regenerate: true, Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	st = changed("a regenerate")
	if st.Count != 2 {
		t.Fatalf("after a regenerate: %+v", st)
	}
	msgs, _ := e.svc.Messages(adminCtx, conv.ID)
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, EditMessageID: msgs[0].UID, Text: "Q1 edited", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	changed("an edit")
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Title: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	changed("a rename")
	// A page carries the state read before its messages.
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil || page.State != state() {
		t.Fatalf("page state %+v, now %+v (%v)", page.State, state(), err)
	}
}

// TestMessagesStateAndPageCheckAccess: only the owner or an admin reads
// them; another member and an unknown conversation get not found.
func TestMessagesStateAndPageCheckAccess(t *testing.T) {
	e := newEnv(t, nil)
	conv := e.conversationAs(memberCtx(5), "openai", "gpt-4o", "")
	if _, err := e.svc.MessagesState(memberCtx(5), conv.ID); err != nil {
		t.Fatalf("owner: %v", err)
	}
	if _, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0); err != nil {
		t.Fatalf("admin: %v", err)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"another member's state", func() error { _, err := e.svc.MessagesState(memberCtx(6), conv.ID); return err }()},
		{"another member's page", func() error { _, err := e.svc.MessagesPage(memberCtx(6), conv.ID, 0, 0); return err }()},
		{"unknown state", func() error { _, err := e.svc.MessagesState(adminCtx, conv.ID+100); return err }()},
		{"unknown page", func() error { _, err := e.svc.MessagesPage(adminCtx, conv.ID+100, 0, 0); return err }()},
	} {
		if !errors.Is(c.err, chat.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", c.name, c.err)
		}
	}
}

// TestMessagesStateReadsByIndex: the state is one query that counts and
// finds the newest message by the conversation's index, never scanning the
// table (it runs on every change another process makes).
func TestMessagesStateReadsByIndex(t *testing.T) {
	e := newEnv(t, nil)
	plan, err := e.db.QueryPlan(context.Background(), chat.SelectMessagesState, 1)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(plan, "\n")
	if strings.Contains(all, "SCAN ") {
		t.Errorf("the state's plan scans a table:\n%s", all)
	}
	if !strings.Contains(all, "chat_messages_conversation") {
		t.Errorf("the state's plan does not use the conversation's index:\n%s", all)
	}
}
