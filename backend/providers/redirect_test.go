package providers_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// redirector answers every request with a 307 to the same path and query on
// target (another port, so another server); a 307 makes the client send the
// same method and body again.
func redirector(t *testing.T, target string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// checkRefusedRedirect checks that err is the clear redirect refusal,
// without the key, and that the other server was sent nothing at all.
func checkRefusedRedirect(t *testing.T, step string, err error, other *fake.Server) {
	t.Helper()
	if !errors.Is(err, providers.ErrRedirected) {
		t.Errorf("%s: err = %v, want ErrRedirected", step, err)
	} else if msg := err.Error(); !strings.Contains(msg, "redirected to another server ("+other.URL+"); Meterdesk does not send the key there") {
		t.Errorf("%s: err = %q, want it to name %s and say the key is not sent there", step, msg, other.URL)
	}
	if err != nil && strings.Contains(err.Error(), testKey) {
		t.Errorf("%s: error leaks the key: %v", step, err)
	}
	checkNothingSent(t, step, other)
}

// checkNothingSent checks that the redirect target was sent no request.
func checkNothingSent(t *testing.T, step string, other *fake.Server) {
	t.Helper()
	if reqs := other.Requests(); len(reqs) != 0 {
		t.Errorf("%s: the redirect target received %d requests (first: %s %s)", step, len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// TestRedirectToAnotherServerIsRefused: a provider that answers 307 to
// another server gets the key no further. net/http strips only
// Authorization on such a redirect, so Anthropic's x-api-key and Gemini's
// x-goog-api-key (and the prompt of a 307 POST) would reach it.
func TestRedirectToAnotherServerIsRefused(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			other := fake.New(tc.flavor, fake.Script{Chunks: []string{"leaked"}, Usage: reported})
			defer other.Close()
			origin := redirector(t, other.URL)
			base := origin.URL + strings.TrimPrefix(other.BaseURL(), other.URL)
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: base, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			res, err, _ := collect(context.Background(), c, request(tc.model))
			checkRefusedRedirect(t, "stream", err, other)
			if res.Text != "" || res.Usage != nil {
				t.Errorf("stream result = %+v, want empty", res)
			}
			_, err = c.Models(context.Background())
			checkRefusedRedirect(t, "models", err, other)
			checkRefusedRedirect(t, "test", c.Test(context.Background()), other)
		})
	}
}

// TestRedirectWithinTheServerIsFollowed: a redirect to another path on the
// same scheme, host and port is still followed.
func TestRedirectWithinTheServerIsFollowed(t *testing.T) {
	var moved int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/old/") {
			moved++
			http.Redirect(w, r, strings.TrimPrefix(r.URL.Path, "/old"), http.StatusMovedPermanently)
			return
		}
		if r.URL.Path != "/v1/models" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","data":[{"id":"m-a","object":"model"}]}`))
	}))
	defer srv.Close()
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/old/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Models(context.Background())
	if err != nil || len(got) != 1 || got[0] != "m-a" || moved != 1 {
		t.Errorf("models = %v, %v after %d redirects; want [m-a] after 1", got, err, moved)
	}
}

// TestServiceRefusesRedirectToAnotherServer: the paths that send a saved
// key (adding a provider, which lists its models at once; a connection
// test; a chat stream through Client) all refuse the redirect.
func TestServiceRefusesRedirectToAnotherServer(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			other := fake.New(tc.flavor, fake.Script{Chunks: []string{"leaked"}, Usage: reported})
			defer other.Close()
			origin := redirector(t, other.URL)
			base := origin.URL + strings.TrimPrefix(other.BaseURL(), other.URL)
			p, err := f.svc.Add(as(admin), providers.Input{Name: "P", Kind: tc.kind, BaseURL: base, APIKey: testKey})
			if err != nil {
				t.Fatalf("add: %v", err)
			}
			checkNothingSent(t, "add", other)
			res, err := f.svc.Test(as(admin), p.ID)
			if err != nil || res.OK || !strings.Contains(res.Message, "Meterdesk does not send the key there") || strings.Contains(res.Message, testKey) {
				t.Errorf("test = %+v, %v; want a failed test that says the key was not sent", res, err)
			}
			checkNothingSent(t, "test", other)
			c, err := f.svc.Client(as(member), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err, _ = collect(context.Background(), c, request(tc.model))
			checkRefusedRedirect(t, "chat stream", err, other)
			if strings.Contains(f.logs.String(), testKey) {
				t.Errorf("log contains the key: %s", f.logs.String())
			}
		})
	}
}

// TestRedirectToHTTPSSaysUseHTTPS: a server that upgrades http:// to
// https:// on the same host is not followed (the scheme changes), and the
// error says which base URL to use rather than "another server".
func TestRedirectToHTTPSSaysUseHTTPS(t *testing.T) {
	secure := fake.NewTLS(fake.OpenAI, fake.Script{})
	defer secure.Close()
	origin := redirector(t, secure.URL)
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: origin.URL + "/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	want := "the server requires https: use " + secure.URL + "/v1 as the base URL"
	_, err = c.Models(context.Background())
	if !errors.Is(err, providers.ErrRedirected) || !strings.Contains(err.Error(), want) {
		t.Errorf("models: %v, want ErrRedirected saying %q", err, want)
	}
	_, err, _ = collect(context.Background(), c, request("llama3.2"))
	if !errors.Is(err, providers.ErrRedirected) || !strings.Contains(err.Error(), want) {
		t.Errorf("chat: %v, want ErrRedirected saying %q", err, want)
	}
	checkNothingSent(t, "https", secure)
}
