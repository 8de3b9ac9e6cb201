package chat_test

import (
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestFreeReplySaysFree: the cost line under a reply of a model rated 0
// (llama3.2 on a local server) says "free", as the API key list does
// (gateway.KeyUsage), not "total 0.00 credits", and says so the same when
// Send returns it and when the conversation is read again (the window, and
// `meterdesk conversations show`). Its charge stays an exact "0" in the
// JSON. A reply whose counts are estimated (the server reported no usage)
// is still free, exactly: only its counts are said to be estimated. A paid
// reply still says its total.
func TestFreeReplySaysFree(t *testing.T) {
	for _, tc := range []struct {
		name, model string
		fault       fake.Fault
		want        string
	}{
		{"a free model, usage reported", "llama3.2", "",
			"llama3.2 · input 9 tokens · output 2 tokens · free"},
		{"a free model, no usage reported", "llama3.2", fake.NoUsage,
			"llama3.2 · input 10 tokens · output 2 tokens · free · token counts estimated (the provider reported no usage)"},
		{"a paid model", "gpt-4o", "",
			"gpt-4o · input 9 tokens (0.018 credits) · output 2 tokens (0.016 credits) · total 0.034 credits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hel", "lo"}, Usage: fake.Usage{Prompt: 9, Completion: 2}, Fault: tc.fault})
			t.Cleanup(srv.Close)
			rp := rates.Local
			if tc.model == "gpt-4o" {
				rp = rates.OpenAI
			}
			e.add("box", providers.KindCompatible, rp, srv.BaseURL(), 0)
			conv := e.conversation("box", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			if m.Charge == nil {
				t.Fatal("no charge")
			}
			free := tc.model == "llama3.2"
			if free && (m.Charge.Amount != "0" || m.Charge.Price != "0" || m.Charge.Breakdown.Total != "0") {
				t.Fatalf("free reply charged %s (price %s, total %s), want an exact 0", m.Charge.Amount, m.Charge.Price, m.Charge.Breakdown.Total)
			}
			page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var read *chat.Charge
			for _, pm := range page.Messages {
				if pm.UID == m.UID {
					read = pm.Charge
				}
			}
			for what, ch := range map[string]*chat.Charge{"sent": m.Charge, "read again": read} {
				if ch == nil || ch.Summary != tc.want {
					t.Errorf("%s: summary %q, want %q", what, ch.Summary, tc.want)
				}
				if chat.Free(ch) != free || ch.Free != free {
					t.Errorf("%s: Free %v, charge.free %v, want %v", what, chat.Free(ch), ch.Free, free)
				}
			}
			e.checkLedger()
		})
	}
}

// TestNothingChargedIsNotAlwaysFree: only a charge whose every line is
// rated 0 is free; a capped charge of nothing (the usage cost something)
// and a line that cost something keep their totals; the line `meterdesk
// chat` prints says "nothing charged" for any charge of 0 and the credits
// otherwise.
func TestNothingChargedIsNotAlwaysFree(t *testing.T) {
	zero := metering.Line{Kind: metering.LineInput, Quantity: 10, Rate: "0", Amount: "0", RateSource: "set"}
	paid := metering.Line{Kind: metering.LineToolCalls, Quantity: 2, Rate: "0.5", Amount: "1", RateSource: "set"}
	out1 := metering.Line{Kind: metering.LineOutput, Quantity: 1, Rate: "0", Amount: "0", RateSource: "set"}
	for _, tc := range []struct {
		name    string
		ch      chat.Charge
		summary string
		charged string
	}{
		{"free", chat.Charge{Model: "tooly", Payer: "pool", Amount: "0", Price: "0", Hold: "0",
			Breakdown: metering.Breakdown{Lines: []metering.Line{zero, out1}}},
			"tooly · input 10 tokens · output 1 token · free", "nothing charged to pool: tooly · input 10 tokens · output 1 token · free"},
		{"free, stream cut", chat.Charge{Model: "tooly", Payer: "pool", Amount: "0", Price: "0", Hold: "0", Estimated: true,
			Breakdown: metering.Breakdown{Lines: []metering.Line{zero}, Estimated: true, InputReported: true, ReasoningHidden: true}},
			"tooly · input 10 tokens · free · token counts estimated: the stream was cut; input as the provider reported it, output counted",
			"nothing charged to pool: tooly · input 10 tokens · free · token counts estimated"},
		{"capped at a hold of nothing", chat.Charge{Model: "tooly", Payer: "pool", Amount: "0", Price: "1", Hold: "0", Capped: true,
			Breakdown: metering.Breakdown{Lines: []metering.Line{zero, paid}, TotalMinor: 1_000_000_000}},
			"tooly · input 10 tokens (0.00 credits) · tool calls 2 (1.00) · total 0.00 credits (charged up to the amount set aside for this reply; the usage came to 1.00 credits)",
			"nothing charged to pool: tooly · input 10 tokens (0.00 credits)"},
		{"paid", chat.Charge{Model: "tooly", Payer: "pool", Amount: "1", Price: "1", Hold: "1",
			Breakdown: metering.Breakdown{Lines: []metering.Line{zero, paid}, TotalMinor: 1_000_000_000}},
			"tooly · input 10 tokens (0.00 credits) · tool calls 2 (1.00) · total 1.00 credits", "charged 1.00 credits to pool: tooly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := tc.ch
			ch.Summary = chat.Summary(&ch)
			if ch.Summary != tc.summary {
				t.Errorf("summary\n %q\nwant\n %q", ch.Summary, tc.summary)
			}
			if got := chat.ChargedTo(&ch); !strings.HasPrefix(got, tc.charged) {
				t.Errorf("charged line %q, want it to start %q", got, tc.charged)
			}
		})
	}
}

// TestStatusNoteOfAStoppedReply: the sentence under a reply that did not
// finish is Go's (the window showed its own "Stopped — charged for what was
// generated." under a free reply whose cost line ends "free"; `conversations
// show` printed "[stopped] " and nothing): a stopped free reply says it was
// free, a paid one that it was charged for what was generated; an
// interrupted or failed one says its error; a finished one, a user
// message, nothing. The charge says whether it was free (Charge.Free, for
// the window's announcement of the reply).
func TestStatusNoteOfAStoppedReply(t *testing.T) {
	free := &chat.Charge{Model: "llama3", Amount: "0", Price: "0", Hold: "0",
		Breakdown: metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineOutput, Quantity: 9, Rate: "0", Amount: "0"}}}}
	paid := &chat.Charge{Model: "gpt-4o", Amount: "0.072", Price: "0.072", Hold: "1",
		Breakdown: metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineOutput, Quantity: 9, Rate: "0.008", Amount: "0.072"}}, TotalMinor: 72_000_000}}
	for _, tc := range []struct {
		name string
		m    chat.Message
		want string
	}{
		{"stopped, free", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusStopped, Charge: free}, "Stopped — free, nothing charged."},
		{"stopped, paid", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusStopped, Charge: paid}, "Stopped — charged for what was generated."},
		{"interrupted", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusInterrupted, Error: "connection reset", Charge: paid}, "Interrupted: connection reset"},
		{"failed", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusError, Error: "disk I/O error"}, "Error: disk I/O error"},
		{"finished", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusDone, Charge: free}, ""},
		{"being written", chat.Message{Role: chat.RoleAssistant, Status: chat.StatusStreaming}, ""},
		{"a user message", chat.Message{Role: chat.RoleUser, Status: chat.StatusDone}, ""},
	} {
		if got := chat.StatusNote(tc.m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if !chat.Free(free) || chat.Free(paid) {
		t.Errorf("Free: %v for the free charge, %v for the paid one", chat.Free(free), chat.Free(paid))
	}
}

// TestReplacedFreeRepliesSayFree: the line on a reply that replaced free
// replies (a regenerate of a free model's reply) said "1 earlier reply
// replaced · 0.00 credits" (the window's words and the CLI's, each made
// apart) under their own lines ending "free"; it is now Go's
// (ReplacedLine), read the same by the window and `conversations show`,
// and says "free". Paid ones, or a sum of nothing not all free, keep their
// credits.
func TestReplacedFreeRepliesSayFree(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	t.Cleanup(srv.Close)
	e.add("box", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
	conv := e.conversation("box", "llama3.2", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Regenerate: true, MaxTokens: 10}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, ms := range map[string][]chat.Message{"page": page.Messages, "whole": whole} {
		last := ms[len(ms)-1]
		if last.Replaced == nil || last.Replaced.Summary != "2 earlier replies replaced · free" {
			t.Errorf("%s: replaced %+v, want the line \"2 earlier replies replaced · free\"", what, last.Replaced)
		}
	}

	free := chat.ReplacedReply{Charge: chat.Charge{Amount: "0", Price: "0", Hold: "0",
		Breakdown: metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineOutput, Quantity: 2, Rate: "0", Amount: "0"}}}}}
	capped := chat.ReplacedReply{Charge: chat.Charge{Amount: "0", Price: "1", Capped: true,
		Breakdown: metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineToolCalls, Quantity: 2, Rate: "0.5", Amount: "1"}}, TotalMinor: 1_000_000_000}}}
	for _, tc := range []struct {
		name string
		r    chat.Replaced
		want string
	}{
		{"one paid", chat.Replaced{Amount: "0.632", Count: 1, Replies: []chat.ReplacedReply{{}}}, "1 earlier reply replaced · 0.632 credits"},
		{"many, some listed", chat.Replaced{Amount: "32", Count: 1000, Replies: []chat.ReplacedReply{free}}, "1,000 earlier replies replaced · 32.00 credits"},
		{"free", chat.Replaced{Amount: "0", Count: 1, Free: true, Replies: []chat.ReplacedReply{free}}, "1 earlier reply replaced · free"},
		{"nothing, one capped", chat.Replaced{Amount: "0", Count: 2, Replies: []chat.ReplacedReply{free, capped}}, "2 earlier replies replaced · 0.00 credits"},
		{"nothing, not all listed, all free", chat.Replaced{Amount: "0", Count: 12, Free: true, Replies: []chat.ReplacedReply{free}}, "12 earlier replies replaced · free"},
		{"nothing, not all listed, not all free", chat.Replaced{Amount: "0", Count: 12, Replies: []chat.ReplacedReply{free}}, "12 earlier replies replaced · 0.00 credits"},
	} {
		if got := chat.ReplacedLine(&tc.r); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestNoOutputOfAPaidModelIsNotFree: a model rated 0 for input but not for
// output (a server that prices only what it generates) whose reply
// generated nothing (filtered, or stopped before its first token) has a
// breakdown of one line, input, rated 0: Price leaves the output line out
// as nothing was used. Its cost line said "· free", and a stopped one
// "Stopped — free, nothing charged.", of a model the picker does not call
// free, whose next reply is charged. It was charged nothing, and says so
// as a charge of nothing ("total 0.00 credits"); what was set aside for it
// (the output budget at the output rate) tells the two apart. A model rated
// 0 for both is free whatever its reply used.
func TestNoOutputOfAPaidModelIsNotFree(t *testing.T) {
	for _, tc := range []struct {
		name, model string
		want        string
		free        bool
	}{
		{"output rated, none generated", "half", "half · input 9 tokens (0.00 credits) · total 0.00 credits", false},
		{"free, none generated", "llama3.2", "llama3.2 · input 9 tokens · free", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: append(testRates, rates.Row{Provider: rates.Local, Model: "half", Input: "0", Output: "0.008"}),
				Reason: "output priced only"}); err != nil {
				t.Fatal(err)
			}
			srv := fake.NewOpenAI(fake.Script{Chunks: []string{}, Finish: "content_filter", Usage: fake.Usage{Prompt: 9, Completion: 0}})
			t.Cleanup(srv.Close)
			e.add("box", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
			conv := e.conversation("box", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
			if err != nil {
				t.Fatal(err)
			}
			page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			read := page.Messages[len(page.Messages)-1]
			for what, ch := range map[string]*chat.Charge{"sent": m.Charge, "read again": read.Charge} {
				if ch == nil {
					t.Fatalf("%s: no charge", what)
				}
				if ch.Amount != "0" || ch.Summary != tc.want || ch.Free != tc.free || chat.Free(ch) != tc.free {
					t.Errorf("%s: amount %s, summary %q, free %v; want 0, %q, %v", what, ch.Amount, ch.Summary, ch.Free, tc.want, tc.free)
				}
				stopped := chat.Message{Role: chat.RoleAssistant, Status: chat.StatusStopped, Charge: ch}
				if got, want := chat.StatusNote(stopped), map[bool]string{true: "Stopped — free, nothing charged.", false: "Stopped — charged for what was generated."}[tc.free]; got != want {
					t.Errorf("%s: stopped, %q; want %q", what, got, want)
				}
			}
			e.checkLedger()
		})
	}
}
