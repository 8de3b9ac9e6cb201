package providers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
)

// TestConnectionTestFailureWords: a failed "Test connection" (the window
// and `providers test` show TestResult.Message) leads with what it means
// in a newcomer's words, then keeps what the provider or the network
// said; never the key. Real servers: an httptest server answering each
// status, a closed port (127.0.0.1:1) and a name that cannot resolve
// (.invalid), so no network is needed.
func TestConnectionTestFailureWords(t *testing.T) {
	f := newFixture(t, nil)
	answer := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/v1"
	}
	for _, c := range []struct {
		name, url      string
		lead, provider string
		status         int
		offline        bool
	}{
		{"401", answer(401, `{"error":{"message":"Incorrect API key provided: `+testKey+`","type":"invalid_request_error","code":"invalid_api_key"}}`),
			"The provider refused the API key (401): ", "Incorrect API key provided: [redacted]", 401, false},
		{"403", answer(403, `{"error":{"message":"Project does not have access to model listing"}}`),
			"The provider refused access with this API key (403): ", "Project does not have access to model listing", 403, false},
		{"404", answer(404, `{"error":{"message":"Unknown request URL: GET /v1/models"}}`),
			"Nothing was found at this base URL (404): is the address right? ", "Unknown request URL: GET /v1/models", 404, false},
		{"connection refused", "http://127.0.0.1:1/v1",
			"Nothing answers at 127.0.0.1:1 — is the server running?", "", 0, true},
		{"unresolvable name", "http://meterdesk-test.invalid/v1",
			"This address could not be found — is the base URL spelled right? (", "meterdesk-test.invalid", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := f.svc.TestInput(as(admin), 0, providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: c.url, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || res.Status != c.status || res.Offline != c.offline {
				t.Errorf("result %+v, want status %d, offline %v", res, c.status, c.offline)
			}
			if !strings.HasPrefix(res.Message, c.lead) || !strings.Contains(res.Message, c.provider) {
				t.Errorf("message %q\nwant it to start %q and keep %q", res.Message, c.lead, c.provider)
			}
			if strings.Contains(res.Message, testKey) || strings.Contains(res.Message, "provider error") {
				t.Errorf("message %q has the key or the raw status line", res.Message)
			}
			// Said once: the network's words are not the lead's again.
			if strings.Contains(strings.ToLower(res.Message), "nothing is answering") || strings.Count(res.Message, "127.0.0.1:1") > 1 {
				t.Errorf("message %q says the same thing twice", res.Message)
			}
		})
	}
	// Anything else is its own words, the first letter capitalised.
	res, err := f.svc.TestInput(as(admin), 0, providers.Input{Name: "Lab", Kind: providers.KindCompatible,
		BaseURL: answer(500, `{"error":{"message":"boom"}}`), APIKey: testKey})
	if err != nil || !strings.HasPrefix(res.Message, "List models: provider error 500") {
		t.Errorf("500: %+v, %v", res, err)
	}
}
