package providers_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
)

// TestMemberReadsNoProxyAddress: a provider reached through a proxy that
// refuses (a closed port) or whose name does not resolve (.invalid, with
// credentials in its URL, as HTTP_PROXY may have them), or whose URL does
// not parse, fails with Go's own words naming the proxy ("proxyconnect
// tcp: dial tcp 127.0.0.1:…: connection refused", "DNS lookup of
// corp-proxy….invalid"). A member reads no part of the proxy's address or
// credentials, live (chat, the model picker) or stored with a reply, and
// is told the way to the provider failed, an admin's to fix; an admin
// reads Go's text, live and stored alike. Before, a stored error showed a
// member the proxy's host name ("DNS lookup of corp-proxy…"), and a live
// one said the provider's own address was not answering.
func TestMemberReadsNoProxyAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	const path = "offline: the provider cannot be reached: cannot reach the provider Lab (the network path to it failed); ask your admin"
	proxyAt := func(raw string) func(*http.Request) (*url.URL, error) {
		return func(*http.Request) (*url.URL, error) { return url.Parse(raw) }
	}
	// As http.ProxyFromEnvironment words a proxy URL it cannot parse.
	proxyFromEnv := func(raw string) func(*http.Request) (*url.URL, error) {
		return func(*http.Request) (*url.URL, error) {
			u, err := url.Parse(raw)
			if err != nil {
				return nil, fmt.Errorf("invalid proxy address %q: %v", raw, err)
			}
			return u, nil
		}
	}
	for _, c := range []struct {
		name, base string
		proxy      func(*http.Request) (*url.URL, error)
		member     string   // "" = not pinned (no part of secret below is all that counts)
		secret     []string // in the admin's text, never in a member's
	}{
		{"https through a proxy that refuses", "https://api.example.com/v1", proxyAt("http://" + closed), path,
			[]string{closed, "127.0.0.1", "proxyconnect"}},
		{"http through a proxy that refuses", "http://api.example.com/v1", proxyAt("http://" + closed), path,
			[]string{closed, "127.0.0.1"}},
		{"https through a proxy that does not resolve", "https://api.example.com/v1", proxyAt("http://alice:s3cret@corp-proxy.meterdesk-test.invalid:3128"), path,
			[]string{"corp-proxy.meterdesk-test.invalid"}},
		{"http through a proxy that does not resolve", "http://api.example.com/v1", proxyAt("http://alice:s3cret@corp-proxy.meterdesk-test.invalid:3128"), path,
			[]string{"corp-proxy.meterdesk-test.invalid"}},
		// Go repeats a URL it cannot parse as it was: the password is
		// hidden for an admin too, and it is no malformed response.
		{"a proxy URL that does not parse", "https://api.example.com/v1", proxyAt("http://alice:s3cret@corp proxy.internal:3128"), path,
			[]string{"alice:xxxxx", "proxy.internal:3128", "cannot connect to api.example.com: the proxy setting"}},
		{"a proxy in the environment that does not parse", "https://api.example.com/v1", proxyFromEnv("http://alice:s3cret@corp proxy.internal:3128"), path,
			[]string{"alice:xxxxx", "invalid proxy address", "proxy.internal:3128", "cannot connect to api.example.com: the proxy setting"}},
		{"a proxy in the environment that does not parse, a password with a space", "https://api.example.com/v1", proxyFromEnv("http://alice:s3 cret@corp proxy.internal:3128"), path,
			[]string{"alice:xxxxx@corp proxy.internal:3128", "cannot connect to api.example.com: the proxy setting"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			svc := providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir},
				HTTPClient: &http.Client{Transport: providers.NewTransport(providers.TransportOptions{Proxy: c.proxy})}})
			p, err := svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: c.base, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			var stored string // the admin's text, as chat stores a member's failed reply (AdminText)
			for _, who := range []access.Actor{admin, member} {
				ctx := as(who)
				cl, err := svc.Client(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, serr := cl.Stream(ctx, providers.Request{Model: "m", Messages: []providers.Message{{Role: "user", Content: "hi"}}}, func(string) error { return nil })
				if serr == nil {
					t.Fatalf("%s: no error", who.Name)
				}
				ml, err := svc.Models(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if who == member {
					stored = providers.AdminText(serr.Error(), serr)
				}
				words, err := providers.StoredErrorWords(ctx, f.db, "Lab")
				if err != nil {
					t.Fatal(err)
				}
				texts := map[string]string{"chat": serr.Error(), "models": ml.Error}
				if stored != "" {
					texts["stored"] = words(stored)
				}
				for where, text := range texts {
					if strings.Contains(text, testKey) {
						t.Errorf("%s, %s: %q has the key", who.Name, where, text)
					}
					for _, s := range []string{"s3cret", "s3 cret", "malformed"} { // anyone's
						if strings.Contains(text, s) {
							t.Errorf("%s, %s: %q has %q", who.Name, where, text, s)
						}
					}
					switch who {
					case admin:
						for _, s := range c.secret {
							if !strings.Contains(text, s) {
								t.Errorf("admin, %s: %q, want Go's text (%s)", where, text, s)
							}
						}
					case member:
						for _, s := range append(c.secret, "alice", "s3cret", "corp", "meterdesk-test", "api.example.com", "://", "3128") {
							if strings.Contains(text, s) {
								t.Errorf("member, %s: %q names %q", where, text, s)
							}
						}
						if c.member != "" && text != c.member {
							t.Errorf("member, %s:\n got %q\nwant %q", where, text, c.member)
						}
					}
				}
			}
			// An admin reads the stored text as it was.
			words, err := providers.StoredErrorWords(as(admin), f.db, "Lab")
			if err != nil {
				t.Fatal(err)
			}
			if got := words(stored); got != stored {
				t.Errorf("admin, stored: %q, want %q", got, stored)
			}
		})
	}
}

// TestAdminReadsNoProxyPasswordStored: a reply's error stored by an older
// version with a proxy's password in it (Go repeats a proxy URL it cannot
// parse as it was) shows an admin the URL with the password hidden; a text
// with none reads as it was. AdminText, what chat stores, hides it too.
func TestAdminReadsNoProxyPasswordStored(t *testing.T) {
	f := newFixture(t, nil)
	words, err := providers.StoredErrorWords(as(admin), f.db, "Lab")
	if err != nil {
		t.Fatal(err)
	}
	const old = `chat api.example.com: the provider sent a malformed response: Post "https://api.example.com/v1/chat/completions": parse "http://alice:s3cret@corp proxy:3128": invalid character " " in host name`
	const want = `chat api.example.com: the provider sent a malformed response: Post "https://api.example.com/v1/chat/completions": parse "http://alice:xxxxx@corp proxy:3128": invalid character " " in host name`
	if got := words(old); got != want {
		t.Errorf("admin, stored:\n got %q\nwant %q", got, want)
	}
	if got := providers.AdminText(old, errors.New(old)); got != want {
		t.Errorf("AdminText:\n got %q\nwant %q", got, want)
	}
	const plain = "chat api.example.com: the reply was cut off (the connection closed)"
	if got := words(plain); got != plain {
		t.Errorf("admin, stored: %q, want it as it was", got)
	}
}

// TestConnectionTestBlamesTheProxy: "Test connection" through a proxy that
// cannot be reached (nothing listening, or a name that does not resolve)
// says the proxy is what to check. It said "Nothing answers at this
// address — is the server running?" and "This address could not be found
// — is the base URL spelled right?", of a provider whose address was
// never tried.
func TestConnectionTestBlamesTheProxy(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	const lead = "The proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY) cannot be reached — is it running, or is the setting out of date? ("
	for _, c := range []struct {
		name, base, proxy, keep string
	}{
		{"a proxy that refuses", "https://api.example.com/v1", "http://" + closed, closed},
		{"a proxy that refuses, a known provider", "https://api.openai.com/v1", "http://" + closed, closed},
		{"a proxy whose name does not resolve", "https://api.example.com/v1", "http://corp-proxy.meterdesk-test.invalid:3128", "DNS lookup of corp-proxy.meterdesk-test.invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			proxy := func(*http.Request) (*url.URL, error) { return url.Parse(c.proxy) }
			svc := providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir},
				HTTPClient: &http.Client{Transport: providers.NewTransport(providers.TransportOptions{Proxy: proxy})}})
			kind := providers.KindCompatible
			if strings.Contains(c.base, "openai.com") {
				kind = providers.KindOpenAI
			}
			res, err := svc.TestInput(as(admin), 0, providers.Input{Name: "Lab", Kind: kind, BaseURL: c.base, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK || !res.Offline || !strings.HasPrefix(res.Message, lead) || !strings.Contains(res.Message, c.keep) {
				t.Errorf("test = %+v\nwant it offline, to start %q and keep %q", res, lead, c.keep)
			}
			// A chat (an admin's words) names the proxy too: the window
			// then asks to check it, not to wait to be back online. A
			// proxy whose name does not resolve read "its address could
			// not be found (DNS lookup of corp-proxy…)", as the provider's.
			{
				p, err := svc.Add(as(admin), providers.Input{Name: "Lab", Kind: kind, BaseURL: c.base, APIKey: testKey})
				if err != nil {
					t.Fatal(err)
				}
				cl, err := svc.Client(as(admin), p.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = cl.Models(context.Background())
				why := "proxyconnect tcp: dial tcp " + closed
				if !strings.Contains(c.proxy, closed) {
					why = "the proxy's address could not be found (DNS lookup of corp-proxy.meterdesk-test.invalid"
				}
				want := "offline: the provider cannot be reached: cannot connect to " + strings.TrimPrefix(strings.TrimSuffix(c.base, "/v1"), "https://") +
					" through the proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY): " + why
				if !errors.Is(err, providers.ErrOffline) || err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("chat error %v\nwant it to start %q", err, want)
				}
			}
		})
	}
}
