package chat_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// adviceRow is one row of testdata/max_output_advice.json, the table the
// window's test (frontend/src/api/chat.test.ts) reads too: an output
// ceiling refused, the number its advice suggests as written, and the
// number of tokens the Max output field reads from it typed so.
type adviceRow struct {
	Model     string `json:"model"`
	Level     string `json:"level"`
	Ceiling   int    `json:"ceiling"`
	MaxOutput int    `json:"maxOutput"`
	Thinking  int    `json:"thinking"`
	Suggests  string `json:"suggests"`
	Tokens    int    `json:"tokens"`
}

// The number an output-ceiling refusal says to lower Max output tokens to
// is written grouped ("15,616"), as every count the window shows: the
// ceiling less the thinking budget, the largest budget that fits. The
// window's test types each suggestion from the same table into its Max
// output field (parseTokenCount) and wants Tokens back, so no copy of the
// field's rule is kept here.
func TestOutputCeilingAdviceSuggestsWhatTheFieldTakes(t *testing.T) {
	raw, err := os.ReadFile("testdata/max_output_advice.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Rows []adviceRow }
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Rows) < 4 {
		t.Fatalf("only %d rows in testdata/max_output_advice.json", len(table.Rows))
	}
	suggestion := regexp.MustCompile(`lower Max output tokens to ([0-9,]+) or less`)
	for _, r := range table.Rows {
		e := chat.OutputCeilingError{Model: r.Model, Level: providers.Reasoning(r.Level), Ceiling: r.Ceiling, MaxOutput: r.MaxOutput, Thinking: r.Thinking}
		advice := e.Advice()
		m := suggestion.FindStringSubmatch(advice)
		if m == nil || m[1] != r.Suggests {
			t.Errorf("%+v: advice %q, want it to suggest %s", e, advice, r.Suggests)
		}
		if r.Tokens != r.Ceiling-r.Thinking {
			t.Errorf("%+v: the table reads %q as %d, want the ceiling less the thinking budget, %d", e, r.Suggests, r.Tokens, r.Ceiling-r.Thinking)
		}
	}
}
