package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCLIModelRules: a send its model would refuse with a 400 (a level it
// does not take, an output budget above its ceiling, a temperature Opus
// 4.7 refuses at any level) is refused before anything is held or sent,
// exit 2, in the window's words followed by the command line's way past
// it; `chat --estimate` warns of the same refusal, with a send's own
// --temperature too.
func TestCLIModelRules(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	claude := fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer claude.Close()
	openai := fake.NewOpenAI(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer openai.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	run, must := d.run, d.must
	must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
	must("providers", "add", "--name", "openai", "--kind", "openai", "--url", openai.BaseURL(), "--key-stdin")
	must("rates", "set", "anthropic", "claude-opus-4-1", "--input", "0.015", "--output", "0.075")
	must("rates", "set", "anthropic", "claude-opus-4-7", "--input", "0.005", "--output", "0.025")
	must("rates", "set", "openai", "gpt-5-pro", "--input", "0.015", "--output", "0.12")
	must("credits", "topup", "--amount", "10000", "--price", "0", "--currency", "USD")
	must("conversations", "new")
	must("conversations", "set", "1", "--max-output", "30000", "--reasoning", "high")
	balance := must("credits", "balance")

	for _, tc := range []struct {
		args []string
		msg  string // standard error
	}{
		{[]string{"chat", "--provider", "openai", "--model", "gpt-5-pro", "--reasoning", "low", "Think"},
			"meterdesk chat: invalid chat request: gpt-5-pro takes Reasoning high, not low: set Reasoning to High or Default in Model settings " +
				"(nothing was sent or charged); on the command line: send with --reasoning high or --reasoning default\n"},
		{[]string{"chat", "--conversation", "1", "--provider", "claude", "--model", "claude-opus-4-1", "Think"},
			"meterdesk chat: invalid chat request: claude-opus-4-1 writes at most 32,000 output tokens: Max output 30,000 plus the 16,384 " +
				"thinking tokens of Reasoning high is 46,384: lower Max output tokens to 15,616 or less, or the Reasoning level " +
				"(nothing was sent or charged); on the command line: send with --max-tokens 15616 or less or a lower --reasoning " +
				"(or meterdesk conversations set 1 --max-output 15616)\n"},
		{[]string{"chat", "--provider", "claude", "--model", "claude-opus-4-7", "--temperature", "0.5", "--reasoning", "off", "Think"},
			"meterdesk chat: invalid chat request: claude-opus-4-7 takes no temperature other than 1, at any Reasoning level: " +
				"clear Temperature in Model settings (nothing was sent or charged); on the command line: leave out --temperature\n"},
	} {
		code, _, errs := run(tc.args...)
		if code != ExitUsage || errs != tc.msg {
			t.Errorf("%v: exit %d %q\nwant %d and %q", tc.args, code, errs, ExitUsage, tc.msg)
		}
	}
	if n := claude.ChatRequests() + openai.ChatRequests(); n != 0 {
		t.Fatalf("%d requests reached the providers", n)
	}
	if after := must("credits", "balance"); after != balance {
		t.Fatalf("a refused send changed the balance:\n%s\n%s", balance, after)
	}
	out := must("chat", "--estimate", "--provider", "claude", "--model", "claude-opus-4-7", "--temperature", "0.5", "Think")
	if want := "warning: claude-opus-4-7 takes no temperature other than 1, at any Reasoning level: clear Temperature in Model settings\n"; !strings.Contains(out, want) {
		t.Errorf("estimate:\n%s\nwant %q", out, want)
	}
	out = must("chat", "--estimate", "--conversation", "1", "--provider", "claude", "--model", "claude-opus-4-1", "Think")
	if want := "warning: claude-opus-4-1 writes at most 32,000 output tokens"; !strings.Contains(out, want) {
		t.Errorf("estimate:\n%s\nwant %q", out, want)
	}
}

// TestOutputCeilingHintNamesOneOffFlags: after a send with a one-off
// --max-tokens over its model's ceiling, the hint offered "meterdesk
// conversations set 1 --max-output 15616", a lasting setting that the
// send's --max-tokens overrides (and where the conversation's level was
// not the one refused, one that would fit at another level); and its
// ways past did not repeat the one-off flags the send used. The hint now
// names one send's flags, those it leaves as they were included, and the
// conversation's setting only when the send used its conversation's
// settings; what it names goes through.
func TestOutputCeilingHintNamesOneOffFlags(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	claude := fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer claude.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
	d.must("rates", "set", "anthropic", "claude-opus-4-1", "--input", "0.015", "--output", "0.075")
	d.must("credits", "topup", "--amount", "10000", "--price", "0", "--currency", "USD")
	d.must("conversations", "new")
	d.must("conversations", "set", "1", "--max-output", "30000", "--reasoning", "high")
	const refused = "meterdesk chat: invalid chat request: claude-opus-4-1 writes at most 32,000 output tokens: "
	for _, tc := range []struct {
		name string
		args []string // the send, before its prompt
		hint string
		runs []string // the way the hint names first, as printed
	}{
		{"the conversation's settings", []string{"--conversation", "1"},
			"send with --max-tokens 15616 or less or a lower --reasoning (or meterdesk conversations set 1 --max-output 15616)",
			[]string{"--conversation", "1", "--max-tokens", "15616"}},
		{"a one-off --max-tokens", []string{"--conversation", "1", "--max-tokens", "20000"},
			"send with --max-tokens 15616 or less, or with a lower --reasoning and --max-tokens 20000",
			[]string{"--conversation", "1", "--max-tokens", "15616"}},
		{"a one-off --reasoning", []string{"--conversation", "1", "--reasoning", "high"},
			"send with --reasoning high --max-tokens 15616 or less, or with a lower --reasoning",
			[]string{"--conversation", "1", "--reasoning", "high", "--max-tokens", "15616"}},
		{"both, a new conversation", []string{"--max-tokens", "30000", "--reasoning", "high"},
			"send with --reasoning high --max-tokens 15616 or less, or with a lower --reasoning and --max-tokens 30000",
			[]string{"--reasoning", "high", "--max-tokens", "15616"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"chat", "--provider", "claude", "--model", "claude-opus-4-1"}, tc.args...), "Think")
			code, _, errs := d.run(args...)
			_, hint, _ := strings.Cut(errs, "(nothing was sent or charged); on the command line: ")
			if code != ExitUsage || !strings.HasPrefix(errs, refused) || hint != tc.hint+"\n" {
				t.Errorf("%v: exit %d %q\nwant the hint %q", args, code, errs, tc.hint)
			}
			run := append(append([]string{"chat", "--provider", "claude", "--model", "claude-opus-4-1"}, tc.runs...), "Think")
			if code, _, errs := d.run(run...); code != 0 {
				t.Errorf("%v, as the hint says: exit %d %q", run, code, errs)
			}
		})
	}
}

// TestLevelHintsNameOneOffFlags: after a send refused for its reasoning
// level (a level its model does not take; a temperature while it thinks),
// the hint's "send with --reasoning high or --reasoning default" left out
// the send's one-off --max-tokens, so the send as named went out with the
// conversation's output budget, not the one asked for; and a level the
// send's own --reasoning asked for was offered "conversations set N
// --reasoning high", a setting the refused send did not use. Each way now
// names the one-off --max-tokens it keeps, the conversation's setting only
// when its level was refused; what it names first goes through.
func TestLevelHintsNameOneOffFlags(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	openai := fake.NewOpenAI(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer openai.Close()
	claude := fake.NewAnthropic(fake.Script{Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
	defer claude.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "openai", "--kind", "openai", "--url", openai.BaseURL(), "--key-stdin")
	d.must("providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-5-pro", "--input", "0.015", "--output", "0.12")
	d.must("rates", "set", "anthropic", "claude-sonnet-4-5", "--input", "0.003", "--output", "0.015")
	d.must("credits", "topup", "--amount", "10000", "--price", "0", "--currency", "USD")
	d.must("conversations", "new")
	d.must("conversations", "set", "1", "--reasoning", "low")
	pro := []string{"chat", "--provider", "openai", "--model", "gpt-5-pro"}
	sonnet := []string{"chat", "--provider", "claude", "--model", "claude-sonnet-4-5"}
	for _, tc := range []struct {
		name string
		send []string // before its prompt
		hint string
		runs []string // the way the hint names first, as printed
	}{
		{"the conversation's level", append(pro, "--conversation", "1"),
			"send with --reasoning high or --reasoning default (or meterdesk conversations set 1 --reasoning high)",
			append(pro, "--conversation", "1", "--reasoning", "high")},
		{"the conversation's level, a one-off --max-tokens", append(pro, "--conversation", "1", "--max-tokens", "2000"),
			"send with --reasoning high --max-tokens 2000, or with --reasoning default --max-tokens 2000 " +
				"(or meterdesk conversations set 1 --reasoning high, then send with --max-tokens 2000 again)",
			append(pro, "--conversation", "1", "--reasoning", "high", "--max-tokens", "2000")},
		{"a one-off --reasoning", append(pro, "--conversation", "1", "--reasoning", "medium"),
			"send with --reasoning high or --reasoning default",
			append(pro, "--conversation", "1", "--reasoning", "high")},
		{"both one-off, a new conversation", append(pro, "--reasoning", "low", "--max-tokens", "2000"),
			"send with --reasoning high --max-tokens 2000, or with --reasoning default --max-tokens 2000",
			append(pro, "--reasoning", "high", "--max-tokens", "2000")},
		{"a temperature while it thinks", append(sonnet, "--temperature", "0.5", "--reasoning", "high", "--max-tokens", "2000"),
			"leave out --temperature, or send with --reasoning default --max-tokens 2000",
			append(sonnet, "--reasoning", "high", "--max-tokens", "2000")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d.on(t)
			args := append(append([]string{}, tc.send...), "Think")
			code, _, errs := d.run(args...)
			_, hint, _ := strings.Cut(errs, "(nothing was sent or charged); on the command line: ")
			if code != ExitUsage || hint != tc.hint+"\n" {
				t.Errorf("%v: exit %d %q\nwant the hint %q", args, code, errs, tc.hint)
			}
			run := append(append([]string{}, tc.runs...), "Think")
			if code, _, errs := d.run(run...); code != 0 {
				t.Errorf("%v, as the hint says: exit %d %q", run, code, errs)
			}
		})
	}
}
