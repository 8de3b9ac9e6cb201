package chat_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

func intp(v int) *int { return &v }

// TestHistorySettingWindowsThePrompt: a conversation's History setting
// sends only its last N exchanges (with the system prompt and the new
// message); the composer's estimate prices exactly that prompt, so the
// hold is its upper end; a send's own History overrides the setting for
// that send only (HistoryAll: every exchange), a regenerate too. Bad
// values are refused with nothing written or sent.
func TestHistorySettingWindowsThePrompt(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	conv := e.conversation("openai", "gpt-4o", "Be brief.")
	send := func(req chat.SendRequest) *chat.Message {
		t.Helper()
		req.ConversationID, req.Source = conv.ID, chat.SourceUI
		m, err := e.svc.Send(adminCtx, req)
		if err != nil {
			t.Fatalf("send %q: %v", req.Text, err)
		}
		return m
	}
	for _, text := range []string{"one", "two", "three"} {
		send(chat.SendRequest{Text: text})
	}
	const sys = `{"role":"system","content":"Be brief."},`
	if got := sentTurns(t, srv); got != `[`+sys+`{"role":"user","content":"one"},{"role":"assistant","content":"ok"},{"role":"user","content":"two"},{"role":"assistant","content":"ok"},{"role":"user","content":"three"}]` {
		t.Fatalf("All (the default) sent %s", got)
	}
	allEst, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "four", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}

	set := chat.ModelSettings{History: intp(1)}
	up, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &set})
	if err != nil || up.Settings.History == nil || *up.Settings.History != 1 {
		t.Fatalf("update: %+v, %v", up.Settings, err)
	}
	if c, err := e.svc.Conversation(adminCtx, conv.ID); err != nil || !reflect.DeepEqual(c.Settings, stored(set)) {
		t.Fatalf("read back: %+v, %v", c.Settings, err)
	}
	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "four", 0, "", nil)
	if err != nil || est.Estimate.PromptTokens >= allEst.Estimate.PromptTokens {
		t.Fatalf("estimate with History 1: %d prompt tokens (all: %d), %v", est.Estimate.PromptTokens, allEst.Estimate.PromptTokens, err)
	}
	if over, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "four", 0, "", intp(chat.HistoryAll)); err != nil ||
		over.Estimate.PromptTokens != allEst.Estimate.PromptTokens {
		t.Fatalf("estimate with History All for the send: %+v, %v", over.Estimate, err)
	}
	m := send(chat.SendRequest{Text: "four"})
	if got := sentTurns(t, srv); got != `[`+sys+`{"role":"user","content":"three"},{"role":"assistant","content":"ok"},{"role":"user","content":"four"}]` {
		t.Fatalf("History 1 sent %s", got)
	}
	if m.Charge.Hold != est.Estimate.High {
		t.Fatalf("held %s, the composer estimated up to %s", m.Charge.Hold, est.Estimate.High)
	}

	// A send's own History, for that send only.
	send(chat.SendRequest{Text: "five", History: intp(0)})
	if got := sentTurns(t, srv); got != `[`+sys+`{"role":"user","content":"five"}]` {
		t.Fatalf("History 0 for a send sent %s", got)
	}
	send(chat.SendRequest{Text: "six", History: intp(chat.HistoryAll)})
	if got := sentTurns(t, srv); got != `[`+sys+`{"role":"user","content":"one"},{"role":"assistant","content":"ok"},{"role":"user","content":"two"},{"role":"assistant","content":"ok"},{"role":"user","content":"three"},{"role":"assistant","content":"ok"},{"role":"user","content":"four"},{"role":"assistant","content":"ok"},{"role":"user","content":"five"},{"role":"assistant","content":"ok"},{"role":"user","content":"six"}]` {
		t.Fatalf("History All for a send sent %s", got)
	}
	// A regenerate carries the conversation's window before the turn it answers again.
	send(chat.SendRequest{Regenerate: true})
	if got := sentTurns(t, srv); got != `[`+sys+`{"role":"user","content":"five"},{"role":"assistant","content":"ok"},{"role":"user","content":"six"}]` {
		t.Fatalf("regenerate with History 1 sent %s", got)
	}

	// Bad values: refused, nothing written, nothing sent.
	requests, before := srv.ChatRequests(), e.charged()
	for name, call := range map[string]func() error{
		"setting -1": func() error {
			_, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Title: "Changed", Settings: &chat.ModelSettings{History: intp(-1)}})
			return err
		},
		"setting 1001": func() error {
			_, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{History: intp(chat.MaxHistory + 1)}})
			return err
		},
		"new conversation -1": func() error {
			_, err := e.svc.CreateConversation(adminCtx, chat.ConversationInput{Settings: &chat.ModelSettings{History: intp(-1)}})
			return err
		},
		"send -2": func() error {
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "x", Source: chat.SourceUI, History: intp(-2)})
			return err
		},
		"send 1001": func() error {
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "x", Source: chat.SourceUI, History: intp(1001)})
			return err
		},
		"estimate 1001": func() error {
			_, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "x", 0, "", intp(1001))
			return err
		},
		"estimate of a new chat -5": func() error {
			_, err := e.svc.EstimateDraft(adminCtx, 0, "openai", "gpt-4o", "x", 0, "", intp(-5))
			return err
		},
	} {
		if err := call(); !errors.Is(err, chat.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	c, err := e.svc.Conversation(adminCtx, conv.ID)
	if err != nil || c.Title == "Changed" || !reflect.DeepEqual(c.Settings, stored(set)) {
		t.Fatalf("after refused changes: %q %+v, %v", c.Title, c.Settings, err)
	}
	if n := srv.ChatRequests(); n != requests || e.charged() != before {
		t.Fatalf("refused sends sent %d requests, charged %s (was %s)", n-requests, e.charged(), before)
	}
	if n := e.count(`SELECT count(*) FROM chat_conversations`); n != 1 {
		t.Fatalf("%d conversations, want 1", n)
	}
	e.checkLedger()
}

// TestMigrationKeepsEveryConversationsWholeHistory: a database from before
// migration 0870 has no History column; the migration adds it as All for
// every conversation, which still sends its whole history, and the column
// refuses what the setting cannot be.
func TestMigrationKeepsEveryConversationsWholeHistory(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "one", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE chat_conversations DROP COLUMN history`, `DELETE FROM schema_migrations WHERE version = 870`} {
		if _, err := e.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var nulls int
	if err := db.Read().QueryRow(`SELECT count(*) FROM chat_conversations WHERE history IS NULL`).Scan(&nulls); err != nil || nulls != 1 {
		t.Fatalf("%d conversations at All after the migration, %v", nulls, err)
	}
	for _, v := range []any{-1, 1001, 2.5, "all"} {
		if _, err := db.Writer().Exec(`UPDATE chat_conversations SET history = ?`, v); err == nil {
			t.Errorf("history = %v was stored", v)
		}
	}
	if _, err := db.Writer().Exec(`UPDATE chat_conversations SET history = 1000`); err != nil {
		t.Fatalf("history = 1000: %v", err)
	}
	if _, err := db.Writer().Exec(`UPDATE chat_conversations SET history = NULL`); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.Conversation(adminCtx, conv.ID)
	if err != nil || c.Settings.History != nil || !c.Settings.IsDefault() {
		t.Fatalf("migrated conversation: %+v, %v", c.Settings, err)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "two", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	if got := sentTurns(t, srv); got != `[{"role":"user","content":"one"},{"role":"assistant","content":"ok"},{"role":"user","content":"two"}]` {
		t.Fatalf("after the migration sent %s", got)
	}
}
