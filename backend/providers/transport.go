package providers

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"meterdesk/backend/inputerr"
)

// DefaultDialTimeout bounds connecting to a provider, the name lookup
// included (net/http's default transport waits 30 s, and a dead DNS server
// costs 10 s more): an address that cannot be reached is reported as
// offline within it.
const DefaultDialTimeout = 10 * time.Second

// DefaultTLSHandshakeTimeout bounds the TLS handshake after connecting.
const DefaultTLSHandshakeTimeout = 10 * time.Second

// TransportOptions configures NewTransport; zero fields take the defaults.
type TransportOptions struct {
	DialTimeout         time.Duration // 0 = DefaultDialTimeout
	TLSHandshakeTimeout time.Duration // 0 = DefaultTLSHandshakeTimeout
	// Proxy chooses the proxy of a request (see http.Transport.Proxy); nil
	// = http.DefaultTransport's, the environment's (HTTP_PROXY,
	// HTTPS_PROXY, NO_PROXY). Either way a request to this machine
	// (IsLocal) goes direct.
	Proxy func(*http.Request) (*url.URL, error)
	// Control, when set, runs on each new socket before it connects, with
	// the dial's context (whose deadline is the dial timeout). Tests use it
	// to stand for a network that swallows connection attempts.
	Control func(ctx context.Context, network, address string, c syscall.RawConn) error
}

// NewTransport returns the providers' HTTP transport: a clone of
// http.DefaultTransport (proxy from the environment, HTTP/2, the idle
// connection pool) whose connecting and TLS handshake are bounded by o,
// and which sends no request for this machine through a proxy
// (localDirect).
func NewTransport(o TransportOptions) *http.Transport {
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.TLSHandshakeTimeout <= 0 {
		o.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else { // replaced by someone: its documented settings
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 100,
			IdleConnTimeout: 90 * time.Second, ExpectContinueTimeout: time.Second}
	}
	d := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second, ControlContext: o.Control}
	t.DialContext = d.DialContext
	t.TLSHandshakeTimeout = o.TLSHandshakeTimeout
	if o.Proxy != nil {
		t.Proxy = o.Proxy
	}
	t.Proxy = localDirect(t.Proxy)
	return t
}

// sharedTransport carries every provider's traffic unless Config.HTTPClient
// brings its own transport: one connection pool for all clients.
var sharedTransport = sync.OnceValue(func() *http.Transport { return NewTransport(TransportOptions{}) })

// checkBaseURL accepts an absolute http(s) URL without credentials, query or
// fragment.
func checkBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, inputerr.New(ErrBadURL, "empty")
	}
	shown := redactedURL(raw) // a password typed in the URL is never repeated
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL
		}
		return nil, inputerr.New(ErrBadURL, "%q: %v", shown, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, inputerr.New(ErrBadURL, "%q: must start with http:// or https://", shown)
	case u.Host == "" || u.Hostname() == "":
		return nil, inputerr.New(ErrBadURL, "%q: no host", shown)
	case u.User != nil:
		return nil, inputerr.New(ErrBadURL, "%q: do not put credentials in the URL; use the API key field", shown)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, inputerr.New(ErrBadURL, "%q: no query or fragment allowed", shown)
	}
	return u, nil
}

// redactedURL is raw as a refusal may repeat it: a password in its user
// part ("https://u:sk-…@host") replaced by "xxxxx" as url.URL.Redacted
// does, and a user part without a password ("https://sk-…@host", a token
// more often than a name) replaced whole; found by hand so that a URL
// url.Parse refuses (a space, a bad port) is redacted too.
//
// The user part is looked for in the authority only, as RFC 3986 and
// url.Parse read it (up to the first '/', '?' or '#'): it ends at the
// authority's last '@', so a password with a space ("u:ab cd@host") is
// hidden whole, and an '@' in the path ("https://host/v1/@x") is no user
// part. A password typed unencoded may hold '/', '?' or '#'
// ("https://u:ab/cd@host"): the authority is then no host[:port] ("u:ab"),
// and the user part ends at the last '@'. So too when it could be a host
// name but is no plausible one (no dot, no port, not localhost, not an IP:
// "sk-abc123" of "https://sk-abc123/def456@api.example.com") and text
// ends at the last '@' (not a '/', '?', '#', '&', '=' or space: a token's
// end), whatever follows it ("http://sk-abc/def@ollama/v1" too): a token
// holding a '/' is hidden whole ("https://xxxxx@api.example.com"), never
// its first part repeated. Otherwise, after a host ("https://host/v1/me@x"), the text
// before each later '@', back to the '/', '?', '#', '&', '=' or space before
// it, is hidden ("https://host/v1/xxxxx@x"): it may be the rest of a token,
// and the host stays as typed; an '@' alone in the path
// ("https://host/v1/@x") is shown as typed.
//
// The values of its query are hidden too, as queryValueHidden says
// (hideQueryCredentials: "?pwd=xxxxx", "?api-version=2024-02-01" kept).
func redactedURL(raw string) string {
	return hideQueryCredentials(redactedUser(raw))
}

// redactedUser is redactedURL without the query's rule: raw with its
// user part hidden.
func redactedUser(raw string) string {
	prefix, rest, authority := urlParts(raw)
	end := len(authority)
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		return prefix + hiddenUser(rest[:at]) + rest[at:]
	}
	if !strings.Contains(rest[end:], "@") {
		return raw
	}
	if userPastPath(authority, rest) {
		at := strings.LastIndex(rest, "@")
		return prefix + hiddenUser(rest[:at]) + rest[at:]
	}
	var b strings.Builder
	b.WriteString(prefix + authority)
	tail := rest[end:]
	for {
		at := strings.Index(tail, "@")
		if at < 0 {
			break
		}
		from := strings.LastIndexFunc(tail[:at], func(r rune) bool { return strings.ContainsRune("/?#&=", r) || unicode.IsSpace(r) }) + 1
		b.WriteString(tail[:from])
		if from < at {
			b.WriteString("xxxxx")
		}
		b.WriteString("@")
		tail = tail[at+1:]
	}
	b.WriteString(tail)
	return b.String()
}

// urlParts splits raw into its scheme and "://" (prefix, "" without
// them), what follows (rest), and rest's authority as RFC 3986 reads it:
// up to the first '/', '?' or '#'.
func urlParts(raw string) (prefix, rest, authority string) {
	rest = raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return prefix, rest, rest[:end]
}

// userPastPath reports whether rest (a URL after its "://") up to its
// last '@' is one user part although its authority holds no '@': a
// password or token holding '/', '?' or '#', either because the authority
// is no host[:port] ("u:ab" of "u:ab/cd@host") or because it is no
// plausible host and text ends at the '@' ("sk-abc123" of
// "sk-abc123/def456@api.example.com/v1", "sk-abc" of
// "sk-abc/def@ollama/v1": what follows the '@' need not look like a host,
// a dotless "ollama" is one). An '@' alone after a dotless host
// ("http://ollama/v1/@x", "http://ollama/v1/ @x") ends no token and stays
// a path. redactedURL hides it whole; NormalizeBaseURL refuses it
// (credentialsPastPath).
func userPastPath(authority, rest string) bool {
	at := strings.LastIndex(rest, "@")
	if strings.Contains(authority, "@") || at < len(authority) {
		return false
	}
	if !hostPort(authority) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(rest[:at])
	return !plausibleHost(authority) && !strings.ContainsRune("/?#&=", before) && !unicode.IsSpace(before)
}

// credentialsPastPath reports whether raw holds a token typed with a '/'
// in it before its host (userPastPath): url.Parse reads it as a host and a
// path, with no user part for checkBaseURL to refuse.
func credentialsPastPath(raw string) bool {
	_, rest, authority := urlParts(raw)
	return userPastPath(authority, rest)
}

// plausibleHost reports whether authority, a hostPort, looks like a host a
// base URL names rather than the start of a token: it has a dot (a domain
// name or an IPv4 address), a port, brackets (an IPv6 address), or is
// localhost.
func plausibleHost(authority string) bool {
	return strings.ContainsAny(authority, ".:[") || strings.EqualFold(authority, "localhost")
}

// hiddenUser is a URL's user part as redactedURL shows it: "u:xxxxx" for
// a name and a password, "xxxxx" for a user part alone (often a token,
// "https://sk-…@host"). A name is one before any '/', '?' or '#': in
// "sk-abc/de:f" the ':' is part of the token, hidden whole.
func hiddenUser(user string) string {
	if c := strings.Index(user, ":"); c >= 0 && !strings.ContainsAny(user[:c], "/?#") {
		return user[:c] + ":xxxxx"
	}
	return "xxxxx"
}

// hostPort reports whether s can be a URL's host[:port]: a name or an
// IPv4 address (letters, digits, '.', '-', '_', '~', '%' and any non-ASCII
// letter) or a bracketed IPv6 address, then, optionally, ':' and digits.
func hostPort(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		i := strings.Index(s, "]")
		if i < 0 {
			return false
		}
		host, port = s[:i+1], s[i+1:]
	} else if i := strings.LastIndex(s, ":"); i >= 0 {
		host, port = s[:i], s[i:]
	}
	if port != "" && (port[0] != ':' || strings.IndexFunc(port[1:], func(r rune) bool { return r < '0' || r > '9' }) >= 0) {
		return false
	}
	if host == "" || strings.HasPrefix(host, "[") {
		return host != ""
	}
	return strings.IndexFunc(host, func(r rune) bool {
		return !(r >= 0x80 && unicode.IsLetter(r) || r < 0x80 && (hostByte(byte(r), true) || r == '~' || r == '%'))
	}) < 0
}

// localDirect wraps a transport's proxy choice (next; nil = no proxy) so
// that a request to this machine (IsLocal: localhost, *.localhost,
// 127.0.0.0/8, ::1) never goes through a proxy. Go's own rule
// (http.ProxyFromEnvironment) skips only "localhost" and loopback
// addresses, so ollama.localhost would have gone to HTTP_PROXY.
func localDirect(next func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	if next == nil {
		return nil
	}
	return func(req *http.Request) (*url.URL, error) {
		if req.URL != nil && IsLocal(req.URL.String()) {
			return nil, nil
		}
		return next(req)
	}
}

// IsLocal reports whether baseURL points at this machine (localhost,
// *.localhost, 127.0.0.0/8, ::1), where no other network is needed.
func IsLocal(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// SelfHosted reports whether baseURL points at a server the member runs
// rather than a cloud service: on this machine (IsLocal) or on their own
// network by its address or name (a private or link-local address, the
// shared address space Tailscale uses, a name without a dot or under .local,
// .lan, .home, .home.arpa, .internal or .localdomain; nothing is looked
// up). Such a server (Ollama, LM Studio, llama.cpp) names its models as it
// likes, so a name like OpenAI's reasoning models says nothing of what it
// takes: it is sent no reasoning_effort and its output budget as
// max_tokens (ReasoningFor, openaiClient.completionTokensField). A server
// on the network reached by a name that looks public is not counted.
func SelfHosted(baseURL string) bool {
	return IsLocal(baseURL) || onOwnNetwork(baseURL)
}

// onOwnNetwork reports whether baseURL's host is on a private network
// rather than the internet, by its address or its name alone (nothing is
// looked up): a private IPv4 or IPv6 address (10/8, 172.16/12,
// 192.168/16, fc00::/7), a link-local one (169.254/16, fe80::/10), the
// shared address space 100.64/10 (carrier-grade NAT, Tailscale), a name
// without a dot ("gpu-box"), or a name under a suffix only private
// networks use: .local (mDNS), .lan, .home, .home.arpa, .internal,
// .localdomain. This machine (IsLocal) is not counted here. It chooses the
// advice of an error (classify) and, with IsLocal, what a compatible server
// is sent (SelfHosted); nothing is allowed or refused by it.
func onOwnNetwork(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || IsLocal(baseURL) {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip := net.ParseIP(h); ip != nil {
		return privateAddress(ip)
	}
	if h == "" {
		return false
	}
	if !strings.Contains(h, ".") {
		return true
	}
	for _, suffix := range []string{".local", ".lan", ".home", ".home.arpa", ".internal", ".localdomain"} {
		if strings.HasSuffix(h, suffix) {
			return true
		}
	}
	return false
}

// privateAddress reports whether ip is a private network's address (10/8,
// 172.16/12, 192.168/16, fc00::/7), a link-local one, or in the shared
// address space (100.64/10): onOwnNetwork's rule for an address.
func privateAddress(ip net.IP) bool {
	return ip.IsPrivate() || ip.IsLinkLocalUnicast() || sharedAddressSpace.Contains(ip)
}

// sharedAddressSpace is 100.64.0.0/10 (RFC 6598): carrier-grade NAT, and
// the addresses Tailscale gives the machines of a private network.
var sharedAddressSpace = &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}

// httpLayer is the shared HTTP plumbing of every adapter.
type httpLayer struct {
	cfg    Config
	client *http.Client
	base   *url.URL
	host   string
	local  bool
	// lan: the server is on a private network (onOwnNetwork), not this
	// machine and not the internet.
	lan bool
}

// selfHosted reports whether the server is on this machine or the
// member's own network (SelfHosted).
func (h *httpLayer) selfHosted() bool { return h.local || h.lan }

// onOwnNetwork reports whether the server of the call w watched is on a
// private network: by its base URL alone (h.lan), or, for a name that
// looks public (ollama.example.com in a LAN's DNS), by the address the
// name resolved to, when a connection was made to it (watch.dialed) and
// not through a proxy, whose address that would be. It only chooses the
// advice of a certificate error (classify).
func (h *httpLayer) onOwnNetwork(w *watch) bool {
	if h.lan {
		return true
	}
	if h.local || w == nil {
		return false
	}
	addr := w.dialed.Load()
	if addr == nil {
		return false
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		host = *addr
	}
	ip := net.ParseIP(host)
	return ip != nil && privateAddress(ip) && !h.proxied()
}

// proxied reports whether a call to the base URL goes through a proxy (the
// transport's Proxy, from the environment by default): the address then
// connected to is the proxy's, not the server's.
func (h *httpLayer) proxied() bool {
	rt, ok := h.client.Transport.(*roundTripper)
	if !ok {
		return false
	}
	t, ok := rt.base.(*http.Transport)
	if !ok || t.Proxy == nil {
		return false
	}
	u, err := t.Proxy(&http.Request{Method: http.MethodGet, URL: h.base, Header: http.Header{}})
	return err != nil || u != nil
}

// pathHint is the hint for an error that a base URL without its API
// version draws (versionHint: "did you mean BASE/v1?"), "" for any other
// error. Such a URL sends every call to a path the server does not serve,
// which it answers with a 404 that is no answer of its API (Ollama's plain
// "404 page not found", llama.cpp's "File Not Found", an HTML page), or
// with 200 and an error object in place of the answer (inPlace) that
// says the path is not served (LM Studio's {"error":"Unexpected endpoint
// or method. (POST /chat/completions)"}, or an error whose code is 404).
// The API's own errors at such a URL are not that case, and get no hint:
// a 404 about a model ("The model `x` does not exist"), and an error
// object in place of the answer for anything else (a versionless
// gateway's "Insufficient credits", a rate limit). It is the one rule for
// a listing, a connection test and a chat alike (classify, sseReader).
func (h *httpLayer) pathHint(ae *APIError, inPlace bool) string {
	hint := versionHint(h.cfg.Kind, h.base)
	switch {
	case hint == "" || ae == nil:
		return ""
	case ae.Status == http.StatusNotFound && !namesModel(ae.Message):
		return hint
	case inPlace && unservedPath(ae.Message):
		return hint
	}
	return ""
}

// namesModel reports whether an error's message is about a model ("The
// model `gpt-9` does not exist", "model_not_found", Ollama's "model
// \"llama3\" not found, try pulling it first"): the API answered, at the
// path it serves, that the model is missing.
func namesModel(msg string) bool {
	return modelWord.MatchString(msg)
}

var modelWord = regexp.MustCompile(`(?i)\bmodel(\b|_)`)

// unservedPath reports whether an error's message says that the path or
// method asked for is not served (LM Studio's "Unexpected endpoint or
// method. (GET /models)", "Unknown endpoint", "Not Found", "Cannot POST
// /chat/completions").
func unservedPath(msg string) bool {
	m := strings.ToLower(strings.TrimSpace(msg))
	for _, s := range []string{"unexpected endpoint", "unknown endpoint", "no such endpoint", "endpoint not found",
		"route not found", "page not found", "path not found", "cannot get /", "cannot post /"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return m == "not found"
}

func newHTTP(cfg Config) *httpLayer {
	base := http.RoundTripper(sharedTransport())
	c := &http.Client{}
	if cfg.HTTPClient != nil {
		*c = *cfg.HTTPClient
		if cfg.HTTPClient.Transport != nil {
			base = cfg.HTTPClient.Transport
		}
	}
	c.Transport = &roundTripper{base: base, key: cfg.APIKey}
	u, _ := url.Parse(cfg.BaseURL)
	h := &httpLayer{cfg: cfg, client: c, base: u, host: u.Host, local: IsLocal(cfg.BaseURL), lan: onOwnNetwork(cfg.BaseURL)}
	c.CheckRedirect = h.checkRedirect(c.CheckRedirect)
	return h
}

// maxRedirects is how many redirects within the provider's own server a
// call follows (net/http's default).
const maxRedirects = 10

// checkRedirect refuses a redirect to another server (another scheme, host
// or port than the base URL's). net/http strips only Authorization on such a
// redirect, so Anthropic's x-api-key, Gemini's x-goog-api-key and, on a 307
// or 308, the prompt would otherwise reach the server named in Location.
// The refusal happens before that request is made. A redirect within the
// same server is followed as before (then next, the HTTPClient's own
// policy, if any, decides).
func (h *httpLayer) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !sameServer(h.base, req.URL) {
			re := &RedirectError{To: redact(req.URL.Scheme+"://"+req.URL.Host, h.cfg.APIKey)}
			if strings.EqualFold(h.base.Scheme, "http") && strings.EqualFold(req.URL.Scheme, "https") &&
				strings.EqualFold(h.base.Hostname(), req.URL.Hostname()) {
				// An upgrade to https on the same host: the base URL
				// should have said https.
				re.UseHTTPS = redact("https://"+req.URL.Host+strings.TrimRight(h.base.EscapedPath(), "/"), h.cfg.APIKey)
			}
			if w, _ := req.Context().Value(watchKey{}).(*watch); w != nil {
				w.redirected.Store(re)
			}
			return re
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// sameServer reports whether b is on the server of a: the same scheme, host
// (case-insensitive) and port (the scheme's default when none is given).
func sameServer(a, b *url.URL) bool {
	if a == nil || b == nil || !strings.EqualFold(a.Scheme, b.Scheme) || !strings.EqualFold(a.Hostname(), b.Hostname()) {
		return false
	}
	return portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// watch follows one call: it records the response status and headers, fails
// the call with ErrTimeout when no byte arrives for idle, and can tap each
// line of the response body (DeepSeek's raw usage).
type watch struct {
	idle     time.Duration
	cancel   context.CancelFunc
	timer    *time.Timer
	timedOut atomic.Bool
	// dialed is the address ("ip:port") of the last connection made for
	// the call (httptrace's ConnectDone, which net.Dialer reports with the
	// address the name resolved to), nil before one; onOwnNetwork reads it.
	dialed atomic.Pointer[string]
	// redirected is the refused redirect (checkRedirect), so that classify
	// names it whatever an SDK made of the error.
	redirected atomic.Pointer[RedirectError]
	// limit bounds the whole call (beginList; 0 = none); overdue is set
	// when it ran out.
	limit      time.Duration
	limitTimer *time.Timer
	overdue    atomic.Bool

	mu     sync.Mutex
	status int
	header http.Header
	tap    func(line []byte) // called with each complete body line, without "\n"
	part   []byte
	// broken is set when reading the body failed other than at its end
	// (the connection dropped: an unexpected EOF, a reset), so that a body
	// cut inside a line (unfinished) is told from one that ended there.
	broken atomic.Bool
	// unstreamed (set by a chat Stream before its request) turns a whole
	// JSON answer to the streaming request into the event stream it stands
	// for (unstreamed.go), or, with cut, the start of one too long to read
	// into the stream delivered so far; nil = bodies are read as they come.
	unstreamed func(body []byte, cut bool) (stream []byte, ok bool)
	// maxWhole bounds a whole JSON answer read into memory
	// (Config.MaxWholeAnswer); tooLarge is set when a chat answer was
	// longer and was cut there (watch.tooLong).
	maxWhole int
	tooLarge atomic.Bool
	// listTooLarge is set when a listing's body was longer than maxWhole
	// (watch.listAnswer, cappedBody): the call fails, read no further.
	listTooLarge atomic.Bool
	// list (set by beginList): the call lists models, whose 2xx answer
	// must be JSON (inspect).
	list bool
	// notAnswer is the 2xx answer that was not the API's (inspect), so
	// that classify names it whatever an SDK made of the error.
	notAnswer atomic.Pointer[NotAnAnswerError]
	// bodyErr is the error object a listing or a chat was answered with
	// under a 2xx status in place of the answer (inspect: listError,
	// unstream), so that classify returns it whatever an SDK made of the
	// failed call.
	bodyErr atomic.Pointer[APIError]
	// page is the HTML page an error status (4xx, 5xx) came with instead of
	// the provider's error (errorPage), so that classify names it.
	page atomic.Pointer[errorPage]
}

// errorPage is an HTML page answered with an error status: a proxy's, a
// firewall's or a load balancer's, not the provider's error.
type errorPage struct {
	title string // its title made safe to show (excerpt), "" when it has none
}

type watchKey struct{}

// begin starts watching a call made with the returned context.
func (h *httpLayer) begin(parent context.Context) (context.Context, *watch) {
	ctx, cancel := context.WithCancel(parent)
	w := &watch{idle: h.cfg.IdleTimeout, cancel: cancel, maxWhole: h.cfg.MaxWholeAnswer}
	w.timer = time.AfterFunc(w.idle, func() {
		w.timedOut.Store(true)
		cancel()
	})
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{ConnectDone: func(_, addr string, err error) {
		if err == nil {
			w.dialed.Store(&addr)
		}
	}})
	return context.WithValue(ctx, watchKey{}, w), w
}

// beginList starts watching a model listing: as begin, and the whole call
// fails with ErrTimeout after cfg.ListTimeout, bytes or not.
func (h *httpLayer) beginList(parent context.Context) (context.Context, *watch) {
	ctx, w := h.begin(parent)
	w.list = true
	w.limit = h.cfg.ListTimeout
	w.limitTimer = time.AfterFunc(w.limit, func() {
		w.overdue.Store(true)
		w.cancel()
	})
	return ctx, w
}

// end stops the timers and releases the call's context.
func (w *watch) end() {
	w.timer.Stop()
	if w.limitTimer != nil {
		w.limitTimer.Stop()
	}
	w.cancel()
}

func (w *watch) touch() {
	if !w.timedOut.Load() {
		w.timer.Reset(w.idle)
	}
}

func (w *watch) record(resp *http.Response) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.status = resp.StatusCode
	w.header = resp.Header.Clone()
}

// response returns the last recorded status and headers.
func (w *watch) response() (int, http.Header) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status, w.header
}

func (w *watch) feed(p []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tap == nil {
		return
	}
	w.part = append(w.part, p...)
	for {
		i := bytes.IndexByte(w.part, '\n')
		if i < 0 {
			break
		}
		w.tap(bytes.TrimRight(w.part[:i], "\r"))
		w.part = w.part[i+1:]
	}
}

// unfinished returns a copy of the body's last line so far when it has no
// newline yet (a line a cut ended inside), nil when there is none. Only a
// tapped body keeps it (feed).
func (w *watch) unfinished() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.part) == 0 {
		return nil
	}
	return bytes.Clone(w.part)
}

// roundTripper records responses on the call's watch, fails a chat's or a
// listing's 2xx answer that is not the API's (watch.inspect: a sign-in
// page) and drops an empty "Authorization: Bearer" header (keyless local
// servers). key is the API key, kept out of errors.
type roundTripper struct {
	base http.RoundTripper
	key  string
}

func (t *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if a := strings.TrimSpace(req.Header.Get("Authorization")); a == "Bearer" {
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	resp, err := t.base.RoundTrip(req)
	w, _ := req.Context().Value(watchKey{}).(*watch)
	if err != nil || w == nil {
		return resp, err
	}
	w.touch()
	w.record(resp)
	if (w.unstreamed != nil || w.list) && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := w.inspect(resp, t.key); err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
		return resp, nil
	}
	resp.Body = &watchedBody{rc: resp.Body, w: w}
	if resp.StatusCode >= http.StatusBadRequest {
		w.errorPage(resp, t.key)
	}
	return resp, nil
}

// errorPage looks at the start of an error answer (4xx, 5xx: resp's body,
// up to sniffLen bytes) and, when it is an HTML page (isHTMLPage) rather
// than the provider's error, keeps the page's title (key removed) as
// w.page, which classify names instead of the page's text. The body stays
// whole for its reader. A body labelled JSON is not looked at.
func (w *watch) errorPage(resp *http.Response, key string) {
	ct := resp.Header.Get("Content-Type")
	if isJSONType(ct) {
		return
	}
	br := bufio.NewReaderSize(resp.Body, sniffLen)
	head, _ := br.Peek(sniffLen) // an error body is read whole anyway; the idle timer still runs
	resp.Body = readCloser{br, resp.Body}
	if isHTMLPage(ct, head) {
		w.page.Store(&errorPage{title: excerpt(htmlTitle(head), key)})
	}
}

// htmlPage is the HTML page an error status came with (errorPage), nil
// when there is none or w is nil.
func (w *watch) htmlPage() *errorPage {
	if w == nil {
		return nil
	}
	return w.page.Load()
}

// watchedBody resets the idle timer on every read and feeds the tap
// (unless untapped).
type watchedBody struct {
	rc       io.ReadCloser
	w        *watch
	untapped bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		b.w.broken.Store(true)
	}
	if n > 0 {
		b.w.touch()
		if !b.untapped {
			b.w.feed(p[:n])
		}
	}
	return n, err
}

func (b *watchedBody) Close() error { return b.rc.Close() }
