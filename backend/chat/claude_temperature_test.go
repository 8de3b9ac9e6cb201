package chat_test

import (
	"errors"
	"net/http"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestClaudeTemperatureAboveOneIsAnthropicsToRefuse (decision, docs/chat.md
// "Not money"): Meterdesk checks a temperature against the range every
// provider's API shares, 0 to 2; Anthropic's narrower 0 to 1 is not checked
// before sending. A Claude model that is not thinking is sent a temperature
// of 1.5 as set, and Anthropic's own 400 for it comes back as its error,
// shown like any provider error before output: nothing charged, nothing
// stored, the draft kept. (While Claude thinks, and on Opus 4.7 and later at
// all, a temperature other than 1 is refused before the hold:
// TestThinkingSamplingRefused.)
func TestClaudeTemperatureAboveOneIsAnthropicsToRefuse(t *testing.T) {
	srv := fake.New(fake.Anthropic, fake.Script{Chunks: []string{"Hi."}})
	t.Cleanup(srv.Close)
	e := newEnv(t, nil)
	e.fund("100000")
	e.add("claude", providers.KindAnthropic, rates.Anthropic, srv.BaseURL(), 0)
	conv := e.conversation("claude", "claude-sonnet-4-20250514", "")
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{Temperature: ptr(1.5)}}); err != nil {
		t.Fatalf("a temperature of 1.5 for Claude: %v", err)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "one", Source: chat.SourceUI}); err != nil {
		t.Fatalf("send at 1.5: %v", err)
	}
	if body := lastBody(t, srv); body["temperature"] != 1.5 {
		t.Fatalf("request %v, want temperature 1.5 sent", body)
	}

	// Anthropic refuses it with a 400 (the fake's stand-in): its error, nothing charged.
	charged, messages := e.charged(), e.count(`SELECT count(*) FROM chat_messages`)
	srv.SetScript(fake.Script{Fault: fake.BadRequest})
	if err := e.svc.SaveDraft(adminCtx, conv.ID, "two"); err != nil {
		t.Fatal(err)
	}
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "two", Source: chat.SourceUI})
	var api *providers.APIError
	if m != nil || !errors.As(err, &api) || api.Status != http.StatusBadRequest {
		t.Fatalf("send refused by the provider: %v, %v", m, err)
	}
	if e.charged() != charged || e.count(`SELECT count(*) FROM chat_messages`) != messages {
		t.Fatalf("a refused send charged %s (was %s) or stored messages", e.charged(), charged)
	}
	if got, err := e.svc.Conversation(adminCtx, conv.ID); err != nil || got.Draft != "two" {
		t.Fatalf("draft %q, %v", got.Draft, err)
	}
	e.checkLedger()
}
