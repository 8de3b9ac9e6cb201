package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// TestLimitRefusalPromptOverTheWholeLimit: a send whose prompt alone
// (0.033 on Claude Sonnet 4) is over the limit's whole amount (0.03) was
// told "it can be sent after the limit resets …" (the 429 "Retry after
// the limit resets …", with Retry-After), and after the reset the same
// send was refused again, for ever. Now it says that a shorter prompt or
// an admin raising the limit may let it through, and that the reset does
// not help, in the window's words, the estimate's and the local API's;
// taken, an admin raising the limit lets the send through. At High, whose
// thinking budget alone (245.76) is over a limit of 100, no shorter
// prompt is offered. A refusal for credits whose limit's words follow
// (Beside) says the same.
func TestLimitRefusalPromptOverTheWholeLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		level   providers.Reasoning
		limit   string
		pool    string // "": plenty
		shorter bool
		least   string
	}{
		{"the prompt over the whole limit", providers.ReasoningDefault, "0.03", "", true, "the prompt and one output token (0.048 credits)"},
		{"at high, the thinking budget over it too", providers.ReasoningHigh, "0.03", "", false,
			"the prompt, the thinking budget and one output token (245.808 credits)"},
		{"a refusal for credits beside it", providers.ReasoningDefault, "0.03", "0.02", true, "the prompt and one output token (0.048 credits)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, _ := thinkingSend{model: "claude-sonnet-4-20250514", pool: tc.pool}.start(t)
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			conv := e.conversationAs(alice, "p", "claude-sonnet-4-20250514", "")
			if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{Reasoning: tc.level}}); err != nil {
				t.Fatal(err)
			}
			a, _ := access.FromContext(alice)
			if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: tc.limit}); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			var msg, api string
			if tc.pool != "" {
				var ie *chat.InsufficientCreditsError
				if !errors.As(err, &ie) || ie.Limit == nil {
					t.Fatalf("send with %s credits under a limit of %s: %v", tc.pool, tc.limit, err)
				}
				msg, api = chat.ClassifyFor(alice, err).Message, ie.APIMessage()
			} else {
				if !errors.Is(err, team.ErrLimitExceeded) {
					t.Fatalf("send under a limit of %s: %v", tc.limit, err)
				}
				info := chat.ClassifyFor(alice, err)
				msg = info.Message
				api, _ = chat.LimitAPIMessage(err)
				if info.RetryAt != nil || info.ResetsAt == nil { // --json's retryAt: when the send as it is may pass
					t.Errorf("retryAt %v, resetsAt %v; want no retryAt where no reset helps, the limit's reset kept", info.RetryAt, info.ResetsAt)
				}
			}
			if strings.Contains(msg, "sent after") || strings.Contains(msg, "resets") || strings.Contains(api, "Retry after") || strings.Contains(api, "retry after") {
				t.Errorf("the reset offered where the prompt alone is over the whole limit: %q\n%q", msg, api)
			}
			words := "an admin raising the limit may let it through; its reset does not help: the whole limit is less than " + tc.least
			apiWords := "An admin raising the limit may let it through; its reset does not help: the whole limit is less than " + tc.least + "."
			if tc.shorter {
				words = "a shorter prompt or less History may let it through, or an admin raising the limit; its reset does not help: the whole limit is less than " + tc.least
				apiWords = "A shorter prompt (fewer messages) may let it through, or an admin raising the limit; its reset does not help: the whole limit is less than " + tc.least + "."
			}
			if !strings.Contains(msg, words) || !strings.Contains(api, apiWords) {
				t.Errorf("the words %q\n%q\nwant: %s\nand: %s", msg, api, words, apiWords)
			}
			if tc.pool == "" {
				est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
				if err != nil || est.RefusalInfo == nil || est.RefusalInfo.Message != msg {
					t.Errorf("the estimate's refusal %+v, %v; want the send's %q", est.RefusalInfo, err, msg)
				}
				// Taken: an admin raising the limit lets the send as it is through.
				if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: "1000"}); err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI}); err != nil {
					t.Errorf("the send under the raised limit: %v", err)
				}
			}
			e.checkLedger()
		})
	}
}
