package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// ownerEnv is a workspace set up with the real team service (as
// backend/core wires it): alice the admin, bob a member who owns a
// conversation with one turn in it, and carol another member.
type ownerEnv struct {
	*env
	srv               *fake.Server
	admin, bob, carol context.Context
	bobID             int64
	conv              chat.Conversation
	turn              *chat.Message // bob's first reply
}

func newOwnerEnv(t *testing.T) *ownerEnv {
	t.Helper()
	e := newEnvWith(t, nil)
	tm, admin := newTeam(t, e)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
	srv := e.openAI(fake.Script{Chunks: []string{"Hello."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	e.fund("100")
	member := func(name string) (int64, context.Context) {
		m, err := tm.AddMember(admin, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID, access.WithActor(context.Background(), access.Actor{UserID: m.ID, Name: name, Role: access.RoleMember})
	}
	o := &ownerEnv{env: e, srv: srv, admin: admin}
	o.bobID, o.bob = member("bob")
	_, o.carol = member("carol")
	o.conv = e.conversationAs(o.bob, "openai", "gpt-4o", "Be brief.")
	m, err := e.svc.Send(o.bob, chat.SendRequest{ConversationID: o.conv.ID, Text: "Hi", Source: chat.SourceCLI})
	if err != nil {
		t.Fatalf("bob's first turn: %v", err)
	}
	o.turn = m
	return o
}

// state is everything a write into bob's conversation could change: the
// conversation's row, every message (superseded ones too), the charges,
// the ledger, the audit log and what reached the provider.
func (o *ownerEnv) state() string {
	o.t.Helper()
	var b strings.Builder
	row := func(q string, args ...any) {
		rows, err := o.db.Read().Query(q, args...)
		if err != nil {
			o.t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				o.t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
	}
	row(`SELECT * FROM chat_conversations ORDER BY id`)
	row(`SELECT * FROM chat_messages ORDER BY id`)
	row(`SELECT request_id, user_id, amount_minor FROM chat_charges ORDER BY id`)
	row(`SELECT count(*) FROM ledger_transfers`)
	row(`SELECT count(*) FROM ledger_holds`)
	fmt.Fprintf(&b, "pool %s, audit %v, provider requests %d\n", o.balance(ledger.AccountPool),
		audittest.Actions(o.t, o.db), o.srv.ChatRequests())
	return b.String()
}

// TestOnlyTheOwnerWritesInAConversation: a conversation is its owner's. An
// admin may read any conversation, but sending, regenerating, editing,
// estimating a send, saving a draft or changing its title, system prompt,
// model or model settings in another member's is refused with a role error
// (exit 3 in the CLI), with nothing written, charged or sent to the
// provider; another member does not even see it. The owner then does each
// of them. (It was: an admin's turn stored in the member's conversation and
// charged, shown to the member as "user:" / "You".)
func TestOnlyTheOwnerWritesInAConversation(t *testing.T) {
	title, system, model := "Renamed", "Be verbose.", "gpt-4o-mini"
	temp := 0.3
	cases := []struct {
		op string
		do func(ctx context.Context, o *ownerEnv) error
	}{
		{"send", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.Send(ctx, chat.SendRequest{ConversationID: o.conv.ID, Text: "admin writing in bob's conversation", Source: chat.SourceCLI})
			return err
		}},
		{"send from the window", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.Send(ctx, chat.SendRequest{ConversationID: o.conv.ID, MessageID: chat.NewID(), Text: "from the composer", Source: chat.SourceUI})
			return err
		}},
		{"regenerate", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.Send(ctx, chat.SendRequest{ConversationID: o.conv.ID, Regenerate: true, Source: chat.SourceUI})
			return err
		}},
		{"edit and resend", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.Send(ctx, chat.SendRequest{ConversationID: o.conv.ID, EditMessageID: o.turn.UID + ":user", Text: "Hello instead", Source: chat.SourceUI})
			return err
		}},
		{"model settings", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.UpdateConversation(ctx, o.conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{Temperature: &temp, MaxOutput: 100}})
			return err
		}},
		{"title", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.UpdateConversation(ctx, o.conv.ID, chat.ConversationInput{Title: title})
			return err
		}},
		{"system prompt", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.UpdateConversation(ctx, o.conv.ID, chat.ConversationInput{SystemPrompt: &system})
			return err
		}},
		{"model", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.UpdateConversation(ctx, o.conv.ID, chat.ConversationInput{Model: &model})
			return err
		}},
		{"draft", func(ctx context.Context, o *ownerEnv) error {
			return o.svc.SaveDraft(ctx, o.conv.ID, "half a thought")
		}},
		{"estimate a send", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.EstimateDraft(ctx, o.conv.ID, "", "", "How much?", 0, "", nil)
			return err
		}},
		{"the default-rate note of a send", func(ctx context.Context, o *ownerEnv) error {
			_, err := o.svc.DefaultRateNote(ctx, o.conv.ID, "", "")
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.op, func(t *testing.T) {
			o := newOwnerEnv(t)
			before := o.state()
			for _, refused := range []struct {
				who  string
				ctx  context.Context
				want error
			}{{"carol, another member", o.carol, chat.ErrNotFound}, {"alice, an admin", o.admin, access.ErrForbidden}} {
				err := c.do(refused.ctx, o)
				if !errors.Is(err, refused.want) {
					t.Fatalf("%s: %v, want %v", refused.who, err, refused.want)
				}
				if refused.want == access.ErrForbidden && !strings.Contains(err.Error(), fmt.Sprintf("conversation %d is another member's", o.conv.ID)) {
					t.Errorf("the admin's refusal does not say why: %v", err)
				}
				if after := o.state(); after != before {
					t.Fatalf("%s's refused %s changed something:\nbefore:\n%safter:\n%s", refused.who, c.op, before, after)
				}
			}
			// The admin still reads and exports it.
			if _, err := o.svc.Conversation(o.admin, o.conv.ID); err != nil {
				t.Fatalf("the admin cannot read it: %v", err)
			}
			if _, err := o.svc.MessagesPage(o.admin, o.conv.ID, 0, 0); err != nil {
				t.Fatalf("the admin cannot read its messages: %v", err)
			}
			if ex, err := o.svc.ExportMarkdown(o.admin, o.conv.ID); err != nil || !strings.Contains(ex.Markdown, "Hello.") {
				t.Fatalf("the admin cannot export it: %v", err)
			}
			// The owner may.
			if err := c.do(o.bob, o); err != nil {
				t.Fatalf("bob's own %s: %v", c.op, err)
			}
			o.checkLedger()
		})
	}
}

// TestOnlyTheSenderStopsAReply: Stop ends a reply in its sender's own
// conversation; an admin's Stop of a member's running reply does nothing.
func TestOnlyTheSenderStopsAReply(t *testing.T) {
	o := newOwnerEnv(t)
	o.srv.SetScript(fake.Script{Chunks: []string{"Hello", " world", " again"}, ChunkDelay: 60e9, Usage: fake.Usage{Prompt: 8, Completion: 3}})
	id := chat.NewID()
	m, err := o.svc.Send(o.bob, chat.SendRequest{ConversationID: o.conv.ID, MessageID: id, Text: "Go on", Source: chat.SourceUI,
		OnDelta: func(string) {
			if o.svc.Stop(o.admin, id) || o.svc.Stop(o.carol, id) {
				t.Error("someone but bob stopped bob's reply")
			}
			if !o.svc.Stop(o.bob, id) {
				t.Error("bob could not stop his reply")
			}
		}})
	if err != nil || m.Status != chat.StatusStopped {
		t.Fatalf("bob's stopped reply %+v, %v", m, err)
	}
	o.checkLedger()
}

// TestAdminDeletesAMembersConversationInTheAuditLog: an admin may delete
// another member's conversation (to erase their data), and that is in the
// audit log, naming the conversation, its title and its owner, without the
// messages' text; an owner deleting their own is not an admin action and
// logs nothing; another member does not see it.
func TestAdminDeletesAMembersConversationInTheAuditLog(t *testing.T) {
	o := newOwnerEnv(t)
	if _, err := o.svc.UpdateConversation(o.bob, o.conv.ID, chat.ConversationInput{Title: "Bob's plans"}); err != nil {
		t.Fatal(err)
	}
	logged := len(audittest.Entries(t, o.db))
	if err := o.svc.DeleteConversation(o.carol, o.conv.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("carol's delete: %v", err)
	}
	if err := o.svc.DeleteConversation(o.admin, o.conv.ID); err != nil {
		t.Fatalf("the admin's delete: %v", err)
	}
	if _, err := o.svc.Conversation(o.bob, o.conv.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("deleted, yet bob reads it: %v", err)
	}
	entries := audittest.Entries(t, o.db)
	if len(entries) != logged+1 {
		t.Fatalf("%d new audit entries, want 1: %+v", len(entries)-logged, entries[logged:])
	}
	got := entries[logged]
	var before map[string]any
	if err := json.Unmarshal([]byte(got.Before), &before); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"conversation": float64(o.conv.ID), "title": "Bob's plans", "ownerId": float64(o.bobID), "owner": "bob", "messages": float64(2)}
	if got.Action != "conversation.delete" || got.Target != ledger.UserAccount(o.bobID) || got.ActorName != "alice" ||
		got.After != "null" || fmt.Sprint(before) != fmt.Sprint(want) {
		t.Fatalf("entry %+v, before %v, want %v", got, before, want)
	}
	if strings.Contains(got.Before, "Hello.") || strings.Contains(got.Before, "Hi") {
		t.Fatalf("the entry holds message text: %s", got.Before)
	}
	// Bob deleting his own: not logged.
	mine := o.conversationAs(o.bob, "openai", "gpt-4o", "")
	if err := o.svc.DeleteConversation(o.bob, mine.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(audittest.Entries(t, o.db)); n != logged+1 {
		t.Fatalf("an owner's own delete was logged (%d entries)", n-logged)
	}
	o.checkLedger()
}
