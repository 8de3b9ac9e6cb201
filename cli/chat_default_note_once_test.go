package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatDefaultRateNoteSaidOnce: a send to a model charged the default
// rate that is refused for credits said the default-rate note twice: `chat
// --estimate` as a "warning:" and in the refusal line, `chat` as a "note:"
// before the send and in the refusal line. Each says it once.
func TestChatDefaultRateNoteSaidOnce(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("credits", "topup", "--amount", "1", "--price", "0", "--currency", "USD")
	const note = "gpt-4o-mini has no rate of its own, so the default rate applies (1 credit per token)"
	for _, args := range [][]string{
		{"chat", "--estimate", "--model", "gpt-4o-mini", "Hi"},
		{"chat", "--model", "gpt-4o-mini", "Hi"},
	} {
		code, out, errs := d.run(args...)
		if code != ExitRefused || !strings.Contains(errs, "not enough credits") {
			t.Fatalf("%v: exit %d %q %q", args, code, out, errs)
		}
		if n := strings.Count(out+errs, note); n != 1 {
			t.Errorf("%v: the note is said %d times, want once:\nstdout %q\nstderr %q", args, n, out, errs)
		}
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Errorf("the provider got %d requests", n)
	}
}
