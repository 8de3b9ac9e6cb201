package chat_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// lastUpdate is the stored updated_at of a conversation, as text.
func (e *env) lastUpdate(id int64) string {
	e.t.Helper()
	var at string
	if err := e.db.Read().QueryRow(`SELECT updated_at FROM chat_conversations WHERE id = ?`, id).Scan(&at); err != nil {
		e.t.Fatal(err)
	}
	return at
}

// backdate sets a conversation's updated_at, so that a change is visible.
func (e *env) backdate(id int64, at string) {
	e.t.Helper()
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE chat_conversations SET updated_at = ? WHERE id = ?`, at, id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
}

// TestUndoneFirstMessageKeepsTheTitle: a first message that is never
// answered (a provider error or Stop before any text, a refusal for
// credits) is undone entirely: the conversation keeps its title and its
// last update, and the text is the draft.
func TestUndoneFirstMessageKeepsTheTitle(t *testing.T) {
	const before = "2020-01-02T03:04:05.000Z"
	for _, tc := range []struct {
		name   string
		fund   string
		script fake.Script
		stop   bool
		code   string
	}{
		{"provider error before any text", "100", fake.Script{Fault: fake.ServerError}, false, chat.CodeProvider},
		{"Stop before any text", "100", fake.Script{Chunks: []string{"Hello"}, FirstDelay: time.Minute}, true, chat.CodeCanceled},
		{"not enough credits", "1", fake.Script{Chunks: []string{"Hello"}}, false, chat.CodeInsufficient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund(tc.fund)
			e.openAI(tc.script)
			conv := e.conversation("openai", "gpt-4o", "")
			e.backdate(conv.ID, before)
			id := chat.NewID()
			if tc.stop {
				go func() {
					for !e.svc.Stop(adminCtx, id) {
						time.Sleep(5 * time.Millisecond)
					}
				}()
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id,
				Text: "Plan a trip to Lisbon", Source: chat.SourceUI})
			if info := chat.Classify(err); m != nil || info == nil || info.Code != tc.code {
				t.Fatalf("send = %+v, %v; want nothing and code %s", m, err, tc.code)
			}
			got, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != chat.DefaultTitle || got.Draft != "Plan a trip to Lisbon" || got.Messages != 0 {
				t.Fatalf("conversation %q, draft %q, %d messages; want %q, the text, none", got.Title, got.Draft, got.Messages, chat.DefaultTitle)
			}
			if at := e.lastUpdate(conv.ID); at != before {
				t.Fatalf("updated_at %s, want %s (nothing happened)", at, before)
			}
			e.checkLedger()
		})
	}
}

// TestEditLeavesTheComposerDraft: an edit-and-resend neither clears the
// conversation's draft (what is in the composer) when it is sent nor
// replaces it with the edited text when it is refused; the edited message
// comes back as it was.
func TestEditLeavesTheComposerDraft(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	broken := fake.NewOpenAI(fake.Script{Fault: fake.ServerError})
	defer broken.Close()
	e.add("broken", providers.KindOpenAI, rates.OpenAI, broken.BaseURL(), 0)
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Provider: "openai", Text: "Hi", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SaveDraft(adminCtx, conv.ID, "half-typed"); err != nil {
		t.Fatal(err)
	}
	msgs, _ := e.svc.Messages(adminCtx, conv.ID)
	for _, tc := range []struct {
		name     string
		provider string
		code     string // "" = sent
	}{
		{"refused", "broken", chat.CodeProvider},
		{"sent", "openai", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Provider: tc.provider, Model: "gpt-4o",
				EditMessageID: msgs[0].UID, Text: "Hi again", Source: chat.SourceUI})
			if info := chat.Classify(err); tc.code != "" && (m != nil || info == nil || info.Code != tc.code) || tc.code == "" && (m == nil || err != nil) {
				t.Fatalf("edit = %+v, %v; want code %q", m, err, tc.code)
			}
			got, _ := e.svc.Conversation(adminCtx, conv.ID)
			if got.Draft != "half-typed" || got.Title != "Hi" {
				t.Fatalf("draft %q title %q; want the composer's draft and the first message's title", got.Draft, got.Title)
			}
			now, _ := e.svc.Messages(adminCtx, conv.ID)
			want := "Hi"
			if tc.code == "" {
				want = "Hi again"
			}
			if len(now) != 2 || now[0].Content != want {
				t.Fatalf("messages %+v; want %q and its reply", now, want)
			}
		})
	}
	e.checkLedger()
}

// TestUndoneSendKeepsTheConversationsModel: a send to another provider or
// model (meterdesk chat --conversation ID --provider P --model M) that
// produces nothing does not switch the conversation to them; one that is
// answered does.
func TestUndoneSendKeepsTheConversationsModel(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("10000") // gpt-4o-mini has no rate: the default rate, 1 credit per token, is held
	e.openAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	broken := fake.NewOpenAI(fake.Script{Fault: fake.ServerError})
	defer broken.Close()
	e.add("broken", providers.KindOpenAI, rates.OpenAI, broken.BaseURL(), 0)
	conv := e.conversation("openai", "gpt-4o", "")
	for _, tc := range []struct {
		name, provider, model string
		sent                  bool
	}{
		{"refused", "broken", "gpt-4o-mini", false},
		{"answered", "openai", "gpt-4o-mini", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Provider: tc.provider, Model: tc.model,
				Text: "Hi", Source: chat.SourceCLI})
			if tc.sent != (err == nil && m != nil) {
				t.Fatalf("send = %+v, %v; want sent=%v", m, err, tc.sent)
			}
			got, _ := e.svc.Conversation(adminCtx, conv.ID)
			want := [2]string{"openai", "gpt-4o"}
			if tc.sent {
				want = [2]string{tc.provider, tc.model}
			}
			if [2]string{got.Provider, got.Model} != want {
				t.Fatalf("conversation on %s %s, want %v", got.Provider, got.Model, want)
			}
		})
	}
}
