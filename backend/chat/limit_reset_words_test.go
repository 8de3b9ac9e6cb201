package chat_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestCreditsRefusalNamesNoLimitThatNoLongerRefuses: a send refused for
// credits (1 credit left, Claude Sonnet 4's hold 61.5) whose prompt fits
// but not one output token beside it in what the day's spending limit
// leaves (the prompt and 0.01), just as that day ends: read before
// midnight, the limit leaves less than the credits; read after (the hold's
// refusal, the room it leaves, then whether a limit refuses it), the day's
// limit has reset and refuses nothing. The refusal said "a shorter prompt
// or less History may let it through, or a top-up once the spending limit
// resets", naming a limit no words of it said (and the local API's 402,
// read alike, named none). Now it names a limit only when one refuses the
// send: "a top-up, a shorter prompt or less History may let it through",
// and, taken, a top-up lets the send through.
func TestCreditsRefusalNamesNoLimitThatNoLongerRefuses(t *testing.T) {
	day := time.Date(2031, 3, 10, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	ledgerAt := day.Add(23*time.Hour + 50*time.Minute)
	teamAt, armed, reads := day.Add(23*time.Hour+55*time.Minute), false, 0
	ledgerClock := func() time.Time { mu.Lock(); defer mu.Unlock(); return ledgerAt }
	teamClock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if armed {
			// The send's reads of the limits: its pre-check
			// (FundingPrecheck) and the room its refusal names
			// (LimitsLeft) before midnight, whether one refuses it
			// (PrecheckLimits) after. Read otherwise, the checks below
			// fail (a limit named on the refusal, or room for output).
			if reads++; reads == 3 {
				teamAt = day.Add(24*time.Hour + 30*time.Second)
			}
		}
		return teamAt
	}

	e := newEnvAt(t, nil, ledgerClock)
	srv := fake.New(fake.Anthropic, fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 5, Completion: 4096}})
	t.Cleanup(srv.Close)
	e.add("p", providers.KindAnthropic, rates.Anthropic, srv.BaseURL(), 0)
	tm := team.New(e.db, e.led, nil, teamClock)
	tm.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := tm.Setup(context.Background(), team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(context.Background(), admin)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, ledgerClock) // as backend/core wires it
	conv := e.conversationAs(alice, "p", "claude-sonnet-4-20250514", "")

	// The day's first send is charged 61.455 (5 prompt and 4,096 output
	// tokens), which leaves 1 credit.
	e.fund("62.455")
	m, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if err != nil || m.Charge == nil || m.Charge.Amount != "61.455" {
		t.Fatalf("the first send: %+v, %v", m, err)
	}
	// The limit leaves the next prompt and 0.01, less than one output
	// token (0.015) beside it, and, whole, more than the next hold: once
	// the day is over it refuses nothing.
	est, err := e.svc.EstimateDraft(alice, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	limit := decimal.RequireFromString(m.Charge.Amount).Add(decimal.RequireFromString(est.Estimate.Low)).Add(decimal.RequireFromString("0.01"))
	if limit.LessThan(decimal.RequireFromString(est.Estimate.High)) {
		t.Fatalf("a limit of %s is less than the hold %s", limit, est.Estimate.High)
	}
	if _, err := tm.SetLimit(alice, team.Limit{UserID: admin.UserID, Kind: team.LimitDaily, Amount: limit.String()}); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	armed = true
	mu.Unlock()
	_, err = e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	var ie *chat.InsufficientCreditsError
	if !errors.As(err, &ie) {
		t.Fatalf("the send with 1 credit: %v", err)
	}
	if ie.Limit != nil {
		t.Fatalf("a limit refuses the send after midnight: %v", ie.Limit)
	}
	msg, api := chat.ClassifyFor(alice, err).Message, ie.APIMessage()
	// Not one output token fits what the limit left before midnight (the
	// room the refusal names), and no limit refuses the send after it.
	const words = "leaves no room for even one output token, so no smaller output budget helps: a top-up, a shorter prompt or less History may let it through"
	if !strings.Contains(msg, words) || strings.Contains(msg, "spending limit") {
		t.Errorf("the window's words %q\nwant: %s, and no spending limit named", msg, words)
	}
	if strings.Contains(api, "spending limit") || !strings.Contains(api, "more credits or a shorter prompt (fewer messages) may let it through.") {
		t.Errorf("the local API's words %q", api)
	}
	if n := srv.ChatRequests(); n != 1 {
		t.Fatalf("%d provider requests, want the first send's alone", n)
	}

	// Taken: a top-up lets the send through (the day's limit has reset).
	mu.Lock()
	ledgerAt = day.Add(24*time.Hour + time.Minute)
	mu.Unlock()
	e.fund("100")
	if _, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI}); err != nil {
		t.Errorf("the send after a top-up: %v", err)
	}
	e.checkLedger()
}
