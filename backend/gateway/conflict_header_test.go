package gateway_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/gateway"
)

// TestIdempotencyConflictHasTheRequestIdHeader: a 409
// idempotency_key_reused named the request it conflicts with only in its
// message, with no X-Meterdesk-Request-Id header, while every other answer
// to a completion has it. It now carries the header, the id of the
// request that holds the key: the one still running, or the one charged.
func TestIdempotencyConflictHasTheRequestIdHeader(t *testing.T) {
	e := newEnv(t, "100")
	post := func(key string) (*http.Response, string) {
		t.Helper()
		resp := postTo(t, e.srv.URL, e.bobKey, key, idemBody)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	// Running: the first request with the key still holds it.
	first := e.postKeySlowly("slow-1")
	resp, body := post("slow-1")
	id := resp.Header.Get(gateway.HeaderRequestID)
	if resp.StatusCode != http.StatusConflict || id == "" || !strings.Contains(body, "(request "+id+")") {
		t.Errorf("while the first runs: %d, %s %q, body %s", resp.StatusCode, gateway.HeaderRequestID, id, body)
	}
	if r := <-first; r.code != http.StatusOK {
		t.Fatalf("the first request: %+v", r)
	}

	// Charged: the same key again.
	e.fake.Enqueue(okScript)
	ok, _ := post("done-1")
	charged := ok.Header.Get(gateway.HeaderRequestID)
	if ok.StatusCode != http.StatusOK || charged == "" {
		t.Fatalf("first: %d, id %q", ok.StatusCode, charged)
	}
	resp, body = post("done-1")
	if got := resp.Header.Get(gateway.HeaderRequestID); resp.StatusCode != http.StatusConflict || got != charged {
		t.Errorf("after the charge: %d, %s %q, want %q; body %s", resp.StatusCode, gateway.HeaderRequestID, got, charged, body)
	}
}
