package cli

import (
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
	const want = "the message must be valid text of at most 1000000 bytes\n"
	for _, c := range []struct {
		name  string
		stdin string // the prompt, read from stdin ("-")
	}{
		{"not valid UTF-8", "Hi \xff\xfe there"},
		{"one byte too long", strings.Repeat("a", chat.MaxText+1)},
	} {
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
	if srv.ChatRequests() != 0 {
		t.Errorf("the provider got %d requests", srv.ChatRequests())
	}
	if dbDump(t, d.dir) != before {
		t.Error("a refused estimate or send wrote to the database")
	}
}
