package providers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// resolvingTo is a client whose every connection reaches addr, as if the
// name asked for had resolved to resolved: it reports resolved to the
// call's trace as net.Dialer reports the address it connected to (a LAN's
// DNS answering ollama.example.com with 192.168.1.20).
func resolvingTo(t *testing.T, addr, resolved string) *http.Client {
	t.Helper()
	tr := providers.NewTransport(providers.TransportOptions{})
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if trace := httptrace.ContextClientTrace(ctx); err == nil && trace != nil && trace.ConnectDone != nil {
			trace.ConnectDone(network, resolved, nil)
		}
		return c, err
	}
	return &http.Client{Transport: tr}
}

// TestTLSFailureResolvedToOwnNetwork: a name that looks public but
// resolves to a private address (ollama.example.com in a LAN's DNS) got
// the public "hotel Wi-Fi" advice for a certificate it does not trust; the
// address connected to decides now, as the name does for gpu-box or
// nas.local. One that resolves to a public address keeps the public
// advice, and so does a call through a proxy (the address is the proxy's).
func TestTLSFailureResolvedToOwnNetwork(t *testing.T) {
	srv := fake.NewTLS(fake.OpenAI, fake.Script{Chunks: []string{"leaked"}, Usage: reported})
	defer srv.Close()
	const lan = "the certificate of this server on your own network is not trusted (x509: "
	const lanWay = "use http:// for a server on your own network, or install its certificate (or the authority that signed it) on this computer; nothing was sent or charged"
	const public = "the provider's certificate is not trusted (x509: "
	for _, tc := range []struct {
		name, resolved string
		proxy          bool
		want, way      string
	}{
		{"private IPv4", "192.168.1.20:443", false, lan, lanWay},
		{"private IPv6", "[fd12:3456::7]:443", false, lan, lanWay},
		{"tailscale", "100.101.102.103:443", false, lan, lanWay},
		{"public", "203.0.113.5:443", false, public, "the address may be wrong, or the network intercepts connections (a hotel or airport login page); nothing was sent or charged"},
		{"through a proxy", "10.0.0.1:3128", true, public, "the address may be wrong"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			to := srv.Listener.Addr().String()
			if tc.proxy {
				to = connectProxy(t, to)
			}
			hc := resolvingTo(t, to, tc.resolved)
			if tc.proxy {
				hc.Transport.(*http.Transport).Proxy = func(*http.Request) (*url.URL, error) {
					return url.Parse("http://proxy.example.com:3128")
				}
			}
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: "https://ollama.example.com/v1", HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Models(context.Background())
			if tc.proxy {
				if !strings.Contains(err.Error(), public) || strings.Contains(err.Error(), "your own network") {
					t.Errorf("through a proxy: %v; want the public advice", err)
				}
				return
			}
			prefix := "offline: the provider cannot be reached securely at ollama.example.com: " + tc.want
			if !errors.Is(err, providers.ErrOffline) || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), "): "+tc.way) {
				t.Errorf("err = %v\nwant %s…): %s", err, prefix, tc.way)
			}
		})
	}
}

// connectProxy is an HTTP proxy at a new address that tunnels every
// CONNECT to to (whatever host it names), and returns its address.
func connectProxy(t *testing.T, to string) string {
	t.Helper()
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		up, err := net.Dial("tcp", to)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			_ = up.Close()
			return
		}
		_ = buf.Flush()
		go func() { _, _ = io.Copy(up, buf); _ = up.Close() }()
		_, _ = io.Copy(conn, up)
		_ = conn.Close()
	}))
	t.Cleanup(p.Close)
	return p.Listener.Addr().String()
}
