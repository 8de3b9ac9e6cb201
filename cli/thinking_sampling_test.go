package cli

import (
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCLIThinkingSampling: a send that would make Claude think with a
// temperature other than 1 (or a top P below 0.95) is refused before
// anything is held or sent, with the window's words naming the setting to
// clear and exit 2 (ErrInvalid), whether the conversation or the send sets
// the temperature, and for a new conversation too (which is not kept);
// the command line's way past it follows.
func TestCLIThinkingSampling(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	run, must := d.run, d.must
	const model = "claude-sonnet-4-5"
	must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", srv.BaseURL(), "--key-stdin")
	must("rates", "set", "anthropic", model, "--input", "0.003", "--output", "0.015")
	must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	must("conversations", "new")
	must("conversations", "set", "1", "--temperature", "0.5", "--reasoning", "high")
	balance := must("credits", "balance")
	list := must("conversations", "list")

	const temperature = "meterdesk chat: invalid chat request: claude-sonnet-4-5 takes no temperature other than 1 while it thinks (Reasoning high): " +
		"clear Temperature in Model settings, or set Reasoning to Default or Off (nothing was sent or charged); on the command line: "
	for _, tc := range []struct {
		args []string
		msg  string // standard error
	}{
		{[]string{"chat", "--conversation", "1", "--model", model, "Think"},
			temperature + "meterdesk conversations set 1 --temperature default (and no --temperature on the send), or send with --reasoning default\n"},
		{[]string{"chat", "--conversation", "1", "--model", model, "--temperature", "0.2", "Think"},
			temperature + "meterdesk conversations set 1 --temperature default (and no --temperature on the send), or send with --reasoning default\n"},
		{[]string{"chat", "--model", model, "--temperature", "0.5", "--reasoning", "high", "Think"},
			temperature + "leave out --temperature, or send with --reasoning default\n"},
		{[]string{"chat", "--model", model, "--top-p", "0.5", "--reasoning", "low", "Think"},
			"meterdesk chat: invalid chat request: claude-sonnet-4-5 takes a top P only from 0.95 to 1 while it thinks (Reasoning low): " +
				"clear Top P in Model settings, or set Reasoning to Default or Off (nothing was sent or charged); " +
				"on the command line: leave out --top-p, or send with --reasoning default\n"},
	} {
		code, _, errs := run(tc.args...)
		if code != ExitUsage || errs != tc.msg {
			t.Errorf("%v: exit %d %q\nwant %d and %q", tc.args, code, errs, ExitUsage, tc.msg)
		}
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("%d requests reached the provider", n)
	}
	if after, conversations := must("credits", "balance"), must("conversations", "list"); after != balance || conversations != list {
		t.Fatalf("a refused send changed the balance or the conversations:\n%s%s\n%s%s", balance, list, after, conversations)
	}
	// A send's own level that does not think goes out, the temperature with it.
	must("chat", "--conversation", "1", "--model", model, "--reasoning", "default", "Quick")
	if n := srv.ChatRequests(); n != 1 {
		t.Fatalf("%d requests, want the one at Default", n)
	}
}
