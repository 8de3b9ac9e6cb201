package chat_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// The number an output-ceiling refusal says to lower Max output tokens to
// is written grouped ("15,616"), as every count the window shows, and the
// window's Max output field takes it typed so (frontend/src/api/chat.ts
// parseTokenCount: digits, or thousands grouped by commas): ungrouped it is
// the ceiling less the thinking budget, the largest budget that fits.
func TestOutputCeilingAdviceSuggestsWhatTheFieldTakes(t *testing.T) {
	suggestion := regexp.MustCompile(`lower Max output tokens to ([0-9,]+) or less`)
	field := regexp.MustCompile(`^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$`) // parseTokenCount's rule
	for _, tc := range []struct {
		e    chat.OutputCeilingError
		want string
	}{
		{chat.OutputCeilingError{Model: "claude-opus-4-1", Level: providers.ReasoningHigh, Ceiling: 32000, MaxOutput: 30000, Thinking: 16384}, "15,616"},
		{chat.OutputCeilingError{Model: "claude-sonnet-4-5", Ceiling: 64000, MaxOutput: 100000}, "64,000"},
		{chat.OutputCeilingError{Model: "m", Level: providers.ReasoningLow, Ceiling: 1500, MaxOutput: 1000, Thinking: 1024}, "476"},
		{chat.OutputCeilingError{Model: "m", Ceiling: 1048576, MaxOutput: 2000000}, "1,048,576"},
	} {
		advice := tc.e.Advice()
		m := suggestion.FindStringSubmatch(advice)
		if m == nil || m[1] != tc.want {
			t.Errorf("%+v: advice %q, want it to suggest %s", tc.e, advice, tc.want)
			continue
		}
		if !field.MatchString(m[1]) {
			t.Errorf("%+v: suggests %q, which the Max output field does not take", tc.e, m[1])
		}
		if n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); err != nil || n != tc.e.Ceiling-tc.e.Thinking {
			t.Errorf("%+v: suggests %q, want the ceiling less the thinking budget, %d", tc.e, m[1], tc.e.Ceiling-tc.e.Thinking)
		}
	}
}
