package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatRefusalNamesTheConversationsLevel: a send to a stored
// conversation refused for credits because of its Reasoning level's
// thinking budget names the lower level that fits for one send
// (--reasoning LEVEL) and the conversation's own way to it (`meterdesk
// conversations set N --reasoning LEVEL`), as it does for Reasoning off;
// the line run as given lets the send through. Before the fix the hint
// named no conversation setting for the level, and where the thinking
// budget alone did not fit it said "send with --reasoning low (the
// thinking budget of this level alone does not fit)", as if low's did not.
func TestChatRefusalNamesTheConversationsLevel(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	for _, tc := range []struct {
		name, pool, want string
	}{
		// 16,384 thinking tokens at 0.015: 245.76 credits, over the pool.
		{"its thinking budget alone does not fit", "100",
			"on the command line: send with --reasoning low, or meterdesk conversations set 1 --reasoning low " +
				"(the thinking budget of the send's level alone does not fit)"},
		{"a smaller output budget fits too", "260",
			"(or meterdesk conversations set 1 --max-output 947, or meterdesk conversations set 1 --reasoning medium)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			an := fake.NewAnthropic(fake.Script{Chunks: []string{"Hello"}})
			defer an.Close()
			d := newDataDir(t, "sk-test-0123456789\n")
			d.must("providers", "add", "--name", "an", "--kind", "anthropic", "--url", an.BaseURL(), "--key-stdin")
			d.must("rates", "set", "anthropic", "claude-sonnet-4-20250514", "--input", "0.003", "--output", "0.015")
			d.must("credits", "topup", "--amount", tc.pool, "--price", "0", "--currency", "USD")
			d.must("conversations", "new")
			d.must("conversations", "set", "1", "--reasoning", "high")
			code, out, errs := d.run("chat", "--conversation", "1", "--model", "claude-sonnet-4-20250514", "Hi")
			if code != 3 || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant exit 3 saying %q", code, out, errs, tc.want)
			}
			i := strings.Index(tc.want, "meterdesk conversations set 1 --reasoning ")
			line := strings.Fields(strings.TrimRight(tc.want[i:], ")"))[1:6] // conversations set 1 --reasoning LEVEL
			d.must(line...)
			if out := d.must("chat", "--conversation", "1", "--model", "claude-sonnet-4-20250514", "Hi"); !strings.Contains(out, "Hello") {
				t.Fatalf("the send after %v: %q", line, out)
			}
		})
	}
}
