package cli

import (
	"encoding/json"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatJSONErrorNamesTheRoom: `chat --json`'s "error" for a send refused
// for credits or by a spending limit lacked the largest max tokens that
// fits, which `chat --estimate --json`'s "refusal" has as "maxTokens". Now
// both have it, from one function (chat.Classify: ErrorInfo.MaxTokens): the same number, omitted
// when not even the prompt fits.
func TestChatJSONErrorNamesTheRoom(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	type errJSON struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MaxTokens *int   `json:"maxTokens"`
	}
	type out struct {
		Error   *errJSON `json:"error"`
		Refusal *errJSON `json:"refusal"`
	}
	// check runs the estimate and the send with --json and wants both
	// refused (exit 3) with code and maxTokens want (0: omitted).
	check := func(t *testing.T, run func(args ...string) (int, string, string), code string, want int) {
		t.Helper()
		var est, send out
		ecode, eout, _ := run("--json", "chat", "--estimate", "--model", "gpt-4o", "Hi")
		scode, sout, serrs := run("--json", "chat", "--model", "gpt-4o", "Hi")
		if ecode != ExitRefused || scode != ExitRefused || json.Unmarshal([]byte(eout), &est) != nil || json.Unmarshal([]byte(sout), &send) != nil ||
			est.Refusal == nil || send.Error == nil {
			t.Fatalf("exit %d / %d\nestimate %s\nsend %s %s", ecode, scode, eout, sout, serrs)
		}
		for what, e := range map[string]*errJSON{"estimate's refusal": est.Refusal, "send's error": send.Error} {
			switch {
			case e.Code != code:
				t.Errorf("%s: code %q, want %q", what, e.Code, code)
			case want == 0 && e.MaxTokens != nil:
				t.Errorf("%s: maxTokens %d, want it omitted (%s)", what, *e.MaxTokens, e.Message)
			case want != 0 && (e.MaxTokens == nil || *e.MaxTokens != want):
				t.Errorf("%s: maxTokens %v, want %d (%s)", what, e.MaxTokens, want, e.Message)
			}
		}
	}
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()

	t.Run("credits", func(t *testing.T) {
		d := newDataDir(t, "sk-test-0123456789\n")
		d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
		d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
		for _, tc := range []struct {
			name, topUp string
			want        int
		}{
			{"nothing in the pool: not even the prompt fits", "", 0},
			// The prompt (0.016) fits 1 credit; 123 output tokens do too.
			{"one credit", "1", 123},
		} {
			t.Run(tc.name, func(t *testing.T) {
				d := d.on(t)
				if tc.topUp != "" {
					d.must("credits", "topup", "--amount", tc.topUp, "--price", "0", "--currency", "USD")
				}
				check(t, d.run, "insufficient_credits", tc.want)
			})
		}
	})
	t.Run("limit", func(t *testing.T) {
		admin, bob := pricedTeam(t, srv) // bob: paid by the pool
		for _, tc := range []struct {
			name, limit string
			want        int
		}{
			{"the prompt fits", "1", 123},
			{"the prompt alone is over", "0.01", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				admin(t, "limits", "set", "bob", "monthly", tc.limit)
				check(t, func(args ...string) (int, string, string) { return bob(t, args...) }, "limit_exceeded", tc.want)
			})
		}
	})
	if n := srv.ChatRequests(); n != 0 {
		t.Errorf("the provider got %d requests", n)
	}
}
