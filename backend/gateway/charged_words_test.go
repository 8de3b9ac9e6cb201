package gateway_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
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
			if key := strings.Index(msg, "Idempotency-Key is therefore used"); (tc.key != "") != (key > i) {
				t.Errorf("message %q: the key's words (at %d) after the charge's (at %d): want %v", msg, key, i, tc.key != "")
			}
			e.checkLedger()
		})
	}
}

// TestChargedFailureSaysItsChargeOnce: the message of a request that failed
// after output says its charge once, then, under an Idempotency-Key, that
// the key is used and how to retry, without saying the charge again. It
// said "This request was charged 0.032 credits … What the provider had
// generated is charged (meterdesk.credits_charged), so this
// Idempotency-Key is used: …", the charge twice, the second time pointing
// to a field the SDKs drop. A free model's failure (charged 0) under a
// key is told that the key is used all the same.
func TestChargedFailureSaysItsChargeOnce(t *testing.T) {
	const est = " (estimated: the provider reported no final usage, so Meterdesk counted them)."
	const paid = "This request was charged 0.032 credits for its prompt and the 2 tokens generated before it failed" + est
	const free = "Nothing was charged for its prompt and the 2 tokens generated before it failed" + est
	const retry = "retry with a new Idempotency-Key (this one is answered 409 idempotency_key_reused)."
	for _, tc := range []struct {
		name     string
		model    string
		streamed bool
		key      string
		want     string // the message after the failure's words
	}{
		{"streamed", "gpt-4o", true, "", paid},
		{"not streamed", "gpt-4o", false, "", paid},
		{"streamed, under a key", "gpt-4o", true, "k-1", paid + " This Idempotency-Key is therefore used: " + retry},
		{"not streamed, under a key", "gpt-4o", false, "k-2", paid + " This Idempotency-Key is therefore used: " + retry},
		{"free model, not streamed", "gpt-4o-free", false, "", free},
		{"free model, streamed, under a key", "gpt-4o-free", true, "k-3",
			free + " This Idempotency-Key is used all the same (the request is recorded): " + retry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			if tc.model == "gpt-4o-free" {
				if _, err := rates.New(e.db, nil, e.clock.Now).Apply(e.admin, rates.Change{Rows: []rates.Row{
					{Provider: rates.OpenAI, Model: "gpt-4o", Input: "0", Output: "0"}}, Reason: "free"}); err != nil {
					t.Fatal(err)
				}
			}
			e.fake.Enqueue(fake.Script{Chunks: []string{"one", " two", " three"}, Fault: fake.Drop, FailAfter: 2})
			body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]` + map[bool]string{true: `,"stream":true}`, false: `}`}[tc.streamed]
			resp := postTo(t, e.srv.URL, e.bobKey, tc.key, body)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			_, msg := cutError(t, raw, tc.streamed)
			if !strings.HasSuffix(msg, ". "+tc.want) {
				t.Fatalf("message %q\nwant it to end %q", msg, tc.want)
			}
			if n := strings.Count(msg, "charged"); n != 1 || strings.Contains(msg, "credits_charged") {
				t.Errorf("message %q says the charge %d times", msg, n)
			}
			e.checkLedger()
		})
	}
}
