package providers_test

import (
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
		{"a proxy URL that does not parse", "https://api.example.com/v1", proxyAt("http://alice:s3cret@corp proxy.internal:3128"), "",
			[]string{"alice:s3cret", "proxy.internal:3128", "api.example.com/v1/"}},
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
