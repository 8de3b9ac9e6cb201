package chat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// TestCreditsRefusalWhenNoOutputTokenFits: a send refused for credits
// whose prompt (0.033 on Claude Sonnet 4) fits what is available but not
// even one output token beside it (0.015 each) said "so a smaller output
// budget may let it through", which no budget could. Now it says the prompt
// leaves no room for one output token and that a top-up, a shorter prompt
// or less History may let it through, in the window's and CLI's words and
// the local API's (no "smaller max_tokens"); RoomFor
// has MaxTokens 0. With room for some output it still offers the budget.
func TestCreditsRefusalWhenNoOutputTokenFits(t *testing.T) {
	for _, tc := range []struct {
		pool     string
		noOutput bool
	}{
		{"0.033", true}, // the prompt exactly
		{"0.04", true},  // the prompt and less than a token
		{"1", false},    // 64 output tokens fit
	} {
		t.Run(tc.pool, func(t *testing.T) {
			e, srv, conv := thinkingSend{model: "claude-sonnet-4-20250514", pool: tc.pool}.start(t)
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			var ie *chat.InsufficientCreditsError
			if !errors.As(err, &ie) {
				t.Fatalf("send with %s: %v", tc.pool, err)
			}
			info := chat.ClassifyFor(adminCtx, err)
			msg, api := info.Message, ie.APIMessage()
			const words = "The prompt alone costs 0.033 and leaves no room for even one output token, so no smaller output budget helps: " +
				"a top-up, a shorter prompt or less History may let it through"
			const apiWords = "The prompt alone costs 0.033 and leaves no room for even one output token, so no smaller max_tokens helps: " +
				"more credits or a shorter prompt (fewer messages) may let it through."
			room, ok := chat.RoomFor(err)
			if tc.noOutput {
				if !strings.Contains(msg, words) || strings.Contains(msg, "smaller output budget may") {
					t.Errorf("the window's words %q\nwant: %s", msg, words)
				}
				if !strings.Contains(api, apiWords) || strings.Contains(api, "smaller max_tokens may") || strings.Contains(api, "A max_tokens of") {
					t.Errorf("the local API's words %q\nwant: %s", api, apiWords)
				}
				if !ok || room.MaxTokens != 0 || info.MaxTokens != 0 {
					t.Errorf("RoomFor %+v, %v, maxTokens %d; want 0", room, ok, info.MaxTokens)
				}
			} else if !strings.Contains(msg, "so a smaller output budget may let it through") || strings.Contains(msg, "no room") ||
				!strings.Contains(api, "so a smaller max_tokens may let it through") || !ok || room.MaxTokens <= 0 {
				t.Errorf("with room for output: %q\n%q\nRoomFor %+v", msg, api, room)
			}
			if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
				t.Fatalf("%d provider requests, charged %s", n, e.charged())
			}
			e.checkLedger()
		})
	}
}

// TestLimitRefusalNoOutputRoomAndLowerLevel: a spending limit's refusal
// (1) offered "a smaller output budget (max tokens)" even when not one
// output token fits beside the prompt (and the level's thinking budget) in
// what the limit leaves, and (2) on a send at Reasoning High named no lower
// level, where a refusal for credits names the highest that fits
// (Call.lowerLevelFits). Now it offers no budget when none can pass, and
// names the level, by the same rule, in the window's words (ClassifyFor),
// the estimate's, the local API's (LimitAPIMessage) and RoomFor's Level;
// taken, the level lets the send through. (3) Where no lower level fits
// with the same output budget but one does with a smaller one (High under
// a limit of 50: Low with max tokens 1,000), it named none; now it says "a
// lower Reasoning level with a smaller output budget", as a refusal for
// credits does (Call.lowerOffer, one rule). (4) Where the limit's whole
// amount is less than the prompt, the thinking budget and one output token
// (0.04 beside 0.033 and 0.015 a token; 150 and 50 beside High's 245.808),
// it said "or the limit resets …", which cannot help: now it says that an
// admin raising the limit may, and why the reset does not (the local API:
// no "retry after"). Where the limit was used before, its reset still
// helps and is said. Each way offered is taken and the send goes through.
// Claude Sonnet 4: the prompt 0.033, 0.015 a token; at High 307.233
// (16,384 thinking tokens, 245.76), Medium 122.913, Off 61.473.
func TestLimitRefusalNoOutputRoomAndLowerLevel(t *testing.T) {
	for _, tc := range []struct {
		name     string
		level    providers.Reasoning // the conversation's
		limit    string              // "+x": x above what an earlier send charged and the next prompt costs
		noOutput bool
		lower    providers.Reasoning
		cost     string
		smaller  bool   // a lower level with a smaller output budget fits
		least    string // the whole limit is less than this (the prompt, thinking budget and a token): no reset; "": the reset helps
		shorter  bool   // a shorter prompt may fit (no output token fits): not when the thinking budget alone is over what is left
	}{
		{"default, no token fits", providers.ReasoningDefault, "0.04", true, "", "", false, "the prompt and one output token (0.048 credits)", true},
		{"default, no token fits, the limit used", providers.ReasoningDefault, "+0.01", true, "", "", false, "", true},
		{"high, a smaller budget or medium", providers.ReasoningHigh, "300", false, providers.ReasoningMedium, "122.913", false, "", false},
		{"high, only medium", providers.ReasoningHigh, "150", true, providers.ReasoningMedium, "122.913", false,
			"the prompt, the thinking budget and one output token (245.808 credits)", false},
		{"high, a lower level with a smaller budget", providers.ReasoningHigh, "50", true, "", "", true,
			"the prompt, the thinking budget and one output token (245.808 credits)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, _ := thinkingSend{model: "claude-sonnet-4-20250514"}.start(t)
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			conv := e.conversationAs(alice, "p", "claude-sonnet-4-20250514", "")
			if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{Reasoning: tc.level}}); err != nil {
				t.Fatal(err)
			}
			limit := tc.limit
			if strings.HasPrefix(limit, "+") { // used first: the next prompt and less than a token left
				m, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
				if err != nil || m.Charge == nil {
					t.Fatalf("the first send: %v", err)
				}
				est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				limit = decimal.RequireFromString(m.Charge.Amount).Add(decimal.RequireFromString(est.Estimate.Low)).
					Add(decimal.RequireFromString(limit[1:])).String()
			}
			a, _ := access.FromContext(alice)
			if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: limit}); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if !errors.Is(err, team.ErrLimitExceeded) {
				t.Fatalf("send under a limit of %s: %v", limit, err)
			}
			info := chat.ClassifyFor(alice, err)
			api, _ := chat.LimitAPIMessage(err)
			msg := info.Message
			if tc.noOutput {
				if !strings.Contains(msg, "so no smaller output budget helps; ") || strings.Contains(msg, "smaller output budget (max tokens) may") {
					t.Errorf("the window's words %q; want no smaller output budget offered", msg)
				}
				if !strings.Contains(api, "so no smaller max_tokens helps. ") || strings.Contains(api, "A smaller max_tokens may") {
					t.Errorf("the local API's words %q; want no smaller max_tokens offered", api)
				}
				// A shorter prompt is offered only where the thinking
				// budget and one output token (beside the shortest
				// prompt) fit what the limit leaves: not at High (245.76
				// of thinking) under 150 or 50.
				if strings.Contains(msg, "so no smaller output budget helps; a shorter prompt or less History may let it through") != tc.shorter ||
					strings.Contains(api, "so no smaller max_tokens helps. A shorter prompt (fewer messages) may let it through") != tc.shorter {
					t.Errorf("a shorter prompt offered %v, want %v: %q\n%q", !tc.shorter, tc.shorter, msg, api)
				}
				if tc.level == providers.ReasoningHigh && !strings.Contains(msg, "beside its prompt (0.033) and the thinking budget of its Reasoning level (16,384 tokens)") {
					t.Errorf("the window's words %q; want the thinking budget named", msg)
				}
			} else if !strings.Contains(msg, "a smaller output budget (max tokens) may let it through") {
				t.Errorf("the window's words %q; want a smaller output budget offered", msg)
			}
			// After the ways through now: the reset, or, when it cannot
			// help, an admin raising the limit.
			then, apiThen := ", or the limit resets ", "; otherwise retry after "
			if tc.least != "" {
				then = ", or an admin raising the limit; its reset does not help: the whole limit is less than " + tc.least
				apiThen = then
				if strings.Contains(msg, "the limit resets") || strings.Contains(api, "retry after") {
					t.Errorf("the reset offered where the whole limit is less than %s: %q\n%q", tc.least, msg, api)
				}
			}
			words := "may let it through" + then
			apiWords := "may let it through" + apiThen
			switch {
			case tc.lower != "" && !tc.shorter && tc.noOutput:
				words = "helps; a lower Reasoning level (at Reasoning " + string(tc.lower) + " it may cost up to " + tc.cost + " credits) may let it through" + then
				apiWords = "helps. reasoning_effort " + string(tc.lower) + " (it may then cost up to " + tc.cost + " credits) may let it through" + apiThen
			case tc.lower != "":
				words = "may let it through, or a lower Reasoning level (at Reasoning " + string(tc.lower) + " it may cost up to " + tc.cost + " credits)" + then
				apiWords = "may let it through, or reasoning_effort " + string(tc.lower) + " (it may then cost up to " + tc.cost + " credits)" + apiThen
			case tc.smaller && !tc.shorter:
				words = "helps; a lower Reasoning level with a smaller output budget may let it through" + then
				apiWords = "helps. A lower reasoning_effort with a smaller max_tokens may let it through" + apiThen
			case tc.smaller:
				words = "may let it through, or a lower Reasoning level with a smaller output budget" + then
				apiWords = "may let it through, or a lower reasoning_effort with a smaller max_tokens" + apiThen
			}
			if !strings.Contains(msg, words) || !strings.Contains(api, apiWords) {
				t.Errorf("the words %q\n%q\nwant: %s\nand: %s", msg, api, words, apiWords)
			}
			if tc.lower == "" && strings.Contains(api, "(it may then cost") {
				t.Errorf("no level fits as the send is, yet: %q", api)
			}
			if room, ok := chat.RoomFor(err); !ok || room.Level != tc.lower || (room.MaxTokens == 0) != tc.noOutput || info.MaxTokens != room.MaxTokens {
				t.Errorf("RoomFor %+v, %v (maxTokens %d); want Level %q, no output %v", room, ok, info.MaxTokens, tc.lower, tc.noOutput)
			}
			est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil || est.RefusalInfo == nil || est.RefusalInfo.Message != msg {
				t.Errorf("the estimate's refusal %+v, %v; want the send's %q", est.RefusalInfo, err, msg)
			}
			if tc.lower != "" { // taken, the level named lets the same send through the limit
				if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI, Reasoning: tc.lower}); err != nil {
					t.Errorf("the send at %s, as named: %v", tc.lower, err)
				}
			}
			if tc.smaller { // taken, Low with max tokens 1,000 (30.393) lets it through
				if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI,
					Reasoning: providers.ReasoningLow, MaxTokens: 1000}); err != nil {
					t.Errorf("the send at low with max tokens 1000: %v", err)
				}
			}
			if tc.least != "" { // taken, an admin raising the limit lets the send as it is through
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

// TestCreditsRefusalNoOutputUnderALimitSaysItOnce: a refusal for credits
// (1 credit, Claude Sonnet 4's hold 61.473) where a spending limit leaves
// less (0.04) and not even one output token beside the prompt (0.033) said
// "a shorter prompt or less History may let it through" twice, its own and
// then the limit's words after "A spending limit refuses it too:" (the
// local API's 402 "a shorter prompt (fewer messages)" twice too). Now the
// limit's words say it, the refusal's own only the top-up once it resets.
// Where the limit's whole amount (0.04) is less than the prompt and one
// output token (0.048), it said "a top-up once the spending limit resets",
// which cannot help: now "once an admin raises the spending limit" (the
// 402 alike), and the limit's words say so; taken (a top-up and a higher
// limit), the send goes through. With the limit used before (its reset
// helps), the reset is still said.
func TestCreditsRefusalNoOutputUnderALimitSaysItOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		used  bool // an earlier send charged under the limit
		words string
		api   string
	}{
		{"the whole limit too small", false,
			"so no smaller output budget helps: a top-up once an admin raises the spending limit may let it through. " +
				"A spending limit refuses it too: not even one output token fits beside its prompt (0.033) in the 0.04 left of the daily limit " +
				"of 0.04 credits (used 0.00); a shorter prompt or less History may let it through, or an admin raising the limit; its reset " +
				"does not help: the whole limit is less than the prompt and one output token (0.048 credits)",
			"so no smaller max_tokens helps: more credits once an admin raises the spending limit may let it through."},
		{"the limit used", true,
			"so no smaller output budget helps: a top-up once the spending limit resets may let it through. " +
				"A spending limit refuses it too: not even one output token fits beside its prompt",
			"so no smaller max_tokens helps: more credits once the spending limit resets may let it through."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, _ := thinkingSend{model: "claude-sonnet-4-20250514", pool: "1"}.start(t)
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			conv := e.conversationAs(alice, "p", "claude-sonnet-4-20250514", "")
			limit := "0.04"
			if tc.used { // 0.24 charged; then the next prompt and 0.01 (less than a token) left
				if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{MaxOutput: 20}}); err != nil {
					t.Fatal(err)
				}
				m, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
				if err != nil || m.Charge == nil {
					t.Fatalf("the first send: %v", err)
				}
				if _, err := e.svc.UpdateConversation(alice, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{}}); err != nil {
					t.Fatal(err)
				}
				est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				limit = decimal.RequireFromString(m.Charge.Amount).Add(decimal.RequireFromString(est.Estimate.Low)).Add(decimal.RequireFromString("0.01")).String()
			}
			a, _ := access.FromContext(alice)
			if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: limit}); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			var ie *chat.InsufficientCreditsError
			if !errors.As(err, &ie) || ie.Limit == nil || !ie.Limit.NoOutput {
				t.Fatalf("send with 1 credit under a limit of %s: %v (%+v)", limit, err, ie)
			}
			msg, api := chat.ClassifyFor(alice, err).Message, ie.APIMessage()
			if n := strings.Count(msg, "a shorter prompt or less History"); n != 1 || !strings.Contains(msg, tc.words) {
				t.Errorf("the window's words say a shorter prompt %d times: %q\nwant: %s", n, msg, tc.words)
			}
			if n := strings.Count(strings.ToLower(api), "a shorter prompt (fewer messages)"); n != 1 || !strings.Contains(api, tc.api) {
				t.Errorf("the local API's words say a shorter prompt %d times: %q\nwant: %s", n, api, tc.api)
			}
			if strings.Contains(msg, "resets") == !tc.used || strings.Contains(api, "retry after") == !tc.used {
				t.Errorf("the reset said %v, want %v: %q\n%q", !tc.used, tc.used, msg, api)
			}
			if !tc.used { // taken: a top-up and a higher limit let the send through
				e.fund("100")
				if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: "100"}); err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI}); err != nil {
					t.Errorf("the send after a top-up and a higher limit: %v", err)
				}
			}
			e.checkLedger()
		})
	}
}
