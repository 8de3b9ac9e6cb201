package providers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers"
)

// slowKeyCheck is how long openRouterLike's key check takes for a key with
// "SLOW" in it (which it accepts): longer than the 3 s the listing after a
// save may take, well within the key check's own 10 s.
const slowKeyCheck = 3500 * time.Millisecond

// openRouterLike answers as OpenRouter does: its model list without a key,
// GET /api/v1/key only with the key good (401 otherwise). It speaks https
// (httptest's certificate, for example.com); client connects to it
// whatever host a URL names.
func openRouterLike(t *testing.T, good string) (srv *httptest.Server, client *http.Client) {
	t.Helper()
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/models":
			_, _ = io.WriteString(w, `{"data":[{"id":"openai/gpt-4o"},{"id":"anthropic/claude-sonnet-4.5"}]}`)
		case "/api/v1/key":
			if strings.Contains(r.Header.Get("Authorization"), "BUSY") { // the check itself fails
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, `{"error":{"message":"Service temporarily unavailable","code":503}}`)
				return
			}
			if strings.Contains(r.Header.Get("Authorization"), "GONE") { // the check's path is not served
				http.NotFound(w, r)
				return
			}
			if strings.Contains(r.Header.Get("Authorization"), "EMPTY") { // an empty 200
				return
			}
			if strings.Contains(r.Header.Get("Authorization"), "PORTAL") { // a proxy's sign-in page, 200
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = io.WriteString(w, "<!doctype html><html><head><title>Guest Wi-Fi sign in</title></head><body>Accept the terms</body></html>")
				return
			}
			if strings.Contains(r.Header.Get("Authorization"), "OTHER") { // JSON, but no key's data
				_, _ = io.WriteString(w, `{"ok":true}`)
				return
			}
			if strings.Contains(r.Header.Get("Authorization"), "SLOW") { // a slow server, a good key
				select {
				case <-time.After(slowKeyCheck):
				case <-r.Context().Done():
					// Abort, never answer: a handler that returns writes an
					// empty 200, which the client, closing the connection
					// at its deadline, could still read as the key accepted.
					panic(http.ErrAbortHandler)
				}
				_, _ = io.WriteString(w, `{"data":{"label":"sk-or-v1-slo...low","limit":null,"usage":0,"is_free_tier":false}}`)
				return
			}
			if r.Header.Get("Authorization") != "Bearer "+good {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"error":{"message":"No auth credentials found","code":401}}`)
				return
			}
			_, _ = io.WriteString(w, `{"data":{"label":"sk-or-v1-abc...xyz","limit":null,"usage":0,"is_free_tier":false}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	tr.TLSClientConfig.ServerName = "example.com"
	return srv, &http.Client{Transport: tr}
}

// TestOpenRouterNeedsAKey: OpenRouter's model list is public, so a test
// that only listed models passed with no key or a wrong one. A key is
// required to save it, and the test checks the key (GET /key).
func TestOpenRouterNeedsAKey(t *testing.T) {
	const good = "sk-or-v1-GOOD-0123456789abcdef"
	_, hc := openRouterLike(t, good)
	f := newFixture(t, nil)
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, HTTPClient: hc})
	const base = "https://openrouter.ai/api/v1"
	before := f.dbBytes(t)
	_, err := f.svc.Add(as(admin), providers.Input{Name: "OpenRouter", Kind: providers.KindCompatible, BaseURL: base})
	if !errors.Is(err, providers.ErrNoKey) || !strings.Contains(err.Error(), "OpenRouter") {
		t.Fatalf("add without a key: %v, want ErrNoKey naming OpenRouter", err)
	}
	if _, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base}); !errors.Is(err, providers.ErrNoKey) {
		t.Errorf("test without a key: %v, want ErrNoKey", err)
	}
	if !bytesEqual(before, f.dbBytes(t)) {
		t.Fatal("a refused add wrote something")
	}
	res, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: "sk-or-v1-WRONG-0123456789"})
	if err != nil || res.OK || res.Status != http.StatusUnauthorized || !strings.Contains(res.Message, "the key was refused") ||
		!strings.Contains(res.Message, "No auth credentials found") || strings.Contains(res.Message, "WRONG") {
		t.Errorf("test with a wrong key = %+v, %v; want a failed test with OpenRouter's 401", res, err)
	}
	// A check that fails for another reason (a 503 here; offline, a timeout)
	// says nothing of the key: it is not called refused.
	res, err = f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: "sk-or-v1-BUSY-0123456789"})
	if err != nil || res.OK || !strings.Contains(res.Message, "the key could not be checked") || strings.Contains(res.Message, "refused") {
		t.Errorf("test while the key check fails = %+v, %v; want 'could not be checked', not 'refused'", res, err)
	}
	if !strings.HasPrefix(res.Message, "The model list answers without a key, and the key could not be checked: ") {
		t.Errorf("test while the key check fails: %q, want it capitalised", res.Message)
	}
	// A 404 of the key check is no "Nothing was found at this base URL":
	// the base URL answered the listing.
	res, err = f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: "sk-or-v1-GONE-0123456789"})
	if err != nil || res.OK || res.Status != http.StatusNotFound || strings.Contains(res.Message, "base URL") ||
		!strings.HasPrefix(res.Message, "The model list answers without a key, and the key could not be checked: key check: provider error 404") {
		t.Errorf("test while the key check answers 404 = %+v, %v", res, err)
	}
	res, err = f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: good})
	if err != nil || !res.OK || res.Message != "Connected: 2 models available; the key was accepted." {
		t.Errorf("test with the key = %+v, %v", res, err)
	}
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenRouter", Kind: providers.KindCompatible, BaseURL: base, APIKey: good})
	if err != nil || p.ModelsError != "" {
		t.Fatalf("add with the key = %+v, %v", p, err)
	}
	if _, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "OpenRouter", Kind: providers.KindCompatible, BaseURL: base, ClearKey: true}); !errors.Is(err, providers.ErrNoKey) {
		t.Errorf("clearing the key: %v, want ErrNoKey", err)
	}
	if res, err := f.svc.Test(as(admin), p.ID); err != nil || !res.OK {
		t.Errorf("test of the saved provider = %+v, %v", res, err)
	}
	// Configured as kind openai, OpenRouter's key is checked all the same.
	res, err = f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindOpenAI, BaseURL: base, APIKey: "sk-or-v1-WRONG-0123456789"})
	if err != nil || res.OK || res.Status != http.StatusUnauthorized {
		t.Errorf("test as kind openai with a wrong key = %+v, %v; want OpenRouter's 401", res, err)
	}
	// Any other compatible server still works without a key.
	if _, err := f.svc.Add(as(admin), providers.Input{Name: "Box", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1"}); err != nil {
		t.Errorf("keyless local server: %v", err)
	}
}

// TestOpenRouterSaveChecksTheKey: the listing that follows a save makes
// the key check "Test connection" makes (checkKey): OpenRouter's model
// list answers any key, so a save with a wrong one said "saved" and listed
// the models. Now Add and Update return why the key did not pass
// (KeyError: "the key was refused: …", or "the key could not be checked:
// …" when the check itself failed), the models listed all the same; the
// save stands. A rename, which lists nothing anew, checks nothing.
func TestOpenRouterSaveChecksTheKey(t *testing.T) {
	const good = "sk-or-v1-GOOD-0123456789abcdef"
	_, hc := openRouterLike(t, good)
	f := newFixture(t, nil)
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, HTTPClient: hc})
	const base = "https://openrouter.ai/api/v1"
	const refused = "the key was refused: key check: provider error 401 Unauthorized: No auth credentials found"
	for i, c := range []struct {
		key, want string
	}{
		{good, ""},
		{"sk-or-v1-WRONG-0123456789", refused},
		{"sk-or-v1-BUSY-0123456789", "the key could not be checked: key check: provider error 503"},
	} {
		name := fmt.Sprintf("OpenRouter %d", i)
		p, err := f.svc.Add(as(admin), providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: base, APIKey: c.key})
		if err != nil || p.ModelsError != "" || !strings.HasPrefix(p.KeyError, c.want) || (c.want == "") != (p.KeyError == "") {
			t.Errorf("add with %s: %+v, %v; want KeyError %q", c.key, p, err, c.want)
		}
		if strings.Contains(p.KeyError, c.key[9:]) {
			t.Errorf("KeyError shows the key: %q", p.KeyError)
		}
		if c.want != "" && strings.Contains(c.want, "could not") && strings.Contains(p.KeyError, "refused") {
			t.Errorf("a failed check is called a refusal: %q", p.KeyError)
		}
		// A new key on edit is checked the same way.
		up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: base, APIKey: "sk-or-v1-WRONG-9876543210"})
		if err != nil || up.ModelsError != "" || up.KeyError != refused {
			t.Errorf("update to a wrong key: %+v, %v; want KeyError %q", up, err, refused)
		}
		// A rename lists and checks nothing.
		up, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: name + " renamed", Kind: providers.KindCompatible, BaseURL: base})
		if err != nil || up.KeyError != "" {
			t.Errorf("rename: %+v, %v", up, err)
		}
	}
	if ml, err := f.svc.Models(as(admin), 2); err != nil || len(ml.Models) != 2 || ml.Stale {
		t.Errorf("models after a save with a refused key: %+v, %v", ml, err)
	}
}

// TestKeyCheckHasItsOwnTimeout: the key check after a save shared the 3 s
// of the listing before it (learnTimeout), so a slow but working server
// (its key check answering in 3.5 s) was saved with "the key could not be
// checked". It has its own bound (DefaultKeyCheckTimeout, 10 s); one that
// runs out says the check timed out, and after how long.
func TestKeyCheckHasItsOwnTimeout(t *testing.T) {
	_, hc := openRouterLike(t, "sk-or-v1-GOOD-0123456789abcdef")
	f := newFixture(t, nil)
	const base = "https://openrouter.ai/api/v1"
	const slow = "sk-or-v1-SLOW-0123456789abcdef"
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, HTTPClient: hc})
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenRouter", Kind: providers.KindCompatible, BaseURL: base, APIKey: slow})
	if err != nil || p.ModelsError != "" || p.KeyError != "" {
		t.Fatalf("add with a slow server's good key: %+v, %v; want no KeyError", p, err)
	}
	// Past its own bound, the check says it timed out.
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, HTTPClient: hc,
		KeyCheckTimeout: 300 * time.Millisecond})
	const want = "the key could not be checked: key check timed out: no answer within 300ms: the provider stopped responding (timeout)"
	p, err = f.svc.Add(as(admin), providers.Input{Name: "OpenRouter 2", Kind: providers.KindCompatible, BaseURL: base, APIKey: slow})
	if err != nil || p.ModelsError != "" || p.KeyError != want {
		t.Errorf("add past the key check's bound: KeyError %q, %v; want %q", p.KeyError, err, want)
	}
	res, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: slow})
	if err != nil || res.OK || !strings.HasSuffix(res.Message, "key check timed out: no answer within 300ms: the provider stopped responding (timeout)") {
		t.Errorf("test past the key check's bound: %+v, %v", res, err)
	}
}

// TestKeyCheckNeedsOpenRouterAnswer: a key check answered below 400 passed
// whatever its body, so an empty 200 or a proxy's sign-in page said "the
// key was accepted". The key counts as accepted only with the check's
// answer, a JSON object with a "data" object; anything else says what came
// in the not-an-answer words, and is no refusal of the key.
func TestKeyCheckNeedsOpenRouterAnswer(t *testing.T) {
	_, hc := openRouterLike(t, "sk-or-v1-GOOD-0123456789abcdef")
	f := newFixture(t, nil)
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, HTTPClient: hc})
	const base = "https://openrouter.ai/api/v1"
	const lead = "The model list answers without a key, and the key could not be checked: the key check's answer was not OpenRouter's: "
	for _, c := range []struct {
		key, want string
	}{
		{"sk-or-v1-EMPTY-0123456789", lead + "an empty body (application/json): is a proxy or a sign-in page in the way?"},
		{"sk-or-v1-PORTAL-0123456789", lead + `an HTML page (text/html) titled "Guest Wi-Fi sign in": is a proxy or a sign-in page in the way?`},
		{"sk-or-v1-OTHER-0123456789", lead + "JSON of another kind (application/json): is a proxy or a sign-in page in the way?"},
		{"sk-or-v1-GOOD-0123456789abcdef", "Connected: 2 models available; the key was accepted."},
	} {
		res, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: base, APIKey: c.key})
		if err != nil || res.Message != c.want || res.OK != strings.HasPrefix(c.want, "Connected") {
			t.Errorf("%s: %+v, %v\nwant %q", c.key, res, err, c.want)
		}
	}
	// After a save: the same words, the save standing.
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenRouter", Kind: providers.KindCompatible, BaseURL: base, APIKey: "sk-or-v1-EMPTY-0123456789"})
	const saved = "the key could not be checked: the key check's answer was not OpenRouter's: an empty body (application/json): is a proxy or a sign-in page in the way?"
	if err != nil || p.KeyError != saved {
		t.Errorf("add with an empty key check: %+v, %v; want KeyError %q", p, err, saved)
	}
}
