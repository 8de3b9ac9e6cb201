package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// TestThinkingRefusalNamesTheLevelThatFits: a send refused for credits
// because of its level's thinking budget (Claude Sonnet 4 at High: 4,096
// output tokens and 16,384 thinking, 307.233 credits) names the highest
// lower level whose hold fits as the send is, and what it may then cost:
// Medium (4,096 thinking) 122.913, Low (1,024) 76.833, Off (none) 61.473;
// none when not even Off fits. The window's and the CLI's words, the local
// API's (reasoning_effort, Off named "none"), and RoomFor's Level (the
// CLI's --reasoning LEVEL). Before, it said only "a lower Reasoning level".
// The thinking budget of High alone (245.76 credits) is over every pool
// here, so no smaller output budget is offered (it said "or a smaller
// output budget may let it through", which no budget could): only the
// level, and with none, a top-up. Not a shorter prompt (it said "a top-up,
// a shorter prompt or less History"): the thinking budget of High alone is
// over 0.04, so the shortest prompt is refused too (the local API said
// "more credits or a shorter prompt (fewer messages)"); taken, a top-up
// lets the send through.
func TestThinkingRefusalNamesTheLevelThatFits(t *testing.T) {
	for _, tc := range []struct {
		pool  string
		level providers.Reasoning
		cost  string
		api   string
	}{
		{"150", providers.ReasoningMedium, "122.913", "medium"},
		{"100", providers.ReasoningLow, "76.833", "low"},
		{"70", providers.ReasoningOff, "61.473", `"none"`},
		// No lower level fits with this output budget, but Low and Off do
		// with a smaller one: said so, never "at any Reasoning level".
		{"50", "", "", ""},
		// Not one output token beside the prompt even at Off (0.048).
		{"0.04", "", "", ""},
	} {
		t.Run(tc.pool, func(t *testing.T) {
			e, srv, conv := thinkingSend{model: "claude-sonnet-4-20250514", set: &chat.ModelSettings{Reasoning: providers.ReasoningHigh}, pool: tc.pool}.start(t)
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			var ie *chat.InsufficientCreditsError
			if !errors.As(err, &ie) {
				t.Fatalf("send at High with %s: %v", tc.pool, err)
			}
			msg := chat.ClassifyFor(adminCtx, err).Message
			words := "and not even one output token fits beside that thinking budget, so a lower Reasoning level may let it through: at Reasoning " +
				string(tc.level) + " it may cost up to " + tc.cost + " credits"
			if strings.Contains(msg, "or a smaller output budget") || strings.Contains(msg, "no smaller output budget") ||
				strings.Contains(ie.APIMessage(), "or a smaller max_tokens") {
				t.Errorf("a smaller output budget offered where not one output token fits: %q\n%q", msg, ie.APIMessage())
			}
			if tc.level == "" && tc.pool == "50" {
				smaller := "and not even one output token fits beside that thinking budget, so a lower Reasoning level with a smaller output budget may let it through"
				apiSmaller := "so a lower reasoning_effort with a smaller max_tokens may let it through."
				if strings.Contains(msg, "at any Reasoning level") || strings.Contains(ie.APIMessage(), "at any reasoning_effort") ||
					!strings.Contains(msg, smaller) || !strings.Contains(ie.APIMessage(), apiSmaller) || ie.LowerLevel != "" {
					t.Errorf("a lower level with a smaller output budget fits, yet: %q\n%q\nwant: %s", msg, ie.APIMessage(), smaller)
				}
			} else if tc.level == "" {
				none := "and not even one output token fits beside it at any Reasoning level, so a top-up may let it through"
				apiNone := "so no smaller max_tokens helps: more credits may let it through."
				if strings.Contains(msg, "at Reasoning") || ie.LowerLevel != "" || !strings.Contains(msg, none) || strings.Contains(msg, "lower Reasoning level") ||
					strings.Contains(msg, "shorter prompt") {
					t.Errorf("no level fits, yet: %q (%q); want: %s", msg, ie.LowerLevel, none)
				}
				if api := ie.APIMessage(); !strings.Contains(api, apiNone) || strings.Contains(api, "shorter prompt") {
					t.Errorf("the local API's words %q; want: %s", api, apiNone)
				}
			} else if !strings.Contains(msg, words) || ie.LowerLevel != tc.level || ie.LowerLevelCost != tc.cost {
				t.Errorf("refusal %q (%q, %q)\nwant it to say: %s", msg, ie.LowerLevel, ie.LowerLevelCost, words)
			}
			api := "At reasoning_effort " + tc.api + " it may cost up to " + tc.cost + " credits."
			if strings.Contains(ie.APIMessage(), "At reasoning_effort") != (tc.level != "") ||
				tc.level != "" && !strings.Contains(ie.APIMessage(), api) {
				t.Errorf("the local API's words %q; want: %s", ie.APIMessage(), api)
			}
			if room, ok := chat.RoomFor(err); !ok || room.Level != tc.level {
				t.Errorf("RoomFor %+v, %v; want Level %q", room, ok, tc.level)
			}
			if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
				t.Fatalf("%d provider requests, charged %s", n, e.charged())
			}
			// Taken, the level named lets the same send through, its
			// estimate the cost named.
			if tc.pool == "0.04" {
				// The shortest prompt at High is refused too: no shorter
				// prompt helps. Taken, a top-up lets the send through.
				if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "H", Source: chat.SourceUI}); !errors.As(err, &ie) {
					t.Errorf("the shortest prompt at High with %s: %v; want refused for credits", tc.pool, err)
				}
				e.fund("400")
				if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI}); err != nil {
					t.Errorf("the send after a top-up: %v", err)
				}
				e.checkLedger()
			}
			if tc.pool == "50" { // taken, a lower level with a smaller output budget lets it through
				if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI,
					Reasoning: providers.ReasoningLow, MaxTokens: 1000}); err != nil {
					t.Errorf("the send at low with max tokens 1000: %v", err)
				}
				e.checkLedger()
			}
			if tc.level != "" {
				est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, tc.level, nil)
				if err != nil || est.Estimate.High != tc.cost {
					t.Errorf("the estimate at %s: %+v, %v; want up to %s", tc.level, est.Estimate, err, tc.cost)
				}
				if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI, Reasoning: tc.level}); err != nil {
					t.Errorf("the send at %s, as named: %v", tc.level, err)
				}
				e.checkLedger()
			}
		})
	}
}
