package rates

import (
	"testing"
)

func mustVersion(t *testing.T, defs Defaults, rows ...Row) *Version {
	t.Helper()
	rows, probs := validateRows(rows, 1)
	if len(probs) > 0 {
		t.Fatalf("bad rows: %v", probs)
	}
	v, err := newVersion(Version{ID: 7, Defaults: defs, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestResolveDefaultsAndFallbacks(t *testing.T) {
	v := mustVersion(t, Defaults{Input: "1", Output: "2"},
		Row{Provider: OpenAI, Model: "gpt-4-turbo", Input: "10", Output: "10"},
		Row{Provider: OpenAI, Model: "gpt-4o", Input: "0.5", Output: "1.5", CacheRead: "0.25"},
		Row{Provider: OpenAI, Model: "o3", Reasoning: "4", PerRequest: "0.1", PerToolCall: "0.02"},
		Row{Provider: Anthropic, Model: "claude-3-haiku-20240307", CacheWrite: "0.75"},
		Row{Provider: Local, Model: "llama3", Input: "0", Output: "0"},
	)
	type want struct{ in, out, cr, cw, rs, req, tool, matched string }
	for _, tc := range []struct {
		provider, model string
		want            want
	}{
		{OpenAI, "gpt-4-turbo", want{"10", "10", "10", "10", "10", "0", "0", "gpt-4-turbo"}},
		{OpenAI, "gpt-4o", want{"0.5", "1.5", "0.25", "0.5", "1.5", "0", "0", "gpt-4o"}},
		{OpenAI, "gpt-4o-2024-08-06", want{"0.5", "1.5", "0.25", "0.5", "1.5", "0", "0", "gpt-4o"}}, // dated snapshot
		{OpenAI, "gpt-4o-mini", want{"1", "2", "1", "1", "2", "0", "0", ""}},                        // not a snapshot of gpt-4o
		{OpenAI, "o3", want{"1", "2", "1", "1", "4", "0.1", "0.02", "o3"}},
		{Anthropic, "claude-3-haiku-20240307", want{"1", "2", "1", "0.75", "2", "0", "0", "claude-3-haiku-20240307"}},
		{Local, "llama3", want{"0", "0", "0", "0", "0", "0", "0", "llama3"}},
		{OpenAI, "no-such-model", want{"1", "2", "1", "1", "2", "0", "0", ""}},
		{"", "llama3", want{"0", "0", "0", "0", "0", "0", "0", "llama3"}}, // any provider
		{DeepSeek, "gpt-4o", want{"1", "2", "1", "1", "2", "0", "0", ""}}, // provider matters
	} {
		r := v.Resolve(tc.provider, tc.model)
		got := want{r.Values[FieldInput].String(), r.Values[FieldOutput].String(), r.Values[FieldCacheRead].String(),
			r.Values[FieldCacheWrite].String(), r.Values[FieldReasoning].String(), r.Values[FieldPerRequest].String(),
			r.Values[FieldPerToolCall].String(), r.Matched}
		if got != tc.want {
			t.Errorf("Resolve(%s, %s) = %+v, want %+v", tc.provider, tc.model, got, tc.want)
		}
	}
	r := v.Resolve(OpenAI, "gpt-4o")
	if r.Sources != [NumFields]string{FromRow, FromRow, FromRow, FromInput, FromOutput, FromNone, FromNone} {
		t.Errorf("sources = %v", r.Sources)
	}
	if r := v.Resolve(OpenAI, "nothing"); r.Sources[FieldInput] != FromDefault || r.Sources[FieldOutput] != FromDefault {
		t.Errorf("sources of a model without a row = %v", r.Sources)
	}
}

// TestIsSnapshotOf: a base model covers itself and its dated snapshots, in
// both date forms, and nothing else that starts with its name.
func TestIsSnapshotOf(t *testing.T) {
	for _, c := range []struct {
		model, base string
		want        bool
	}{
		{"gpt-4o", "gpt-4o", true},
		{"gpt-4o-2024-08-06", "gpt-4o", true},
		{"gpt-4o-20240806", "gpt-4o", true},
		{"gpt-4o-mini", "gpt-4o", false},
		{"gpt-4o-mini-2024-07-18", "gpt-4o", false},
		{"gpt-4o-2024-08", "gpt-4o", false},
		{"gpt-4", "gpt-4o", false},
		{"gpt-4o", "gpt-4o-2024-08-06", false},
	} {
		if got := IsSnapshotOf(c.model, c.base); got != c.want {
			t.Errorf("IsSnapshotOf(%q, %q) = %v", c.model, c.base, got)
		}
	}
}
