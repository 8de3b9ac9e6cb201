package chat_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
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
