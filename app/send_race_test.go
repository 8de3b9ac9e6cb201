package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestStartSendsRacingIntoOneConversation: the window's sends into one
// conversation made at once (clicks that slip through, a regenerate, an
// edit), whose provider holds the first stream open: one runs, every
// other's chat:sent outcome is the busy code the window words ("A reply is
// still being written in this chat …") with no message, so its text stays
// where it was; the provider is asked once, and once the one that runs is
// stopped no hold is left and the ledger balances.
func TestStartSendsRacingIntoOneConversation(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2}, Models: []string{"gpt-4o"}})
	t.Cleanup(srv.Close)
	if _, err := b.Providers.Add(alice, providers.Input{Name: "fake", Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "gpt-4o", Input: "0.002", Output: "0.008"}},
		Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	results := make(chan SendResult, n)
	c := &Chat{app: a, emit: func(name string, payload any) {
		if r, ok := payload.(SendResult); ok {
			results <- r
		}
	}}
	prov, model := "fake", "gpt-4o"
	conv, err := c.CreateConversation(chat.ConversationInput{Provider: &prov, Model: &model})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := c.Send(SendInput{ConversationID: conv.ID, MessageID: "first", Text: "Hi"}); out.Error != nil {
		t.Fatalf("first send: %+v", out.Error)
	}
	srv.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1, Models: []string{"gpt-4o"}})
	asked := srv.ChatRequests()

	ids := map[string]bool{}
	for i := range n {
		in := SendInput{ConversationID: conv.ID, MessageID: fmt.Sprint("m-", i), Text: "Next"}
		switch i % 3 {
		case 1:
			in.Text, in.Regenerate = "", true
		case 2:
			in.Text, in.EditMessageID = "Hi again", "first:user"
		}
		ids[in.MessageID] = true
		if ok, err := c.StartSend(in); !ok || err != nil {
			t.Fatalf("StartSend %s = %v, %v", in.MessageID, ok, err)
		}
	}
	for range n - 1 {
		select {
		case r := <-results:
			delete(ids, r.MessageID)
			if r.Outcome.Error == nil || r.Outcome.Error.Code != chat.CodeBusy || r.Outcome.Message != nil {
				t.Errorf("send %s: %+v, want busy and no message", r.MessageID, r.Outcome)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the racing sends were not refused")
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%d sends still running, want 1", len(ids))
	}
	var running string
	for id := range ids {
		running = id
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.ChatRequests() == asked {
		if time.Now().After(deadline) {
			t.Fatal("the send that runs never asked the provider")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !b.Chat.Stop(a.Ctx(), running) {
		t.Fatalf("Stop found no running send %s", running)
	}
	select {
	case r := <-results:
		if r.MessageID != running {
			t.Fatalf("result of %s, want %s", r.MessageID, running)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stopped send never ended")
	}
	if got := srv.ChatRequests() - asked; got != 1 {
		t.Errorf("the provider was asked %d times, want once", got)
	}
	if err := b.Ledger.Verify(context.Background()); err != nil {
		t.Fatalf("ledger invariants: %v", err)
	}
	var held int
	if err := b.DB.Read().QueryRow(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("%d holds left pending", held)
	}
}
