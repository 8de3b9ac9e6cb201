package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// TestLimitRefusalSaysWhenToRetry: a send over several spending limits
// said in words when the later ones reset, but its JSON had only the named
// (tightest) limit's reset, if any: `chat --json`'s "error" and `chat
// --estimate --json`'s "refusal" had none at all. Now both have
// "resetsAt" (the named limit's reset) and "retryAt" (when the send as it
// is may pass every limit it breaks: team.LimitError.RetryAt, as the local
// API's Retry-After), and the words name retryAt exactly when it is later.
func TestLimitRefusalSaysWhenToRetry(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	type limitErr struct {
		Code     string     `json:"code"`
		Message  string     `json:"message"`
		ResetsAt *time.Time `json:"resetsAt"`
		RetryAt  *time.Time `json:"retryAt"`
	}
	cases := []struct {
		name             string
		daily, monthly   string // "" none
		named, retryWhen string // the limit whose reset is resetsAt, and the one whose reset is retryAt
	}{
		{"one limit", "1", "", "daily", "daily"},
		// The daily leaves less and is named; the monthly refuses the same
		// send after the day's reset: retry when the month resets.
		{"two limits, the later one broken too", "1", "2", "daily", "monthly"},
		// The monthly leaves less and is named; the daily resets first.
		{"two limits, the other resets first", "2", "1", "monthly", "monthly"},
	}
	berlin, err := time.LoadLocation("Europe/Berlin") // teamWorkspace's zone
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin, bob := pricedTeam(t, srv) // bob: daily limit 50
			admin(t, "limits", "set", "bob", "daily", tc.daily)
			if tc.monthly != "" {
				admin(t, "limits", "set", "bob", "monthly", tc.monthly)
			}
			// When each limit resets, as `limits list` says.
			code, out, errs := bob(t, "--json", "limits", "list", "bob")
			var list []struct {
				Kind     string    `json:"kind"`
				ResetsAt time.Time `json:"resetsAt"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
				t.Fatalf("limits list: %d %s %s", code, out, errs)
			}
			resets := map[string]time.Time{}
			for _, l := range list {
				resets[l.Kind] = l.ResetsAt
			}
			wantResets, wantRetry := resets[tc.named], resets[tc.retryWhen]
			for _, est := range []bool{true, false} {
				args := []string{"--json", "chat", "--model", "gpt-4o", "Hi"}
				if est {
					args = []string{"--json", "chat", "--estimate", "--model", "gpt-4o", "Hi"}
				}
				code, out, errs := bob(t, args...)
				var got struct{ Error, Refusal *limitErr }
				if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil {
					t.Fatalf("%v: exit %d %s %s", args, code, out, errs)
				}
				e := got.Error
				if est {
					e = got.Refusal
				}
				switch {
				case e == nil || e.Code != "limit_exceeded":
					t.Fatalf("%v: %s", args, out)
				case e.ResetsAt == nil || !e.ResetsAt.Equal(wantResets):
					t.Errorf("%v: resetsAt %v, want %s (the %s limit's)", args, e.ResetsAt, wantResets, tc.named)
				case e.RetryAt == nil || !e.RetryAt.Equal(wantRetry):
					t.Errorf("%v: retryAt %v, want %s (the %s limit's)", args, e.RetryAt, wantRetry, tc.retryWhen)
				}
				// The words say the later reset exactly when retryAt is later.
				later := "(the other limits it is over reset by " + wantRetry.In(berlin).Format("2006-01-02 15:04") + " (Europe/Berlin)"
				if says := strings.Contains(e.Message, later); says != wantRetry.After(wantResets) {
					t.Errorf("%v: message %q says %q: %v, want %v", args, e.Message, later, says, !says)
				}
				// Without --json: the same words.
				if _, _, errs := bob(t, args[1:]...); !strings.Contains(errs, e.Message) {
					t.Errorf("%v: stderr %q, want %q", args[1:], errs, e.Message)
				}
			}
		})
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Errorf("the provider got %d requests", n)
	}
}
