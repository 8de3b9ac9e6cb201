package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestProviderCertificateRefusedIs503: a provider whose certificate is not
// trusted (a captive portal, an intercepting proxy) is unreachable for the
// API's clients as an offline one is: 503 with code "offline" and the plain
// reason, streaming or not, nothing sent to it and nothing charged.
func TestProviderCertificateRefusedIs503(t *testing.T) {
	e := newEnv(t, "100")
	portal := fake.NewTLS(fake.OpenAI, okScript)
	t.Cleanup(portal.Close)
	rs := rates.New(e.db, nil, e.clock.Now)
	srv := httptest.NewServer(newGateway(t, e.db, e.led, rs, e.team, portal, e.clock).Handler())
	t.Cleanup(srv.Close)
	e.srv = srv
	for _, body := range []string{
		`{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`,
		`{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
	} {
		resp := e.post("/v1/chat/completions", e.bobKey, body)
		got := decode[apiErr](t, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || got.Error.Code == nil || *got.Error.Code != "offline" ||
			!strings.Contains(got.Error.Message, "certificate is not trusted (x509: ") ||
			!strings.Contains(got.Error.Message, "nothing was sent or charged") {
			t.Errorf("%s: %d %+v", body, resp.StatusCode, got.Error)
		}
	}
	if n := len(portal.Requests()); n != 0 {
		t.Errorf("the provider received %d requests", n)
	}
	if c := e.charged(); c != "0" {
		t.Errorf("charged %s", c)
	}
	if a := e.poolAvailable(); a != "100" {
		t.Errorf("pool available %s, want 100", a)
	}
	e.checkLedger()
}
