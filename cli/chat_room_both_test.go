package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestRefusalRoomFitsCreditsAndLimits: a send refused for credits named the
// largest --max-tokens that fit the payer's balance only, and a member
// whose spending limit left less had that --max-tokens refused again, by
// the limit. Now the number named (stderr, --json "maxTokens", in `chat`
// and `chat --estimate` alike) fits the credits and every limit that
// applies, and a send with it goes through (the fake provider answers and
// it is charged); one token more is refused.
func TestRefusalRoomFitsCreditsAndLimits(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	type refusal struct {
		Code      string `json:"code"`
		MaxTokens int    `json:"maxTokens"`
	}
	cases := []struct {
		name   string
		limits [][]string // limits set on bob (pricedTeam's daily 50 first, "remove" to remove it)
		code   string     // the refusal's
		want   int        // the largest --max-tokens named
	}{
		// 16000 output tokens hold 128.016, over the pool's 100: refused for
		// credits. The balance alone fits (100 − 0.016) / 0.008 = 12498 tokens.
		{"credits only", [][]string{{"remove", "bob", "daily"}}, "insufficient_credits", 12498},
		// The daily limit of 50 fits (50 − 0.016) / 0.008 = 6248: the
		// refusal for credits names that, not 12498.
		{"a limit tighter than the credits", nil, "insufficient_credits", 6248},
		// With a monthly limit of 1 too, the tightest: 123.
		{"the tightest of two limits", [][]string{{"set", "bob", "monthly", "1"}}, "insufficient_credits", 123},
		// A limit that leaves more than the pool: the credits bound it.
		{"a limit looser than the credits", [][]string{{"set", "bob", "daily", "200"}}, "insufficient_credits", 12498},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// 100 credits in the pool; gpt-4o 0.002 in, 0.008 out; the prompt costs 0.016.
			admin, bob := pricedTeam(t, srv)
			for _, l := range tc.limits {
				admin(t, append([]string{"limits"}, l...)...)
			}
			for _, est := range []bool{true, false} {
				args := []string{"--json", "chat", "--model", "gpt-4o", "--max-tokens", "16000", "Hi"}
				key := "error"
				if est {
					args, key = append([]string{"--json", "chat", "--estimate"}, args[2:]...), "refusal"
				}
				code, out, errs := bob(t, args...)
				var got struct{ Error, Refusal *refusal }
				r := map[bool]**refusal{true: &got.Refusal, false: &got.Error}[est]
				if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil || *r == nil {
					t.Fatalf("%v: exit %d %s %s", args, code, out, errs)
				}
				if r := *r; r.Code != tc.code || r.MaxTokens != tc.want {
					t.Errorf("%v: %s %+v, want code %s maxTokens %d", args, key, *r, tc.code, tc.want)
				}
				code, _, errs = bob(t, args[1:]...)
				if hint := "send with --max-tokens " + strconv.Itoa(tc.want) + " or less"; code != ExitRefused || !strings.Contains(errs, hint) {
					t.Errorf("%v: exit %d, stderr %q, want %q", args[1:], code, errs, hint)
				}
			}
			// One more is refused (the estimate says so, nothing sent) ...
			if code, _, errs := bob(t, "chat", "--estimate", "--model", "gpt-4o", "--max-tokens", strconv.Itoa(tc.want+1), "Hi"); code != ExitRefused {
				t.Errorf("--max-tokens %d: exit %d %q, want %d", tc.want+1, code, errs, ExitRefused)
			}
			// ... and the number named is sent, answered and charged.
			before := srv.ChatRequests()
			if code, out, errs := bob(t, "chat", "--model", "gpt-4o", "--max-tokens", strconv.Itoa(tc.want), "Hi"); code != 0 || !strings.Contains(out, "Hi") {
				t.Fatalf("--max-tokens %d: exit %d\n%s\n%s", tc.want, code, out, errs)
			}
			if n := srv.ChatRequests() - before; n != 1 {
				t.Errorf("the provider got %d requests, want 1", n)
			}
		})
	}
}
