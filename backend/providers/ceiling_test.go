package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestOutputCeiling: the most output tokens each Claude model takes, as
// its model page lists them (Claude 5 and Fable 5.1: 128,000), and 0 where
// Meterdesk keeps no documented figure (Mythos, Fable 5, a Claude 5.x not
// yet named, another kind). Before, Claude 5 had none, so a Max output
// above 128,000 went out and came back as Anthropic's 400.
func TestOutputCeiling(t *testing.T) {
	for _, tc := range []struct {
		kind  providers.Kind
		model string
		want  int
	}{
		{providers.KindAnthropic, "claude-opus-4-1-20250805", 32000},
		{providers.KindAnthropic, "claude-sonnet-4-5", 64000},
		{providers.KindAnthropic, "claude-opus-4-8", 128000},
		{providers.KindAnthropic, "claude-opus-5", 128000},
		{providers.KindAnthropic, "claude-sonnet-5", 128000},
		{providers.KindAnthropic, "claude-opus-5-5", 128000},
		{providers.KindAnthropic, "claude-sonnet-5-5", 128000},
		{providers.KindAnthropic, "claude-haiku-5-5", 128000},
		{providers.KindAnthropic, "Claude-Haiku-5.5", 128000},
		{providers.KindAnthropic, "claude-fable-5-1", 128000},
		{providers.KindAnthropic, "claude-fable-5", 0},
		{providers.KindAnthropic, "claude-mythos-5", 0},
		{providers.KindAnthropic, "claude-mythos-preview", 0},
		{providers.KindAnthropic, "claude-opus-5-7", 0},
		{providers.KindAnthropic, "claude-opus-6", 0},
		{providers.KindCompatible, "claude-opus-5", 0},
	} {
		if got := providers.OutputCeiling(tc.kind, tc.model); got != tc.want {
			t.Errorf("OutputCeiling(%s, %s) = %d, want %d", tc.kind, tc.model, got, tc.want)
		}
	}
}

// TestClaude5CeilingOnTheWire: a Claude 5 request at its 128,000-token
// ceiling goes out as asked (the fake, which refuses what Anthropic
// refuses, takes it); one token more is refused before anything is sent,
// with ErrBadRequest naming the ceiling, where it went out before and
// came back as the API's 400.
func TestClaude5CeilingOnTheWire(t *testing.T) {
	for _, model := range []string{"claude-opus-5", "claude-sonnet-5", "claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"} {
		t.Run(model, func(t *testing.T) {
			srv := fake.New(fake.Anthropic, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			c := newClient(t, srv, providers.KindAnthropic, 0)
			req := request(model)
			req.MaxTokens = 128000
			if _, err, _ := collect(context.Background(), c, req); err != nil {
				t.Fatalf("at the ceiling: %v", err)
			}
			var body struct {
				MaxTokens int `json:"max_tokens"`
			}
			if reqs := srv.Requests(); len(reqs) != 1 || json.Unmarshal(reqs[0].Body, &body) != nil || body.MaxTokens != 128000 {
				t.Fatalf("%d requests, max_tokens %d; want one with 128000", len(reqs), body.MaxTokens)
			}
			req.MaxTokens = 128001
			_, err, _ := collect(context.Background(), c, req)
			if !errors.Is(err, providers.ErrBadRequest) || err.Error() != "invalid chat request: max tokens 128001 are above the 128000 output tokens "+model+" takes at most" {
				t.Fatalf("above the ceiling: %v", err)
			}
			if n := srv.ChatRequests(); n != 1 {
				t.Errorf("%d requests reached the provider, want only the first", n)
			}
		})
	}
}
