package chat_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// row is one stored message of a test history.
type row struct {
	uid, role, content, status string
	superseded                 bool
}

// history builds a conversation's stored messages as the app leaves them:
// answered and unanswered turns, regenerated replies and edited messages
// (superseded, kept), and a few sequences the app does not write but a
// database may hold (two user or two assistant messages in a row).
type history struct {
	rows []row
	n    int
}

func (h *history) add(role, content, status string) {
	h.n++
	uid := fmt.Sprintf("m%d", h.n)
	if role == chat.RoleUser {
		uid += ":user"
	}
	h.rows = append(h.rows, row{uid: uid, role: role, content: content, status: status})
}

func (h *history) user(q string) { h.add(chat.RoleUser, q, chat.StatusDone) }

func (h *history) reply(r, status string) { h.add(chat.RoleAssistant, r, status) }

// turn is a user message and its reply.
func (h *history) turn(q, r, status string) { h.user(q); h.reply(r, status) }

// regenerate supersedes the last visible reply and what follows it, and
// adds a new reply.
func (h *history) regenerate(r string) {
	last := -1
	for i, m := range h.rows {
		if !m.superseded && m.role == chat.RoleAssistant {
			last = i
		}
	}
	if last < 0 {
		return
	}
	for i := last; i < len(h.rows); i++ {
		h.rows[i].superseded = true
	}
	h.reply(r, chat.StatusDone)
}

// edit supersedes the k-th visible user message (mod their count) and what
// follows it, and adds the new text and its reply.
func (h *history) edit(k int, q, r string) {
	var users []int
	for i, m := range h.rows {
		if !m.superseded && m.role == chat.RoleUser {
			users = append(users, i)
		}
	}
	if len(users) == 0 {
		return
	}
	for i := users[k%len(users)]; i < len(h.rows); i++ {
		h.rows[i].superseded = true
	}
	h.turn(q, r, chat.StatusDone)
}

// visible returns the uids of the messages not superseded, by role.
func (h *history) visible(role string) []string {
	var out []string
	for _, m := range h.rows {
		if !m.superseded && (role == "" || m.role == role) {
			out = append(out, m.uid)
		}
	}
	return out
}

// randomHistory is a history of about n operations drawn with seed.
func randomHistory(seed uint64, n int) *history {
	r := rand.New(rand.NewPCG(seed, 7))
	h := &history{}
	for i := 0; i < n; i++ {
		q := fmt.Sprintf("q%d", i)
		switch k := r.IntN(20); {
		case k < 9:
			h.turn(q, fmt.Sprintf("r%d", i), chat.StatusDone)
		case k == 9: // the output budget spent thinking: no text
			h.turn(q, "", chat.StatusDone)
		case k == 10: // only whitespace
			h.turn(q, " \n\t", chat.StatusDone)
		case k == 11: // an error before any text
			h.turn(q, "", chat.StatusError)
		case k == 12: // interrupted after some text: answered
			h.turn(q, "partial "+q, chat.StatusInterrupted)
		case k == 13: // the app closed mid-reply
			h.turn(q, "", chat.StatusStreaming)
		case k == 14:
			h.regenerate(fmt.Sprintf("again%d", i))
		case k == 15:
			h.edit(r.IntN(50), q+"'", fmt.Sprintf("r%d'", i))
		case k == 16: // a user message with no reply
			h.user(q)
		case k == 17: // a reply with no user message before it
			h.reply("stray"+q, chat.StatusDone)
		case k == 18: // stopped with text
			h.turn(q, "stopped "+q, chat.StatusStopped)
		default: // a regenerate whose new reply has no text
			h.regenerate("")
		}
	}
	return h
}

// TestBoundedHistoryReadsAsTheWholeRead: the plan's history read, which
// reads from the newest message back only as far as the History window
// needs (boundedTurns), plans exactly what reading every visible message
// did (fullTurns, the read it replaced): the same prompt (system prompt,
// answered exchanges, the new message or a regenerate's pending turn), the
// same superseded messages, the same title rule (a first message names
// the conversation), the same refusals in the same words. Histories hand
// made and drawn at random (edits, regenerations, replies without text,
// failed, stopped and interrupted turns, stray messages), another
// conversation's messages interleaved, for sends, regenerates and edits,
// at History 0, 1, 2, 10, All, and the conversation's own setting.
func TestBoundedHistoryReadsAsTheWholeRead(t *testing.T) {
	e := newEnv(t, nil)
	n := func(v int) *int { return &v }
	hand := map[string]*history{"empty": {}}
	{
		h := &history{}
		h.turn("q1", "r1", chat.StatusDone)
		h.turn("q2", "", chat.StatusDone)
		h.turn("q3", "r3", chat.StatusDone)
		h.user("q4")
		h.turn("q5", "r5", chat.StatusDone)
		hand["promptTurns' own"] = h
	}
	{
		h := &history{}
		h.reply("stray", chat.StatusDone)
		h.reply("stray2", chat.StatusDone)
		hand["replies only"] = h
	}
	{
		h := &history{}
		h.user("q1")
		h.user("q2")
		hand["users only"] = h
	}
	{
		h := &history{}
		h.turn("q1", "r1", chat.StatusDone)
		h.reply("r1b", chat.StatusDone)
		h.user("q2")
		h.user("q3")
		hand["two replies, then two users"] = h
	}
	{
		h := &history{}
		h.user("q1")
		h.reply("r1", chat.StatusDone)
		h.regenerate("r1 again")
		h.regenerate("")
		h.edit(0, "q1'", "r1'")
		h.turn("q2", "r2", chat.StatusDone)
		h.edit(1, "q2'", "")
		hand["regenerated and edited"] = h
	}
	{
		h := &history{}
		for i := range 30 {
			h.turn(fmt.Sprint("q", i), fmt.Sprint("r", i), chat.StatusDone)
		}
		for i := range 15 {
			h.turn(fmt.Sprint("x", i), "", chat.StatusError)
		}
		hand["thirty answered, then fifteen failed"] = h
	}
	type named struct {
		name string
		h    *history
	}
	var all []named
	for name, h := range hand {
		all = append(all, named{name, h})
	}
	slices.SortFunc(all, func(a, b named) int { return strings.Compare(a.name, b.name) })
	for seed := range uint64(60) {
		all = append(all, named{fmt.Sprint("random ", seed), randomHistory(seed, 5+int(seed)%40)})
	}
	var plans, refusals int
	for hi, c := range all {
		conv := e.conversation("openai", "gpt-4o", "Be brief.")
		other := e.conversation("openai", "gpt-4o", "")
		r := rand.New(rand.NewPCG(uint64(hi), 1))
		prefix := fmt.Sprintf("h%d-", hi)
		var rows []insert
		for _, m := range c.h.rows {
			rows = append(rows, insert{conv.ID, prefix, m})
			if r.IntN(3) == 0 { // interleave another conversation's messages
				rows = append(rows, insert{other.ID, prefix + "other-", row{uid: fmt.Sprint(m.uid, "-", r.Int()), role: m.role,
					content: "other " + m.content, status: chat.StatusDone}})
			}
		}
		insertRows(t, e, rows...)
		var reqs []chat.SendRequest
		base := chat.SendRequest{ConversationID: conv.ID, Text: "new message", Source: chat.SourceCLI}
		reqs = append(reqs, base)
		regen := base
		regen.Text, regen.Regenerate = "", true
		reqs = append(reqs, regen)
		users, replies := c.h.visible(chat.RoleUser), c.h.visible(chat.RoleAssistant)
		var edits []string
		if len(users) > 0 {
			edits = append(edits, users[0], users[len(users)/2], users[len(users)-1])
		}
		if len(replies) > 0 {
			edits = append(edits, replies[len(replies)-1]) // not a user message
		}
		for _, m := range c.h.rows {
			if m.superseded {
				edits = append(edits, m.uid) // not visible
				break
			}
		}
		edits = append(edits, "nope")
		for _, uid := range edits {
			ed := base
			ed.EditMessageID = prefix + uid
			if uid == "nope" {
				ed.EditMessageID = uid
			}
			reqs = append(reqs, ed)
		}
		// Another conversation's message.
		var otherUID string
		if err := e.db.Read().QueryRow(`SELECT COALESCE(MIN(uid), '') FROM chat_messages WHERE conversation_id = ? AND role = 'user'`,
			other.ID).Scan(&otherUID); err != nil {
			t.Fatal(err)
		}
		if otherUID != "" {
			ed := base
			ed.EditMessageID = otherUID
			reqs = append(reqs, ed)
		}
		for _, setting := range []string{"NULL", "1"} { // the conversation's History: All, 1
			if _, err := e.db.Writer().Exec(`UPDATE chat_conversations SET history = `+setting+` WHERE id = ?`, conv.ID); err != nil {
				t.Fatal(err)
			}
			for _, w := range []*int{nil, n(0), n(1), n(2), n(10), n(chat.HistoryAll)} {
				for _, req := range reqs {
					req.History = w
					want, werr := chat.PlanSend(e.svc, adminCtx, req, true)
					got, gerr := chat.PlanSend(e.svc, adminCtx, req, false)
					what := fmt.Sprintf("%s, setting %s, window %s, regenerate %v, edit %q", c.name, setting, windowText(w), req.Regenerate, req.EditMessageID)
					plans++
					if fmt.Sprint(gerr) != fmt.Sprint(werr) {
						t.Errorf("%s: error %v, want %v", what, gerr, werr)
						continue
					}
					if werr != nil {
						refusals++
						continue
					}
					if !slices.Equal(got.Prompt, want.Prompt) || !slices.Equal(got.Supersede, want.Supersede) || got.Earlier != want.Earlier {
						t.Errorf("%s:\ngot  %+v\nwant %+v", what, got, want)
					}
				}
			}
		}
	}
	if refusals == 0 || refusals == plans {
		t.Fatalf("%d refusals of %d plans: the cases miss one side", refusals, plans)
	}
}

func windowText(w *int) string {
	if w == nil {
		return "the conversation's"
	}
	return fmt.Sprint(*w)
}

// insert is a message to store in conversation conv, its uid prefixed.
type insert struct {
	conv   int64
	prefix string
	m      row
}

// insertRows stores rows in one transaction, in order.
func insertRows(t *testing.T, e *env, rows ...insert) {
	t.Helper()
	now := store.FormatTime(time.Now())
	err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, superseded, created_at, updated_at)
				VALUES (?,?,?,?,?,?,?,?)`, r.prefix+r.m.uid, r.conv, r.m.role, r.m.content, r.m.status, r.m.superseded, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBusyWhileASendRunsInTheConversation: while a send streams its reply
// in a conversation, a send, a regenerate, an edit, an estimate and a
// delete there are refused as busy; another conversation is not busy, nor
// is one holding a reply left streaming by a closed app (no send runs it).
// A superseded reply keeps its conversation busy for a delete only (as the
// whole read did: a send looked at the visible messages, a delete at all).
// Once the send ends, the conversation is free again.
func TestBusyWhileASendRunsInTheConversation(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("1000")
	e.openAI(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1})
	conv := e.conversation("openai", "gpt-4o", "")
	other := e.conversation("openai", "gpt-4o", "")
	orphaned := e.conversation("openai", "gpt-4o", "")
	insertRows(t, e, insert{orphaned.ID, "", row{uid: "closed:user", role: chat.RoleUser, content: "Hi", status: chat.StatusDone}},
		insert{orphaned.ID, "", row{uid: "closed", role: chat.RoleAssistant, status: chat.StatusStreaming}})

	done := make(chan error, 1)
	// The reply's first piece: stopped after it, the send ends charged
	// and without error (stopped before it, it would end in an error).
	first := make(chan struct{})
	var once sync.Once
	go func() {
		_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "running", Text: "Hi", Source: chat.SourceUI,
			OnDelta: func(string) { once.Do(func() { close(first) }) }})
		done <- err
	}()
	select {
	case <-first:
	case err := <-done:
		t.Fatalf("the send ended before its first piece: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the send never streamed its first piece")
	}
	if e.count(`SELECT count(*) FROM chat_messages WHERE uid = 'running'`) == 0 {
		t.Fatal("the send streams a reply it never stored")
	}
	send := func(id int64, req chat.SendRequest) error {
		req.ConversationID, req.Source = id, chat.SourceCLI
		_, err := chat.PlanSend(e.svc, adminCtx, req, false)
		return err
	}
	estimate := func(id int64) error {
		_, err := e.svc.EstimateDraft(adminCtx, id, "", "", "Next", 0, "", nil)
		return err
	}
	busy := map[string]func() error{
		"send":       func() error { return send(conv.ID, chat.SendRequest{Text: "Next"}) },
		"regenerate": func() error { return send(conv.ID, chat.SendRequest{Regenerate: true}) },
		"edit":       func() error { return send(conv.ID, chat.SendRequest{Text: "Hi!", EditMessageID: "running:user"}) },
		"estimate":   func() error { return estimate(conv.ID) },
		"delete":     func() error { return e.svc.DeleteConversation(adminCtx, conv.ID) },
	}
	for name, f := range busy {
		if err := f(); !errors.Is(err, chat.ErrBusy) {
			t.Errorf("%s while a send runs: %v, want ErrBusy", name, err)
		}
	}
	for name, id := range map[string]int64{"another conversation": other.ID, "a reply the app was closed on": orphaned.ID} {
		if err := estimate(id); err != nil {
			t.Errorf("estimate in %s: %v", name, err)
		}
	}
	if err := e.svc.DeleteConversation(adminCtx, orphaned.ID); err != nil {
		t.Errorf("delete a conversation with a reply the app was closed on: %v", err)
	}
	if _, err := e.db.Writer().Exec(`UPDATE chat_messages SET superseded = 1 WHERE uid = 'running'`); err != nil {
		t.Fatal(err)
	}
	if err := estimate(conv.ID); err != nil {
		t.Errorf("estimate with the running reply superseded: %v", err)
	}
	if err := e.svc.DeleteConversation(adminCtx, conv.ID); !errors.Is(err, chat.ErrBusy) {
		t.Errorf("delete with the running reply superseded: %v, want ErrBusy", err)
	}
	if _, err := e.db.Writer().Exec(`UPDATE chat_messages SET superseded = 0 WHERE uid = 'running'`); err != nil {
		t.Fatal(err)
	}

	if !e.svc.Stop(adminCtx, "running") {
		t.Fatal("Stop found no running send")
	}
	if err := <-done; err != nil {
		t.Fatalf("the stopped send: %v", err)
	}
	for name, f := range busy {
		if err := f(); errors.Is(err, chat.ErrBusy) {
			t.Errorf("%s after the send: %v", name, err)
		}
	}
}
