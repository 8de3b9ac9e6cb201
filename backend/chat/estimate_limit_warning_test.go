package chat_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// TestEstimateLimitWarningSaysTheRefusalsWords: the composer's estimate
// (the window's line under it, `meterdesk chat --estimate`'s warnings)
// worded a spending limit's warning before the refusal had found that not
// one output token fits what the limit leaves beside the prompt (and the
// thinking budget) and that the limit's whole amount is less than that:
// "… a smaller output budget (max tokens) may let it through, or the limit
// resets …", which neither can, while the send's refusal said so. Now the
// warning says the limit's refusal's words: the send's own, word for
// word, where the limit refuses it; beside a refusal for credits (the
// pool has less than the limit leaves), the same kind of words, no budget
// or reset offered. Claude Sonnet 4: the prompt 0.033, 0.015 a token; at
// High 16,384 thinking tokens (245.76).
func TestEstimateLimitWarningSaysTheRefusalsWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pool  string
		limit string
		level providers.Reasoning
		least string // the whole limit is less than this
	}{
		{"not one token beside the prompt", "1000", "0.04", "", "the prompt and one output token (0.048 credits)"},
		{"not one token beside the thinking budget", "1000", "150", providers.ReasoningHigh,
			"the prompt, the thinking budget and one output token (245.808 credits)"},
		{"beside a refusal for credits", "1", "0.04", "", "the prompt and one output token (0.048 credits)"},
		{"beside a refusal for credits, at High", "100", "150", providers.ReasoningHigh,
			"the prompt, the thinking budget and one output token (245.808 credits)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, srv, _ := thinkingSend{model: "claude-sonnet-4-20250514", pool: tc.pool}.start(t)
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
			est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
			if err != nil || est.RefusalInfo == nil {
				t.Fatalf("estimate %+v, %v", est, err)
			}
			i := slices.IndexFunc(est.Warnings, func(w string) bool { return strings.Contains(w, "daily limit of "+tc.limit) })
			if i < 0 {
				t.Fatalf("no limit warning among %q", est.Warnings)
			}
			warning := est.Warnings[i]
			if strings.Contains(warning, "smaller output budget (max tokens) may") || strings.Contains(warning, "the limit resets") ||
				!strings.Contains(warning, "so no smaller output budget helps; ") ||
				!strings.Contains(warning, "its reset does not help: the whole limit is less than "+tc.least) {
				t.Errorf("the estimate's limit warning %q\nwant no smaller output budget and no reset offered, the whole limit less than %s", warning, tc.least)
			}
			_, err = e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if errors.Is(err, chat.ErrInsufficientCredits) {
				// Shown beside the refusal for credits (not the refusal's
				// own warning), by the window and `chat --estimate` alike.
				if est.RefusalWarning == warning || !slices.Contains(est.WarningsBesideRefusal(), warning) {
					t.Errorf("the limit's warning %q is not beside the refusal (%q)", warning, est.WarningsBesideRefusal())
				}
			} else if !errors.Is(err, team.ErrLimitExceeded) {
				t.Fatalf("send: %v", err)
			} else if msg := chat.ClassifyFor(alice, err).Message; warning != msg || est.RefusalWarning != msg {
				t.Errorf("the estimate's limit warning %q (refusal warning %q)\nthe send's refusal %q", warning, est.RefusalWarning, msg)
			}
			if n := srv.ChatRequests(); n != 0 {
				t.Fatalf("%d provider requests", n)
			}
			e.checkLedger()
		})
	}
}
