package rates

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"
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
	db := globDB(t)
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
		// OpenAI's month and day, Gemini's stable version, Vertex AI's date.
		{"gpt-4-0613", "gpt-4", true},
		{"gemini-2.0-flash-001", "gemini-2.0-flash", true},
		{"claude-haiku-4-5@20251001", "claude-haiku-4-5", true},
		{"gemini-2.0-flash-lite-001", "gemini-2.0-flash", false},
		{"gemini-2.0-flash-01", "gemini-2.0-flash", false},
		{"gpt-4-06130", "gpt-4", false},
		{"claude-haiku-4-5@2025", "claude-haiku-4-5", false},
		{"gpt-3.5-turbo-1106", "gpt-3.5-turbo", true},
		// Four digits that are no month and day, three that are no stable
		// version: a context size (Groq), a year and month (Mistral), a
		// size. Other models, not snapshots.
		{"llama3-70b-8192", "llama3-70b", false},
		{"mistral-large-2407", "mistral-large", false},
		{"phi-3-128", "phi-3", false},
	} {
		if got := IsSnapshotOf(c.model, c.base); got != c.want {
			t.Errorf("IsSnapshotOf(%q, %q) = %v", c.model, c.base, got)
		}
		// SnapshotGlobs, the same rule in SQL (a member's per-model
		// limit), matches exactly the snapshots (not the base itself).
		var globbed bool
		for _, g := range SnapshotGlobs(c.base) {
			var m bool
			if err := db.QueryRow(`SELECT ? GLOB ?`, c.model, g).Scan(&m); err != nil {
				t.Fatal(err)
			}
			globbed = globbed || m
		}
		if want := c.want && c.model != c.base; globbed != want {
			t.Errorf("SnapshotGlobs(%q) matches %q: %v, want %v", c.base, c.model, globbed, want)
		}
	}
}

// globDB is an in-memory SQLite database for GLOB checks.
func globDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSnapshotsArePricedAsTheirBase: a snapshot name without a row of its
// own takes its base model's rates, shown as such (Rate.Matched), in each
// form providers write it; gemini-2.0-flash-001 and gpt-4-0613 fell to the
// default rate although the table priced their family. A name with a row
// of its own keeps it, and an unrelated name takes the defaults.
func TestSnapshotsArePricedAsTheirBase(t *testing.T) {
	v, err := newVersion(Version{Defaults: Defaults{Input: "9", Output: "9"}, Rows: []Row{
		{Provider: OpenAI, Model: "gpt-4o", Input: "0.0000025", Output: "0.00001"},
		{Provider: OpenAI, Model: "gpt-4", Input: "0.00003", Output: "0.00006"},
		{Provider: Gemini, Model: "gemini-2.0-flash", Input: "0.0000001", Output: "0.0000004"},
		{Provider: Anthropic, Model: "claude-3-5-sonnet", Input: "0.000003", Output: "0.000015"},
		{Provider: Anthropic, Model: "claude-haiku-4-5", Input: "0.000001", Output: "0.000005"},
		{Provider: Anthropic, Model: "claude-haiku-4-5-20251001", Input: "0.000002", Output: "0.000005"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		provider, model, matched, input string
	}{
		{OpenAI, "gpt-4o-2024-08-06", "gpt-4o", "0.0000025"},
		{OpenAI, "gpt-4-0613", "gpt-4", "0.00003"},
		{Gemini, "gemini-2.0-flash-001", "gemini-2.0-flash", "0.0000001"},
		{Anthropic, "claude-3-5-sonnet-20241022", "claude-3-5-sonnet", "0.000003"},
		{Anthropic, "claude-haiku-4-5@20251001", "claude-haiku-4-5", "0.000001"},
		{Anthropic, "claude-haiku-4-5-20251001", "claude-haiku-4-5-20251001", "0.000002"}, // its own row
		{Gemini, "gemini-2.0-flash-lite-001", "", "9"},                                    // another model: defaults
	} {
		r := v.Resolve(c.provider, c.model)
		if r.Matched != c.matched || r.Values[FieldInput].String() != c.input || (c.matched == "") != r.UsesDefaults() {
			t.Errorf("%s/%s: matched %q, input %s, defaults %v; want %q, %s", c.provider, c.model, r.Matched, r.Values[FieldInput], r.UsesDefaults(), c.matched, c.input)
		}
	}
}
