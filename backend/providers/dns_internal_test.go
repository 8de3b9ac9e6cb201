package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDNSFailureNamesNoResolver: a provider whose host name DNS cannot
// resolve reads "its address could not be found (DNS …)" for everyone; an
// admin keeps the name looked up and what DNS said, a member is told
// neither, and nobody reads the DNS server's address, which Go's text
// names ("lookup api.example.com on 10.0.0.53:53: no such host"). A real
// *net.DNSError, as the dialer returns it inside a *net.OpError and a
// *url.Error.
func TestDNSFailureNamesNoResolver(t *testing.T) {
	const resolver = "10.0.0.53:53"
	for _, c := range []struct {
		name           string
		dns            *net.DNSError
		admin, member  string
		connectionTest string
	}{
		{"no such host", &net.DNSError{Err: "no such host", Name: "api.example.com", Server: resolver, IsNotFound: true},
			"offline: the provider cannot be reached: cannot connect to api.example.com: its address could not be found (DNS lookup of api.example.com: no such host)",
			"offline: the provider cannot be reached: cannot reach the provider Lab (its address could not be found by DNS); check your network connection; if it keeps happening, an admin can check the provider's settings",
			"This address could not be found — is the base URL spelled right? (DNS lookup of api.example.com: no such host)"},
		{"the DNS server timed out", &net.DNSError{Err: "read udp 10.0.0.7:41234->" + resolver + ": i/o timeout", Name: "api.example.com", Server: resolver, IsTimeout: true},
			"offline: the provider cannot be reached: cannot connect to api.example.com: its address could not be found (DNS lookup of api.example.com: read udp 10.0.0.7:41234->the DNS server: i/o timeout)",
			"offline: the provider cannot be reached: cannot reach the provider Lab (its address could not be found by DNS); check your network connection; if it keeps happening, an admin can check the provider's settings",
			"The provider's address could not be looked up — is this computer online? (DNS lookup of api.example.com: read udp 10.0.0.7:41234->the DNS server: i/o timeout)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: network, Err: c.dns}
			}}}
			cl, err := New(Config{Kind: KindOpenAI, BaseURL: "https://api.example.com/v1", APIKey: "sk-test-0123456789", HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.Models(context.Background())
			if !errors.Is(err, ErrOffline) || errors.Is(err, ErrLocalDown) {
				t.Fatalf("%v: want ErrOffline, not ErrLocalDown", err)
			}
			if got := err.Error(); got != c.admin {
				t.Errorf("admin:\n got %q\nwant %q", got, c.admin)
			}
			if got := TestFailure(err); got != c.connectionTest {
				t.Errorf("connection test:\n got %q\nwant %q", got, c.connectionTest)
			}
			if got := forMember(err, "Lab", "https://api.example.com/v1").Error(); got != c.member {
				t.Errorf("member:\n got %q\nwant %q", got, c.member)
			}
			for _, s := range []string{err.Error(), TestFailure(err)} {
				if strings.Contains(s, "10.0.0.53") || strings.Contains(s, " on ") {
					t.Errorf("%q names the DNS server", s)
				}
			}
		})
	}
}

// handshakeTimeout stands for net/http's unexported tlsHandshakeTimeoutError.
type handshakeTimeout struct{}

func (handshakeTimeout) Error() string   { return "net/http: TLS handshake timeout" }
func (handshakeTimeout) Timeout() bool   { return true }
func (handshakeTimeout) Temporary() bool { return true }

// TestTLSHandshakeTimeoutByType: net/http's handshake time-out is told by
// its type (a net.Error that timed out, with its own text whole), wrapped
// as the transport wraps it; a text that only quotes it is not one.
func TestTLSHandshakeTimeoutByType(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"net/http's, in a *url.Error", &url.Error{Op: "Post", URL: "https://api.example.com/v1/chat/completions", Err: handshakeTimeout{}}, true},
		{"wrapped with %w", fmt.Errorf("doRequest: %w", &url.Error{Op: "Get", URL: "https://x/v1/models", Err: handshakeTimeout{}}), true},
		{"only the text", errors.New(`Post "https://x/v1": net/http: TLS handshake timeout`), false},
		{"a message quoting it", errors.New("upstream said: TLS handshake timeout"), false},
	} {
		if got := isTLSHandshakeTimeout(c.err); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDNSFailureOfAKnownProviderAsksIfOnline: a known provider's own
// address (api.openai.com, api.anthropic.com, …: Presets) is spelled
// right, so a connection test whose lookup of it fails asks whether this
// computer is online, as one whose DNS server did not answer does; a name
// of the admin's own that DNS says does not exist still asks for the
// spelling. Offline, "Test connection" on OpenAI asked "is the base URL
// spelled right?" of https://api.openai.com/v1.
func TestDNSFailureOfAKnownProviderAsksIfOnline(t *testing.T) {
	notFound := func(name string) *net.DNSError {
		return &net.DNSError{Err: "no such host", Name: name, Server: "10.0.0.53:53", IsNotFound: true}
	}
	for _, c := range []struct {
		kind Kind
		base string
		dns  *net.DNSError
		want string
	}{
		{KindOpenAI, "https://api.openai.com/v1", notFound("api.openai.com"),
			"The provider's address could not be looked up — is this computer online? (DNS lookup of api.openai.com: no such host)"},
		{KindAnthropic, "https://api.anthropic.com", notFound("api.anthropic.com"),
			"The provider's address could not be looked up — is this computer online? (DNS lookup of api.anthropic.com: no such host)"},
		{KindCompatible, "https://openrouter.ai/api/v1", notFound("openrouter.ai"),
			"The provider's address could not be looked up — is this computer online? (DNS lookup of openrouter.ai: no such host)"},
		{KindCompatible, "https://api.openai.co/v1", notFound("api.openai.co"),
			"This address could not be found — is the base URL spelled right? (DNS lookup of api.openai.co: no such host)"},
		// A host written fully qualified (a trailing dot) is the name looked
		// up, not a proxy's: no proxy is set here.
		{KindCompatible, "https://llm.example.com./v1", notFound("llm.example.com."),
			"This address could not be found — is the base URL spelled right? (DNS lookup of llm.example.com.: no such host)"},
		{KindOpenAI, "https://api.openai.com./v1", notFound("api.openai.com."),
			"The provider's address could not be looked up — is this computer online? (DNS lookup of api.openai.com.: no such host)"},
	} {
		t.Run(c.base, func(t *testing.T) {
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: network, Err: c.dns}
			}}}
			cl, err := New(Config{Kind: c.kind, BaseURL: c.base, APIKey: "sk-test-0123456789", HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.Models(context.Background())
			if got := TestFailure(err); got != c.want {
				t.Errorf("connection test:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestDNSFailureOfAnInternationalNameIsNoProxys: a base URL whose host has
// letters beyond ASCII ("bücher.example") is looked up under its IDNA name
// ("xn--bcher-kva.example": net/http converts it), which is the provider's
// own name, not a proxy's. With no proxy set, the chat told an admin "…
// through the proxy this computer is set to use (HTTPS_PROXY or
// HTTP_PROXY): the proxy's address could not be found", Test connection
// "The proxy this computer is set to use … cannot be reached", and a
// member "the network path to it failed; ask your admin".
func TestDNSFailureOfAnInternationalNameIsNoProxys(t *testing.T) {
	const base = "https://bücher.example/v1"
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, Server: "10.0.0.53:53", IsNotFound: true}}
	}}}
	cl, err := New(Config{Kind: KindCompatible, BaseURL: base, APIKey: "sk-test-0123456789", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Models(context.Background())
	if want := "offline: the provider cannot be reached: cannot connect to bücher.example: its address could not be found (DNS lookup of xn--bcher-kva.example: no such host)"; err == nil || err.Error() != want {
		t.Errorf("admin:\n got %v\nwant %q", err, want)
	}
	if got, want := TestFailure(err), "This address could not be found — is the base URL spelled right? (DNS lookup of xn--bcher-kva.example: no such host)"; got != want {
		t.Errorf("connection test:\n got %q\nwant %q", got, want)
	}
	if got, want := forMember(err, "Lab", base).Error(), "offline: the provider cannot be reached: cannot reach the provider Lab (its address could not be found by DNS); check your network connection; if it keeps happening, an admin can check the provider's settings"; got != want {
		t.Errorf("member:\n got %q\nwant %q", got, want)
	}
}
