package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatRefusedForCreditsSaysTheLimitBesideIt: a send refused for
// credits whose offered --max-tokens comes from the member's daily limit
// (it leaves less than the pool) named "--max-tokens 6248 or less" with
// nothing saying why not the 12,498 the pool's credits fit: the window
// shows the limit's warning under the refusal (the estimate's warnings
// beside it), and `chat --estimate` prints it, but `chat` did not. It now
// prints the same Go words on standard error ("warning: …", also with
// --json); with no limit in the way, no warning.
func TestChatRefusedForCreditsSaysTheLimitBesideIt(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	const limitWords = "warning: this send may cost up to 128.016 credits, more than the 50.00 left of the daily limit of 50.00 credits (used 0.00); "
	for _, tc := range []struct {
		name    string
		limits  [][]string
		warning bool
		max     string
	}{
		{"the daily limit bounds the room", nil, true, "--max-tokens 6248 or less"},
		{"the credits bound it", [][]string{{"remove", "bob", "daily"}}, false, "--max-tokens 12498 or less"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			admin, bob := pricedTeam(t, srv) // bob: daily limit 50, paid by the pool of 100
			for _, l := range tc.limits {
				admin(t, append([]string{"limits"}, l...)...)
			}
			args := []string{"chat", "--model", "gpt-4o", "--max-tokens", "16000", "Hi"}
			_, estOut, _ := bob(t, append([]string{"chat", "--estimate"}, args[1:]...)...)
			var estWarnings []string
			for _, l := range strings.Split(estOut, "\n") {
				if strings.HasPrefix(l, "warning: ") {
					estWarnings = append(estWarnings, l)
				}
			}
			for _, json := range []bool{false, true} {
				a := args
				if json {
					a = append([]string{"--json"}, args...)
				}
				code, _, errs := bob(t, a...)
				if code != ExitRefused || !strings.Contains(errs, "meterdesk chat: not enough credits: ") || !strings.Contains(errs, tc.max) {
					t.Fatalf("%v: exit %d %q", a, code, errs)
				}
				var warnings []string
				for _, l := range strings.Split(errs, "\n") {
					if strings.HasPrefix(l, "warning: ") {
						warnings = append(warnings, l)
					}
				}
				if tc.warning {
					if len(warnings) != 1 || !strings.HasPrefix(warnings[0], limitWords) {
						t.Errorf("%v: warnings %q, want one starting %q; stderr %q", a, warnings, limitWords, errs)
					}
					// The window's words, as `chat --estimate` prints them.
					if strings.Join(warnings, "\n") != strings.Join(estWarnings, "\n") {
						t.Errorf("%v: warnings %q, chat --estimate's %q", a, warnings, estWarnings)
					}
				} else if len(warnings) != 0 {
					t.Errorf("%v: warnings %q, want none", a, warnings)
				}
			}
		})
	}
}
