package gateway_test

import (
	"io"
	"net/http"
	"testing"

	"meterdesk/backend/money"
)

// TestLimitRefusalWhileOwnRequestsHoldIsRetried: a spending limit's 429 says
// X-Should-Retry: false because it lasts until the limit resets; but when
// only the member's requests still running hold the room the request
// needs (their holds, released or charged as they finish), a retry a
// moment later passes, so the official SDKs are left to retry it, as the
// 402 of too few credits while requests run is. It said false, so a script
// sending requests side by side under a limit lost the ones a retry would
// have sent. Over the limit without such holds it stays final.
func TestLimitRefusalWhileOwnRequestsHoldIsRetried(t *testing.T) {
	e := newEnv(t, "100")
	first := e.postKeySlowly("first")
	var held int64
	if err := e.db.Read().QueryRow(`SELECT amount_minor FROM ledger_holds WHERE status = 'pending'`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	// Room for one request's hold, not for two.
	if _, err := e.team.SetLimit(e.admin, teamLimit(e.bob.ID, "daily", money.MinorString(held*3/2))); err != nil {
		t.Fatal(err)
	}
	resp := e.postWith(idemBody, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("beside the running request: status %d, want 429", resp.StatusCode)
	}
	if got := resp.Header.Get("X-Should-Retry"); got != "" {
		t.Errorf("beside the running request: X-Should-Retry %q, want none (a retry once it finishes passes)", got)
	}
	if r := <-first; r.code != http.StatusOK {
		t.Fatalf("the running request: %d %s", r.code, r.errCode)
	}
	// The retry, once the first request is charged less than it held.
	e.fake.Enqueue(okScript)
	resp = e.postWith(idemBody, "")
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the retry: status %d, want 200", resp.StatusCode)
	}
	// Nothing running now: a request over the limit waits for its reset.
	if _, err := e.team.SetLimit(e.admin, teamLimit(e.bob.ID, "daily", money.MinorString(held/2))); err != nil {
		t.Fatal(err)
	}
	resp = e.postWith(idemBody, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("X-Should-Retry") != "false" {
		t.Fatalf("over the limit, nothing running: status %d, X-Should-Retry %q; want 429, false", resp.StatusCode, resp.Header.Get("X-Should-Retry"))
	}
}
