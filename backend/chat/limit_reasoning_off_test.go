package chat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestLimitRefusalSaysReasoningOffWhereItFits: a send refused by a
// spending limit (daily, monthly, or one for the model) at Default on a
// model that can stop reasoning, its output budget held at the reasoning
// rate, says that turning Reasoning off would let it through when that
// narrower hold fits what the limit leaves, in the words and by the rule a
// refusal for credits has (TestRefusalSaysReasoningOffWhereItFits): the
// window's and the CLI's message (ClassifyFor), the composer's estimate,
// the local API's (LimitAPIMessage) and RoomFor's ReasoningOff (the CLI's
// "--reasoning off"). Not where it would not fit. Before the fix a limit's
// refusal offered only a smaller output budget; then it offered Reasoning
// off last, after the limit's reset (the local API's in a sentence of its
// own with no verb, between "a smaller max_tokens" and the one that fits).
func TestLimitRefusalSaysReasoningOffWhereItFits(t *testing.T) {
	script := fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 30, Completion: 10}}
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		output string // 1,000 output tokens at the output rate
		limit  string // team.Limit kind
		short  bool   // the limit: half of that beside the prompt, else all of it
		says   bool
	}{
		{"gemini flash, daily, Off fits", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", "2.5", team.LimitDaily, false, true},
		{"gemini flash, monthly, Off fits", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", "2.5", team.LimitMonthly, false, true},
		{"gpt-5.1, model limit, Off fits", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-5.1", "10", team.LimitModel, false, true},
		{"gemini flash, daily, Off does not fit", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", "2.5", team.LimitDaily, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := reasoningSend(t, tc.flavor, tc.kind, tc.rp, tc.model, providers.ReasoningOff, script, "1000")
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			conv := e.conversationAs(alice, "p", tc.model, "")
			if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{
				Settings: &chat.ModelSettings{MaxOutput: 1000, Reasoning: providers.ReasoningDefault}}); err != nil {
				t.Fatal(err)
			}
			est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			output := decimal.RequireFromString(tc.output)
			if tc.short {
				output = output.Div(decimal.NewFromInt(2))
			}
			amount := decimal.RequireFromString(est.Estimate.Low).Add(output)
			a, _ := access.FromContext(alice)
			lim := team.Limit{UserID: a.UserID, Kind: tc.limit, Amount: amount.String()}
			if tc.limit == team.LimitModel {
				lim.Model = tc.model
			}
			if _, err := tm.SetLimit(alice, lim); err != nil {
				t.Fatal(err)
			}
			off := decimal.RequireFromString(est.Estimate.Low).Add(decimal.RequireFromString(tc.output))
			words := "or turn Reasoning off (it may then cost up to " + off.String() + " credits, its output held at the output rate, not the reasoning rate)"
			_, err = e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if !errors.Is(err, team.ErrLimitExceeded) {
				t.Fatalf("send at Default under a limit of %s: %v", amount, err)
			}
			sent := chat.ClassifyFor(alice, err)
			if sent == nil || sent.Code != chat.CodeLimit || !strings.Contains(sent.Message, "a smaller output budget (max tokens) may let it through") {
				t.Fatalf("the window's words %+v", sent)
			}
			// Beside the smaller output budget, the other way through now,
			// before the wait for the reset (as a refusal for credits words it).
			words = "a smaller output budget (max tokens) may let it through, " + words + ", or the limit resets "
			if strings.Contains(sent.Message, words) != tc.says || strings.Contains(sent.Message, "Reasoning off") != tc.says {
				t.Errorf("the window's words %q; want Reasoning off offered: %v", sent.Message, tc.says)
			}
			if room, ok := chat.RoomFor(err); !ok || room.ReasoningOff != tc.says {
				t.Errorf("RoomFor %+v, %v; want ReasoningOff %v", room, ok, tc.says)
			}
			api, _ := chat.LimitAPIMessage(err)
			apiWords := `A smaller max_tokens may let it through, or reasoning_effort "none" (it may then cost up to ` + off.String() +
				" credits, its output held at the output rate); otherwise retry after the limit resets"
			if strings.Contains(api, apiWords) != tc.says {
				t.Errorf("the local API's words %q; want reasoning_effort \"none\" offered: %v", api, tc.says)
			}
			est, err = e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil || est.RefusalInfo == nil || est.RefusalInfo.Message != sent.Message {
				t.Errorf("the estimate's refusal %+v, %v; want the send's %q", est.RefusalInfo, err, sent.Message)
			}
			// Refused, the first message wrote nothing: no message, no name.
			if got, err := e.svc.Conversation(alice, conv.ID); err != nil || got.Title != chat.DefaultTitle || got.Messages != 0 {
				t.Errorf("after the refusal: %q, %d messages, %v; want %q and none", got.Title, got.Messages, err, chat.DefaultTitle)
			}
			// Taken, Reasoning off lets the same send through the limit.
			if tc.says {
				if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI,
					Reasoning: providers.ReasoningOff}); err != nil {
					t.Errorf("the send with Reasoning off, as offered: %v", err)
				}
			}
			e.checkLedger()
		})
	}
}
