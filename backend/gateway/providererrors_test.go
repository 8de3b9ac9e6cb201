package gateway_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// TestProviderErrorsReadWell: the API's clients get the provider errors in
// the words chat uses, without its wrapping chain ("chat: "), after the
// provider's host ("127.0.0.1:1234: provider error 500 …", as a timeout's),
// streaming or not, with nothing charged: LM Studio
// configured without /v1 (which answers 200 with an error object) with
// the hint "did you mean …/v1?"; a proxy's HTML page with an error status
// named as such, with its title, never its markup.
func TestProviderErrorsReadWell(t *testing.T) {
	for _, tc := range []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request)
		path   string // after the server's URL in the base URL
		status int
		want   func(srvURL string) string
	}{
		{"lm studio without /v1", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			fmt.Fprintf(w, `{"error":"Unexpected endpoint or method. (%s %s)"}`, r.Method, r.URL.Path)
		}, "", http.StatusInternalServerError, func(u string) string {
			return strings.TrimPrefix(u, "http://") + ": provider error 500 Internal Server Error: Unexpected endpoint or method. (POST /chat/completions); did you mean " + u + "/v1?"
		}},
		{"a proxy's page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "<html><head><title>Access Denied</title></head><body><h1>Blocked by policy</h1></body></html>")
		}, "/v1", http.StatusBadGateway, func(u string) string {
			return strings.TrimPrefix(u, "http://") + `: provider error 403 Forbidden: an HTML page, not the provider's answer, titled "Access Denied"; is a proxy or a firewall in the way?`
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			up := httptest.NewServer(http.HandlerFunc(tc.handle))
			t.Cleanup(up.Close)
			client, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: up.URL + tc.path})
			if err != nil {
				t.Fatal(err)
			}
			rs := rates.New(e.db, nil, e.clock.Now)
			srv := httptest.NewServer(newGatewayWith(e.db, e.led, rs, e.team, client, e.clock).Handler())
			t.Cleanup(srv.Close)
			e.srv = srv
			for _, body := range []string{
				`{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`,
				`{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
			} {
				resp := e.post("/v1/chat/completions", e.bobKey, body)
				got := decode[apiErr](t, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.status || got.Error.Message != tc.want(up.URL) || strings.Contains(got.Error.Message, "<") {
					t.Errorf("%s: %d %q\nwant %d %q", body, resp.StatusCode, got.Error.Message, tc.status, tc.want(up.URL))
				}
			}
			if c := e.charged(); c != "0" {
				t.Errorf("charged %s", c)
			}
			e.checkLedger()
		})
	}
}
