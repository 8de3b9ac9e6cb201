package providers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
)

// TestVersionHintOnlyForAMissingPath: the "did you mean …/v1?" hint is for
// a base URL that misses its version, which the server answers with a 404
// that is no answer of its API (plain text, an HTML page, an error whose
// code is 404) or with 200 and an error object saying the path is not
// served (LM Studio). A versionless gateway that serves the API answers
// other errors, which got the hint too when they came in place of the
// answer (200 and an error object) or as a 404 about a model; they get
// none now, for a listing and a chat alike.
func TestVersionHintOnlyForAMissingPath(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		ct     string
		body   string
		hint   bool
	}{
		{"a 404 in plain text (Ollama's root)", 404, "text/plain", "404 page not found", true},
		{"a 404 HTML page", 404, "text/html", "<html><head><title>404 Not Found</title></head></html>", true},
		{"a 404 error object (llama.cpp)", 404, "application/json", `{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}`, true},
		{"200 and LM Studio's unexpected endpoint", 200, "application/json", `{"error":"Unexpected endpoint or method. (GET /models)"}`, true},
		{"200 and an error object with code 404", 200, "application/json", `{"error":{"message":"Not Found","code":404}}`, true},
		{"a 404 about a model", 404, "application/json", `{"error":{"message":"The model ` + "`gpt-9`" + ` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}`, false},
		{"Ollama's model not found", 404, "application/json", `{"error":"model \"llama9\" not found, try pulling it first"}`, false},
		{"200 and a gateway's credit error", 200, "application/json", `{"error":{"message":"Insufficient credits","code":402}}`, false},
		{"200 and a rate limit", 200, "application/json", `{"error":{"message":"Rate limit exceeded","code":429}}`, false},
		{"200 and an error without a code", 200, "application/json", `{"error":"upstream provider unavailable"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ct)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			base := srv.URL + "/gateway" // no version segment
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: base})
			if err != nil {
				t.Fatal(err)
			}
			hint := "did you mean " + base + "/v1?"
			_, lerr := c.Models(context.Background())
			_, cerr, _ := collect(context.Background(), c, request("m"))
			for step, err := range map[string]error{"list": lerr, "chat": cerr} {
				if err == nil || strings.HasSuffix(err.Error(), hint) != tc.hint || !tc.hint && strings.Contains(err.Error(), "did you mean") {
					t.Errorf("%s: %v; hint %v", step, err, tc.hint)
				}
			}
		})
	}
}

// TestAddClause: Meterdesk's words after a provider's message are a
// clause, or, after a message that ends a sentence, a sentence of their
// own; never ".;" (the local API's context-window hint read "… Please
// reduce the length of the messages.; shorten the messages …").
func TestAddClause(t *testing.T) {
	for _, tc := range []struct{ s, more, want string }{
		{"prompt is too long: 208310 tokens > 200000 maximum", "shorten it", "prompt is too long: 208310 tokens > 200000 maximum; shorten it"},
		{"Please reduce the length of the messages.", "shorten it", "Please reduce the length of the messages. Shorten it."},
		{"Is the model loaded? ", "did you mean http://localhost:11434/v1?", "Is the model loaded? Did you mean http://localhost:11434/v1?"},
		{"Wait...", "shorten it", "Wait...; shorten it"},
		{"Unexpected endpoint or method. (GET /models)", "did you mean x/v1?", "Unexpected endpoint or method. (GET /models); did you mean x/v1?"},
		{"", "shorten it", "shorten it"},
		{"done.", "", "done."},
	} {
		if got := providers.AddClause(tc.s, tc.more); got != tc.want {
			t.Errorf("AddClause(%q, %q) = %q, want %q", tc.s, tc.more, got, tc.want)
		}
	}
	e := &providers.APIError{Status: 404, Message: "File not found.", Hint: "did you mean http://localhost:8080/v1?"}
	if got, want := e.Error(), "provider error 404 Not Found: File not found. Did you mean http://localhost:8080/v1?"; got != want {
		t.Errorf("hint: %q, want %q", got, want)
	}
}
