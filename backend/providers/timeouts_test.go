package providers_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// reportedWithin is how soon a failure bounded by a test's short timeouts
// (100-300 ms) must be reported: well under the old 30 s connect and 120 s
// idle waits, with room for a loaded machine.
const reportedWithin = 5 * time.Second

// serviceWith is a provider service on a fresh data folder with opts
// (a sealed vault in that folder).
func serviceWith(t *testing.T, opts providers.ServiceOptions) *providers.Service {
	t.Helper()
	f := newFixture(t, nil)
	opts.Vault = &providers.Sealed{Dir: f.dir}
	return providers.NewService(f.db, f.dir, opts)
}

// TestListingIsBoundedWhenTheServerSaysNothing: a server that takes the
// connection but never answers (a local server loading a model) fails a
// model listing, and so a connection test, after the list timeout with a
// message that says so, not after the 120 s idle timeout. A chat stream is
// not held to that bound: its first token may come later.
func TestListingIsBoundedWhenTheServerSaysNothing(t *testing.T) {
	const bound = 200 * time.Millisecond
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fake.New(tc.flavor, fake.Script{Fault: fake.Silent})
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: srv.BaseURL(), APIKey: testKey, ListTimeout: bound})
			if err != nil {
				t.Fatal(err)
			}
			for name, call := range map[string]func() error{
				"models": func() error { _, err := c.Models(context.Background()); return err },
				"test":   func() error { return c.Test(context.Background()) },
			} {
				start := time.Now()
				err := call()
				if took := time.Since(start); took > reportedWithin {
					t.Errorf("%s: reported after %s", name, took)
				}
				if !errors.Is(err, providers.ErrTimeout) || errors.Is(err, providers.ErrOffline) ||
					!strings.Contains(err.Error(), "no answer within 200ms: the server accepted the connection but did not reply; is it busy loading a model?") {
					t.Errorf("%s: err = %v, want the list timeout's message", name, err)
				}
			}
			// A first token later than the list bound still arrives.
			srv.SetScript(fake.Script{Chunks: []string{"late"}, Usage: reported, FirstDelay: 2 * bound})
			if res, err, _ := collect(context.Background(), c, request(tc.model)); err != nil || res.Text != "late" {
				t.Errorf("slow first token: %q, %v", res.Text, err)
			}
		})
	}
}

// TestConnectionTestAndPickerAreBounded: the window's "Test connection"
// (TestInput) and the model picker (Service.Models) on a silent server end
// after the list timeout: the test fails with the message, not offline; the
// picker falls back to the last known list, marked stale, with the reason.
func TestConnectionTestAndPickerAreBounded(t *testing.T) {
	srv := fake.NewOpenAI(fake.Script{})
	defer srv.Close()
	svc := serviceWith(t, providers.ServiceOptions{ListTimeout: 300 * time.Millisecond})
	p, err := svc.Add(as(admin), providers.Input{Name: "Box", Kind: providers.KindCompatible, BaseURL: srv.BaseURL()})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetScript(fake.Script{Fault: fake.Silent})
	start := time.Now()
	res, err := svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: srv.BaseURL()})
	if took := time.Since(start); took > reportedWithin {
		t.Errorf("connection test answered after %s", took)
	}
	if err != nil || res.OK || res.Offline || res.Status != 0 ||
		!strings.Contains(res.Message, "no answer within 300ms: the server accepted the connection but did not reply") {
		t.Fatalf("test = %+v, %v", res, err)
	}
	start = time.Now()
	ml, err := svc.Models(as(member), p.ID)
	if took := time.Since(start); took > reportedWithin {
		t.Errorf("model list answered after %s", took)
	}
	if err != nil || !ml.Stale || len(ml.Models) == 0 || !strings.Contains(ml.Error, "no answer within 300ms") {
		t.Fatalf("models = %+v, %v", ml, err)
	}
}

// blackHole stands for a network that swallows connection attempts (a
// firewall dropping SYNs, an address nobody routes): the dial waits until
// its timeout. No packet is sent.
func blackHole(ctx context.Context, network, address string, c syscall.RawConn) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestUnreachableAddressIsOfflineWithinTheDialTimeout: connecting is bounded
// by the transport's dial timeout (10 s by default, 30 s in net/http), and a
// connection that never completes is offline: chat, the model list and a
// connection test say they could not connect.
func TestUnreachableAddressIsOfflineWithinTheDialTimeout(t *testing.T) {
	hc := &http.Client{Transport: providers.NewTransport(providers.TransportOptions{DialTimeout: 100 * time.Millisecond, Control: blackHole})}
	const base = "https://203.0.113.7/v1" // TEST-NET-3, never dialled: the black hole holds it
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: base, APIKey: testKey, HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			check := func(step string, call func() error) {
				t.Helper()
				start := time.Now()
				err := call()
				if took := time.Since(start); took > reportedWithin {
					t.Errorf("%s: reported after %s", step, took)
				}
				if !errors.Is(err, providers.ErrOffline) || !strings.HasPrefix(err.Error(), "offline: the provider cannot be reached: cannot connect to 203.0.113.7: ") {
					t.Errorf("%s: err = %v, want offline, cannot connect", step, err)
				}
			}
			check("stream", func() error { _, err, _ := collect(context.Background(), c, request(tc.model)); return err })
			check("models", func() error { _, err := c.Models(context.Background()); return err })
		})
	}
	svc := serviceWith(t, providers.ServiceOptions{HTTPClient: hc})
	res, err := svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindOpenAI, BaseURL: base, APIKey: testKey})
	if err != nil || res.OK || !res.Offline || !strings.Contains(res.Message, "cannot connect to 203.0.113.7") {
		t.Fatalf("test = %+v, %v", res, err)
	}
}

// TestDefaultTransportBoundsConnecting: without a transport of its own, a
// provider connects through one whose dial gives up after
// DefaultDialTimeout (seen as the deadline the dial carries; nothing waits
// for it), and whose TLS handshake is bounded too.
func TestDefaultTransportBoundsConnecting(t *testing.T) {
	if providers.DefaultDialTimeout != 10*time.Second || providers.DefaultTLSHandshakeTimeout != 10*time.Second ||
		providers.DefaultListTimeout != 15*time.Second {
		t.Fatalf("timeouts %s/%s/%s, documented as 10 s, 10 s and 15 s",
			providers.DefaultDialTimeout, providers.DefaultTLSHandshakeTimeout, providers.DefaultListTimeout)
	}
	var left time.Duration
	tr := providers.NewTransport(providers.TransportOptions{Control: func(ctx context.Context, _, _ string, _ syscall.RawConn) error {
		if d, ok := ctx.Deadline(); ok {
			left = time.Until(d)
		}
		return errors.New("refused by the test")
	}})
	if _, err := (&http.Client{Transport: tr}).Get("http://203.0.113.7/"); err == nil {
		t.Fatal("dial passed the test's refusal")
	}
	if left <= 8*time.Second || left > providers.DefaultDialTimeout {
		t.Errorf("the dial had %s left, want about %s", left, providers.DefaultDialTimeout)
	}
	if tr.TLSHandshakeTimeout != providers.DefaultTLSHandshakeTimeout || tr.Proxy == nil || !tr.ForceAttemptHTTP2 || tr.MaxIdleConns == 0 {
		t.Errorf("transport lost the default's settings: %+v", tr)
	}
}

// tlsSilent accepts TCP connections and never answers: a TLS handshake
// with it never completes.
func tlsSilent(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// dialTo is a transport (trusting roots, if given) that connects every
// address to addr: a provider name that resolves to a test server without
// a DNS server.
func dialTo(t *testing.T, addr string, trust *http.Client) *http.Client {
	t.Helper()
	tr := providers.NewTransport(providers.TransportOptions{})
	if trust != nil {
		tr.TLSClientConfig = trust.Transport.(*http.Transport).TLSClientConfig.Clone()
	}
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// TestTLSFailuresAreOffline: a certificate the system does not trust (a
// captive portal's, a proxy's, a mistyped address's) and a TLS handshake
// that never finishes are offline, in plain words, with nothing sent.
func TestTLSFailuresAreOffline(t *testing.T) {
	silent := tlsSilent(t)
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewTLS(tc.flavor, fake.Script{Chunks: []string{"leaked"}, Usage: reported})
			defer srv.Close()
			path := strings.TrimPrefix(srv.BaseURL(), srv.URL)
			named := "https://example.com" + path // a name the certificate holds
			other := "https://api.example.test" + path
			cases := []struct {
				name, base string
				hc         *http.Client
				want       []string
			}{
				{"untrusted certificate", named, dialTo(t, srv.Listener.Addr().String(), nil), []string{
					"offline: the provider cannot be reached securely at example.com: the provider's certificate is not trusted (x509: certificate signed by unknown authority)",
					"the address may be wrong, or the network intercepts connections (a hotel or airport login page); nothing was sent or charged"}},
				{"certificate for another name", other, dialTo(t, srv.Listener.Addr().String(), srv.Client()), []string{
					"offline: the provider cannot be reached securely at api.example.test: the provider's certificate is not trusted (x509: certificate is valid for",
					"not api.example.test", "a hotel or airport login page"}},
				{"local server's certificate", srv.BaseURL(), nil, []string{
					"offline: the provider cannot be reached securely at " + srv.Listener.Addr().String() + ": the local server's certificate is not trusted (x509: ",
					"use http:// for a server on this machine"}},
				{"handshake never finishes", "https://" + silent + path,
					&http.Client{Transport: providers.NewTransport(providers.TransportOptions{TLSHandshakeTimeout: 100 * time.Millisecond})}, []string{
						"offline: the provider cannot be reached: cannot connect to " + silent + ": the connection was accepted but the secure (TLS) handshake did not finish (net/http: TLS handshake timeout)"}},
			}
			for _, cs := range cases {
				c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: cs.base, APIKey: testKey, HTTPClient: cs.hc})
				if err != nil {
					t.Fatal(err)
				}
				for step, call := range map[string]func() error{
					"stream": func() error { _, err, _ := collect(context.Background(), c, request(tc.model)); return err },
					"models": func() error { _, err := c.Models(context.Background()); return err },
				} {
					start := time.Now()
					err := call()
					if took := time.Since(start); took > reportedWithin {
						t.Errorf("%s, %s: reported after %s", cs.name, step, took)
					}
					if !errors.Is(err, providers.ErrOffline) {
						t.Errorf("%s, %s: err = %v, want ErrOffline", cs.name, step, err)
						continue
					}
					for _, w := range cs.want {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("%s, %s: err = %q, want %q in it", cs.name, step, err, w)
						}
					}
				}
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("the server received %d requests through a refused certificate", n)
			}
		})
	}
}

// TestShortKeyLeavesMessagesReadable: a placeholder key for a local server
// ("x") is redacted only where it stands as a word of its own, so errors
// that contain the letter keep their words.
func TestShortKeyLeavesMessagesReadable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script fake.Script
		want   string
	}{
		{"malformed", fake.Script{Fault: fake.Malformed, FailAfter: 1}, "unexpected end of JSON input"},
		{"key echoed", fake.Script{Fault: fake.Unauthorized}, "Incorrect API key provided: [redacted]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewOpenAI(tc.script)
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.BaseURL(), APIKey: "x"})
			if err != nil {
				t.Fatal(err)
			}
			_, err, _ = collect(context.Background(), c, request("llama3.2"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q in it", err, tc.want)
			}
			if strings.Count(err.Error(), "[redacted]") != strings.Count(tc.want, "[redacted]") {
				t.Errorf("err = %q redacts words that are not the key", err)
			}
		})
	}
}

// TestTLSFailureOnOwnNetwork: a server on a private network (an address
// such as 192.168.1.20 or fd12::7, a name such as gpu-box or nas.local)
// whose certificate is not trusted (a self-signed Ollama or LM Studio
// behind https) gets advice that fits it: use http:// for it, or install
// its certificate; only install it where http:// would send a key that
// kind always carries. Not the hotel Wi-Fi advice of a public host, which
// stays for public hosts (TestTLSFailuresAreOffline). Nothing is sent.
func TestTLSFailureOnOwnNetwork(t *testing.T) {
	srv := fake.NewTLS(fake.OpenAI, fake.Script{Chunks: []string{"leaked"}, Usage: reported})
	defer srv.Close()
	hc := dialTo(t, srv.Listener.Addr().String(), nil) // every name reaches srv, whose certificate is httptest's
	for _, host := range []string{"192.168.1.20:8443", "10.0.0.7", "[fd12:3456::7]:11434", "100.101.102.103", "gpu-box:1234", "nas.local", "llm.home.arpa"} {
		for _, tc := range []struct {
			kind providers.Kind
			want string
		}{
			{providers.KindCompatible, "use http:// for a server on your own network, or install its certificate (or the authority that signed it) on this computer; nothing was sent or charged"},
			{providers.KindOpenAI, "install its certificate (or the authority that signed it) on this computer (http:// would send the API key unencrypted); nothing was sent or charged"},
		} {
			t.Run(host+"/"+string(tc.kind), func(t *testing.T) {
				c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: "https://" + host + "/v1", APIKey: testKey, HTTPClient: hc})
				if err != nil {
					t.Fatal(err)
				}
				// The x509 reason: an unknown authority, or for a name first
				// that the certificate is not for it.
				prefix := "offline: the provider cannot be reached securely at " + host +
					": the certificate of this server on your own network is not trusted (x509: certificate "
				for step, call := range map[string]func() error{
					"chat":   func() error { _, err, _ := collect(context.Background(), c, request("m")); return err },
					"models": func() error { _, err := c.Models(context.Background()); return err },
				} {
					err := call()
					if !errors.Is(err, providers.ErrOffline) || !strings.HasPrefix(err.Error(), prefix) || !strings.HasSuffix(err.Error(), "): "+tc.want) ||
						strings.Contains(err.Error(), "hotel") {
						t.Errorf("%s: err = %v\nwant %s…): %s", step, err, prefix, tc.want)
					}
				}
			})
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the server received %d requests through a refused certificate", n)
	}
}
