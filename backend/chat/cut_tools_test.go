package chat_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// cutAfterToolCalls is a provider client whose stream delivers some text
// and tool calls and is then cut, before any final usage (with partial
// counts, or none at all): as Anthropic's and Gemini's clients report a cut
// reply, tool calls counted in Result.ToolCalls.
type cutAfterToolCalls struct {
	text    string
	tools   int
	partial *metering.Usage
}

func (c cutAfterToolCalls) Stream(ctx context.Context, req providers.Request, onDelta func(string) error) (providers.Result, error) {
	if err := onDelta(c.text); err != nil {
		return providers.Result{}, err
	}
	return providers.Result{Text: c.text, ToolCalls: c.tools, Partial: c.partial},
		fmt.Errorf("chat stream: %w", providers.ErrInterrupted)
}
func (cutAfterToolCalls) Models(context.Context) ([]string, error) { return []string{"gpt-4o"}, nil }
func (cutAfterToolCalls) Test(context.Context) error               { return nil }

// TestCutStreamChargesItsToolCalls: a stream cut after the provider made
// tool calls, before its usage arrived, is charged them at the model's
// per-tool-call rate (gpt-4o: 0.5 credits each in testRates) beside the
// estimated tokens, whatever partial counts it reported.
func TestCutStreamChargesItsToolCalls(t *testing.T) {
	for _, tc := range []struct {
		name    string
		partial *metering.Usage
		tools   int
		total   string
	}{
		// "Hello": 1 output token (0.008); the prompt "Hi": 8 tokens (0.016).
		{"no usage before the cut", nil, 2, "1.024"},
		{"partial counts without the tool calls", &metering.Usage{Input: 8, Output: 1, Requests: 1}, 1, "0.524"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			e.res.StaticResolver = append(e.res.StaticResolver, chat.StaticEntry{
				Info:   chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI},
				Client: cutAfterToolCalls{text: "Hello", tools: tc.tools, partial: tc.partial}})
			ch, res, err := e.svc.Meter().Run(adminCtx, chat.MeterRequest{ID: "tools-1", Model: "gpt-4o", Source: chat.SourceAPI,
				Messages: []providers.Message{{Role: "user", Content: "Hi"}}}, nil)
			if !errors.Is(err, providers.ErrInterrupted) || res.Text != "Hello" || ch == nil {
				t.Fatalf("run = %+v, %v", ch, err)
			}
			var line *metering.Line
			for i, l := range ch.Breakdown.Lines {
				if l.Kind == metering.LineToolCalls {
					line = &ch.Breakdown.Lines[i]
				}
			}
			if line == nil || line.Quantity != int64(tc.tools) || line.Rate != "0.5" || ch.Usage.ToolCalls != int64(tc.tools) {
				t.Fatalf("tool-call line %+v (usage %+v), want %d at 0.5", line, ch.Usage, tc.tools)
			}
			if ch.Amount != tc.total || !ch.Estimated || e.charged() != tc.total {
				t.Fatalf("charge %s (estimated %v), charged %s; want %s", ch.Amount, ch.Estimated, e.charged(), tc.total)
			}
			e.checkLedger()
		})
	}
}

// TestCutStreamCountsItsToolCallArguments: a stream cut (dropped) after
// the model streamed tool calls, before its usage, is charged the tool
// calls' names and arguments as output tokens (estimated), beside the
// delivered text, for each wire format: OpenAI-compatible
// delta.tool_calls, Anthropic's tool_use with input_json_delta, Gemini's
// functionCall parts, also one whose event line the cut ended inside. The provider generated them and bills them as
// output; before, only the text was counted (and a cut OpenAI stream's
// calls were not even counted for the per-call rate), and a stream cut
// after tool calls alone was charged nothing. The prompt "Hi"; "Hello" is
// 1 token; get_weather{"city":"Paris","unit":"celsius"} is 12, and
// get_weather{"city": 5 (o200k_base; Claude x1.3, Gemini x1.15, rounded
// up).
func TestCutStreamCountsItsToolCallArguments(t *testing.T) {
	weather := fake.ToolCall{Name: "get_weather", Args: []string{`{"city":`, `"Paris",`, `"unit":"celsius"}`}}
	// The stream is cut before the second call (never counted).
	calls := []fake.ToolCall{weather, {Name: "get_time", Args: []string{`{"zone":"CET"}`}}}
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		script fake.Script
		text   string
		usage  chat.Usage
		total  string
	}{
		// 8*0.002 + 13*0.008 + 0.5 (one tool call)
		{"openai dropped after a tool call", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Chunks: []string{"Hello"}, Tools: calls, Fault: fake.Drop, FailAfter: 5},
			"Hello", chat.Usage{Input: 8, Output: 13, ToolCalls: 1, Requests: 1}, "0.62"},
		// Cut after the call's first piece of arguments: the name and that piece.
		{"openai dropped inside a tool call", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Chunks: []string{"Hello"}, Tools: calls, Fault: fake.Drop, FailAfter: 3},
			"Hello", chat.Usage{Input: 8, Output: 6, ToolCalls: 1, Requests: 1}, "0.564"},
		// Tool calls alone, no text: charged (before: voided, nothing charged).
		{"openai dropped after a tool call and no text", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Chunks: []string{}, Tools: calls, Fault: fake.Drop, FailAfter: 4},
			"", chat.Usage{Input: 8, Output: 12, ToolCalls: 1, Requests: 1}, "0.612"},
		// message_start: input 30 (exact), output 1 so far;
		// output ceil((1 + 12) * 1.3) = 17: 30*0.003 + 17*0.015
		{"anthropic dropped after a tool_use block", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Chunks: []string{"Hello"}, Tools: calls, Usage: fake.Usage{Prompt: 30, Completion: 50},
				Fault: fake.Drop, FailAfter: 5},
			"Hello", chat.Usage{Input: 30, Output: 17, ToolCalls: 1, Requests: 1}, "0.345"},
		// usageMetadata on each chunk: prompt 40 (final), output
		// ceil((1 + 12) * 1.15) = 15: 40*0.0003 + 15*0.0025
		{"gemini dropped after a functionCall part", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Chunks: []string{"Hello"}, Tools: calls, Usage: fake.Usage{Prompt: 40, Completion: 50},
				Fault: fake.Drop, FailAfter: 4, Finish: "STOP"},
			"Hello", chat.Usage{Input: 40, Output: 15, ToolCalls: 1, Requests: 1}, "0.0495"},
		// Gemini sends a call in one event, whose line the fake writes in
		// pieces: cut inside it after "Paris", the call and
		// get_weather{"city":"Paris"} (7) count: ceil((1 + 7) * 1.15) = 10;
		// before, the half line was lost and the call charged nothing.
		{"gemini dropped inside a functionCall part", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Chunks: []string{"Hello"}, Tools: calls, Usage: fake.Usage{Prompt: 40, Completion: 50},
				Fault: fake.Drop, FailAfter: 3, Finish: "STOP"},
			"Hello", chat.Usage{Input: 40, Output: 10, ToolCalls: 1, Requests: 1}, "0.037"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.New(tc.flavor, tc.script)
			t.Cleanup(srv.Close)
			e.add("p", tc.kind, tc.rateP, srv.BaseURL(), 0)
			ch, res, err := e.svc.Meter().Run(adminCtx, chat.MeterRequest{ID: "tools-cut", Model: tc.model, Source: chat.SourceAPI,
				Messages: []providers.Message{{Role: "user", Content: "Hi"}}}, nil)
			if err == nil || ch == nil || res.Text != tc.text {
				t.Fatalf("run = %+v, %q, %v; want a cut stream charged", ch, res.Text, err)
			}
			if ch.Usage != tc.usage || ch.Amount != tc.total || !ch.Estimated || e.charged() != tc.total {
				t.Fatalf("charge %s, usage %+v (estimated %v); want %s, %+v", ch.Amount, ch.Usage, ch.Estimated, tc.total, tc.usage)
			}
			e.checkLedger()
		})
	}
}
