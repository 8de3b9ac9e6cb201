package app

import (
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// TestModelNamedRefusalsKeepTheName: the chat settings refusals that start
// with the model's name reach the window with the name as spelt ("mistral
// takes Reasoning high…"), as the picker's own warning shows it, not
// capitalised as an ordinary first word ("Mistral takes…").
func TestModelNamedRefusalsKeepTheName(t *testing.T) {
	cases := []struct {
		name string
		err  error
	}{
		{"thinking sampling", &chat.ThinkingSamplingError{Model: "mistral", Level: providers.ReasoningHigh, Setting: "temperature"}},
		{"reasoning", &chat.ReasoningError{Model: "mistral", Level: providers.ReasoningHigh}},
		{"reasoning level", &chat.ReasoningLevelError{Model: "mistral", Level: providers.ReasoningLow, Takes: []providers.Reasoning{providers.ReasoningHigh}}},
		{"output ceiling", &chat.OutputCeilingError{Model: "mistral", Ceiling: 4096, MaxOutput: 8192}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sent, ok := FormatError(fmt.Errorf("send to mistral: %w", c.err)).(RefusalError)
			if !ok {
				t.Fatalf("FormatError sent no refusal: %#v", FormatError(c.err))
			}
			if !strings.HasPrefix(sent.Reason, "mistral ") {
				t.Errorf("reason %q: want it to start with the model's name as spelt, \"mistral \"", sent.Reason)
			}
		})
	}
}
