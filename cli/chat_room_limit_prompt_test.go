package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
)

// TestCreditsRefusalSaysTheLimitThatRefusesThePrompt: a send refused for
// credits whose prompt fit the credits said "The prompt costs X; … so a
// smaller output budget may let it through" (with a thinking budget, "send
// with a lower --reasoning (its thinking budget alone does not fit)") even
// when a spending limit left less than the prompt, and every smaller
// budget was then refused by that limit. Now the refusal says the limit,
// its prompt alone over what it leaves and what may let it through (a
// limit whose whole amount is under the prompt: an admin raising it, not
// its reset, which cannot help), names no
// --max-tokens nor --reasoning (--json: no maxTokens), in `chat` and
// `chat --estimate` alike, and the estimate's warning about the limit no
// longer says a smaller output budget may let it through; a limit that leaves room for the prompt keeps
// the smaller budget, and the one it names passes.
func TestCreditsRefusalSaysTheLimitThatRefusesThePrompt(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	claude := fake.NewAnthropic(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer claude.Close()
	cases := []struct {
		name  string
		limit string   // bob's daily limit
		input string   // gpt-4o's input rate ("": pricedTeam's 0.002)
		send  []string // chat's flags before the prompt
		want  []string // in stderr
		never []string // never in stderr
		max   int      // --json maxTokens (0: omitted)
	}{
		// 16000 output tokens hold 128.016, over the pool's 100; the prompt
		// (0.016) is over the 0.01 the daily limit leaves.
		{"a limit under the prompt", "0.01", "", []string{"--model", "gpt-4o", "--max-tokens", "16000"},
			[]string{"may cost up to 128.016 credits but the workspace pool has 100.00 available; ask an admin for credits to send it " +
				"(nothing was sent or charged). A spending limit refuses it too: its prompt alone, 0.016, is over the 0.01 left of the " +
				"daily limit of 0.01 credits (used 0.00); a shorter prompt or less History may let it through, or an admin raising the limit; " +
				"its reset does not help: the whole limit is less than the prompt and one output token (0.024 credits)"},
			[]string{"smaller output budget", "The prompt costs", "--max-tokens", "--reasoning", "too: this send may cost"}, 0},
		// The same with a thinking budget: no lower --reasoning either.
		{"a limit under the prompt, with a thinking budget", "0.01", "",
			[]string{"--provider", "claude", "--model", "claude-opus-4-1", "--max-tokens", "2000", "--reasoning", "low"},
			[]string{"A spending limit refuses it too: its prompt alone, ", "an admin raising the limit may let it through; its reset does not help: " +
				"the whole limit is less than the prompt, the thinking budget and one output token"},
			[]string{"smaller output budget", "lower Reasoning", "The prompt costs", "--max-tokens", "--reasoning", "too: this send may cost"}, 0},
		// A limit of 1 leaves room for the prompt: a smaller budget, 123
		// tokens (0.016 + 123 × 0.008 = 1), may let it through.
		{"a limit over the prompt", "1", "", []string{"--model", "gpt-4o", "--max-tokens", "16000"},
			[]string{"The prompt costs 0.016; the rest is the room held for up to 16,000 output tokens, so a smaller output budget may let it through",
				"send with --max-tokens 123 or less"},
			[]string{"A spending limit refuses it too"}, 123},
		// The credits (the pool's 100) are even lower than what the limit
		// leaves (132), and both are under the prompt (8 tokens × 20 =
		// 160): the refusal for credits said only to ask an admin, and
		// after a top-up the same send was refused by the limit.
		{"credits under the limit, both under the prompt", "132", "20", []string{"--model", "gpt-4o", "--max-tokens", "16000"},
			[]string{"may cost up to 288.00 credits but the workspace pool has 100.00 available; ask an admin for credits to send it " +
				"(nothing was sent or charged). A spending limit refuses it too: ",
				"its prompt alone, 160.00, is over the 132.00 left of the daily limit of 132.00 credits (used 0.00); a shorter prompt or less History " +
					"may let it through, or an admin raising the limit; its reset does not help: the whole limit is less than the prompt and one output token (160.008 credits)"},
			[]string{"smaller output budget", "The prompt costs", "--max-tokens", "too: this send may cost"}, 0},
		// The limit leaves exactly the credits, both under the prompt.
		{"credits equal to the limit, both under the prompt", "100", "20", []string{"--model", "gpt-4o", "--max-tokens", "16000"},
			[]string{"but the workspace pool has 100.00 available; ask an admin for credits to send it (nothing was sent or charged). " +
				"A spending limit refuses it too: ",
				"its prompt alone, 160.00, is over the 100.00 left of the daily limit of 100.00 credits (used 0.00); a shorter prompt or less History " +
					"may let it through, or an admin raising the limit; its reset does not help: the whole limit is less than the prompt and one output token (160.008 credits)"},
			[]string{"smaller output budget", "The prompt costs", "--max-tokens", "too: this send may cost"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin, bob := pricedTeam(t, srv)
			admin(t, "providers", "add", "--name", "claude", "--kind", "anthropic", "--url", claude.BaseURL(), "--key-stdin")
			admin(t, "rates", "set", "anthropic", "claude-opus-4-1", "--input", "0.015", "--output", "0.075")
			admin(t, "limits", "set", "bob", "daily", tc.limit)
			if tc.input != "" {
				admin(t, "rates", "set", "openai", "gpt-4o", "--input", tc.input, "--output", "0.008")
			}
			for _, est := range []bool{false, true} {
				args := append(append([]string{"chat"}, tc.send...), "Hi")
				if est {
					args = append([]string{"chat", "--estimate"}, args[1:]...)
				}
				code, out, errs := bob(t, args...)
				if code != ExitRefused || !est && out != "" {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
				}
				for _, w := range tc.want {
					if !strings.Contains(errs, w) {
						t.Errorf("%v: stderr %q\nwant %q", args, errs, w)
					}
				}
				for _, w := range tc.never { // nor in the estimate's warnings (stdout)
					if strings.Contains(out+errs, w) {
						t.Errorf("%v: stdout %q, stderr %q\nhas %q", args, out, errs, w)
					}
				}
				code, out, _ = bob(t, append([]string{"--json"}, args...)...)
				var got struct {
					Error, Refusal *struct {
						Code      string `json:"code"`
						Message   string `json:"message"`
						MaxTokens *int   `json:"maxTokens"`
					}
				}
				r := map[bool]*struct {
					Code      string `json:"code"`
					Message   string `json:"message"`
					MaxTokens *int   `json:"maxTokens"`
				}{}
				if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil {
					t.Fatalf("--json %v: exit %d %s", args, code, out)
				}
				r[true], r[false] = got.Refusal, got.Error
				switch g := r[est]; {
				case g == nil || g.Code != "insufficient_credits":
					t.Errorf("--json %v: %s, want an insufficient_credits refusal", args, out)
				case tc.max == 0 && g.MaxTokens != nil, tc.max != 0 && (g.MaxTokens == nil || *g.MaxTokens != tc.max):
					t.Errorf("--json %v: %s, want maxTokens %d (0: omitted)", args, out, tc.max)
				}
			}
			if tc.max == 0 {
				// What the old words suggested: a top-up, or a smaller budget;
				// with credits enough, the limit refuses either.
				admin(t, "credits", "topup", "--amount", "1000", "--price", "0")
				code, _, errs := bob(t, "chat", "--model", "gpt-4o", "--max-tokens", "100", "Hi")
				if code != ExitRefused || !strings.Contains(errs, "left of the daily limit of "+money.DisplayString(tc.limit)+" credits") {
					t.Errorf("--max-tokens 100: exit %d %q, want the limit's refusal", code, errs)
				}
				return
			}
			before := srv.ChatRequests()
			if code, _, errs := bob(t, "chat", "--model", "gpt-4o", "--max-tokens", "123", "Hi"); code != 0 || srv.ChatRequests()-before != 1 {
				t.Errorf("--max-tokens 123: exit %d %q, want it sent", code, errs)
			}
		})
	}
}
