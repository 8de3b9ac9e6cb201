package gateway_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestEveryCompletionAnswerHasARequestID: every answer of a
// POST /v1/chat/completions request carries X-Meterdesk-Request-Id, so a
// user can quote it: also a refusal given before the body is read (a wrong
// method, a missing key), a body too large or not JSON, a malformed
// Idempotency-Key, and the 409 idempotency_key_exhausted (the id of the
// key's last refused attempt, in the ledger as a voided hold). Those came
// without one; each request's id is its own.
func TestEveryCompletionAnswerHasARequestID(t *testing.T) {
	e := newEnv(t, "100")
	random := regexp.MustCompile(`^gw-[0-9a-f]{32}$`)
	// 20 attempts of the key "order-x" refused with nothing charged.
	for i := 0; i < 20; i++ {
		e.fake.Enqueue(fake.Script{Fault: fake.ServerError})
		if code, _ := e.postKey(e.bobKey, "order-x"); code != http.StatusInternalServerError {
			t.Fatalf("attempt %d: %d", i, code)
		}
	}
	seen := map[string]string{}
	for _, c := range []struct {
		name, method, key, idem, body string
		status                        int
		id                            *regexp.Regexp
	}{
		{"served", http.MethodPost, e.bobKey, "", `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`, 200, random},
		{"not JSON", http.MethodPost, e.bobKey, "", `{"model":`, 400, random},
		{"not one object", http.MethodPost, e.bobKey, "", `[1]`, 400, random},
		{"no messages", http.MethodPost, e.bobKey, "", `{"model":"gpt-4o","messages":[]}`, 400, random},
		{"too large", http.MethodPost, e.bobKey, "", `{"model":"gpt-4o","x":"` + strings.Repeat("a", 9<<20) + `"}`, 413, random},
		{"bad Idempotency-Key", http.MethodPost, e.bobKey, "ключ", `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`, 400, random},
		{"no API key", http.MethodPost, "", "", `{}`, 401, random},
		{"wrong method", http.MethodGet, e.bobKey, "", ``, 405, random},
		{"key exhausted", http.MethodPost, e.bobKey, "order-x", `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`, 409,
			regexp.MustCompile(`^gw-k-[0-9a-f]{32}-19$`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, e.srv.URL+"/v1/chat/completions", strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.key != "" {
				req.Header.Set("Authorization", "Bearer "+c.key)
			}
			if c.idem != "" {
				req.Header.Set("Idempotency-Key", c.idem)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("X-Meterdesk-Request-Id")
			if resp.StatusCode != c.status || !c.id.MatchString(id) {
				t.Fatalf("status %d, X-Meterdesk-Request-Id %q; want %d and an id like %s", resp.StatusCode, id, c.status, c.id)
			}
			if other, ok := seen[id]; ok {
				t.Fatalf("request id %s also answered %s", id, other)
			}
			seen[id] = c.name
		})
	}
	// Not a completion: no request id (nothing is sent or charged there).
	resp := e.get("/v1/models", e.bobKey)
	resp.Body.Close()
	if id := resp.Header.Get("X-Meterdesk-Request-Id"); id != "" {
		t.Errorf("GET /v1/models has request id %q", id)
	}
}
