package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatJSONHasTheStatusNote: `meterdesk chat --json` had no statusNote,
// the sentence under a reply that did not finish (chat.StatusNote), while
// `conversations show --json` has it for the same message. A reply cut off
// after some text (kept, interrupted, charged) now carries it in both,
// word for word; a finished one has "".
func TestChatJSONHasTheStatusNote(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	for _, tc := range []struct {
		name   string
		script fake.Script
		status string
		note   string // the start of statusNote; "" for none
	}{
		{"cut off after some text", fake.Script{Chunks: []string{"Hello", " there"}, FailAfter: 1, Fault: fake.Drop}, "interrupted", "Interrupted: "},
		{"finished", fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 9, Completion: 1}}, "done", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewOpenAI(tc.script)
			defer srv.Close()
			d := newDataDir(t, "sk-test-0123456789\n")
			d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
			d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
			d.must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")
			_, out, errs := d.run("--json", "chat", "--model", "gpt-4o", "Hi")
			var sent map[string]any
			if err := json.Unmarshal([]byte(out), &sent); err != nil {
				t.Fatalf("%v: %q %q", err, out, errs)
			}
			note, has := sent["statusNote"].(string)
			if !has || sent["status"] != tc.status || !strings.HasPrefix(note, tc.note) || (tc.note == "") != (note == "") {
				t.Fatalf("chat --json: status %v, statusNote %v (present %v), want %q starting %q: %s", sent["status"], sent["statusNote"], has, tc.status, tc.note, out)
			}
			var conv struct {
				Messages []struct {
					StatusNote string `json:"statusNote"`
				} `json:"messages"`
			}
			if err := json.Unmarshal([]byte(d.must("--json", "conversations", "show", "1")), &conv); err != nil || len(conv.Messages) != 2 {
				t.Fatalf("conversations show --json: %+v %v", conv, err)
			}
			if shown := conv.Messages[1].StatusNote; shown != note {
				t.Errorf("chat --json statusNote %q, conversations show --json %q", note, shown)
			}
		})
	}
}
