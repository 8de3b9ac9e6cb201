package chat_test

import (
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
)

// TestUndoneSendKeepsTheLastUpdateOfASendMeanwhile: a send that is undone
// (nothing delivered) puts the conversation's last update (the list's
// order) back as it was before the turn, not as the send read it before its
// claim: a send that finished in between updated it, and the conversation
// keeps that update (and the name a first send gave it). A rename while the
// undone turn runs keeps its own update. Before the fix the undo wrote the
// updated_at it had read, sinking the conversation below others updated
// since, or left its own turn's, so an undone send moved it up.
func TestUndoneSendKeepsTheLastUpdateOfASendMeanwhile(t *testing.T) {
	for _, tc := range []struct {
		name      string
		earlier   bool // the conversation has an exchange before
		rename    bool // renamed while the undone turn runs, instead of a send in between
		wantTitle string
	}{
		{"a send in between", true, false, "First"},
		{"a first send in between", false, false, "Between"},
		{"renamed during the turn", true, true, "Budget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tick atomic.Int64 // every reading of the clock 1 ms later: each write has its own time
			base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			e := newEnvAt(t, nil, func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Millisecond) })
			e.fund("100")
			srv := e.openAI(fake.Script{Chunks: []string{"ok"}})
			conv := e.conversation("openai", "gpt-4o", "")
			if tc.earlier {
				if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "First", Source: chat.SourceCLI}); err != nil {
					t.Fatal(err)
				}
			}
			const before = "2020-01-02T03:04:05.000Z"
			e.backdate(conv.ID, before)
			want := before
			if tc.rename {
				srv.SetScript(fake.Script{Fault: fake.ServerError})
				srv.OnRequest(func(fake.Recorded) {
					if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Title: "Budget"}); err != nil {
						t.Error(err)
					}
				})
			} else {
				srv.Enqueue(fake.Script{Chunks: []string{"ok"}}, fake.Script{Fault: fake.ServerError})
				var once atomic.Bool
				defer chat.SetBeforeClaim(func() {
					if once.CompareAndSwap(false, true) {
						if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "between", Text: "Between",
							Source: chat.SourceCLI}); err != nil {
							t.Error(err)
						}
					}
				})()
			}
			if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "undone", Text: "Undone",
				Source: chat.SourceCLI}); err == nil {
				t.Fatal("the send was answered; want it undone")
			}
			if !tc.rename {
				m, err := e.svc.Message(adminCtx, "between")
				if err != nil {
					t.Fatal(err)
				}
				// The send in between stored its turn when its message was created.
				var stored string
				if err := e.db.Read().QueryRow(`SELECT created_at FROM chat_messages WHERE uid = ?`, m.UID).Scan(&stored); err != nil {
					t.Fatal(err)
				}
				want = stored
			}
			got, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			at := e.lastUpdate(conv.ID)
			if tc.rename {
				if at == before {
					t.Errorf("updated_at %s: the rename's update was undone", at)
				}
			} else if at != want {
				t.Errorf("updated_at %s, want %s (the send in between's)", at, want)
			}
			if got.Title != tc.wantTitle {
				t.Errorf("title %q, want %q", got.Title, tc.wantTitle)
			}
			e.checkLedger()
		})
	}
}
