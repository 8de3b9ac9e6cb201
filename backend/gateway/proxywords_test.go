package gateway_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// TestMemberKeyReadsNoProxyAddress: a provider reached through a proxy
// that refuses (Go's "proxyconnect tcp: dial tcp 127.0.0.1:…: connection
// refused") answers a member's API key with the window's and the CLI's
// words, "cannot reach the provider Lab (the network path to it failed);
// ask your admin", no address of the proxy's; an admin's key reads Go's
// text with the proxy's address. So with a proxy whose name does not
// resolve: an admin reads "the proxy's address could not be found (DNS
// lookup of PROXY…)", a member the same words as above, no proxy's name.
// The client is the providers service's, as backend/core wires it.
func TestMemberKeyReadsNoProxyAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	for _, c := range []struct{ proxy, admin string }{
		{"http://" + closed, "proxyconnect tcp: dial tcp " + closed},
		// A proxy whose name does not resolve: an admin reads its name
		// (the proxy's address could not be found, DNS lookup of it), a
		// member neither the name nor the lookup.
		{"http://corp-proxy.meterdesk-test.invalid:3128", "through the proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY): the proxy's address could not be found (DNS lookup of corp-proxy.meterdesk-test.invalid"},
	} {
		t.Run(c.proxy, func(t *testing.T) { memberKeyReadsNoProxyAddress(t, c.proxy, c.admin) })
	}
}

func memberKeyReadsNoProxyAddress(t *testing.T, proxyURL, adminWords string) {
	e := newEnv(t, "100")
	proxy, _ := url.Parse(proxyURL)
	dir := t.TempDir()
	svc := providers.NewService(e.db, dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: dir},
		HTTPClient: &http.Client{Transport: providers.NewTransport(providers.TransportOptions{Proxy: http.ProxyURL(proxy)})}})
	p, err := svc.Add(e.admin, providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: "https://api.example.com/v1", APIKey: "sk-test-proxy"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := svc.Client(e.admin, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newGatewayWith(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, client, e.clock).Handler())
	t.Cleanup(srv.Close)
	e.srv = srv
	alice, _ := access.FromContext(e.admin)
	adminKey, err := e.gw.CreateKey(e.admin, alice.UserID, "admin")
	if err != nil {
		t.Fatal(err)
	}
	const member = "offline: the provider cannot be reached: cannot reach the provider Lab (the network path to it failed); ask your admin"
	for who, key := range map[string]string{"member": e.bobKey, "admin": adminKey.Secret} {
		resp := e.post("/v1/chat/completions", key, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
		got := decode[apiErr](t, resp.Body)
		resp.Body.Close()
		msg := got.Error.Message
		switch who {
		case "member":
			if msg != member {
				t.Errorf("member: %d %q\nwant %q", resp.StatusCode, msg, member)
			}
		case "admin":
			if !strings.Contains(msg, adminWords) {
				t.Errorf("admin: %d %q, want Go's text with the proxy's address: %s", resp.StatusCode, msg, adminWords)
			}
		}
		if strings.Contains(msg, "sk-test-proxy") {
			t.Errorf("%s: %q has the key", who, msg)
		}
	}
	if c := e.charged(); c != "0" {
		t.Fatalf("charged %s", c)
	}
}
