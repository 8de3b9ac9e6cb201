package providers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestGeminiCutInsideAFunctionCall: Gemini sends a function call whole, in
// one event, and a long call's line arrives in several reads; a stream cut
// (the connection dropped) inside that line still counts the call and its
// name and arguments as far as they came (Result.ToolText, which the
// estimated charge counts as output), cut back to the last whole value,
// and the error is ErrInterrupted. Before, the half line was lost (no call,
// no tokens for it) and the stream was said to be malformed, quoting the
// half line. A call delivered whole is counted once, and a cut between
// events counts nothing more.
func TestGeminiCutInsideAFunctionCall(t *testing.T) {
	weather := fake.ToolCall{Name: "get_weather", Args: []string{`{"city":`, `"Paris",`, `"unit":"celsius"}`}}
	for _, tc := range []struct {
		name      string
		failAfter int
		toolText  string
		calls     int
	}{
		{"after the name and the first key", 2, `get_weather{}`, 1},
		{"after the first value", 3, `get_weather{"city":"Paris"}`, 1},
		{"between events: the call came whole", 4, `get_weather{"city":"Paris","unit":"celsius"}`, 1},
		{"before the call", 1, ``, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Gemini, fake.Script{Chunks: []string{"Hello"}, Tools: []fake.ToolCall{weather, {Name: "get_time", Args: []string{`{"zone":"CET"}`}}},
				Usage: fake.Usage{Prompt: 40, Completion: 50}, Fault: fake.Drop, FailAfter: tc.failAfter})
			defer srv.Close()
			res, err, _ := collect(context.Background(), newClient(t, srv, providers.KindGemini, 0), request("gemini-2.5-flash"))
			if err == nil || res.Text != "Hello" || res.Usage != nil || res.Partial == nil {
				t.Fatalf("result %+v, %v; want a cut stream with its partial counts", res, err)
			}
			if res.ToolText != tc.toolText || res.ToolCalls != tc.calls {
				t.Errorf("tool text %q, %d calls; want %q, %d", res.ToolText, res.ToolCalls, tc.toolText, tc.calls)
			}
			// Cut, not malformed: the half line genai could not read is no
			// fault of the provider's JSON, and is not quoted.
			if !errors.Is(err, providers.ErrInterrupted) || errors.Is(err, providers.ErrMalformed) || strings.Contains(err.Error(), "Paris") {
				t.Errorf("err %v, want ErrInterrupted", err)
			}
		})
	}
}
