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
// text with the proxy's address. The client is the providers service's,
// as backend/core wires it.
func TestMemberKeyReadsNoProxyAddress(t *testing.T) {
	e := newEnv(t, "100")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	proxy, _ := url.Parse("http://" + closed)
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
			if !strings.Contains(msg, "proxyconnect") || !strings.Contains(msg, closed) {
				t.Errorf("admin: %d %q, want Go's text with the proxy's address %s", resp.StatusCode, msg, closed)
			}
		}
		if strings.Contains(msg, "sk-test") {
			t.Errorf("%s: %q has the key", who, msg)
		}
	}
	if c := e.charged(); c != "0" {
		t.Fatalf("charged %s", c)
	}
}
