package gateway_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/gateway"
	"meterdesk/backend/team"
)

// TestLimitRefusalNoResetSaysNoRetryTime: a 429 whose words say the
// limit's reset does not help (its whole amount, one minor unit here, is
// less than the request's prompt and one output token) still carried
// Retry-After and X-Meterdesk-Limit-Resets-At, "when the same request may
// pass" (docs/gateway.md), so a client that waits for them is refused
// again after the reset, for ever. Now neither is sent (X-Should-Retry:
// false stays); where the reset helps (a limit of 0.5 used up by the
// request's hold only) both are, as before.
func TestLimitRefusalNoResetSaysNoRetryTime(t *testing.T) {
	for _, tc := range []struct {
		limit string
		reset bool // the reset helps
	}{
		{"0", false}, // an admin's block: "is 0, so no paid request fits it until an admin raises it; its reset does not help."
		{"0.000000001", false},
		{"0.5", true},
	} {
		t.Run(tc.limit, func(t *testing.T) {
			e := newEnv(t, "100")
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: tc.limit}); err != nil {
				t.Fatal(err)
			}
			resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			body := string(b)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get(gateway.HeaderShouldRetry) != "false" {
				t.Fatalf("%d %s (X-Should-Retry %q); want a final 429", resp.StatusCode, body, resp.Header.Get(gateway.HeaderShouldRetry))
			}
			retry, resets := resp.Header.Get("Retry-After"), resp.Header.Get(gateway.HeaderLimitResetsAt)
			if says := strings.Contains(body, "its reset does not help"); says == tc.reset {
				t.Fatalf("the words say the reset does not help %v, want %v: %s", says, !tc.reset, body)
			}
			if (retry != "") != tc.reset || (resets != "") != tc.reset {
				t.Errorf("Retry-After %q, %s %q where the reset helps %v: %s", retry, gateway.HeaderLimitResetsAt, resets, tc.reset, body)
			}
		})
	}
}
