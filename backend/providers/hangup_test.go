package providers_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestConnectionFailuresReadInWords: a provider that closes the connection
// before answering anything (not even a status line) is said so, with its
// host, and that nothing was received or charged (chat voids the hold of a
// call that produced nothing); a connection that ends under a reply says
// how, in words; a malformed stream names the host too. Before, the hang-up
// ended in Go's text (`chat: the reply was cut off before it finished:
// Post "http://host/v1/chat/completions": EOF`), the cut in "unexpected
// EOF", and neither named the host.
func TestConnectionFailuresReadInWords(t *testing.T) {
	step := map[fake.Flavor]string{fake.OpenAI: "chat", fake.DeepSeek: "chat", fake.Anthropic: "chat stream", fake.Gemini: "chat stream"}
	for _, tc := range flavourCases {
		for _, f := range []struct {
			name   string
			script fake.Script
			want   string // after "STEP HOST: "
			is     error
		}{
			{"hang-up", fake.Script{Fault: fake.HangUp}, "the provider closed the connection without answering; nothing was received or charged", providers.ErrInterrupted},
			{"dropped", fake.Script{Fault: fake.Drop, FailAfter: 1}, "the reply was cut off before it finished (the connection closed)", providers.ErrInterrupted},
			{"malformed", fake.Script{Fault: fake.Malformed, FailAfter: 1}, "the provider sent a malformed response: ", providers.ErrMalformed},
		} {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				sc := f.script
				sc.Chunks = []string{"first ", "second"}
				srv := fake.New(tc.flavor, sc)
				defer srv.Close()
				_, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), request(tc.model))
				host := strings.TrimPrefix(srv.URL, "http://")
				s := step[tc.flavor]
				if f.name != "hang-up" {
					s = "chat stream"
				}
				prefix := s + " " + host + ": " + f.want
				var se *providers.StepError
				if !errors.Is(err, f.is) || !strings.HasPrefix(err.Error(), prefix) || !errors.As(err, &se) || se.Host != host ||
					strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "Post ") || strings.Contains(err.Error(), "SECRET") {
					t.Errorf("err = %v\nwant %s…", err, prefix)
				}
				if f.name != "malformed" && err.Error() != prefix {
					t.Errorf("err = %q, want exactly %q", err, prefix)
				}
			})
		}
	}
}

// TestListingHangUpReadsInWords: a server that closes or resets the
// connection on a model listing (a connection test) is said so, with its
// host, and no word of charging: a listing charges nothing anyway.
func TestListingHangUpReadsInWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reset bool
		want  string
	}{
		{"closed", false, "the provider closed the connection without answering; nothing was received"},
		{"reset", true, "the provider reset the connection without answering; nothing was received"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					return
				}
				if tcp, ok := conn.(*net.TCPConn); ok && tc.reset {
					_ = tcp.SetLinger(0) // close with a RST
				}
				_ = conn.Close()
			}))
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1", APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Models(context.Background())
			want := "list models " + strings.TrimPrefix(srv.URL, "http://") + ": " + tc.want
			if err == nil || err.Error() != want || !errors.Is(err, providers.ErrInterrupted) {
				t.Fatalf("err = %v\nwant %s", err, want)
			}
		})
	}
}
