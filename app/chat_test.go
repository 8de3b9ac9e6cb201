package app

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestStartSendReturnsBeforeTheReply: the window's send returns at once
// and its outcome arrives as one chat:sent event, so a Stop made while the
// reply streams is not held behind the send (Wails' dev server answers a
// page's calls one at a time); Stop reaches the running send and the
// result says it stopped. A start without a message id is refused and
// starts nothing.
func TestStartSendReturnsBeforeTheReply(t *testing.T) {
	a, b, alice, admin := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	srv := fake.NewOpenAI(fake.Script{Chunks: strings.Split(strings.Repeat("word ", 100), " "), ChunkDelay: 50 * time.Millisecond,
		Usage: fake.Usage{Prompt: 8, Completion: 100}, Models: []string{"gpt-4o"}})
	t.Cleanup(srv.Close)
	if _, err := b.Providers.Add(alice, providers.Input{Name: "fake", Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "gpt-4o", Input: "0.002", Output: "0.008"}},
		Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	results := make(chan SendResult, 4)
	var names []string
	c := &Chat{app: a, emit: func(name string, payload any) {
		mu.Lock()
		names = append(names, name)
		mu.Unlock()
		if r, ok := payload.(SendResult); ok {
			results <- r
		}
	}}
	prov, model := "fake", "gpt-4o"
	conv, err := c.CreateConversation(chat.ConversationInput{Provider: &prov, Model: &model})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := c.StartSend(SendInput{ConversationID: conv.ID, Text: "Hi"}); ok || err == nil {
		t.Fatalf("a start without a message id = %v, %v", ok, err)
	}
	start := time.Now()
	if ok, err := c.StartSend(SendInput{ConversationID: conv.ID, MessageID: "m-1", Text: "Hi"}); !ok || err != nil {
		t.Fatalf("StartSend = %v, %v", ok, err)
	}
	if d := time.Since(start); d > 3*time.Second { // the reply takes 5 s: 3 s still tells a send that waited
		t.Fatalf("StartSend took %v: it waited for the reply", d)
	}
	// The reply is being written: Stop reaches it.
	deadline := time.Now().Add(10 * time.Second)
	for !b.Chat.Stop(a.Ctx(), "m-1") {
		if time.Now().After(deadline) {
			t.Fatal("the send never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case r := <-results:
		if r.MessageID != "m-1" || r.Owner() != admin.UserID {
			t.Fatalf("result %+v for user %d", r, r.Owner())
		}
		stopped := r.Outcome.Error != nil && r.Outcome.Error.Code == chat.CodeCanceled ||
			r.Outcome.Message != nil && r.Outcome.Message.Status == chat.StatusStopped
		if !stopped {
			t.Fatalf("outcome %+v, want stopped", r.Outcome)
		}
	case <-time.After(4 * time.Second): // the whole reply takes 5 s
		t.Fatal("no chat:sent after Stop")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(names) != 1 || names[0] != events.ChatSent {
		t.Fatalf("emitted %v, want one %s", names, events.ChatSent)
	}
}
