package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestConversationsSetReasoningNote: `conversations set ID --reasoning off`
// on a conversation whose model always reasons (or a level on one whose
// model takes none) kept the level and said nothing, where `chat
// --reasoning` prints a note. Now the same note goes to standard error,
// once, with --json too (its stdout stays the JSON alone); the level is
// kept as before. A level the model honours, default, no --reasoning, a
// conversation with no model yet, or a refused change say nothing.
func TestConversationsSetReasoningNote(t *testing.T) {
	d, _, _ := reasoningNoteTeam(t)
	d.must("chat", "--model", "gpt-5", "First")             // conversation 1
	d.must("chat", "--model", "gpt-4o", "First")            // conversation 2
	d.must("chat", "--model", "claude-sonnet-4-5", "First") // conversation 3
	d.must("conversations", "new")                          // conversation 4, no model yet

	for _, tc := range []struct {
		name  string
		args  []string // after "conversations set"
		note  string   // "" = none
		level string   // the level kept ("" = not checked)
		code  int
	}{
		{"gpt-5 always reasons", []string{"1", "--reasoning", "off"}, "gpt-5 always reasons: Reasoning off sends nothing", "off", 0},
		{"a model that takes no reasoning setting", []string{"2", "--reasoning", "HIGH"},
			"Reasoning high does not apply to gpt-4o: nothing is sent for it", "high", 0},
		{"a level gpt-5 honours", []string{"1", "--reasoning", "low"}, "", "low", 0},
		{"off to Claude, which thinks only when asked", []string{"3", "--reasoning", "off"}, "", "off", 0},
		{"default", []string{"2", "--reasoning", "default"}, "", "", 0},
		{"no --reasoning", []string{"1", "--title", "Renamed"}, "", "", 0},
		{"no model yet", []string{"4", "--reasoning", "off"}, "", "off", 0},
		{"a refused change", []string{"1", "--reasoning", "off", "--temperature", "5"}, "", "", ExitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d.on(t)
			for _, mode := range [][]string{{"conversations", "set"}, {"--json", "conversations", "set"}} {
				args := append(append([]string{}, mode...), tc.args...)
				code, out, errs := d.run(args...)
				if code != tc.code {
					t.Fatalf("%v: exit %d, want %d\n%s\n%s", args, code, tc.code, out, errs)
				}
				if tc.note != "" && strings.Count(errs, "note: "+tc.note+"\n") != 1 {
					t.Errorf("%v: stderr %q, want the note once: %q", args, errs, tc.note)
				}
				if tc.note == "" && strings.Contains(errs, "Reasoning") {
					t.Errorf("%v: stderr %q, want no reasoning note", args, errs)
				}
				if code != 0 {
					continue
				}
				if mode[0] == "--json" {
					var v map[string]any
					if err := json.Unmarshal([]byte(out), &v); err != nil || strings.Contains(out, "sends nothing") || strings.Contains(out, "does not apply") {
						t.Errorf("%v: stdout %q (%v), want the JSON alone", args, out, err)
					}
				} else if tc.level != "" && !strings.Contains(out, "reasoning "+tc.level+" ·") {
					t.Errorf("%v: stdout %q, want the level %s kept", args, out, tc.level)
				}
			}
		})
	}
}
