package chat_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestConcurrentSendsNeverOverdraw runs many sends against a balance that
// covers only a few holds: the refused ones charge nothing, and the pool
// ends at exactly its top-up minus the posted charges, never below zero.
func TestConcurrentSendsNeverOverdraw(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("0.5")
	srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	const n = 24
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := 0; i < n; i++ {
		conv := e.conversation("openai", "gpt-4o", "")
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Hold per send: 8*0.002 + 10*0.01 = 0.116; actual 8*0.002 + 1*0.008 = 0.024.
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, chat.ErrInsufficientCredits):
				refused++
			default:
				t.Errorf("send: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok+refused != n || ok < 4 || refused == 0 {
		t.Fatalf("%d sent, %d refused", ok, refused)
	}
	if got := e.charged(); got != mustDec("0.024").Mul(mustDec(itoa(ok))).String() {
		t.Fatalf("charged %s for %d sends", got, ok)
	}
	if bal := mustDec(e.balance("pool")); bal.Sign() < 0 || bal.String() != subtract("0.5", e.charged()) {
		t.Fatalf("pool %s", bal)
	}
	if srv.ChatRequests() != ok {
		t.Fatalf("provider got %d requests for %d sends", srv.ChatRequests(), ok)
	}
	e.checkLedger()
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRetrySameMessageIDChargesOnce: a retried send returns the stored reply.
func TestRetrySameMessageIDChargesOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	id := chat.NewID()
	for i := 0; i < 3; i++ {
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id, Text: "Hi", Source: chat.SourceUI})
		if err != nil || m.UID != id || m.Charge == nil || m.Charge.Amount != "0.032" {
			t.Fatalf("send %d = %+v, %v", i, m, err)
		}
	}
	if srv.ChatRequests() != 1 || e.charged() != "0.032" || e.count(`SELECT count(*) FROM chat_messages`) != 2 {
		t.Fatalf("requests %d charged %s", srv.ChatRequests(), e.charged())
	}
	e.checkLedger()
}

// TestRegenerateAndEdit checks the history each variant sends and shows.
func TestRegenerateAndEdit(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"A1"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	send := func(req chat.SendRequest) *chat.Message {
		t.Helper()
		req.ConversationID, req.Source = conv.ID, chat.SourceUI
		m, err := e.svc.Send(adminCtx, req)
		if err != nil {
			t.Fatalf("send: %v", err)
		}
		e.sameAsStored(m)
		return m
	}
	send(chat.SendRequest{Text: "first question"})
	srv.SetScript(fake.Script{Chunks: []string{"A2"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	send(chat.SendRequest{Text: "second question"})
	srv.SetScript(fake.Script{Chunks: []string{"A2 again"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	send(chat.SendRequest{Regenerate: true})
	msgs, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := contents(msgs); got != "first question|A1|second question|A2 again" {
		t.Fatalf("after regenerate: %s", got)
	}
	last := srv.Requests()[len(srv.Requests())-1].Body
	if !strings.Contains(string(last), "second question") || strings.Contains(string(last), `"A2"`) {
		t.Fatalf("regenerate sent %s", last)
	}
	srv.SetScript(fake.Script{Chunks: []string{"B1"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	send(chat.SendRequest{EditMessageID: msgs[0].UID, Text: "edited question"})
	msgs, _ = e.svc.Messages(adminCtx, conv.ID)
	if got := contents(msgs); got != "edited question|B1" {
		t.Fatalf("after edit: %s", got)
	}
	// Every reply was charged, including the replaced ones: 4 x 0.032.
	if e.charged() != "0.128" {
		t.Fatalf("charged %s", e.charged())
	}
	// Bad variants are refused with nothing written.
	before := e.count(`SELECT count(*) FROM chat_messages`)
	for _, req := range []chat.SendRequest{
		{EditMessageID: msgs[1].UID, Text: "x"},        // not a user message
		{EditMessageID: "nope", Text: "x"},             // unknown
		{Regenerate: true, EditMessageID: msgs[0].UID}, // both
		{Text: "   "}, // empty
	} {
		req.ConversationID, req.Source = conv.ID, chat.SourceUI
		if _, err := e.svc.Send(adminCtx, req); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("send %+v = %v, want ErrInvalid", req, err)
		}
	}
	if e.count(`SELECT count(*) FROM chat_messages`) != before {
		t.Fatal("a refused send wrote messages")
	}
	e.checkLedger()
}

func contents(ms []chat.Message) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Content)
	}
	return strings.Join(parts, "|")
}

// TestFunderPaysAndLimitRefuses: the team's payer and limit guard apply.
func TestFunderPaysAndLimitRefuses(t *testing.T) {
	f := &limitFunder{payer: "user:5"}
	e := newEnv(t, f)
	if err := e.led.EnsureAccount(systemCtx, "user:5"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.led.TopUp(systemCtx, ledger.TopUpRequest{ID: "t5", Account: "user:5", Credits: mustDec("10"), Price: "0", Currency: "USD", Source: "system"}); err != nil {
		t.Fatal(err)
	}
	srv := e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	ctx := memberCtx(5)
	model, prov := "gpt-4o", "openai"
	conv, err := e.svc.CreateConversation(ctx, chat.ConversationInput{Model: &model, Provider: &prov})
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.svc.Send(ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
	if err != nil || m.Charge.Payer != "user:5" || e.balance("user:5") != "9.968" || f.after != 1 {
		t.Fatalf("send = %+v, %v; balance %s after %d", m, err, e.balance("user:5"), f.after)
	}
	e.sameAsStored(m)
	var uid, dept int64
	if err := e.db.Read().QueryRow(`SELECT user_id, department_id FROM ledger_transfers WHERE request_id = ?`, "post:"+m.UID).Scan(&uid, &dept); err != nil || uid != 5 || dept != 7 {
		t.Fatalf("posting dims user %d dept %d: %v", uid, dept, err)
	}
	f.limit = "0.05"
	_, err = e.svc.Send(ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Again", MaxTokens: 10, Source: chat.SourceUI})
	if !errors.Is(err, team.ErrLimitExceeded) || chat.Classify(err).Code != chat.CodeLimit {
		t.Fatalf("send over the limit = %v", err)
	}
	// The person reads the limit's own words, not the refused hold's id.
	if msg := chat.Classify(err).Message; !strings.Contains(msg, "daily limit of 0.05 credits") || strings.Contains(msg, "hold") {
		t.Fatalf("limit message %q", msg)
	}
	if srv.ChatRequests() != 1 || e.balance("user:5") != "9.968" {
		t.Fatal("a refused send reached the provider or charged")
	}
	// Another member cannot see or send in this conversation.
	if _, err := e.svc.Send(memberCtx(6), chat.SendRequest{ConversationID: conv.ID, Text: "x", Source: chat.SourceUI}); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("other member send = %v", err)
	}
	e.checkLedger()
}

// TestOverrunBeyondHold: usage above the hold is posted when the policy
// allows it, and capped at the hold when it does not.
func TestOverrunBeyondHold(t *testing.T) {
	for _, tc := range []struct {
		fund, amount, price string
		capped              bool
	}{
		// hold = 8*0.002 + 10*0.01 = 0.116; usage = 8*0.002 + 5000*0.008 = 40.016
		{"100", "40.016", "40.016", false},
		{"0.2", "0.116", "40.016", true},
	} {
		e := newEnv(t, nil)
		e.fund(tc.fund)
		srv := fake.NewOpenAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 5000}})
		e.add("openai", providers.KindOpenAI, rates.OpenAI, srv.BaseURL(), 0)
		conv := e.conversation("openai", "gpt-4o", "")
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
		srv.Close()
		if err != nil || m.Charge.Amount != tc.amount || m.Charge.Price != tc.price || m.Charge.Capped != tc.capped {
			t.Fatalf("fund %s: %+v, %v", tc.fund, m.Charge, err)
		}
		e.sameAsStored(m)
		if e.balance("pool") != subtract(tc.fund, tc.amount) {
			t.Fatalf("pool %s", e.balance("pool"))
		}
		e.checkLedger()
	}
}

// TestMeterRunWithoutConversation is the gateway's stateless path.
func TestMeterRunWithoutConversation(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := fake.NewDeepSeek(fake.Script{Chunks: []string{"4"}, Usage: fake.Usage{Prompt: 1000, Cached: 600, Completion: 50}})
	defer srv.Close()
	e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, srv.BaseURL(), 0)
	req := chat.MeterRequest{ID: "gw-1", Model: "deepseek-chat", Source: chat.SourceAPI,
		Messages: []providers.Message{{Role: "user", Content: "2+2?"}}}
	ch, res, err := e.svc.Meter().Run(adminCtx, req, nil)
	if err != nil || res.Text != "4" || ch.Amount != "0.36" || ch.Source != "api" || ch.ConversationID != 0 {
		t.Fatalf("run = %+v %+v %v", ch, res, err)
	}
	// The same id again is an idempotency conflict at the hold, not a second charge.
	if _, _, err := e.svc.Meter().Run(adminCtx, req, nil); !errors.Is(err, chat.ErrDuplicate) {
		t.Fatalf("reusing a request id = %v, want ErrDuplicate", err)
	}
	if e.charged() != "0.36" || srv.ChatRequests() != 1 {
		t.Fatalf("charged %s, %d requests", e.charged(), srv.ChatRequests())
	}
	// Bad requests are refused before anything is held.
	tooHot := 2.01
	for _, bad := range []chat.MeterRequest{
		{ID: "", Model: "deepseek-chat", Source: "api", Messages: req.Messages},
		{ID: "x y", Model: "deepseek-chat", Source: "api", Messages: req.Messages},
		{ID: "b1", Model: "", Source: "api", Messages: req.Messages},
		{ID: "b2", Model: "deepseek-chat", Source: "web", Messages: req.Messages},
		{ID: "b3", Model: "deepseek-chat", Source: "api"},
		{ID: "b4", Model: "deepseek-chat", Source: "api", Messages: []providers.Message{{Role: "tool", Content: "x"}}},
		{ID: "b5", Model: "deepseek-chat", Source: "api", Messages: req.Messages, MaxTokens: -1},
		{ID: "b6", Model: "deepseek-chat", Source: "api", Messages: req.Messages, Sampling: providers.Sampling{Temperature: &tooHot}},
		{ID: "b7", Model: "deepseek-chat", Source: "api", Messages: req.Messages, Sampling: providers.Sampling{Stop: []string{""}}},
	} {
		if _, err := e.svc.Meter().Begin(adminCtx, bad); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("begin %+v = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := e.svc.Meter().Begin(adminCtx, chat.MeterRequest{ID: "n1", Model: "unknown-model", Provider: "nope", Source: "api", Messages: req.Messages}); !errors.Is(err, chat.ErrNoProvider) {
		t.Fatalf("unknown provider = %v", err)
	}
	if _, err := e.svc.Meter().Begin(context.Background(), req); err == nil {
		t.Fatal("no actor accepted")
	}
	if e.count(`SELECT count(*) FROM ledger_transfers WHERE op = 'hold'`) != 1 {
		t.Fatal("a refused request took a hold")
	}
	e.checkLedger()
}
