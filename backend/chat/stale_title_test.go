package chat_test

import (
	"sync/atomic"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
)

// TestSendNeverWritesBackAStaleTitle: a send reads the conversation
// before it claims it; what happens to its title in between (a first send
// finishes and names it from its prompt, or the user renames it) is what
// the conversation keeps. Before the fix the send wrote the title it had
// read: "New chat" back over the name the first send gave it, or a name
// from its own prompt over the user's rename.
func TestSendNeverWritesBackAStaleTitle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		between func(e *env, convID int64)
		want    string
	}{
		{"a first send finished meanwhile", func(e *env, convID int64) {
			if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: convID, MessageID: "first", Text: "Plan the offsite",
				Source: chat.SourceUI}); err != nil {
				t.Fatalf("the first send: %v", err)
			}
		}, "Plan the offsite"},
		{"renamed meanwhile", func(e *env, convID int64) {
			if _, err := e.svc.UpdateConversation(adminCtx, convID, chat.ConversationInput{Title: "Budget 2026"}); err != nil {
				t.Fatal(err)
			}
		}, "Budget 2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("1000")
			e.openAI(fake.Script{Chunks: []string{"Sure"}})
			conv := e.conversation("openai", "gpt-4o", "")
			if conv.Title != chat.DefaultTitle {
				t.Fatalf("a new conversation's title %q", conv.Title)
			}
			var between atomic.Bool // once: the first send's own claim runs the hook too
			defer chat.SetBeforeClaim(func() {
				if between.CompareAndSwap(false, true) {
					tc.between(e, conv.ID)
				}
			})()
			if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "second", Text: "And the venue?",
				Source: chat.SourceCLI}); err != nil {
				t.Fatalf("the second send: %v", err)
			}
			got, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tc.want {
				t.Errorf("title %q, want %q", got.Title, tc.want)
			}
		})
	}
}
