package chat_test

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// unstreamedCase is a reply that a provider may send as one whole JSON
// body to the streaming request.
type unstreamedCase struct {
	name   string
	flavor fake.Flavor
	kind   providers.Kind
	rateP  string
	model  string
	script fake.Script
}

// unstreamedCases are such replies, each with reasoning and cache counts.
var unstreamedCases = []unstreamedCase{
	{"openai", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
		fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 30, Reasoning: 20}}},
	{"openrouter reasoning", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
		fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Cached: 4, Completion: 30, Reasoning: 20}}},
	{"deepseek reasoning_content, cut at the budget", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
		fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"The answer"}, Finish: "length",
			Usage: fake.Usage{Prompt: 100, Cached: 64, Completion: 500, Reasoning: 480}}},
	{"anthropic thinking", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
		fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 30, Cached: 20, CacheWrite: 7, Completion: 50}}},
	{"gemini thoughts", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
		fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Partial answer", " more"}, Usage: fake.Usage{Prompt: 4012, Cached: 4000, Completion: 3, Reasoning: 300}}},
}

// TestUnstreamedReplyIsChargedAsStreamed: a provider that ignores
// "stream" and answers with its whole chat.completion (or Anthropic's
// Message, Gemini's array) as one JSON body delivers the reply, keeps its
// finish reason, and is charged from the body's usage exactly as the same
// reply streamed: the same message, charge, summary and balances, not
// estimated. Before, the reply was read as cut off with nothing in it:
// nothing stored, nothing charged, although the provider bills it. The
// same holds for a body labelled text/plain or not labelled at all, which
// some servers send (before, only JSON types were converted).
func TestUnstreamedReplyIsChargedAsStreamed(t *testing.T) {
	for _, tc := range unstreamedCases {
		for _, label := range []string{"", "text/plain; charset=utf-8", fake.NoContentType} {
			t.Run(tc.name+"/"+label, func(t *testing.T) {
				unstreamedChargedAsStreamed(t, tc, label)
			})
		}
	}
	// One checked by hand: 8 input, 10 output and 20 reasoning tokens,
	// 8*0.002 + 10*0.008 + 20*0.01; labelled text/plain.
	e := newEnv(t, nil)
	e.fund("100")
	sc := unstreamedCases[0].script
	sc.Unstreamed, sc.ContentType = true, "text/plain"
	e.openAI(sc)
	conv := e.conversation("openai", "gpt-4o", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI})
	if err != nil || m.Charge.Amount != "0.296" || m.Charge.Usage != (chat.Usage{Input: 8, Output: 10, Reasoning: 20, Requests: 1}) {
		t.Fatalf("send: %v, charge %+v", err, m.Charge)
	}
	if e.balance("pool") != "99.704" {
		t.Fatalf("pool %s", e.balance("pool"))
	}
	e.checkLedger()
}

// unstreamedChargedAsStreamed sends tc's reply streamed, then as one whole
// JSON body labelled label ("" = application/json), and checks that both
// are delivered, stored and charged alike.
func unstreamedChargedAsStreamed(t *testing.T, tc unstreamedCase, label string) {
	t.Helper()
	send := func(unstreamed bool) (*env, *chat.Message, []string) {
		e := newEnv(t, nil)
		e.fund("100")
		sc := tc.script
		sc.Unstreamed = unstreamed
		if unstreamed {
			sc.ContentType = label
		}
		srv := fake.New(tc.flavor, sc)
		t.Cleanup(srv.Close)
		e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
		conv := e.conversation("p", tc.model, "")
		var deltas []string
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI,
			OnDelta: func(s string) { deltas = append(deltas, s) }})
		if err != nil {
			t.Fatalf("send (unstreamed %v): %v", unstreamed, err)
		}
		e.sameAsStored(m)
		e.checkLedger()
		return e, m, deltas
	}
	se, want, _ := send(false)
	e, m, deltas := send(true)
	if m.Content != strings.Join(tc.script.Chunks, "") || strings.Join(deltas, "") != m.Content || m.Status != chat.StatusDone {
		t.Fatalf("reply %q (deltas %q), status %s", m.Content, deltas, m.Status)
	}
	if m.Charge == nil || m.Charge.Estimated || m.Charge.Amount == "0" {
		t.Fatalf("charge %+v", m.Charge)
	}
	// The same reply as streamed, but for its ids and times.
	norm := func(m *chat.Message) string {
		c := *m.Charge
		c.RequestID, c.TransferID = "", 0
		c.RatesAt = nil // each environment's rates took effect when it was made
		b, _ := json.Marshal([]any{m.Content, m.Status, m.Error, m.FinishReason, m.OutputBudget, m.Note, c})
		return string(b)
	}
	if norm(m) != norm(want) {
		t.Fatalf("unstreamed reply\n %s\nstreamed\n %s", norm(m), norm(want))
	}
	if tc.script.Finish == "length" && (m.FinishReason != chat.FinishLength || m.Note == "") {
		t.Fatalf("finish %q, note %q", m.FinishReason, m.Note)
	}
	for _, acct := range []string{"pool", "sys:usage"} {
		if e.balance(acct) != se.balance(acct) {
			t.Fatalf("%s: %s unstreamed, %s streamed", acct, e.balance(acct), se.balance(acct))
		}
	}
	if e.charged() != m.Charge.Amount {
		t.Fatalf("charged %s, message says %s", e.charged(), m.Charge.Amount)
	}
}

// TestUnstreamedFailuresChargeNothing: a whole JSON body with status 200
// that is the provider's error object stays an error with its message,
// and one that is no answer (cut short) stays a reply cut off before any
// text: nothing stored or charged, the window's draft kept, the error in
// chat:done.
func TestUnstreamedFailuresChargeNothing(t *testing.T) {
	for _, tc := range unstreamedCases {
		for _, f := range []struct {
			fault fake.Fault
			code  string
		}{{fake.StreamError, chat.CodeProvider}, {fake.Malformed, ""}} {
			t.Run(tc.name+"/"+string(f.fault), func(t *testing.T) {
				e := newEnv(t, nil)
				e.fund("100")
				sc := tc.script
				sc.Unstreamed, sc.Fault = true, f.fault
				srv := fake.New(tc.flavor, sc)
				defer srv.Close()
				e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
				conv := e.conversation("p", tc.model, "")
				m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
				if err == nil || m != nil {
					t.Fatalf("send: %v, message %+v", err, m)
				}
				info := chat.Classify(err)
				if f.code != "" && (info.Code != f.code || !strings.Contains(info.Message, map[fake.Flavor]string{
					fake.OpenAI: "The server had an error", fake.DeepSeek: "Service is too busy.", fake.Anthropic: "Overloaded",
					fake.Gemini: "The model is overloaded."}[tc.flavor])) {
					t.Fatalf("error %+v, want the provider's own", info)
				}
				if f.code == "" && info.Code != chat.CodeInterrupted && info.Code != chat.CodeMalformed {
					t.Fatalf("error %+v, want a reply cut off", info)
				}
				if e.charged() != "0" || e.balance("pool") != "100" || e.count(`SELECT count(*) FROM chat_messages`) != 0 {
					t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
				}
				if c, _ := e.svc.Conversation(adminCtx, conv.ID); c.Draft != "Hi" {
					t.Fatalf("draft %q", c.Draft)
				}
				evs := e.rec.Events()
				if d, ok := evs[len(evs)-1].Payload.(chat.Done); !ok || evs[len(evs)-1].Name != events.ChatDone || d.Message != nil || d.Error == nil || d.Error.Code != info.Code {
					t.Fatalf("last event %+v", evs[len(evs)-1])
				}
				e.checkLedger()
			})
		}
	}
}

// TestSignInPageChargesNothing: a chat answered 200 with a captive
// portal's HTML sign-in page (hotel Wi-Fi, a corporate proxy), in any
// wire format, is a provider error before any output that says what came:
// nothing stored or charged, the hold voided, the window's draft kept, the
// error (code provider_error) in chat:done. Before, it read as a reply cut
// off before any text (or, with Gemini, as a malformed response quoting
// the page).
func TestSignInPageChargesNothing(t *testing.T) {
	const want = `: the provider answered with an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a model's answer: is a proxy or a sign-in page in the way?`
	for _, tc := range unstreamedCases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, fake.Script{Fault: fake.SignInPage})
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err == nil || m != nil {
				t.Fatalf("send: %v, message %+v", err, m)
			}
			info := chat.Classify(err)
			if info.Code != chat.CodeProvider || !strings.HasSuffix(info.Message, want) || info.TopUp || info.RetryAfter != 0 {
				t.Fatalf("error %+v\nwant code %s and a message ending %q", info, chat.CodeProvider, want)
			}
			if srv.ChatRequests() != 1 {
				t.Fatalf("%d chat requests", srv.ChatRequests())
			}
			if e.charged() != "0" || e.balance("pool") != "100" || e.count(`SELECT count(*) FROM chat_messages`) != 0 {
				t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
			}
			if n := e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'voided'`); n != 1 {
				t.Fatalf("%d holds voided, want the send's", n)
			}
			if c, _ := e.svc.Conversation(adminCtx, conv.ID); c.Draft != "Hi" {
				t.Fatalf("draft %q", c.Draft)
			}
			evs := e.rec.Events()
			if d, ok := evs[len(evs)-1].Payload.(chat.Done); !ok || evs[len(evs)-1].Name != events.ChatDone || d.Message != nil ||
				d.Error == nil || d.Error.Code != chat.CodeProvider || d.Error.Message != info.Message {
				t.Fatalf("last event %+v", evs[len(evs)-1])
			}
			e.checkLedger()
		})
	}
}

// TestTooLongWholeAnswerIsCharged: a whole JSON answer longer than the
// provider client's limit (Config.MaxWholeAnswer; 32 MiB by default,
// 64 KiB here) is read up to the limit and no further: the reply is kept
// as far as it was read, as an interrupted reply whose error says why, and
// charged as estimated from that text, in every wire format: the provider
// generated it and bills it. Before, it was passed on as it came and read
// as a reply cut off before any text (or malformed): nothing stored,
// nothing charged.
func TestTooLongWholeAnswerIsCharged(t *testing.T) {
	word := strings.Repeat("wörd ", 1000) // 6,000 bytes
	chunks := make([]string, 40)          // 240,000 bytes
	for i := range chunks {
		chunks[i] = word
	}
	full := strings.Join(chunks, "")
	for _, tc := range unstreamedCases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("1000")
			sc := tc.script
			sc.Chunks, sc.Unstreamed = chunks, true
			srv := fake.New(tc.flavor, sc)
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: srv.BaseURL(), APIKey: "sk-test", MaxWholeAnswer: 64 << 10})
			if err != nil {
				t.Fatal(err)
			}
			e.res.StaticResolver = append(e.res.StaticResolver, chat.StaticEntry{
				Info: chat.TargetInfo{Name: "p", RateProvider: tc.rateP, Local: true}, Client: c})
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceCLI})
			info := chat.Classify(err)
			if err == nil || info.Code != chat.CodeInterrupted || !strings.Contains(info.Message, "one JSON body (not streamed) longer than 65536 bytes") {
				t.Fatalf("send: %v (%+v), want the reply cut off at the limit", err, info)
			}
			if m == nil || m.Status != chat.StatusInterrupted || m.Content == "" || !strings.HasPrefix(full, m.Content) || len(m.Content) < 32<<10 {
				t.Fatalf("message %+v", m)
			}
			if m.Charge == nil || !m.Charge.Estimated || m.Charge.Amount == "0" || m.Charge.Usage.Output < 10_000 {
				t.Fatalf("charge %+v, want the text read charged as estimated", m.Charge)
			}
			e.sameAsStored(m)
			if e.charged() != m.Charge.Amount || e.balance("pool") != subtract("1000", m.Charge.Amount) {
				t.Fatalf("charged %s, pool %s, message says %s", e.charged(), e.balance("pool"), m.Charge.Amount)
			}
			e.checkLedger()
		})
	}
}
