package chat_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/team"
)

// TestEstimateLimitWarningBesideCreditsSaysTheLimitsOwnRoom: a send
// refused for credits (0.04 left: the prompt, 0.033, fits, one output
// token beside it, 0.015, does not) whose hold a spending limit refuses
// too, though that limit leaves room for the prompt and many output
// tokens (50 of Claude Sonnet 4's 61.5 hold). The composer's warning for
// the limit said "not even one output token fits in it beside its prompt
// … so no smaller output budget helps", counting the credits' room as the
// limit's (Call.room), which a top-up then contradicts: the limit's own
// refusal, once credits suffice, offers a smaller output budget. Now the
// warning says what the limit alone leaves: the send's limit refusal
// after a top-up, word for word.
func TestEstimateLimitWarningBesideCreditsSaysTheLimitsOwnRoom(t *testing.T) {
	e, srv, _ := thinkingSend{model: "claude-sonnet-4-20250514", pool: "0.04"}.start(t)
	tm, alice := newTeam(t, e)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
	conv := e.conversationAs(alice, "p", "claude-sonnet-4-20250514", "")
	a, _ := access.FromContext(alice)
	if _, err := tm.SetLimit(alice, team.Limit{UserID: a.UserID, Kind: team.LimitDaily, Amount: "50"}); err != nil {
		t.Fatal(err)
	}
	est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil || est.RefusalInfo == nil {
		t.Fatalf("estimate %+v, %v", est, err)
	}
	i := slices.IndexFunc(est.Warnings, func(w string) bool { return strings.Contains(w, "daily limit of 50") })
	if i < 0 {
		t.Fatalf("no limit warning among %q", est.Warnings)
	}
	warning := est.Warnings[i]
	if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI}); !errors.Is(err, chat.ErrInsufficientCredits) {
		t.Fatalf("send with 0.04: %v; want refused for credits", err)
	}
	// Taken, a top-up: the limit refuses the send in its own words.
	e.fund("1000")
	_, err = e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, team.ErrLimitExceeded) {
		t.Fatalf("send after a top-up: %v; want refused by the limit", err)
	}
	msg := chat.ClassifyFor(alice, err).Message
	if strings.Contains(warning, "not even one output token fits") || warning != msg {
		t.Errorf("the estimate's limit warning beside the refusal for credits %q\nthe limit's refusal once credits suffice %q", warning, msg)
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("%d provider requests", n)
	}
	e.checkLedger()
}
