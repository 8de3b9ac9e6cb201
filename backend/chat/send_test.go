package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestSendChargesReportedUsage streams from each provider's fake server and
// checks that the charge is exactly the reported usage priced line by line.
func TestSendChargesReportedUsage(t *testing.T) {
	cases := []struct {
		name    string
		flavor  fake.Flavor
		kind    providers.Kind
		rateP   string
		model   string
		usage   fake.Usage
		want    chat.Usage
		total   string
		summary string
	}{
		{"openai cached and reasoning", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Usage{Prompt: 523, Cached: 100, Completion: 1247, Reasoning: 200},
			// 423*0.002 + 100*0.001 + 1047*0.008 + 200*0.01
			chat.Usage{Input: 423, CacheRead: 100, Output: 1047, Reasoning: 200, Requests: 1}, "11.322",
			"gpt-4o · input 423 tokens (0.846 credits) · cached input 100 tokens (0.10 credits) · output 1,047 tokens (8.376 credits) · reasoning 200 tokens (2.00 credits) · total 11.322 credits"},
		{"deepseek cache hit and miss", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Usage{Prompt: 1000, Cached: 600, Completion: 50},
			// 400*0.0005 + 600*0.0001 + 50*0.002
			chat.Usage{Input: 400, CacheRead: 600, Output: 50, Requests: 1}, "0.36", ""},
		{"anthropic cache read and write, cumulative delta", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Usage{Prompt: 30, Cached: 2000, CacheWrite: 500, Completion: 120},
			// 30*0.003 + 2000*0.0003 + 500*0.00375 + 120*0.015
			chat.Usage{Input: 30, CacheRead: 2000, CacheWrite: 500, Output: 120, Requests: 1}, "4.365", ""},
		{"gemini usageMetadata with thoughts", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Usage{Prompt: 800, Cached: 200, Completion: 300, Reasoning: 100},
			// 600*0.0003 + 200*0.000075 + 300*0.0025 + 100*0.0025 (reasoning falls back to output)
			chat.Usage{Input: 600, CacheRead: 200, Output: 300, Reasoning: 100, Requests: 1}, "1.195", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("1000")
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"Hel", "lo ", "**world**"}, Usage: tc.usage})
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "Be brief.")
			var got strings.Builder
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Say hello", Source: chat.SourceUI,
				OnDelta: func(s string) { got.WriteString(s) }})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if got.String() != "Hello **world**" || m.Content != "Hello **world**" || m.Status != chat.StatusDone {
				t.Fatalf("streamed %q, stored %q (%s)", got.String(), m.Content, m.Status)
			}
			e.sameAsStored(m)
			ch := m.Charge
			if ch == nil || ch.Amount != tc.total || ch.Price != tc.total || ch.Usage != tc.want || ch.Estimated || ch.Capped {
				t.Fatalf("charge = %+v, want total %s usage %+v", ch, tc.total, tc.want)
			}
			if tc.summary != "" && ch.Summary != tc.summary {
				t.Fatalf("summary\n got %s\nwant %s", ch.Summary, tc.summary)
			}
			if want := "1000"; e.balance("pool") != subtract(want, tc.total) {
				t.Fatalf("pool = %s, want 1000 - %s", e.balance("pool"), tc.total)
			}
			if e.balance("sys:usage") != tc.total {
				t.Fatalf("sys:usage = %s, want %s", e.balance("sys:usage"), tc.total)
			}
			e.checkLedger()
			if n := e.rec.Count(events.ChatDelta); n != 3 {
				t.Fatalf("%d ChatDelta events, want 3", n)
			}
			// The charge row and the posting carry the dimensions and the rate version.
			var model, source string
			var convID, rv int64
			var meta string
			if err := e.db.Read().QueryRow(`SELECT t.model, t.source, t.conversation_id, c.rate_version, t.meta
				FROM chat_charges c JOIN ledger_transfers t ON t.id = c.transfer_id WHERE c.request_id = ?`, m.UID).
				Scan(&model, &source, &convID, &rv, &meta); err != nil {
				t.Fatal(err)
			}
			if model != tc.model || source != "ui" || convID != conv.ID || rv != ch.RateVersion || rv == 0 {
				t.Fatalf("posting dims %s %s %d rv %d", model, source, convID, rv)
			}
			var pm struct {
				Breakdown struct {
					Total string `json:"total"`
				} `json:"breakdown"`
			}
			if err := json.Unmarshal([]byte(meta), &pm); err != nil || pm.Breakdown.Total != tc.total {
				t.Fatalf("posting meta %s: %v", meta, err)
			}
			// The request carried the system prompt and the user's text.
			reqs := srv.Requests()
			body := string(reqs[len(reqs)-1].Body)
			if !strings.Contains(body, "Be brief.") || !strings.Contains(body, "Say hello") {
				t.Fatalf("request body %s", body)
			}
			if tc.kind == providers.KindOpenAI && !strings.Contains(body, `"include_usage":true`) {
				t.Fatalf("no stream_options.include_usage in %s", body)
			}
		})
	}
}

// subtract computes a - b for the small decimals used in these tests.
func subtract(a, b string) string {
	return mustDec(a).Sub(mustDec(b)).String()
}

// TestSendFaults covers every failure the fake servers stage: after each,
// the charge is exact, no hold is left and the error is clear.
func TestSendFaults(t *testing.T) {
	// The prompt "Hi" to gpt-4o is 8 tokens (3 per message + "user" + "Hi" +
	// 3 reply priming); "Hello" is 1 output token: 8*0.002 + 1*0.008.
	const partial = "0.024"
	cases := []struct {
		name      string
		script    fake.Script
		idleMS    int
		wantErr   error
		wantCode  string
		retry     int64
		charged   string // "" = nothing charged
		estimated bool
		status    string
		draft     bool
	}{
		{"dropped mid-stream", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Drop, FailAfter: 1},
			0, providers.ErrInterrupted, chat.CodeInterrupted, 0, partial, true, chat.StatusInterrupted, false},
		{"429 with Retry-After", fake.Script{Fault: fake.RateLimited, RetryAfter: "12"},
			0, nil, chat.CodeRateLimited, 12, "", false, "", true},
		{"500", fake.Script{Fault: fake.ServerError},
			0, nil, chat.CodeProvider, 0, "", false, "", true},
		{"timeout before any output", fake.Script{Fault: fake.Hang},
			300, providers.ErrTimeout, chat.CodeTimeout, 0, "", false, "", true},
		{"timeout after some output", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1},
			// the idle timer runs from the request: under -race and load 300 ms could pass before "Hello"
			1000, providers.ErrTimeout, chat.CodeTimeout, 0, partial, true, chat.StatusInterrupted, false},
		{"malformed chunk", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Malformed, FailAfter: 1},
			0, providers.ErrMalformed, chat.CodeMalformed, 0, partial, true, chat.StatusInterrupted, false},
		{"in-stream error event before output", fake.Script{Fault: fake.StreamError},
			0, nil, chat.CodeProvider, 0, "", false, "", true},
		{"complete reply without usage", fake.Script{Chunks: []string{"Hello"}, Fault: fake.NoUsage},
			0, nil, "", 0, partial, true, chat.StatusDone, false},
		{"slow first token", fake.Script{Chunks: []string{"Hello"}, FirstDelay: 200e6, Usage: fake.Usage{Prompt: 8, Completion: 1}},
			0, nil, "", 0, partial, false, chat.StatusDone, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.NewOpenAI(tc.script)
			defer srv.Close()
			e.add("openai", providers.KindOpenAI, rates.OpenAI, srv.BaseURL(), durMS(tc.idleMS))
			conv := e.conversation("openai", "gpt-4o", "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
			} else {
				info := chat.Classify(err)
				if info == nil || info.Code != tc.wantCode || info.RetryAfter != tc.retry {
					t.Fatalf("error %v classified %+v, want code %s retry %d", err, info, tc.wantCode, tc.retry)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
			}
			if tc.charged == "" {
				if m != nil || e.charged() != "0" || e.balance("pool") != "100" {
					t.Fatalf("charged %s (message %+v), want nothing", e.charged(), m)
				}
				if n := e.count(`SELECT count(*) FROM chat_messages`); n != 0 {
					t.Fatalf("%d messages stored for a failed send", n)
				}
			} else {
				if m == nil || m.Charge == nil || m.Charge.Amount != tc.charged || m.Charge.Estimated != tc.estimated || m.Status != tc.status {
					t.Fatalf("message %+v charge %+v, want %s estimated=%v status %s", m, m.Charge, tc.charged, tc.estimated, tc.status)
				}
				if e.balance("pool") != subtract("100", tc.charged) || e.charged() != tc.charged {
					t.Fatalf("pool %s charged %s", e.balance("pool"), e.charged())
				}
				if m.Content != "Hello" {
					t.Fatalf("stored %q", m.Content)
				}
				e.sameAsStored(m)
			}
			got, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil || tc.draft != (got.Draft == "Hi") {
				t.Fatalf("draft = %q (%v), want kept=%v", got.Draft, err, tc.draft)
			}
			e.checkLedger()
		})
	}
}

// TestStopChargesWhatWasGenerated stops a slow stream after its first piece.
func TestStopChargesWhatWasGenerated(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hello", " world", " again"}, ChunkDelay: 60e9, Usage: fake.Usage{Prompt: 8, Completion: 3}})
	conv := e.conversation("openai", "gpt-4o", "")
	id := chat.NewID()
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id, Text: "Hi", Source: chat.SourceUI,
		OnDelta: func(string) {
			// Another member cannot stop it (nor learn that it runs).
			if e.svc.Stop(memberCtx(9), id) || e.svc.Stop(context.Background(), id) {
				t.Error("someone else stopped the send")
			}
			if !e.svc.Stop(adminCtx, id) {
				t.Error("Stop found no running send")
			}
		}})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if m.Status != chat.StatusStopped || m.Content != "Hello" || m.Charge == nil || m.Charge.Amount != "0.024" || !m.Charge.Estimated {
		t.Fatalf("stopped message %+v charge %+v", m, m.Charge)
	}
	if e.svc.Stop(adminCtx, id) {
		t.Fatal("Stop after the send still found it running")
	}
	e.sameAsStored(m)
	e.checkLedger()
	if e.balance("pool") != "99.976" {
		t.Fatalf("pool %s", e.balance("pool"))
	}
}

// TestInsufficientCreditsRefusedBeforeProvider never calls the provider.
func TestInsufficientCreditsRefusedBeforeProvider(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("1")
	srv := e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) || m != nil {
		t.Fatalf("send = %v, %v; want ErrInsufficientCredits", m, err)
	}
	info := chat.Classify(err)
	// Hold = 8*0.002 + 4096*0.01 (reasoning rate above output, the worst case).
	if info.Code != chat.CodeInsufficient || !info.TopUp || !strings.Contains(err.Error(), "40.976") || !strings.Contains(err.Error(), "has 1.00 available") ||
		!strings.Contains(err.Error(), "; top up credits to send it") ||
		!strings.Contains(err.Error(), ". The prompt costs 0.016; the rest is the room held for up to 4,096 output tokens, so a smaller output budget may let it through") {
		t.Fatalf("error %q classified %+v", err, info)
	}
	if strings.Contains(err.Error(), "hold:") || strings.Contains(err.Error(), "policy") || !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("the message should speak the user's language and keep the ledger cause for errors.Is: %q", err)
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("the provider got %d requests", n)
	}
	if e.balance("pool") != "1" || e.charged() != "0" || e.count(`SELECT count(*) FROM chat_messages`) != 0 {
		t.Fatal("something was charged or stored")
	}
	got, _ := e.svc.Conversation(adminCtx, conv.ID)
	if got.Draft != "Hi" {
		t.Fatalf("draft %q not kept", got.Draft)
	}
	e.checkLedger()
}

// TestInsufficientCreditsNamesTheDefaultRate: a model without a rate of its
// own is charged the default rate (1 credit per token from the factory), so
// the refusal says so and who can set one; a priced model's does not.
func TestInsufficientCreditsNamesTheDefaultRate(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("1")
	e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	const note = ". gpt-4o-mini has no rate of its own, so the default rate applies (1 credit per token); "
	for _, tc := range []struct {
		ctx  context.Context
		want string
	}{
		{adminCtx, note + "you can set one in Settings → Rates"},
		{memberCtx(7), note + "an admin can set one in Settings → Rates"},
	} {
		conv := e.conversationAs(tc.ctx, "openai", "gpt-4o-mini", "")
		_, err := e.svc.Send(tc.ctx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
		if !errors.Is(err, chat.ErrInsufficientCredits) || !strings.HasSuffix(err.Error(), tc.want) {
			t.Fatalf("refusal %q, want it to end %q", err, tc.want)
		}
	}
	conv := e.conversation("openai", "gpt-4o", "")
	_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) || strings.Contains(err.Error(), "default rate") {
		t.Fatalf("a priced model's refusal: %q", err)
	}
	e.checkLedger()
}

// TestInsufficientCreditsSaysWhatCanBeSpent: under a minimum-balance
// policy, the refusal names what the payer may still spend (available less
// the minimum), not the whole available balance, which would contradict it.
func TestInsufficientCreditsSaysWhatCanBeSpent(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("4.05")
	if err := e.led.SetPolicy(systemCtx, ledger.AccountPool, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("4")}); err != nil {
		t.Fatal(err)
	}
	e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) || !strings.Contains(err.Error(), "the workspace pool has 0.05 available") {
		t.Fatalf("refusal under a minimum balance: %v", err)
	}
	e.checkLedger()
}

// TestZeroCostModelNeverBlocked sends to a free local model with no credits.
func TestZeroCostModelNeverBlocked(t *testing.T) {
	e := newEnv(t, nil)
	srv := fake.NewOpenAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer srv.Close()
	e.add("ollama", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
	conv := e.conversation("ollama", "llama3.2", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if err != nil || m.Charge == nil || m.Charge.Amount != "0" || m.Charge.Hold != "0" {
		t.Fatalf("send = %+v, %v", m, err)
	}
	e.checkLedger()
}

// TestOfflineKeepsDraft: a provider on a closed port is offline; nothing is
// charged, and the window's message is kept as the draft.
func TestOfflineKeepsDraft(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.add("openai", providers.KindOpenAI, rates.OpenAI, closedURL(t), 0)
	conv := e.conversation("openai", "gpt-4o", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Are you there?", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrOffline) || !errors.Is(err, providers.ErrOffline) || m != nil {
		t.Fatalf("send = %v, %v; want ErrOffline", m, err)
	}
	if info := chat.Classify(err); info.Code != chat.CodeOffline {
		t.Fatalf("classified %+v", info)
	}
	// Said once: not "offline: chat: offline: the provider cannot be reached".
	if msg := err.Error(); strings.Count(msg, "offline") != 1 || !strings.Contains(msg, "offline: the provider cannot be reached: ") {
		t.Errorf("message %q, want the provider's offline message once", msg)
	}
	got, _ := e.svc.Conversation(adminCtx, conv.ID)
	if got.Draft != "Are you there?" || got.Messages != 0 {
		t.Fatalf("draft %q messages %d", got.Draft, got.Messages)
	}
	if e.balance("pool") != "100" || e.charged() != "0" {
		t.Fatal("charged while offline")
	}
	e.checkLedger()
}

// thinkingWatch wraps a real provider client and reports when the first
// piece of reasoning text has arrived (through the request's OnReasoning),
// so a test can press Stop while the model only thinks.
type thinkingWatch struct {
	providers.Client
	thought chan struct{}
	once    sync.Once
}

func (w *thinkingWatch) Stream(ctx context.Context, req providers.Request, onDelta func(string) error) (providers.Result, error) {
	next := req.OnReasoning
	req.OnReasoning = func(s string) error {
		w.once.Do(func() { close(w.thought) })
		if next != nil {
			return next(s)
		}
		return nil
	}
	return w.Client.Stream(ctx, req, onDelta)
}

// TestStopWhileThinkingChargesTheReasoning: Stop pressed while a reasoning
// model has streamed only its reasoning (no reply text yet) keeps the turn
// as a stopped reply with no text, charged for the reasoning generated
// (estimated); Stop before anything at all still charges nothing.
func TestStopWhileThinkingChargesTheReasoning(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	// The reasoning comes at once, the reply a minute later.
	srv := fake.NewDeepSeek(fake.Script{Thinking: []string{"Let me think about this carefully, step by step."}, Chunks: []string{"Answer"},
		ChunkDelay: 60e9, Usage: fake.Usage{Prompt: 8, Completion: 20, Reasoning: 12}})
	defer srv.Close()
	e.add("deepseek", providers.KindDeepSeek, rates.DeepSeek, srv.BaseURL(), 0)
	conv := e.conversation("deepseek", "deepseek-chat", "")
	id := chat.NewID()
	e.stopWhileThinking(id)
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id, Text: "Hi", Source: chat.SourceUI})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if m.Status != chat.StatusStopped || m.Content != "" || m.Charge == nil || !m.Charge.Estimated || m.Charge.Usage.Reasoning == 0 {
		t.Fatalf("stopped message %+v charge %+v", m, m.Charge)
	}
	e.sameAsStored(m)
	e.checkLedger()
	if e.charged() != m.Charge.Amount {
		t.Fatalf("charged %s, message says %s", e.charged(), m.Charge.Amount)
	}
}
