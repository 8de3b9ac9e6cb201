package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
)

// TestChatEstimateRefusesTheTextTheSendRefuses: `chat --estimate` for a new
// conversation priced a message the send refuses (not valid UTF-8, longer
// than chat.MaxText): it skipped the send's check of the text, which only
// the send's plan made. Both now make the same check (chat.checkMessage):
// the estimate refuses with the send's words and exit code (2), prints
// nothing on stdout and writes nothing, for a new conversation and an
// existing one; the send to a new conversation is refused before it makes
// the conversation, so it writes nothing either.
func TestChatEstimateRefusesTheTextTheSendRefuses(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	d.must("conversations", "new")
	before := dbDump(t, d.dir)
	for _, c := range []struct {
		name  string
		stdin string // the prompt, read from stdin ("-")
		want  string // the end of the refusal's line
	}{
		{"not valid UTF-8", "Hi \xff\xfe there", "the message is not valid text: it holds bytes that are not UTF-8 (at byte 4)\n"},
		{"one byte too long", strings.Repeat("a", chat.MaxText+1), "the message is 1000001 bytes, more than the 1000000 a message may be\n"},
	} {
		want := c.want
		for _, where := range [][]string{{"--model", "gpt-4o"}, {"--conversation", "1", "--model", "gpt-4o"}} {
			args := append(append([]string{"--data-dir", d.dir, "chat"}, where...), "-")
			scode, sout, serrs := provRun(t, c.stdin, args...)
			if scode != ExitUsage || !strings.HasSuffix(serrs, want) {
				t.Fatalf("%s %v: send: exit %d, stdout %q, stderr %q; want exit %d and %q", c.name, where, scode, sout, serrs, ExitUsage, want)
			}
			ecode, eout, eerrs := provRun(t, c.stdin, append(args[:len(args)-1:len(args)-1], "--estimate", "-")...)
			// The same line but for the operation it names ("estimate:",
			// "send:"; an existing conversation's estimate says both, as
			// for any refusal of the send's plan).
			op := strings.NewReplacer("estimate: ", "", "send: ", "")
			same := op.Replace(eerrs) == op.Replace(serrs)
			if ecode != scode || eout != "" || !same {
				t.Errorf("%s %v: estimate: exit %d, stdout %q, stderr %q; want the send's exit %d and %q",
					c.name, where, ecode, eout, eerrs, scode, serrs)
			}
		}
	}
	// A model with no rate of its own (its default-rate note) or with a
	// reasoning level it ignores (the reasoning note): a message refused
	// for its text is told that alone, with no note about the model first.
	for _, args := range [][]string{
		{"--data-dir", d.dir, "chat", "--model", "gpt-4o-mini", "-"},
		{"--data-dir", d.dir, "chat", "--model", "gpt-4o", "--reasoning", "high", "-"},
	} {
		code, _, errs := provRun(t, "Hi \xff\xfe there", args...)
		if code != ExitUsage || strings.Contains(errs, "note:") || !strings.HasSuffix(errs, "(at byte 4)\n") {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and the refusal alone", args, code, errs, ExitUsage)
		}
		// --json prints the send's result (failed, its error) as for any refusal.
		jargs := append([]string{"--json"}, args...)
		code, out, errs := provRun(t, "Hi \xff\xfe there", jargs...)
		var res struct {
			Status string `json:"status"`
			Error  *struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if code != ExitUsage || strings.Contains(errs, "note:") || json.Unmarshal([]byte(out), &res) != nil ||
			res.Status != "failed" || res.Error == nil || res.Error.Code != "invalid" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, the failed result and no note", jargs, code, out, errs, ExitUsage)
		}
	}
	if srv.ChatRequests() != 0 {
		t.Errorf("the provider got %d requests", srv.ChatRequests())
	}
	if dbDump(t, d.dir) != before {
		t.Error("a refused estimate or send wrote to the database")
	}
}
