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

// hugeList serves, to any request, a model list that never closes: start,
// then entry again and again, in 64 KiB writes, until 48 MiB went out or
// the client hung up. Nothing is held in memory but one write.
func hugeList(t *testing.T, contentType, start, entry string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if _, err := io.WriteString(w, start); err != nil {
			return
		}
		chunk := strings.Repeat(entry, (64<<10)/len(entry))
		for sent := 0; sent < 48<<20; sent += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return // the client stopped reading
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHugeModelListIsCapped: a model list longer than 32 MiB (a server
// that is no model server, a list that never ends) fails the listing with
// "the server's model list is larger than 32 MiB", in every wire format,
// instead of being read whole into memory as it was (the chat's whole
// answers had the cap, the listing not).
func TestHugeModelListIsCapped(t *testing.T) {
	const want = "the server's model list is larger than 32 MiB"
	for _, tc := range []struct {
		name, path   string
		kind         providers.Kind
		ct           string
		start, entry string
	}{
		{"openai", "/v1", providers.KindOpenAI, "application/json", `{"object":"list","data":[`, `{"id":"gpt-x","object":"model"},`},
		{"compatible", "/v1", providers.KindCompatible, "application/json", `{"object":"list","data":[`, `{"id":"llama3.2","object":"model"},`},
		{"anthropic", "", providers.KindAnthropic, "application/json", `{"data":[`,
			`{"type":"model","id":"claude-x","display_name":"X","created_at":"2025-01-01T00:00:00Z"},`},
		{"gemini", "", providers.KindGemini, "application/json", `{"models":[`,
			`{"name":"models/gemini-x","supportedGenerationMethods":["generateContent"]},`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := hugeList(t, tc.ct, tc.start, tc.entry)
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: srv.URL + tc.path, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			ids, err := c.Models(context.Background())
			if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "list models ") || len(ids) != 0 {
				t.Fatalf("models: %d ids, %v; want %q", len(ids), err, want)
			}
		})
	}
}
