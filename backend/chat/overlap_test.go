package chat_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// TestSendOverlapsItsHoldOnlyWithRoomToSpare: with plenty of credits the
// provider request starts while the hold is written; with less than twice
// the hold available, or for a member whose funder has no read-only limit
// check, the hold comes first. Every send is charged the same either way.
func TestSendOverlapsItsHoldOnlyWithRoomToSpare(t *testing.T) {
	for _, c := range []struct {
		name    string
		fund    string
		minimum string // the pool's minimum balance policy, "" = none
		funder  chat.Funder
		ctx     context.Context
		overlap bool
	}{
		// Hold per send: 8*0.002 + 10*0.01 = 0.116; actual 8*0.002 + 1*0.008 = 0.024.
		{"plenty", "100", "", nil, adminCtx, true},
		{"twice the hold", "0.232", "", nil, adminCtx, true},
		{"less than twice the hold", "0.2", "", nil, adminCtx, false},
		{"twice the hold above the minimum", "0.432", "0.2", nil, adminCtx, true},
		{"twice the hold, but not above the minimum", "0.4", "0.2", nil, adminCtx, false},
		{"member without a limit pre-check", "100", "", &limitFunder{payer: "pool"}, memberCtx(5), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.funder)
			e.fund(c.fund)
			if c.minimum != "" {
				if err := e.led.SetPolicy(adminCtx, ledger.AccountPool, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString(c.minimum)}); err != nil {
					t.Fatal(err)
				}
			}
			srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
			conv := e.conversationAs(c.ctx, "openai", "gpt-4o", "")
			var deltas []string
			m, err := e.svc.Send(c.ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI,
				OnDelta: func(s string) { deltas = append(deltas, s) }})
			if err != nil || m.Content != "ok" || len(deltas) != 1 || m.Charge.Amount != "0.024" {
				t.Fatalf("send = %+v, %v (deltas %q)", m, err, deltas)
			}
			if got := e.svc.Meter().Overlapped() == 1; got != c.overlap {
				t.Fatalf("overlapped = %v, want %v", got, c.overlap)
			}
			if srv.ChatRequests() != 1 {
				t.Fatalf("%d provider requests", srv.ChatRequests())
			}
			e.checkLedger()
		})
	}
}

// TestOverlappedHoldRefusedCancelsTheRequest: when the hold is refused
// after the provider request has started (here its transaction fails), the
// request is cancelled, no text is delivered, nothing is held or charged,
// and the refusal is the error.
func TestOverlappedHoldRefusedCancelsTheRequest(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"never shown"}, FirstDelay: time.Hour, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	refusal := errors.New("the messages could not be stored")
	req := chat.MeterRequest{ID: "gw-refused", Model: "gpt-4o", Source: chat.SourceAPI,
		Messages: []providers.Message{{Role: "user", Content: "Hi"}},
		OnHold: func(ctx context.Context, tx *sql.Tx, c *chat.Call) error {
			for srv.ChatRequests() == 0 { // the request is on its way before the hold fails
				time.Sleep(time.Millisecond)
			}
			return refusal
		}}
	type result struct {
		c   *chat.Call
		err error
	}
	done := make(chan result, 1)
	delivered := 0
	go func() {
		c, _, _, err := e.svc.Meter().BeginStream(adminCtx, req, func(string) error { delivered++; return nil })
		done <- result{c, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second): // the fake waits an hour unless the request is cancelled
		t.Fatal("the provider request was not cancelled when its hold was refused")
	}
	if !errors.Is(r.err, refusal) || r.c != nil || delivered != 0 {
		t.Fatalf("BeginStream = %v, %v; %d deltas delivered", r.c, r.err, delivered)
	}
	if e.svc.Meter().Overlapped() != 1 || srv.ChatRequests() != 1 {
		t.Fatalf("overlapped %d, %d provider requests", e.svc.Meter().Overlapped(), srv.ChatRequests())
	}
	if e.charged() != "0" || e.balance("pool") != "100" {
		t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
	}
	e.checkLedger()
}

// TestOverlappedHoldKeepsItsRoom: a send admitted to overlap its provider
// request with its hold counted on the credits being there when the hold is
// written. Sends that did not overlap, and whose holds reach the ledger
// first, must leave it that room: the one that would eat into it is refused
// (before any provider request), not the overlapped send, whose request
// has already gone out. (Under load in CI the overlapped hold was refused
// and its provider request cancelled: 13 requests for 12 sends.)
func TestOverlappedHoldKeepsItsRoom(t *testing.T) {
	e := newEnv(t, nil)
	// Hold per send 0.116, charge 0.024. A overlaps (0.24 >= twice 0.116).
	e.fund("0.24")
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	admitted, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	t.Cleanup(chat.SetBeforeOverlappedHold(func() { once.Do(func() { close(admitted); <-release }) }))
	send := func() (*chat.Message, error) {
		conv := e.conversation("openai", "gpt-4o", "")
		return e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI})
	}
	type result struct {
		m   *chat.Message
		err error
	}
	a := make(chan result, 1)
	go func() {
		m, err := send()
		a <- result{m, err}
	}()
	<-admitted // A's request is on its way; its hold is not written yet
	// B (no overlap: 0.24 less A's 0.116 in flight is under twice its hold)
	// fits beside A: 0.24 - 0.116 - 0.116 = 0.008.
	if m, err := send(); err != nil || m.Content != "ok" {
		t.Fatalf("B = %+v, %v", m, err)
	}
	// C would fit the pool (0.216 left) but not beside A's promised 0.116.
	_, err := send()
	if !errors.Is(err, chat.ErrInsufficientCredits) || !strings.Contains(err.Error(), "has 0.10 available") {
		t.Fatalf("C = %v, want insufficient credits with 0.10 available", err)
	}
	// A's request runs beside its hold: it may reach the provider after B's
	// and C's turns on a loaded machine, so wait for it (C's would come too).
	for deadline := time.Now().Add(10 * time.Second); srv.ChatRequests() < 2 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if srv.ChatRequests() != 2 {
		t.Fatalf("%d provider requests before A's hold (A and B only)", srv.ChatRequests())
	}
	close(release)
	r := <-a
	if r.err != nil || r.m.Content != "ok" || r.m.Charge.Amount != "0.024" {
		t.Fatalf("A = %+v, %v", r.m, r.err)
	}
	if e.svc.Meter().Overlapped() != 1 || srv.ChatRequests() != 2 || e.charged() != "0.048" || e.balance("pool") != "0.192" {
		t.Fatalf("overlapped %d, %d requests, charged %s, pool %s", e.svc.Meter().Overlapped(), srv.ChatRequests(), e.charged(), e.balance("pool"))
	}
	e.checkLedger()
}

// TestOverlappedHoldKeepsItsLimitRoom: the same for a member's limits. A
// send admitted to overlap counted on room under the member's limit; the
// member's next send (a larger hold, not overlapped) waits until that hold
// is written, then meets the limit and is refused before any provider
// request, rather than taking the room first and getting the overlapped
// send, whose request has already gone out, refused.
func TestOverlappedHoldKeepsItsLimitRoom(t *testing.T) {
	e := newEnvWith(t, nil)
	// A holds 0.116 (10 output tokens) and overlaps: 0.3 is twice that.
	// B holds 0.296 (28 output tokens): alone it fits, beside A (pending
	// 0.116, or charged 0.024) it does not.
	ctx := memberWithDailyLimit(t, e, "0.3")
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	admitted, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	t.Cleanup(chat.SetBeforeOverlappedHold(func() { once.Do(func() { close(admitted); <-release }) }))
	type result struct {
		m   *chat.Message
		err error
	}
	send := func(maxTokens int) chan result {
		conv := e.conversationAs(ctx, "openai", "gpt-4o", "")
		out := make(chan result, 1)
		go func() {
			m, err := e.svc.Send(ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: maxTokens, Source: chat.SourceAPI})
			out <- result{m, err}
		}()
		return out
	}
	a := send(10)
	<-admitted // A's request is on its way; its hold is not written yet
	b := send(28)
	select {
	case r := <-b:
		t.Fatalf("B finished before A's hold was written: %+v, %v", r.m, r.err)
	case <-time.After(200 * time.Millisecond): // time for B to reach its hold
	}
	close(release)
	if r := <-a; r.err != nil || r.m.Content != "ok" {
		t.Fatalf("A = %+v, %v", r.m, r.err)
	}
	var le *team.LimitError
	if r := <-b; !errors.As(r.err, &le) {
		t.Fatalf("B = %+v, %v; want the daily limit", r.m, r.err)
	}
	if e.svc.Meter().Overlapped() != 1 || srv.ChatRequests() != 1 || e.charged() != "0.024" {
		t.Fatalf("overlapped %d, %d requests, charged %s", e.svc.Meter().Overlapped(), srv.ChatRequests(), e.charged())
	}
	e.checkLedger()
}

// TestMinimumBalanceRefusesBeforeAnyRequest: a payer whose available
// credits cover twice the hold, but whose minimum balance leaves less than
// the hold, is refused before any provider request.
func TestMinimumBalanceRefusesBeforeAnyRequest(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("0.3")
	if err := e.led.SetPolicy(adminCtx, ledger.AccountPool, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("0.2")}); err != nil {
		t.Fatal(err)
	}
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	conv := e.conversation("openai", "gpt-4o", "")
	// The hold (0.116) would leave 0.184, under the minimum of 0.2.
	_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI})
	if !errors.Is(err, chat.ErrInsufficientCredits) {
		t.Fatalf("send = %v, want insufficient credits", err)
	}
	if srv.ChatRequests() != 0 || e.svc.Meter().Overlapped() != 0 || e.charged() != "0" {
		t.Fatalf("%d provider requests, %d overlapped, charged %s", srv.ChatRequests(), e.svc.Meter().Overlapped(), e.charged())
	}
	e.checkLedger()
}

// TestSendReusingAnUndoneMessageID: a send that failed before any output
// leaves no message but does leave its (voided) hold. Sending again with
// the same message id finds no message, so the provider request may start
// with the hold; the ledger refuses the reused hold id all the same, before
// any text, and nothing more is held or charged.
func TestSendReusingAnUndoneMessageID(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Fault: fake.ServerError})
	conv := e.conversation("openai", "gpt-4o", "")
	send := func() (*chat.Message, []string, error) {
		var deltas []string
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: "m-1", Text: "Hi", MaxTokens: 10,
			Source: chat.SourceAPI, OnDelta: func(s string) { deltas = append(deltas, s) }})
		return m, deltas, err
	}
	if m, _, err := send(); err == nil || m != nil {
		t.Fatalf("first send = %+v, %v; want the provider's error", m, err)
	}
	if _, err := e.svc.Message(adminCtx, "m-1"); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("the failed turn left its message: %v", err)
	}
	srv.SetScript(fake.Script{Chunks: []string{"never shown"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	m, deltas, err := send()
	if !errors.Is(err, chat.ErrDuplicate) || m != nil || len(deltas) != 0 {
		t.Fatalf("second send = %+v, %v (deltas %q); want ErrDuplicate and no text", m, err, deltas)
	}
	if n := e.svc.Meter().Overlapped(); n != 2 { // the ledger's look-up was skipped for the unused message id
		t.Fatalf("overlapped %d sends, want 2", n)
	}
	if e.charged() != "0" || e.balance("pool") != "100" {
		t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
	}
	e.checkLedger()
}

// TestMemberOverlapsWithinTheirLimits: a member of a real team overlaps
// their provider request with the hold only when their limit leaves room
// for twice the hold (the limit state read while the send was prepared);
// with room for the hold alone the hold comes first and the send goes
// through; with less, the send is refused before any provider request.
func TestMemberOverlapsWithinTheirLimits(t *testing.T) {
	// Hold per send: 8*0.002 + 10*0.01 = 0.116; actual 8*0.002 + 1*0.008 = 0.024.
	for _, c := range []struct {
		name    string
		limit   string
		overlap bool
		refused bool
	}{
		{"plenty", "100", true, false},
		{"twice the hold", "0.232", true, false},
		{"the hold, not twice", "0.2", false, false},
		{"less than the hold", "0.1", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnvWith(t, nil)
			ctx := memberWithDailyLimit(t, e, c.limit)
			srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
			conv := e.conversationAs(ctx, "openai", "gpt-4o", "")
			m, err := e.svc.Send(ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI})
			if c.refused {
				if !errors.Is(err, team.ErrLimitExceeded) || srv.ChatRequests() != 0 || e.charged() != "0" {
					t.Fatalf("send = %v, %d provider requests, charged %s; want refused by the limit before any request", err, srv.ChatRequests(), e.charged())
				}
			} else if err != nil || m.Charge.Amount != "0.024" || srv.ChatRequests() != 1 {
				t.Fatalf("send = %+v, %v, %d provider requests", m, err, srv.ChatRequests())
			}
			if got := e.svc.Meter().Overlapped() == 1; got != c.overlap {
				t.Fatalf("overlapped = %v, want %v", got, c.overlap)
			}
			e.checkLedger()
		})
	}
}

// memberWithDailyLimit sets up a real team on e (chat funded by it, the
// pool topped up with 100) with a member, bob, whose daily limit is limit,
// and returns bob's context.
func memberWithDailyLimit(t *testing.T, e *env, limit string) context.Context {
	t.Helper()
	tm, alice := newTeam(t, e)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil)
	e.fund("100")
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitDaily, Amount: limit}); err != nil {
		t.Fatal(err)
	}
	return access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
}
