package gateway_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChargedFailureSaysItsChargeInTheMessage: a request that failed
// after the provider generated output is charged for it, and said so only
// in the meterdesk object beside the error (and the headers or, for a
// stream, the trailers). The official SDKs keep only the error object
// (message, type, code, param) of a stream's error event and of an error
// body, and never read trailers, so an SDK user could not tell the failed
// request was charged. The error's message now says it in words, the
// amount in the API's canonical form (credits_charged's), streamed or not;
// under an Idempotency-Key the key's words follow it.
func TestChargedFailureSaysItsChargeInTheMessage(t *testing.T) {
	// "Hi" is 8 prompt tokens (0.016), "one two" 2 output tokens counted by
	// the tokenizer (0.016): 0.032, estimated.
	const words = "This request was charged 0.032 credits for its prompt and the 2 tokens generated before it failed " +
		"(estimated: the provider reported no final usage, so Meterdesk counted them)."
	for _, tc := range []struct {
		name     string
		streamed bool
		key      string
	}{
		{"streamed", true, ""},
		{"not streamed", false, ""},
		{"streamed, under an Idempotency-Key", true, "k-1"},
		{"not streamed, under an Idempotency-Key", false, "k-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			e.fake.Enqueue(fake.Script{Chunks: []string{"one", " two", " three"}, Fault: fake.Drop, FailAfter: 2})
			body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]` + map[bool]string{true: `,"stream":true}`, false: `}`}[tc.streamed]
			resp := postTo(t, e.srv.URL, e.bobKey, tc.key, body)
			defer resp.Body.Close()
			var got chunkBody
			if tc.streamed {
				for _, ev := range readSSE(t, resp.Body) {
					var c chunkBody
					if ev.Data != "" && json.Unmarshal([]byte(ev.Data), &c) == nil && c.Error != nil {
						got = c
					}
				}
			} else {
				raw, _ := io.ReadAll(resp.Body)
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
			}
			if got.Error == nil || got.Meterdesk == nil || got.Meterdesk.CreditsCharged != "0.032" || e.charged() != "0.032" {
				t.Fatalf("error %+v, meterdesk %+v, ledger charged %s", got.Error, got.Meterdesk, e.charged())
			}
			msg := got.Error.Message
			i := strings.Index(msg, " "+words)
			if i <= 0 {
				t.Fatalf("message %q does not say %q after the failure's words", msg, words)
			}
			if key := strings.Index(msg, "Idempotency-Key is used"); (tc.key != "") != (key > i) {
				t.Errorf("message %q: the key's words (at %d) after the charge's (at %d): want %v", msg, key, i, tc.key != "")
			}
			e.checkLedger()
		})
	}
}
