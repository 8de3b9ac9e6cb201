package chat_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestContextTooLongIsNamed: each provider's documented refusal of a
// prompt over the model's context window (the fakes answer with its exact
// body) is a *ContextTooLongError that says what to do, classified as
// CodeContextTooLong: nothing is stored or charged and the composer's
// draft is kept. Another 400 of the provider's is not named so.
func TestContextTooLongIsNamed(t *testing.T) {
	for _, c := range []struct {
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		fault  fake.Fault
		named  bool
	}{
		{fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", fake.ContextTooLong, true},
		{fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", fake.ContextTooLong, true},
		{fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-5", fake.ContextTooLong, true},
		{fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", fake.ContextTooLong, true},
		{fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", fake.BadRequest, false},
		{fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-5", fake.BadRequest, false},
		{fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", fake.BadRequest, false},
	} {
		t.Run(string(c.flavor)+"/"+string(c.fault), func(t *testing.T) {
			srv := fake.New(c.flavor, fake.Script{Fault: c.fault})
			t.Cleanup(srv.Close)
			e := newEnv(t, nil)
			e.fund("100000")
			e.add("p", c.kind, c.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", c.model, "")
			if err := e.svc.SaveDraft(adminCtx, conv.ID, "A long question"); err != nil {
				t.Fatal(err)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "A long question", Source: chat.SourceUI})
			if m != nil || err == nil {
				t.Fatalf("send: %v, %v", m, err)
			}
			info := chat.Classify(err)
			var tooLong *chat.ContextTooLongError
			var api *providers.APIError
			if !errors.As(err, &api) || api.Status != http.StatusBadRequest {
				t.Fatalf("not the provider's 400: %v", err)
			}
			if !c.named {
				if errors.As(err, &tooLong) || api.ContextWindow || info.Code == chat.CodeContextTooLong {
					t.Fatalf("another 400 named as too long: %v (%s)", err, info.Code)
				}
				return
			}
			// A first message: no earlier exchange was sent, so History or
			// a new chat cannot help (a conversation's is in cli's
			// TestCLIHistory).
			want := "This message is too long for " + c.model + " (with the system prompt, if any). Shorten it, or choose a model with a larger context window."
			if !errors.As(err, &tooLong) || err.Error() != want || info.Code != chat.CodeContextTooLong || info.Message != want || info.TopUp {
				t.Fatalf("error %q, classified %+v", err, info)
			}
			if e.balance("pool") != "100000" || e.charged() != "0" {
				t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
			}
			if n := e.count(`SELECT count(*) FROM chat_messages`); n != 0 {
				t.Fatalf("%d messages stored", n)
			}
			if got, err := e.svc.Conversation(adminCtx, conv.ID); err != nil || got.Draft != "A long question" {
				t.Fatalf("draft %q, %v", got.Draft, err)
			}
			e.checkLedger()
		})
	}
	if !strings.Contains(fake.ContextTooLongBody(fake.OpenAI), `"code": "context_length_exceeded"`) {
		t.Fatal("the OpenAI fake's body")
	}
}
