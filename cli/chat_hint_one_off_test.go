package cli

import (
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatRoomHintRuns: the command line's way past a refusal for output
// room is run as printed, and goes through against the fake provider.
// (1) When not even one output token fits beside the prompt in what a
// limit leaves, no --max-tokens (never 0) and no smaller output budget is
// offered. (3) A send with a one-off --max-tokens was told "meterdesk
// conversations set N --max-output M", which its --max-tokens overrides on
// the next send: it is now told to send with --max-tokens M, and a
// conversation's lower --reasoning is named with "then send with
// --max-tokens N again" (the level fits with that budget). (2) A spending
// limit's refusal at --reasoning high names the lower level that fits
// (it said only "a smaller output budget"). (4) A send with a one-off
// --reasoning was told "meterdesk conversations set N --reasoning LEVEL"
// and "--max-output M", settings of the conversation it did not use (the
// level and budget named fit at its --reasoning, not the conversation's):
// it is now told one send's flags only. A one-off --max-tokens on a
// conversation whose own level was refused is still told its setting,
// with that --max-tokens again. (5) Each way names the one-off flags the
// send used that it leaves as they were: "send with --reasoning low" after
// a send with --max-tokens 2000 sent the conversation's output budget, not
// 2000 (the level named fits with 2000), and "--max-tokens 3608 or less"
// after one with --reasoning high the conversation's level (3608 fits at
// high): "--reasoning low --max-tokens 2000", "--reasoning high
// --max-tokens 3608 or less".
func TestChatRoomHintRuns(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	claude := fake.NewAnthropic(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer claude.Close()
	hintRe := regexp.MustCompile(`; on the command line: (.*)\n$`)
	convRe := regexp.MustCompile(`conversation (\d+): continue it`)
	// gpt-4o: the first send charges 0.026; the next one's prompt (with
	// it) costs 0.036, a token 0.008: a limit of 0.066 leaves 0.04.
	cases := []struct {
		name  string
		first []string // the send that makes the conversation (before the limit)
		pre   []string // bob's command then, %C the conversation (nil: none)
		limit string   // bob's daily limit
		send  []string // the refused send's flags before the prompt (after --conversation)
		hint  string   // the hint, %C the conversation ("": none)
		never []string // never in stderr
		runs  [][]string
	}{
		{"no output token fits", []string{"--model", "gpt-4o", "--max-tokens", "10"}, nil, "0.066", []string{"--max-tokens", "16000"},
			"", []string{"--max-tokens", "smaller output budget (max tokens) may", "--max-output"}, nil},
		{"one-off --max-tokens", []string{"--model", "gpt-4o", "--max-tokens", "10"}, nil, "1", []string{"--max-tokens", "16000"},
			"send with --max-tokens 117 or less", []string{"--max-output"},
			[][]string{{"chat", "--conversation", "%C", "--max-tokens", "117", "Hi"}}},
		{"without --max-tokens", []string{"--model", "gpt-4o", "--max-tokens", "10"},
			[]string{"conversations", "set", "%C", "--max-output", "16000"}, "1", nil,
			"send with --max-tokens 117 or less (or meterdesk conversations set %C --max-output 117)", nil,
			[][]string{{"conversations", "set", "%C", "--max-output", "117"}, {"chat", "--conversation", "%C", "Hi"}}},
		{"one-off --max-tokens at high", []string{"--provider", "claude", "--model", "claude-opus-4-1", "--max-tokens", "10"}, nil, "300",
			[]string{"--max-tokens", "2000", "--reasoning", "high"},
			"send with --reasoning low --max-tokens 2000 (the thinking budget of the send's level alone does not fit)",
			[]string{"--max-output", "lower --reasoning", "conversations set"},
			[][]string{{"chat", "--conversation", "%C", "--max-tokens", "2000", "--reasoning", "low", "Hi"}}},
		// (4) The level refused is the conversation's (no --reasoning on the
		// send): its setting is named, with the one-off --max-tokens again.
		{"one-off --max-tokens, the conversation at high", []string{"--provider", "claude", "--model", "claude-opus-4-1", "--max-tokens", "10"},
			[]string{"conversations", "set", "%C", "--reasoning", "high"}, "300", []string{"--max-tokens", "2000"},
			"send with --reasoning low --max-tokens 2000, or meterdesk conversations set %C --reasoning low, then send with --max-tokens 2000 again " +
				"(the thinking budget of the send's level alone does not fit)", []string{"--max-output", "lower --reasoning"},
			[][]string{{"chat", "--conversation", "%C", "--max-tokens", "2000", "--reasoning", "low", "Hi"},
				{"conversations", "set", "%C", "--reasoning", "low"}, {"chat", "--conversation", "%C", "--max-tokens", "2000", "Hi"}}},
		// (4) A one-off --reasoning with room for a smaller budget: the
		// budget fits at that level, not the conversation's: one send's
		// flags only, no conversations set --max-output or --reasoning.
		{"one-off --reasoning high", []string{"--provider", "claude", "--model", "claude-opus-4-1", "--max-tokens", "10"},
			[]string{"conversations", "set", "%C", "--max-output", "4096"}, "1500",
			[]string{"--reasoning", "high"},
			"send with --reasoning high --max-tokens 3608 or less, or with --reasoning medium", []string{"conversations set"},
			[][]string{{"chat", "--conversation", "%C", "--reasoning", "high", "--max-tokens", "3608", "Hi"},
				{"chat", "--conversation", "%C", "--reasoning", "medium", "Hi"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin, bob := pricedTeam(t, srv)
			admin(t, "providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
			admin(t, "rates", "set", "anthropic", "claude-opus-4-1", "--input", "0.015", "--output", "0.075")
			admin(t, "credits", "topup", "--amount", "5000", "--price", "0")
			code, _, errs := bob(t, append(append([]string{"chat"}, tc.first...), "Hi")...)
			m := convRe.FindStringSubmatch(errs)
			if code != 0 || m == nil {
				t.Fatalf("first send: exit %d %q", code, errs)
			}
			conv := m[1]
			if tc.pre != nil {
				pre := make([]string, len(tc.pre))
				for i, a := range tc.pre {
					pre[i] = strings.ReplaceAll(a, "%C", conv)
				}
				if code, _, errs := bob(t, pre...); code != 0 {
					t.Fatalf("%v: exit %d %q", pre, code, errs)
				}
			}
			admin(t, "limits", "set", "bob", "daily", tc.limit)
			for _, est := range []bool{true, false} {
				args := append([]string{"chat", "--conversation", conv}, tc.send...)
				if est {
					args = append(args, "--estimate")
				}
				code, _, errs = bob(t, append(args, "Hi")...)
				if code != ExitRefused || !strings.Contains(errs, "limit") {
					t.Fatalf("%v: exit %d %q", args, code, errs)
				}
				hint := strings.ReplaceAll(tc.hint, "%C", conv)
				got := hintRe.FindStringSubmatch(errs)
				if hint == "" && got != nil || hint != "" && (got == nil || got[1] != hint) {
					t.Errorf("%v: stderr %q\nwant the hint %q", args, errs, hint)
				}
				if hint == "" && !strings.Contains(errs, "so no smaller output budget helps; a shorter prompt or less History may let it through") {
					t.Errorf("%v: stderr %q; want no smaller output budget offered", args, errs)
				}
				for _, w := range tc.never {
					if strings.Contains(errs, w) {
						t.Errorf("%v: stderr %q says %q", args, errs, w)
					}
				}
			}
			for _, run := range tc.runs { // as printed: it goes through
				args := make([]string, len(run))
				for i, a := range run {
					args[i] = strings.ReplaceAll(a, "%C", conv)
				}
				if code, _, errs := bob(t, args...); code != 0 {
					t.Errorf("%v, as the hint says: exit %d %q", args, code, errs)
				}
			}
		})
	}
}
