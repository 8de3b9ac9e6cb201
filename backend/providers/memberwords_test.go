package providers_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/app"
	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
)

// TestMemberErrorsNameTheProviderNotItsAddress: a provider's errors reach
// a member (the model picker and `providers models`: Service.Models; a
// chat and the local API: the Client's Stream) naming the provider, with
// no host, address or URL; an admin gets the full text, which they need
// to fix the set-up. Real failures, no network needed: a closed port
// (connection refused), a name that cannot resolve (.invalid), and a
// server answering 404 with Meterdesk's "did you mean …/v1?". The key is
// in neither.
func TestMemberErrorsNameTheProviderNotItsAddress(t *testing.T) {
	notFound := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found at "+r.Host+" for key "+testKey, http.StatusNotFound)
	}))
	defer notFound.Close()
	for _, c := range []struct {
		name, url, address string
		offline            bool
		memberSays         string
		localAddress       string // an admin's providers.LocalAddress (a member's is always "")
	}{
		{"connection refused", "http://127.0.0.1:1/v1", "127.0.0.1", true, "cannot reach the provider Lab (nothing answers at its address)", "127.0.0.1:1"},
		{"unresolvable name", "http://lab.meterdesk-test.invalid:11434/v1", "meterdesk-test.invalid", true, "cannot reach the provider Lab (its address could not be found by DNS)", ""},
		{"404 with a hint", notFound.URL, "127.0.0.1", false, "provider error 404 Not Found: 404 page not found at the provider Lab", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			p, err := f.svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: c.url, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range []access.Actor{admin, member} {
				ctx := as(who)
				ml, err := f.svc.Models(ctx, p.ID)
				if err != nil || !ml.Stale || ml.Offline != c.offline {
					t.Fatalf("%s: models %+v, %v", who.Name, ml, err)
				}
				cl, err := f.svc.Client(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, serr := cl.Stream(ctx, providers.Request{Model: "m", Messages: []providers.Message{{Role: "user", Content: "hi"}}}, func(string) error { return nil })
				if serr == nil || errors.Is(serr, providers.ErrOffline) != c.offline {
					t.Fatalf("%s: stream error %v, want offline %v", who.Name, serr, c.offline)
				}
				// The window's "The local server at 127.0.0.1:1" (chat.ErrorInfo's
				// Address) is read from the error, for an admin only.
				wantAddr := c.localAddress
				if who == member {
					wantAddr = ""
				}
				if got := providers.LocalAddress(serr); got != wantAddr {
					t.Errorf("%s: LocalAddress %q, want %q", who.Name, got, wantAddr)
				}
				var ae *providers.APIError
				if errors.As(serr, &ae) && who == member && ae.Host != "the provider Lab" {
					t.Errorf("member: the local API's host field is %q", ae.Host)
				}
				for where, text := range map[string]string{"models": ml.Error, "chat": serr.Error()} {
					if strings.Contains(text, testKey) || strings.Contains(text, "SECRET") {
						t.Errorf("%s, %s: %q has the key", who.Name, where, text)
					}
					hidden := !strings.Contains(text, c.address) && !strings.Contains(text, "http://") && !strings.Contains(text, ":11434")
					switch who {
					case member:
						if !hidden || !strings.Contains(text, c.memberSays) || strings.Contains(text, "did you mean") {
							t.Errorf("member, %s: %q\nwant %q and no address", where, text, c.memberSays)
						}
					case admin:
						if hidden {
							t.Errorf("admin, %s: %q, want the address (%s)", where, text, c.address)
						}
					}
				}
			}
		})
	}
}

// TestMemberErrorMakingAClientNamesTheProvider: a provider whose stored
// base URL the rules now refuse (an older version saved http:// for the
// openai kind) cannot be used; a member is told so naming the provider,
// not the URL (Client, and Models: the model picker, `providers models`),
// and an admin reads the URL. Before, the error of making the client came
// back unworded: 'invalid base URL: "http://10.1.2.3:8080/v1": …'.
func TestMemberErrorMakingAClientNamesTheProvider(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindOpenAI, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	setStoredURL(t, f, p.ID, "http://10.1.2.3:8080/v1")
	for _, who := range []access.Actor{admin, member} {
		_, cerr := f.svc.Client(as(who), p.ID)
		_, merr := f.svc.Models(as(who), p.ID)
		for where, err := range map[string]error{"client": cerr, "models": merr} {
			if err == nil {
				t.Fatalf("%s, %s: no error", who.Name, where)
			}
			text := err.Error()
			leaks := strings.Contains(text, "10.1.2.3") || strings.Contains(text, "http://")
			switch {
			case who == member && (leaks || text != "invalid base URL: the provider Lab cannot be used at its address; an admin can check its settings"):
				t.Errorf("member, %s: %q, want the provider named and no address", where, text)
			case who == admin && !leaks:
				t.Errorf("admin, %s: %q, want the URL", where, text)
			}
			// The window's words (inputerr.Reason, which app.FormatError
			// sends beside the text and the window shows) are the member's
			// too, not the reason of the refusal the error was made from
			// ("\"http://10.1.2.3:8080/v1\": http:// would send …").
			if who != member {
				continue
			}
			wantReason := "the provider Lab cannot be used at its address; an admin can check its settings"
			for _, e := range []error{err, fmt.Errorf("models: %w", err)} {
				if r := inputerr.Reason(e); r != wantReason {
					t.Errorf("member, %s: reason %q, want %q", where, r, wantReason)
				}
				want := app.RefusalError{Message: e.Error(), Reason: "The" + strings.TrimPrefix(wantReason, "the")} // as a sentence (inputerr.Sentence)
				if got := app.FormatError(e); got != want {
					t.Errorf("member, %s: window gets %#v, want %#v", where, got, want)
				}
			}
		}
	}
}
