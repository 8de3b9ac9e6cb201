package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatLimitRefusalNamesTheRoom: a spending limit's refusal said "a
// smaller output budget (max tokens) may let it through" even when the
// prompt alone cost more than the limit left, and named no --max-tokens
// (README: "prints the refusal with the largest --max-tokens that fits").
// Now, when the prompt fits, `chat` and `chat --estimate` name the largest
// --max-tokens whose hold fits the limit's room (--json: refusal.maxTokens),
// and one more is still refused; when it does not, only the reset is said,
// and --json has no maxTokens.
func TestChatLimitRefusalNamesTheRoom(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	admin, bob := pricedTeam(t, srv) // bob: daily limit 50, paid by the pool

	type refusalJSON struct {
		Refusal *struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			MaxTokens *int   `json:"maxTokens"`
		} `json:"refusal"`
	}
	cases := []struct {
		name, limit string
		wantHint    string // "" when no --max-tokens is named
		wantMax     int
		wantWords   string
		noWords     string
	}{
		// The prompt (0.016) fits 1 credit; 123 output tokens do too
		// (0.016 + 123 × 0.008 = 1).
		{"prompt fits", "1", "; on the command line: send with --max-tokens 123 or less\n", 123,
			"a smaller output budget (max tokens) may let it through, or the limit resets ", ""},
		// The prompt alone (0.016) is over 0.01, the whole limit: no
		// reset helps (it said "it can be sent after the limit resets").
		{"prompt over", "0.01", "", 0,
			"this send may cost up to 32.784 credits and its prompt alone 0.016, more than the 0.01 left of the monthly limit of 0.01 credits (used 0.00); " +
				"a shorter prompt or less History may let it through, or an admin raising the limit; its reset does not help: the whole limit is less than " +
				"the prompt and one output token (0.024 credits)",
			"smaller output budget"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin(t, "limits", "set", "bob", "monthly", tc.limit)
			code, _, errs := bob(t, "chat", "--estimate", "--model", "gpt-4o", "Hi")
			scode, sout, serrs := bob(t, "chat", "--model", "gpt-4o", "Hi")
			if code != ExitRefused || scode != ExitRefused || sout != "" || errs != serrs {
				t.Fatalf("exit %d / %d, stdout %q\nestimate %q\nsend     %q", code, scode, sout, errs, serrs)
			}
			if !strings.Contains(errs, tc.wantWords) || tc.noWords != "" && strings.Contains(errs, tc.noWords) {
				t.Errorf("stderr %q: want %q, not %q", errs, tc.wantWords, tc.noWords)
			}
			if tc.wantHint == "" && strings.Contains(errs, "--max-tokens") || tc.wantHint != "" && !strings.HasSuffix(errs, tc.wantHint) {
				t.Errorf("stderr %q: want hint %q", errs, tc.wantHint)
			}
			code, out, _ := bob(t, "--json", "chat", "--estimate", "--model", "gpt-4o", "Hi")
			var got refusalJSON
			if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil || got.Refusal == nil || got.Refusal.Code != "limit_exceeded" {
				t.Fatalf("--json: exit %d %s", code, out)
			}
			switch {
			case tc.wantMax == 0 && got.Refusal.MaxTokens != nil:
				t.Errorf("--json maxTokens %d, want it omitted: %s", *got.Refusal.MaxTokens, out)
			case tc.wantMax != 0 && (got.Refusal.MaxTokens == nil || *got.Refusal.MaxTokens != tc.wantMax):
				t.Errorf("--json: want maxTokens %d: %s", tc.wantMax, out)
			}
			if tc.wantMax != 0 { // the largest that fits: it passes, one more does not
				if code, _, errs := bob(t, "chat", "--estimate", "--model", "gpt-4o", "--max-tokens", "123", "Hi"); code != 0 {
					t.Errorf("--max-tokens 123: exit %d %q", code, errs)
				}
				if code, _, _ := bob(t, "chat", "--estimate", "--model", "gpt-4o", "--max-tokens", "124", "Hi"); code != ExitRefused {
					t.Errorf("--max-tokens 124: exit %d, want %d", code, ExitRefused)
				}
			}
		})
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Errorf("the provider got %d requests", n)
	}
}

// pricedTeam is teamWorkspace (alice the admin, bob a member paid by the
// pool) with srv added as the provider "fake" (kind openai), gpt-4o priced
// 0.002 in and 0.008 out per token, and 100 credits in the pool. admin runs
// a command as alice and fails the test unless it exits 0; bob runs one as
// bob. Both take the *testing.T of the test or subtest calling them, not
// pricedTeam's: a failure (FailNow) must run on the calling test's own
// goroutine, and a subtest's env and failures are its own.
func pricedTeam(t *testing.T, srv *fake.Server) (admin func(t *testing.T, args ...string), bob func(t *testing.T, args ...string) (int, string, string)) {
	t.Helper()
	dir := teamWorkspace(t)
	admin = func(t *testing.T, args ...string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "correct horse")
		if code, out, errs := runIn(t, "sk-test-0123456789\n", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	bob = func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
	}
	admin(t, "providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	admin(t, "rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin(t, "credits", "topup", "--amount", "100", "--price", "0")
	return admin, bob
}
