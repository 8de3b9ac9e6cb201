package chat_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// cutLabel and noUsageLabel end the summary of an estimated charge.
const (
	cutLabel     = " · estimated: the stream was cut; input as the provider reported it, output counted"
	noUsageLabel = " · estimated (the provider reported no usage)"
)

// TestCutStreamChargesWhatWasReported: a stream cut (dropped, an error
// event, or stopped) before the provider's final usage is charged the
// input-side counts the provider already reported, exactly, and for output
// and reasoning the larger of its counts so far and the tokenizer's count
// of the delivered text and reasoning text. The send "Hi" has no system
// prompt. o200k_base counts: "Hello" 1, "Partial answer" 2, "The answer" 2,
// "Let me think about this carefully." 7, " thinking about it step" x20 80.
// Scaled counts round up: Claude x1.3, Gemini and DeepSeek x1.15.
func TestCutStreamChargesWhatWasReported(t *testing.T) {
	const thought = "Let me think about this carefully."
	anthropicUsage := fake.Usage{Prompt: 30, Cached: 20, CacheWrite: 7, Completion: 50}
	cases := []struct {
		name    string
		flavor  fake.Flavor
		kind    providers.Kind
		rateP   string
		model   string
		script  fake.Script
		stop    bool // Stop after the first text delta
		content string
		status  string
		usage   chat.Usage
		total   string
		label   string
	}{
		// message_start: input 30, cache read 20, cache write 7 (exact),
		// output 1 (provisional). Thinking is output for Anthropic:
		// max(1, ceil((1 + 7) * 1.3) = 11) = 11.
		// 30*0.003 + 20*0.0003 + 7*0.00375 + 11*0.015 = 0.09 + 0.006 + 0.02625 + 0.165
		{"anthropic dropped after thinking and text", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Hello", " world"}, Usage: anthropicUsage, Fault: fake.Drop, FailAfter: 2},
			false, "Hello", chat.StatusInterrupted,
			chat.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 11, Requests: 1}, "0.28725", cutLabel},
		// The same cut by an overloaded_error event.
		{"anthropic error event after thinking and text", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Hello", " world"}, Usage: anthropicUsage, Fault: fake.StreamError, FailAfter: 2},
			false, "Hello", chat.StatusInterrupted,
			chat.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 11, Requests: 1}, "0.28725", cutLabel},
		// Stop after "Hello": output max(1, ceil(1 * 1.3) = 2) = 2.
		// 0.09 + 0.006 + 0.02625 + 2*0.015
		{"anthropic stopped", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Chunks: []string{"Hello", " world"}, ChunkDelay: 60e9, Usage: anthropicUsage},
			true, "Hello", chat.StatusStopped,
			chat.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 2, Requests: 1}, "0.15225", cutLabel},
		// Counts so far that cannot be priced are not believed: all counted
		// as if nothing was reported. Prompt "Hi" ceil(8 * 1.3) = 11,
		// output ceil(1 * 1.3) = 2: 11*0.003 + 2*0.015.
		{"anthropic absurd counts so far", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 1e15}, Fault: fake.Drop, FailAfter: 1},
			false, "Hello", chat.StatusInterrupted,
			chat.Usage{Input: 11, Output: 2, Requests: 1}, "0.063", noUsageLabel},
		// The first chunk's usageMetadata: prompt 4012 of which 4000 cached
		// (final), thoughts 300 so far. Output ceil(2 * 1.15) = 3.
		// 12*0.0003 + 4000*0.000075 + 3*0.0025 + 300*0.0025 (reasoning at the output rate)
		// = 0.0036 + 0.3 + 0.0075 + 0.75
		{"gemini dropped after a chunk with usage", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Chunks: []string{"Partial answer", " more"}, Usage: fake.Usage{Prompt: 4012, Cached: 4000, Completion: 3, Reasoning: 300},
				Fault: fake.Drop, FailAfter: 1},
			false, "Partial answer", chat.StatusInterrupted,
			chat.Usage{Input: 12, CacheRead: 4000, Output: 3, Reasoning: 300, Requests: 1}, "1.0611", cutLabel},
		// Thoughts reported so far (5) below the count of the thought text:
		// max(5, ceil(7 * 1.15) = 9) = 9.
		// 0.0036 + 0.3 + 0.0075 + 9*0.0025
		{"gemini dropped after thought text", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Partial answer", " more"},
				Usage: fake.Usage{Prompt: 4012, Cached: 4000, Completion: 3, Reasoning: 5}, Fault: fake.Drop, FailAfter: 2},
			false, "Partial answer", chat.StatusInterrupted,
			chat.Usage{Input: 12, CacheRead: 4000, Output: 3, Reasoning: 9, Requests: 1}, "0.3336", cutLabel},
		// DeepSeek reports usage only on the finish chunk: nothing so far.
		// Prompt "Hi" ceil(8 * 1.15) = 10, output ceil(2 * 1.15) = 3,
		// reasoning_content ceil(80 * 1.15) = 92 (at the output rate).
		// 10*0.0005 + 3*0.002 + 92*0.002 = 0.005 + 0.006 + 0.184
		{"deepseek dropped after reasoning_content", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: slices.Repeat([]string{" thinking about it step"}, 20), Chunks: []string{"The answer", " is 42"},
				Usage: fake.Usage{Prompt: 10, Completion: 500, Reasoning: 480}, Fault: fake.Drop, FailAfter: 21},
			false, "The answer", chat.StatusInterrupted,
			chat.Usage{Input: 10, Output: 3, Reasoning: 92, Requests: 1}, "0.195", noUsageLabel},
		// Running usage (vLLM's continuous usage stats): prompt 500 exact,
		// completion 2 so far = the count of "Hello world".
		// 500*0.002 + 2*0.008
		{"openai-compatible running usage, dropped", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{RunningUsage: true, Chunks: []string{"Hello", " world", "!"}, Usage: fake.Usage{Prompt: 500, Completion: 3},
				Fault: fake.Drop, FailAfter: 2},
			false, "Hello world", chat.StatusInterrupted,
			chat.Usage{Input: 500, Output: 2, Requests: 1}, "1.016", cutLabel},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, tc.script)
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "")
			id := chat.NewID()
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id, Text: "Hi", Source: chat.SourceUI,
				OnDelta: func(string) {
					if tc.stop {
						e.svc.Stop(adminCtx, id)
					}
				}})
			if tc.stop != (err == nil) {
				t.Fatalf("send: %v", err)
			}
			if m == nil || m.Charge == nil || m.Content != tc.content || m.Status != tc.status {
				t.Fatalf("message %+v", m)
			}
			ch := m.Charge
			if ch.Usage != tc.usage || ch.Amount != tc.total || ch.Price != tc.total || !ch.Estimated || ch.Capped {
				t.Fatalf("charge %s usage %+v (estimated %v capped %v), want %s %+v", ch.Amount, ch.Usage, ch.Estimated, ch.Capped, tc.total, tc.usage)
			}
			if !strings.HasSuffix(ch.Summary, " · total "+tc.total+" credits"+tc.label) {
				t.Fatalf("summary %q", ch.Summary)
			}
			e.sameAsStored(m) // the label survives a reload
			if e.charged() != tc.total || e.balance("sys:usage") != tc.total || e.balance("pool") != subtract("100", tc.total) {
				t.Fatalf("charged %s, sys:usage %s, pool %s", e.charged(), e.balance("sys:usage"), e.balance("pool"))
			}
			e.checkLedger()
		})
	}
}

// TestCutBeforeAnyOutputChargesNothing: an error before any reply text
// or reasoning text voids the hold, even after message_start's counts
// (Anthropic) or a chunk's usageMetadata (Gemini): nothing was generated
// for the member. Nothing is stored, the draft is kept.
func TestCutBeforeAnyOutputChargesNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		fault  fake.Fault
		idle   time.Duration
	}{
		{"anthropic error event after message_start", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", fake.StreamError, 0},
		{"deepseek dropped", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", fake.Drop, 0},
		{"openrouter error event", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", fake.StreamError, 0},
		{"gemini silent until the idle timeout", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", fake.Hang, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello"},
				Usage: fake.Usage{Prompt: 30, Cached: 20, CacheWrite: 7, Completion: 50}, Fault: tc.fault})
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), tc.idle)
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err == nil || m != nil {
				t.Fatalf("send: %v, message %+v", err, m)
			}
			if e.charged() != "0" || e.balance("pool") != "100" || e.count(`SELECT count(*) FROM chat_messages`) != 0 {
				t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
			}
			if got, _ := e.svc.Conversation(adminCtx, conv.ID); got.Draft != "Hi" {
				t.Fatalf("draft %q", got.Draft)
			}
			e.checkLedger()
		})
	}
}

// TestCutAfterReasoningOnlyIsCharged: a stream that delivered only
// reasoning text (DeepSeek's reasoning_content, OpenRouter's reasoning,
// Anthropic's thinking, Gemini's thought parts) and then failed (the
// connection cut, the provider's error event, the idle timeout) is
// charged as a cut reply, since the provider generated and bills that
// reasoning: the counts it reported so far, else the reasoning text
// counted (estimated). The turn is kept as an interrupted reply with no
// text, its error and its charge, in the window's chat:done event as in
// the database. Before, the hold was voided: nothing charged.
// "Let me think about this carefully." is 7 o200k tokens; the prompt "Hi" 8.
func TestCutAfterReasoningOnlyIsCharged(t *testing.T) {
	const thought = "Let me think about this carefully."
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		script fake.Script
		idle   time.Duration
		code   string
		usage  chat.Usage
		total  string
		label  string
	}{
		// Prompt ceil(8 * 1.15) = 10, reasoning ceil(7 * 1.15) = 9 at the
		// output rate: 10*0.0005 + 9*0.002.
		{"deepseek reasoning_content, dropped", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Usage: fake.Usage{Prompt: 10, Completion: 500, Reasoning: 480},
				Fault: fake.Drop, FailAfter: 1},
			0, chat.CodeInterrupted, chat.Usage{Input: 10, Reasoning: 9, Requests: 1}, "0.023", noUsageLabel},
		{"deepseek reasoning_content, error event", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.StreamError, FailAfter: 1},
			0, chat.CodeProvider, chat.Usage{Input: 10, Reasoning: 9, Requests: 1}, "0.023", noUsageLabel},
		// 1 s idle (from the request): a loaded machine may delay the reasoning chunk past 300 ms.
		{"deepseek reasoning_content, idle timeout", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.Hang, FailAfter: 1},
			time.Second, chat.CodeTimeout, chat.Usage{Input: 10, Reasoning: 9, Requests: 1}, "0.023", noUsageLabel},
		// OpenRouter's delta.reasoning to gpt-4o (counted exactly):
		// 8*0.002 + 7*0.01 (its reasoning rate).
		{"openrouter reasoning, error event", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.StreamError, FailAfter: 1},
			0, chat.CodeProvider, chat.Usage{Input: 8, Reasoning: 7, Requests: 1}, "0.086", noUsageLabel},
		// message_start: input 30, cache read 20, cache write 7 (exact),
		// output 1; thinking is output: max(1, ceil(7 * 1.3) = 10) = 10.
		// 30*0.003 + 20*0.0003 + 7*0.00375 + 10*0.015
		{"anthropic thinking, overloaded_error", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 30, Cached: 20, CacheWrite: 7, Completion: 50},
				Fault: fake.StreamError, FailAfter: 1},
			0, chat.CodeProvider, chat.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 10, Requests: 1}, "0.27225", cutLabel},
		// The thought chunk's usageMetadata: prompt 4012, 4000 cached;
		// thoughts ceil(7 * 1.15) = 9 at the output rate.
		// 12*0.0003 + 4000*0.000075 + 9*0.0025
		{"gemini thoughts, dropped", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Partial answer"}, Usage: fake.Usage{Prompt: 4012, Cached: 4000, Completion: 3, Reasoning: 300},
				Fault: fake.Drop, FailAfter: 1},
			0, chat.CodeInterrupted, chat.Usage{Input: 12, CacheRead: 4000, Reasoning: 9, Requests: 1}, "0.3261", cutLabel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, tc.script)
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), tc.idle)
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err == nil || chat.Classify(err).Code != tc.code {
				t.Fatalf("send: %v (%+v), want code %s", err, chat.Classify(err), tc.code)
			}
			if m == nil || m.Content != "" || m.Status != chat.StatusInterrupted || m.Error != chat.Classify(err).Message || m.Charge == nil {
				t.Fatalf("message %+v", m)
			}
			ch := m.Charge
			if ch.Usage != tc.usage || ch.Amount != tc.total || ch.Price != tc.total || !ch.Estimated || ch.Capped ||
				!strings.HasSuffix(ch.Summary, " · total "+tc.total+" credits"+tc.label) {
				t.Fatalf("charge %s usage %+v (estimated %v, %q), want %s %+v", ch.Amount, ch.Usage, ch.Estimated, ch.Summary, tc.total, tc.usage)
			}
			e.sameAsStored(m)
			// The window's chat:done carries the same reply, with the error.
			var done *chat.Done
			for _, ev := range e.rec.Events() {
				if d, ok := ev.Payload.(chat.Done); ok && ev.Name == events.ChatDone {
					done = &d
				}
			}
			got, _ := json.Marshal(done.Message)
			want, _ := json.Marshal(m)
			if done.Message == nil || string(got) != string(want) || done.Error == nil || done.Error.Code != tc.code {
				t.Fatalf("chat:done %s (error %+v), want %s", got, done.Error, want)
			}
			if e.charged() != tc.total || e.balance("sys:usage") != tc.total || e.balance("pool") != subtract("100", tc.total) {
				t.Fatalf("charged %s, sys:usage %s, pool %s", e.charged(), e.balance("sys:usage"), e.balance("pool"))
			}
			// Kept, not a draft; and not sent again (the model never answered).
			if c, _ := e.svc.Conversation(adminCtx, conv.ID); c.Draft != "" || c.Messages != 2 {
				t.Fatalf("conversation %+v", c)
			}
			e.checkLedger()
		})
	}
}

// TestZeroUsageWithTextIsEstimated: a provider that reports a usage of
// zeros although it delivered text (or only reasoning text) does not make
// the reply free: it is counted as if it reported nothing.
func TestZeroUsageWithTextIsEstimated(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flavor  fake.Flavor
		kind    providers.Kind
		rateP   string
		model   string
		script  fake.Script
		content string
		usage   chat.Usage
		total   string
	}{
		// Prompt "Hi" 8 tokens, "Hello" 1: 8*0.002 + 1*0.008.
		{"openai text", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Chunks: []string{"Hello"}}, "Hello",
			chat.Usage{Input: 8, Output: 1, Requests: 1}, "0.024"},
		// Only reasoning_content: prompt ceil(8 * 1.15) = 10, reasoning
		// ceil(7 * 1.15) = 9 at the output rate: 10*0.0005 + 9*0.002.
		{"deepseek reasoning only", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{"Let me think about this carefully."}, Chunks: []string{}}, "",
			chat.Usage{Input: 10, Reasoning: 9, Requests: 1}, "0.023"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, tc.script) // fake.Usage{}: every count 0
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if m.Content != tc.content || m.Status != chat.StatusDone || m.Charge == nil {
				t.Fatalf("message %+v", m)
			}
			ch := m.Charge
			if ch.Usage != tc.usage || ch.Amount != tc.total || !ch.Estimated || !strings.HasSuffix(ch.Summary, noUsageLabel) {
				t.Fatalf("charge %s usage %+v estimated %v (%s), want %s %+v", ch.Amount, ch.Usage, ch.Estimated, ch.Summary, tc.total, tc.usage)
			}
			e.sameAsStored(m)
			if e.charged() != tc.total || e.balance("pool") != subtract("100", tc.total) {
				t.Fatalf("charged %s, pool %s", e.charged(), e.balance("pool"))
			}
			e.checkLedger()
		})
	}
}

// TestRunawayProviderIsCutOff: a provider that ignores max_tokens and keeps
// writing (a local server in a loop) is cut once the reply passes the
// budget's byte cap (10 tokens: 64 KiB + 320 bytes); the text delivered is
// kept and charged as for an interrupted stream, no hold is left, and the
// rest of the stream is never read.
func TestRunawayProviderIsCutOff(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100000")
	chunk := strings.Repeat("loop ", 400) // 2,000 bytes
	chunks := make([]string, 500)         // 1 MB in all
	for i := range chunks {
		chunks[i] = chunk
	}
	e.openAI(fake.Script{Chunks: chunks, Usage: fake.Usage{Prompt: 8, Completion: 10}})
	conv := e.conversation("openai", "gpt-4o", "")
	var delivered int
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceAPI, MaxTokens: 10,
		OnDelta: func(s string) { delivered += len(s) }})
	if !errors.Is(err, chat.ErrOverBudget) || chat.Classify(err).Code != chat.CodeInterrupted || m == nil {
		t.Fatalf("send: %v (message %v)", err, m != nil)
	}
	limit := 64<<10 + 320
	if m.Status != chat.StatusInterrupted || !strings.Contains(m.Error, "output budget") ||
		len(m.Content) != delivered || delivered <= limit || delivered > limit+len(chunk) {
		t.Fatalf("status %q, error %q, %d bytes stored, %d delivered (cap %d)", m.Status, m.Error, len(m.Content), delivered, limit)
	}
	if m.Charge == nil || !m.Charge.Estimated || m.Charge.Usage.Output < 10 {
		t.Fatalf("charge %+v", m.Charge)
	}
	e.checkLedger()
}

// TestRunawayReasoningIsCutOff: a provider that streams reasoning text far
// past the output budget (reasoning_content in a loop, before any reply)
// is cut at the same byte cap as reply text: nothing reaches the reply, the
// reasoning read is charged as an interrupted stream's (estimated), no hold
// is left, and the rest is never read.
func TestRunawayReasoningIsCutOff(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
	}{
		{"deepseek reasoning_content", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner"},
		{"openrouter delta.reasoning", fake.OpenAI, providers.KindCompatible, rates.Local, "deepseek/deepseek-r1"},
		{"anthropic thinking", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100000")
			chunk := strings.Repeat("hmm ", 500) // 2,000 bytes
			thinking := make([]string, 500)      // 1 MB in all
			for i := range thinking {
				thinking[i] = chunk
			}
			srv := fake.New(tc.flavor, fake.Script{Thinking: thinking, Chunks: []string{"never reached"}, Usage: fake.Usage{Prompt: 8, Completion: 10}})
			defer srv.Close()
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			conv := e.conversation("p", tc.model, "")
			var delivered int
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceAPI, MaxTokens: 10,
				OnDelta: func(s string) { delivered += len(s) }})
			if !errors.Is(err, chat.ErrOverBudget) || m == nil {
				t.Fatalf("send: %v (message %v)", err, m != nil)
			}
			if m.Status != chat.StatusInterrupted || m.Content != "" || delivered != 0 {
				t.Fatalf("status %q, content %q, %d bytes delivered", m.Status, m.Content, delivered)
			}
			// Charged for the reasoning read (at least the cap's 64 KiB, some
			// thousands of tokens), far less than the 1 MB sent.
			if m.Charge == nil || !m.Charge.Estimated || m.Charge.Usage.Output+m.Charge.Usage.Reasoning < 10_000 ||
				m.Charge.Usage.Output+m.Charge.Usage.Reasoning > 200_000 {
				t.Fatalf("charge %+v", m.Charge)
			}
			e.checkLedger()
		})
	}
}
