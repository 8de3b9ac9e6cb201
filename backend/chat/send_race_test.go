package chat_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
)

// raceKinds are the sends that race into one conversation: a new message,
// an edit of the first message and a regenerate of the first reply.
var raceKinds = []struct {
	name string
	req  chat.SendRequest
}{
	{"send", chat.SendRequest{Text: "Next"}},
	{"edit", chat.SendRequest{Text: "Hi again", EditMessageID: "first:user"}},
	{"regenerate", chat.SendRequest{Regenerate: true}},
}

// TestSendsRacingIntoOneConversation: N sends (new messages, edits and
// regenerates, from the window and the CLI) made at once into one
// conversation, whose provider holds the first stream open: exactly one
// runs; every other is refused as busy (ErrBusy, code busy, the words the
// window shows for it) before it asks the provider or takes a hold, and
// writes nothing (no message, no charge, the draft as it was). When the
// one that runs is stopped, its reply is the one charge, no hold is left
// and the ledger balances. Before the fix the busy check was read before
// the send was registered, so several passed it and streamed into one
// thread at once.
func TestSendsRacingIntoOneConversation(t *testing.T) {
	for _, n := range []int{2, 8, 24} {
		t.Run(fmt.Sprint(n), func(t *testing.T) { sendsRace(t, n) })
	}
}

func sendsRace(t *testing.T, n int) {
	e := newEnv(t, nil)
	e.fund("1000")
	srv := e.openAI(fake.Script{Chunks: []string{"Hello", " world"}})
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "first", Text: "Hi", Source: chat.SourceUI}); err != nil {
		t.Fatalf("first send: %v", err)
	}
	if err := e.svc.SaveDraft(adminCtx, conv.ID, "a draft"); err != nil {
		t.Fatal(err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1})
	charged, messages, requests := e.charged(), e.count(`SELECT count(*) FROM chat_messages`), srv.ChatRequests()

	type result struct {
		id  string
		err error
	}
	start := make(chan struct{})
	results := make(chan result, n)
	streaming := make(chan string, n)
	var ready sync.WaitGroup
	for i := range n {
		kind := raceKinds[i%len(raceKinds)]
		req := kind.req
		req.ConversationID, req.MessageID = conv.ID, fmt.Sprintf("race-%s-%d", kind.name, i)
		req.Source = chat.SourceUI
		if i%2 == 1 {
			req.Source = chat.SourceCLI
		}
		var once sync.Once
		req.OnDelta = func(string) { once.Do(func() { streaming <- req.MessageID }) }
		ready.Add(1)
		go func() {
			ready.Done()
			<-start
			_, err := e.svc.Send(adminCtx, req)
			results <- result{req.MessageID, err}
		}()
	}
	ready.Wait()
	close(start)

	// n-1 refusals, then the one that runs is still streaming.
	for range n - 1 {
		select {
		case r := <-results:
			if !errors.Is(r.err, chat.ErrBusy) {
				t.Errorf("send %s: %v, want ErrBusy", r.id, r.err)
				continue
			}
			if info := chat.Classify(r.err); info.Code != chat.CodeBusy {
				t.Errorf("send %s: code %q, want %q", r.id, info.Code, chat.CodeBusy)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the racing sends were not refused")
		}
	}
	var running string
	select {
	case running = <-streaming:
	case r := <-results:
		t.Fatalf("no send kept running: the last, %s, ended with %v", r.id, r.err)
	case <-time.After(10 * time.Second):
		t.Fatal("no send streamed")
	}
	if got := srv.ChatRequests() - requests; got != 1 {
		t.Errorf("the provider was asked %d times, want once", got)
	}
	if got := e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`); got != 1 {
		t.Errorf("%d holds pending while one send runs, want 1", got)
	}
	if got := e.count(`SELECT count(*) FROM chat_messages WHERE uid LIKE 'race-%' AND uid NOT LIKE ? || '%'`, running); got != 0 {
		t.Errorf("%d messages stored by refused sends", got)
	}
	if got := e.count(`SELECT count(*) FROM chat_messages WHERE status = 'streaming'`); got != 1 {
		t.Errorf("%d replies streaming into the thread, want 1", got)
	}

	if !e.svc.Stop(adminCtx, running) {
		t.Fatalf("Stop found no running send %s", running)
	}
	select {
	case r := <-results:
		if r.id != running || r.err != nil {
			t.Fatalf("the stopped send %s: %v (running %s)", r.id, r.err, running)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stopped send never ended")
	}
	e.checkLedger()
	if got := e.count(`SELECT count(*) FROM chat_charges WHERE request_id LIKE 'race-%'`); got != 1 {
		t.Errorf("%d charges for the racing sends, want 1", got)
	}
	if e.charged() == charged {
		t.Error("the reply that ran was not charged")
	}
	// The refused sends wrote nothing: only the one that ran changed the
	// thread, and the draft is as it was (unless the one that ran was the
	// window's new message, whose text it was).
	want := messages + 1 // a regenerate stores its reply
	if e.count(`SELECT count(*) FROM chat_messages WHERE uid = ?`, running+":user") == 1 {
		want++
	}
	if got := e.count(`SELECT count(*) FROM chat_messages`); got != want {
		t.Errorf("%d messages after the race, want %d", got, want)
	}
	c, err := e.svc.Conversation(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wantDraft := "a draft"; c.Draft != wantDraft && c.Draft != "" {
		t.Errorf("draft %q after the race, want %q", c.Draft, wantDraft)
	}
	// Free again: the next send runs.
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}})
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "After", Source: chat.SourceCLI}); err != nil {
		t.Fatalf("a send after the race: %v", err)
	}
	e.checkLedger()
}

// deletingFunder deletes conversation conv in the hold's transaction,
// before the send stores its turn there: what a delete by another process
// committed between the send's read of the conversation and its hold looks
// like to the send.
type deletingFunder struct {
	limitFunder
	conv int64
}

func (f *deletingFunder) LimitGuard(userID int64, model string, amount decimal.Decimal) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM chat_conversations WHERE id = ?`, f.conv)
		return err
	}
}

// TestSendIntoAConversationDeletedMeanwhile: a send into a conversation
// deleted after the send read it is refused as not found (not a foreign
// key's error), with nothing held, charged or stored, and the provider's
// text never shown.
func TestSendIntoAConversationDeletedMeanwhile(t *testing.T) {
	f := &deletingFunder{limitFunder: limitFunder{payer: ledger.AccountPool}}
	e := newEnv(t, f)
	e.fund("1000")
	e.openAI(fake.Script{Chunks: []string{"Hello", " world"}})
	member := memberCtx(7) // the funder (its limits' guard) is asked of a member's send
	conv := e.conversationAs(member, "openai", "gpt-4o", "")
	f.conv = conv.ID
	var shown []string
	m, err := e.svc.Send(member, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI,
		OnDelta: func(s string) { shown = append(shown, s) }})
	if !errors.Is(err, chat.ErrNotFound) || m != nil {
		t.Fatalf("send into a conversation deleted meanwhile: %v, %v; want ErrNotFound", m, err)
	}
	if len(shown) > 0 {
		t.Errorf("text shown of a refused send: %q", shown)
	}
	if got := e.count(`SELECT count(*) FROM chat_messages`); got != 0 {
		t.Errorf("%d messages stored", got)
	}
	if e.charged() != "0" {
		t.Errorf("charged %s", e.charged())
	}
	e.checkLedger()
}

// TestSendsRacingADelete: a delete of a conversation racing sends into it
// (a send running there refuses the delete; a delete running refuses the
// sends, or they find it gone): every send and the delete end as busy, not
// found or done, never with an error of a turn stored into a conversation
// that is gone, and nothing is left held.
func TestSendsRacingADelete(t *testing.T) {
	for round := range 5 {
		e := newEnv(t, nil)
		e.fund("1000")
		e.openAI(fake.Script{Chunks: []string{"Hello", " world"}})
		conv := e.conversation("openai", "gpt-4o", "")
		start := make(chan struct{})
		errs := make(chan error, 5)
		var wg sync.WaitGroup
		for i := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if i == round {
					errs <- e.svc.DeleteConversation(adminCtx, conv.ID)
					return
				}
				_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI})
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil && !errors.Is(err, chat.ErrBusy) && !errors.Is(err, chat.ErrNotFound) {
				t.Errorf("round %d: %v, want busy, not found or nothing", round, err)
			}
		}
		e.checkLedger()
	}
}

// TestSendFromAnotherProcessWhileOneAnswers: two processes on one data
// folder (the window and a command: two stores, ledgers and chat services
// on one folder). While one answers in a conversation, the other's send,
// edit, regenerate and delete there are refused as busy, saying it is
// another window or command, with nothing held or stored; another
// conversation is free. A reply whose process is gone (its hold's owner
// not running) does not keep the conversation busy. Once the answer ends,
// the other process sends there.
func TestSendFromAnotherProcessWhileOneAnswers(t *testing.T) {
	dir := t.TempDir()
	window := newEnvIn(t, dir, nil, nil)
	window.fund("1000")
	srv := window.openAI(fake.Script{Chunks: []string{"Hello", " world"}})
	command := newEnvIn(t, dir, nil, nil)
	command.res.StaticResolver = window.res.StaticResolver
	conv := window.conversation("openai", "gpt-4o", "")
	other := window.conversation("openai", "gpt-4o", "")
	if _, err := window.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "first", Text: "Hi", Source: chat.SourceUI}); err != nil {
		t.Fatalf("first send: %v", err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1})

	first := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, err := window.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "running", Text: "Next", Source: chat.SourceUI,
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
	messages, held := window.count(`SELECT count(*) FROM chat_messages`), 1
	for _, kind := range raceKinds {
		req := kind.req
		req.ConversationID, req.Source = conv.ID, chat.SourceCLI
		_, err := command.svc.Send(adminCtx, req)
		if !errors.Is(err, chat.ErrBusy) || !strings.Contains(err.Error(), "another window or command") {
			t.Errorf("%s from another process while one answers: %v, want ErrBusy naming another window or command", kind.name, err)
		}
	}
	if err := command.svc.DeleteConversation(adminCtx, conv.ID); !errors.Is(err, chat.ErrBusy) {
		t.Errorf("delete from another process while one answers: %v, want ErrBusy", err)
	}
	if got := window.count(`SELECT count(*) FROM chat_messages`); got != messages {
		t.Errorf("%d messages after the refusals, want %d", got, messages)
	}
	if got := window.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`); got != held {
		t.Errorf("%d holds pending after the refusals, want %d", got, held)
	}
	srv.Enqueue(fake.Script{Chunks: []string{"Hello", " world"}})
	if _, err := command.svc.Send(adminCtx, chat.SendRequest{ConversationID: other.ID, Text: "Hi", Source: chat.SourceCLI}); err != nil {
		t.Errorf("a send into another conversation: %v", err)
	}

	// The hold's owner made a process that is gone: not busy.
	var pid int
	if err := window.db.Read().QueryRow(`SELECT h.owner_pid FROM ledger_holds h JOIN ledger_transfers t ON t.id = h.transfer_id
		WHERE t.request_id = 'hold:running' AND t.leg = 0`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	setOwner := func(pid int) {
		if _, err := window.db.Writer().Exec(`UPDATE ledger_holds SET owner_pid = ? WHERE transfer_id =
			(SELECT id FROM ledger_transfers WHERE request_id = 'hold:running' AND leg = 0)`, pid); err != nil {
			t.Fatal(err)
		}
	}
	setOwner(1 << 30) // no such process
	srv.Enqueue(fake.Script{Chunks: []string{"Hello", " world"}})
	if _, err := command.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Next", Source: chat.SourceCLI}); err != nil {
		t.Errorf("a send beside a reply whose process is gone: %v", err)
	}
	setOwner(pid)

	if !window.svc.Stop(adminCtx, "running") {
		t.Fatal("Stop found no running send")
	}
	if err := <-done; err != nil {
		t.Fatalf("the stopped send: %v", err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}})
	if _, err := command.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "After", Source: chat.SourceCLI}); err != nil {
		t.Errorf("a send from another process after the answer: %v", err)
	}
	window.checkLedger()
}

// TestAnsweredElsewhereRunsPrepared: the question every send asks in its
// hold's transaction (is another process answering in the conversation?)
// runs with the writer's cached statement once it has run: unprepared, the
// three-table join was parsed and planned again in the ledger's writer for
// every hold (~60-70 µs, against ~7 µs prepared).
func TestAnsweredElsewhereRunsPrepared(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hello"}})
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI}); err != nil {
		t.Fatalf("send: %v", err)
	}
	// Prepared in the background after its first use (the writer's one
	// connection is in the hold's transaction then).
	deadline := time.Now().Add(5 * time.Second)
	for !e.db.WriteCached(chat.AnsweredElsewhereQuery) {
		if time.Now().After(deadline) {
			t.Fatal("the send's question whether another process answers in the conversation is not in the writer's statement cache: it runs unprepared every time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReplyOfAnotherProcessReadsAsStreaming: a reply another running
// process on the data folder is writing (the window, read by a command, or
// the other way round) reads as still streaming there, saying so, not as
// "interrupted: the app was closed before the reply finished; nothing was
// charged" (it will be charged); a reply whose process is gone does read as
// interrupted, as before.
func TestReplyOfAnotherProcessReadsAsStreaming(t *testing.T) {
	dir := t.TempDir()
	window := newEnvIn(t, dir, nil, nil)
	window.fund("1000")
	window.openAI(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1})
	command := newEnvIn(t, dir, nil, nil)
	conv := window.conversation("openai", "gpt-4o", "")
	first := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, err := window.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "running", Text: "Hi", Source: chat.SourceUI,
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
	read := func(label, wantStatus, wantError string) {
		t.Helper()
		m, err := command.svc.Message(adminCtx, "running")
		if err != nil {
			t.Fatal(err)
		}
		ms, err := command.svc.Messages(adminCtx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := ms[len(ms)-1]
		for _, got := range []chat.Message{m, last} {
			if got.UID != "running" || got.Status != wantStatus || got.Error != wantError {
				t.Errorf("%s: read by another process as %s %q (%q), want %q (%q)", label, got.UID, got.Status, got.Error, wantStatus, wantError)
			}
		}
	}
	read("a reply the window is writing", chat.StatusStreaming, "being written in another window or command using this data folder")
	if m, err := window.svc.Message(adminCtx, "running"); err != nil || m.Status != chat.StatusStreaming || m.Error != "" {
		t.Errorf("read by the window itself: %+v, %v", m, err)
	}

	var pid int
	if err := window.db.Read().QueryRow(`SELECT h.owner_pid FROM ledger_holds h JOIN ledger_transfers t ON t.id = h.transfer_id
		WHERE t.request_id = 'hold:running' AND t.leg = 0`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	setOwner := func(pid int) {
		if _, err := window.db.Writer().Exec(`UPDATE ledger_holds SET owner_pid = ? WHERE transfer_id =
			(SELECT id FROM ledger_transfers WHERE request_id = 'hold:running' AND leg = 0)`, pid); err != nil {
			t.Fatal(err)
		}
	}
	setOwner(1 << 30) // no such process
	read("a reply whose process is gone", chat.StatusInterrupted, "the app was closed before the reply finished; nothing was charged")
	setOwner(pid)

	if !window.svc.Stop(adminCtx, "running") {
		t.Fatal("Stop found no running send")
	}
	if err := <-done; err != nil {
		t.Fatalf("the stopped send: %v", err)
	}
	window.checkLedger()
}
