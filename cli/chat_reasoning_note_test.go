package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatReasoningNote: `chat --reasoning off` to a model that always
// reasons (and a level to a model that takes none) sent nothing for the
// level and said nothing, while the window's hint under its Reasoning
// picker says so. Now a note on standard error says it, once, in `chat`
// and `chat --estimate` alike, with --json too (its stdout stays the JSON,
// without it); the send goes as before. A level the model honours, or no
// --reasoning, says nothing.
func TestChatReasoningNote(t *testing.T) {
	d, oai, claude := reasoningNoteTeam(t)
	d.must("chat", "--model", "gpt-5", "First") // conversation 1, on gpt-5

	for _, tc := range []struct {
		name string
		args []string // after "chat"
		note string   // "" = none
	}{
		{"gpt-5 always reasons", []string{"--model", "gpt-5", "--reasoning", "off"}, "gpt-5 always reasons: Reasoning off sends nothing"},
		{"claude-haiku-5-5 always reasons", []string{"--model", "claude-haiku-5-5", "--reasoning", "OFF"},
			"claude-haiku-5-5 always reasons: Reasoning off sends nothing"},
		{"the conversation's model", []string{"--conversation", "1", "--reasoning", "off"}, "gpt-5 always reasons: Reasoning off sends nothing"},
		{"a model that takes no reasoning setting", []string{"--model", "gpt-4o", "--reasoning", "high"},
			"Reasoning high does not apply to gpt-4o: nothing is sent for it"},
		{"a level gpt-5 honours", []string{"--model", "gpt-5", "--reasoning", "low"}, ""},
		{"off to Claude, which thinks only when asked", []string{"--model", "claude-sonnet-4-5", "--reasoning", "off"}, ""},
		{"default", []string{"--model", "gpt-4o", "--reasoning", "default"}, ""},
		{"no --reasoning", []string{"--model", "gpt-5"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d.on(t)
			for _, mode := range [][]string{{"chat"}, {"chat", "--estimate"}, {"--json", "chat"}, {"--json", "chat", "--estimate"}} {
				args := append(append(append([]string{}, mode...), tc.args...), "Hi")
				code, out, errs := d.run(args...)
				if code != 0 {
					t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
				}
				want := 0
				if tc.note != "" {
					want = 1
				}
				if n := strings.Count(errs, "note: "+tc.note+"\n"); tc.note != "" && n != want {
					t.Errorf("%v: stderr %q, want the note once: %q", args, errs, tc.note)
				}
				if tc.note == "" && strings.Contains(errs, "Reasoning") {
					t.Errorf("%v: stderr %q, want no reasoning note", args, errs)
				}
				if mode[0] == "--json" {
					var v map[string]any
					if err := json.Unmarshal([]byte(out), &v); err != nil || strings.Contains(out, "sends nothing") || strings.Contains(out, "does not apply") {
						t.Errorf("%v: stdout %q (%v), want the JSON alone", args, out, err)
					}
				}
			}
		})
	}
	// The sends went (the estimates sent nothing): one per case, and the first.
	if n := oai.ChatRequests() + claude.ChatRequests(); n != 1+2*8 {
		t.Errorf("%d requests reached the providers, want %d", n, 1+2*8)
	}
}

// reasoningNoteTeam is a data folder with an OpenAI and an Anthropic fake
// provider, rates for gpt-5, gpt-4o, claude-haiku-5-5 and
// claude-sonnet-4-5, and 1,000 credits in the pool: the reasoning-note
// tests' team, and the two providers (to count what reached them).
func reasoningNoteTeam(t *testing.T) (d *dataDir, oai, claude *fake.Server) {
	t.Helper()
	t.Setenv("METERDESK_SECRETS", "file")
	oai = fake.NewOpenAI(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	t.Cleanup(oai.Close)
	claude = fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	t.Cleanup(claude.Close)
	d = newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "oai", "--kind", "openai", "--url", oai.BaseURL(), "--key-stdin")
	d.must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
	for _, r := range [][]string{{"openai", "gpt-5"}, {"openai", "gpt-4o"}, {"anthropic", "claude-haiku-5-5"}, {"anthropic", "claude-sonnet-4-5"}} {
		d.must("rates", "set", r[0], r[1], "--input", "0.001", "--output", "0.001")
	}
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	return d, oai, claude
}
