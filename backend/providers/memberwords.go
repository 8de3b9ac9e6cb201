package providers

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
)

// A member is shown a provider's name and kind, never its base URL (which
// may name an internal host: forRole); its errors likewise. Every error of
// a client the Service hands out (Client, Models: chat, the model picker,
// `providers models`, the local API), and of making one, passes through
// wordsFor (memberClient for a client's calls), the one
// place provider errors cross to whoever asked: for a member (a signed-in
// actor who is no admin) the error names the provider, "cannot reach the
// provider Lab (nothing answers at its address)", and has no host, address
// or URL in its text or in the fields the local API reads (APIError.Host,
// StepError.Host, …); an admin, and the system, keep the full text, which
// they need to fix the set-up. The key is removed either way (redact).

// memberClient is a Client whose errors are worded for a member when the
// call's context is a member's (forMember).
type memberClient struct {
	Client
	name string
	base string // the base URL as stored
}

func (c memberClient) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	res, err := c.Client.Stream(ctx, req, onDelta)
	return res, c.words(ctx, err)
}

func (c memberClient) Models(ctx context.Context) ([]string, error) {
	m, err := c.Client.Models(ctx)
	return m, c.words(ctx, err)
}

func (c memberClient) Test(ctx context.Context) error {
	return c.words(ctx, c.Client.Test(ctx))
}

// proveKey is the client's own key check (keyProver), when it has one:
// checkKey asks every client for it.
func (c memberClient) proveKey(ctx context.Context) (bool, error) {
	kp, ok := c.Client.(keyProver)
	if !ok {
		return false, nil
	}
	checked, err := kp.proveKey(ctx)
	return checked, c.words(ctx, err)
}

// words is err as ctx's actor may see it.
func (c memberClient) words(ctx context.Context, err error) error {
	return wordsFor(ctx, err, c.name, c.base)
}

// wordsFor is err, an error of provider name at base, as ctx's actor may
// see it: forMember's words for a member, err itself for an admin or the
// system.
func wordsFor(ctx context.Context, err error, name, base string) error {
	if err == nil {
		return nil
	}
	if a, ok := access.FromContext(ctx); !ok || a.IsAdmin() {
		return err
	}
	return forMember(err, name, base)
}

// MemberError is a provider's error as a member is shown it: Error names
// the provider and no address; Unwrap gives the error it was made from,
// so that errors.Is and errors.As still tell what happened (ErrOffline, an
// *APIError's status…). That error is not kept as it was: forMember
// replaced, in place, the address fields of the typed errors it wraps
// (APIError.Host, Message, Title and Hint, StepError.Host, RedirectError,
// NotAnAnswerError), which are made for the one call that failed, so that
// errors.As gives no address either; the texts of the errors it wraps
// otherwise (a network error's) still name it.
//
// Its Reason is the window's words (inputerr.Reason, which app.FormatError
// and the local API send): the reason of a refusal it wraps, scrubbed as
// its text, or its own ("the provider Lab cannot be used at its address;
// …" for a stored base URL the rules refuse), or "" (the window shows its
// text), and never the reason of the error it wraps as that was written:
// inputerr.Reason stops at the first error with a Reason in the chain, and
// a refused base URL's reason names the URL ("\"http://10.1.2.3:8080/v1\":
// http:// would send the OpenAI API key unencrypted; use https://…").
type MemberError struct {
	text   string
	reason string
	err    error
	full   string // err's text before forMember changed anything: the admin's (AdminText)
}

func (e *MemberError) Error() string  { return e.text }
func (e *MemberError) Reason() string { return e.reason }
func (e *MemberError) Unwrap() error  { return e.err }

// scrubbedError is a StepError's Err as a member reads it (forMember):
// its text with no address, what it wraps unchanged. Not a MemberError,
// so that an error holding a StepError worded once is still worded when
// it reaches forMember again (forMember returns a MemberError as it is).
type scrubbedError struct {
	text   string
	reason string
	err    error
}

func (e *scrubbedError) Error() string  { return e.text }
func (e *scrubbedError) Reason() string { return e.reason }
func (e *scrubbedError) Unwrap() error  { return e.err }

// ipAddress matches an IPv4 address or a bracketed IPv6 one, with its port.
var ipAddress = regexp.MustCompile(`\[[0-9a-fA-F:.%]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

// forMember is err (an error of provider name at base) with no address
// in it: its text names the provider instead, and the fields of the
// errors it wraps that name the host name the provider. More than one
// base is every address the provider has had (StoredErrorWords: a text
// stored earlier may name one it had then); each is scrubbed alike.
func forMember(err error, name string, bases ...string) error {
	var me *MemberError
	if errors.As(err, &me) {
		return err
	}
	label := memberLabel(name)
	scrub := addressScrubber(label, bases...)
	// The errors the local API reads fields of (gateway mapError): made
	// for this call, so they are changed in place. The text is err's as it
	// was with each changed error's text as changed (changed): a redirect
	// names no server ("…redirected to another server; …", not
	// "(https://sso.corp.example)"), and a hint naming an address goes;
	// the texts of wraps (fmt.Errorf's, written once) included. It is
	// scrubbed once, at the end, so a label is never read again: each
	// pair's new text is the one before the fields are scrubbed.
	raw := err.Error()
	var pairs []string // a changed error's text before, and after
	var hints []string // hints removed: out of any text that still has them
	type step struct {
		e    *StepError
		text string // its Err's text as it was
	}
	var steps []step
	walk(err, func(e error) {
		before := e.Error()
		switch v := e.(type) {
		case *APIError:
			if hint := memberHint(v.Hint, scrub); hint != v.Hint {
				hints = append(hints, v.Hint)
				v.Hint = hint
			}
			defer func() { v.Host, v.Message, v.Title = label, scrub(v.Message), scrub(v.Title) }()
		case *StepError:
			// The local API writes Host and Err's own text (gateway
			// providerWords): Err's text names the address dialled
			// ("dial tcp 10.0.0.5:11434: i/o timeout"), so it is read
			// scrubbed (below, once the errors it wraps are changed).
			v.Host = label
			if v.Err != nil {
				steps = append(steps, step{v, v.Err.Error()})
			}
			return // its text is made from its parts, read before
		case *RedirectError:
			v.Host, v.To, v.UseHTTPS = label, "", ""
		case *NotAnAnswerError:
			defer func() { v.Host, v.Excerpt = label, scrub(v.Excerpt) }()
		case *localDown:
			v.host = "" // its text is replaced whole (below)
			return
		default:
			return
		}
		if after := e.Error(); after != before {
			pairs = append(pairs, before, after)
		}
	})
	changed := func(s string) string {
		for i := 0; i < len(pairs); i += 2 {
			s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
		}
		for _, h := range hints { // AddClause's two forms
			s = strings.Replace(s, "; "+h, "", 1)
			s = strings.Replace(s, " "+AddClause(".", h)[2:], "", 1)
		}
		return s
	}
	text := changed(raw)
	for _, st := range steps {
		if now := scrub(changed(st.text)); now != st.e.Err.Error() {
			// Is and As reach what it wraps as before.
			st.e.Err = &scrubbedError{text: now, reason: scrub(changed(inputerr.Reason(st.e.Err))), err: st.e.Err}
		}
	}
	if errors.Is(err, ErrBadURL) {
		// A stored base URL the rules now refuse (New): why it is refused
		// names the URL and what to type instead, the admin's to act on.
		reason := label + " cannot be used at its address; an admin can check its settings"
		return &MemberError{text: ErrBadURL.Error() + ": " + reason, reason: reason, err: err, full: raw}
	}
	// A text stored with a reply (StoredErrorWords) is no longer the error
	// it was: one that starts as ErrOffline's does is read as offline, so
	// that a member reads the same words of it as when it happened.
	offline := errors.Is(err, ErrOffline) || errors.Unwrap(err) == nil && strings.HasPrefix(raw, ErrOffline.Error()+":")
	if !offline {
		return &MemberError{text: scrub(text), reason: scrub(changed(inputerr.Reason(err))), err: err, full: raw}
	}
	// Offline: what went wrong, in words that name no address (the
	// network's own text names the address dialled, or the DNS server's),
	// and who can act on it: a name not found, a time-out or no route may
	// be the member's own network, so that comes first; a server that
	// does not answer or a certificate or handshake that fails is the
	// provider's set-up, the admin's to check.
	why, advice := "", "check your network connection; if it keeps happening, an admin can check the provider's settings"
	const admin = "an admin can check its settings"
	var dns *dnsError
	switch msg := strings.ToLower(text); {
	case throughPath(err, raw, bases):
		// A proxy, or a name that is none of the provider's, on the way:
		// neither the member's to fix nor the provider's settings.
		why, advice = "the network path to it failed", "ask your admin"
	case errors.As(err, &dns):
		why = "its address could not be found by DNS"
	case strings.Contains(msg, "no such host"), strings.Contains(msg, "lookup "):
		// An error that kept only Go's text (one made before dnsError was).
		why = "its address could not be found"
	case errors.Is(err, ErrLocalDown), strings.Contains(msg, "connection refused"), strings.Contains(msg, "actively refused"),
		strings.Contains(msg, "nothing is answering"):
		why, advice = "nothing answers at its address", admin
	case strings.Contains(msg, "certificate"):
		why, advice = "its certificate is not trusted", admin
	case strings.Contains(msg, "tls"), strings.Contains(msg, "handshake"):
		why, advice = "the secure connection did not finish", admin
	case strings.Contains(msg, "timeout"), strings.Contains(msg, "timed out"):
		why = "the connection timed out"
	case strings.Contains(msg, "unreachable"), strings.Contains(msg, "no route"):
		why = "the network has no way to it"
	}
	text = ErrOffline.Error() + ": cannot reach " + label
	if why != "" {
		text += " (" + why + ")"
	}
	return &MemberError{text: text + "; " + advice, err: err, full: raw}
}

// throughPath reports whether err (raw: its text as it was), an offline
// error of a provider at bases, failed on the way to the provider rather
// than at it: a proxy's ("proxyconnect tcp: dial tcp …: connection
// refused"), or a DNS lookup of a name that is none of the provider's
// hosts (the proxy's: Go's "lookup corp-proxy.internal", dnsError's "DNS
// lookup of corp-proxy.internal"). With no base known it cannot tell a
// name, and says no.
func throughPath(err error, raw string, bases []string) bool {
	if strings.Contains(strings.ToLower(raw), "proxy") {
		return true
	}
	var names []string
	var dns *dnsError
	if errors.As(err, &dns) && dns.name != "" {
		names = append(names, dns.name)
	}
	for _, m := range lookupName.FindAllStringSubmatchIndex(raw, -1) {
		if m[0] == 0 || !hostByte(raw[m[0]-1], true) { // "lookup", not "nslookup"
			names = append(names, raw[m[2]:m[3]])
		}
	}
	var hosts []string
	for _, b := range bases {
		if u, err := url.Parse(strings.TrimSpace(b)); err == nil && u.Hostname() != "" {
			hosts = append(hosts, strings.TrimSuffix(strings.ToLower(u.Hostname()), "."))
		}
	}
	if len(hosts) == 0 {
		return false
	}
	for _, n := range names {
		if !slices.ContainsFunc(hosts, func(h string) bool { return sameHostName(n, h) }) {
			return true
		}
	}
	return false
}

// lookupName finds the name a DNS lookup was for in an error's text.
var lookupName = regexp.MustCompile(`(?i)lookup (?:of )?([^\s:()"'\[\]]+)`)

// theProvider is how a member's error names a provider: "the provider Lab".
const theProvider = "the provider "

// memberLabel is how a member's error names the provider name: "the
// provider Lab"; a name that already reads so ("The provider Lab", or
// "The provider" itself) as it is, never "the provider the provider Lab";
// "the provider" for a name that is blank (none stored: a fallback, never
// a dangling "the provider (…)").
func memberLabel(name string) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return strings.TrimSpace(theProvider)
	case bareLabel(name),
		len(name) > len(theProvider) && strings.EqualFold(name[:len(theProvider)], theProvider):
		return name
	}
	return theProvider + name
}

// bareLabel reports whether label is "the provider" alone (any case): a
// blank name's label, or a provider named so.
func bareLabel(label string) bool {
	return strings.EqualFold(label, strings.TrimSpace(theProvider))
}

// memberHint is an APIError's hint for a member: one that names an
// address ("did you mean http://…/v1?") is the admin's to act on, and goes.
func memberHint(hint string, scrub func(string) string) string {
	if hint == "" || scrub(hint) != hint || strings.Contains(hint, "://") {
		return ""
	}
	return hint
}

// walk calls fn on err and every error it wraps.
func walk(err error, fn func(error)) {
	for depth := 0; err != nil && depth < 32; depth++ {
		fn(err)
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e, fn)
			}
			return
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return
		}
	}
}

// addressScrubber returns a func that replaces, in one pass, every
// mention of a base (a provider's base URL; more than one: every address
// it has had) with label, and any IP address, and any other address
// (anyAddress, otherAddress: a proxy's host, a URL with credentials), with
// "[address hidden]". A base's URL, host:port or domain takes the path
// and query after it along (urlRest): "the provider Lab", not "the
// provider Lab/chat/completions". A base is found as the URL itself, then scheme://host[:port], then
// host:port (these in any case), then the bare host name, the longest
// first. A bare host with no dot counts only as written in the URL or in
// lower case ("GPU memory is full" is no mention of host gpu), and, as an IP address,
// only at a host's boundaries, so "lab" is no part of "Unavailable", "gpu"
// of "gpu-2" or "x.gpu": a host starts after no letter, digit, '_', '.' or
// '-', and ends before none of these but a sentence's '.'. What is put in
// is never read again, so a name equal to the host ("ollama" at
// http://ollama:11434) is not replaced inside its own label; a host the
// text already calls "the provider …" is replaced by the label's name
// alone ("the provider ollama is down" stays so, not "the provider the
// provider ollama").
func addressScrubber(label string, bases ...string) func(string) string {
	var long, names, words []string // names: hosts with a dot or ':' (any case); words: without (as written)
	for _, base := range bases {
		base = strings.TrimSpace(base)
		u, err := url.Parse(base)
		if err != nil || u.Host == "" {
			continue
		}
		h := u.Hostname()
		for _, a := range []string{strings.TrimRight(base, "/"), u.Scheme + "://" + u.Host, u.Host} {
			if a != h && !slices.Contains(long, a) {
				long = append(long, a)
			}
		}
		if strings.ContainsAny(h, ".:") { // a domain or an address, never a word
			if !slices.Contains(names, h) {
				names = append(names, h)
			}
			continue
		}
		for _, w := range []string{h, strings.ToLower(h)} {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	// The longest first, so that a host is not found inside a longer one.
	byLength := func(a, b string) int { return len(b) - len(a) }
	slices.SortStableFunc(long, byLength)
	slices.SortStableFunc(names, byLength)
	slices.SortStableFunc(words, byLength)
	quote := func(alts []string) string {
		q := make([]string, len(alts))
		for i, a := range alts {
			q[i] = regexp.QuoteMeta(a)
		}
		return strings.Join(q, `|`)
	}
	// Groups: 1 the URL or host:port, 2 the bare host, 3 an IP address.
	const none = `[^\s\S]` // matches nothing: no address to name
	g1, g2 := none, none
	if len(long) > 0 {
		g1 = `(?i:` + quote(long) + `)`
	}
	var bare []string
	if len(names) > 0 {
		bare = append(bare, `(?i:`+quote(names)+`)`)
	}
	if len(words) > 0 {
		bare = append(bare, quote(words))
	}
	if len(bare) > 0 {
		g2 = strings.Join(bare, `|`)
	}
	re := regexp.MustCompile(`(` + g1 + `)|(` + g2 + `)|(` + ipAddress.String() + `)|` + anyAddress.String())
	return func(s string) string {
		var b strings.Builder
		at := 0
		for at < len(s) {
			m := re.FindStringSubmatchIndex(s[at:])
			if m == nil {
				break
			}
			start, end := at+m[0], at+m[1]
			bare, ip, other := m[4] >= 0, m[6] >= 0, m[2] < 0 && m[4] < 0 && m[6] < 0
			if (bare || ip && s[start] != '[') && start > 0 && hostByte(s[start-1], true) || bare && !hostEnds(s, end) {
				// Part of a longer word or name, as the provider's host:
				// it may still be another address there (lab.example.org
				// at host lab.example); else keep its first byte, look on.
				if n := otherAddress(s, start); n > 0 && !(start > 0 && hostByte(s[start-1], true)) {
					b.WriteString(s[at:start])
					b.WriteString(hiddenAddress(s[start : start+n]))
					at = start + n
					continue
				}
				b.WriteString(s[at : start+1])
				at = start + 1
				continue
			}
			if other {
				// An address that is none of the provider's (a proxy's
				// host in a network error, an HTTP_PROXY URL with its
				// credentials, a DNS server): hidden too.
				n := otherAddress(s, start)
				if n == 0 || start > 0 && hostByte(s[start-1], true) {
					b.WriteString(s[at : start+1])
					at = start + 1
					continue
				}
				b.WriteString(s[at:start])
				b.WriteString(hiddenAddress(s[start : start+n]))
				at = start + n
				continue
			}
			if m[2] >= 0 || bare && strings.ContainsAny(s[start:end], ".:") {
				// The provider's URL, host:port or domain: its path and
				// query after it go too ("the provider Lab", not "the provider
				// Lab/chat/completions"), the admin's to read.
				end += urlRest(s[end:])
			}
			switch named := hasSuffixFold(s[:start], theProvider); {
			case ip:
				b.WriteString(s[at:start])
				b.WriteString("[address hidden]")
			case named && bareLabel(label):
				// The text names it already and the label is "the
				// provider" alone (a blank name): nothing after it,
				// "the provider is down", not "the provider the
				// provider is down". The space before goes too (it is
				// the text's own, so at < start).
				b.WriteString(s[at : start-1])
			case named && len(label) > len(theProvider) && strings.EqualFold(label[:len(theProvider)], theProvider):
				b.WriteString(s[at:start])
				// The text names it already ("the provider ollama is
				// down" from a server at http://ollama:11434): the name
				// alone, not "the provider the provider ollama".
				b.WriteString(label[len(theProvider):])
			default:
				b.WriteString(s[at:start])
				b.WriteString(label)
			}
			at = end
		}
		b.WriteString(s[at:])
		return b.String()
	}
}

// anyAddress finds what may be an address that is none of the
// provider's (otherAddress decides): a URL (with any credentials in it),
// credentials before a host ("alice:s3cret@corp-proxy"), the name a DNS
// lookup was for ("lookup corp-proxy", "DNS lookup of corp-proxy"), a
// host:port, a domain name.
var anyAddress = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://|[^\s"'<>()\[\]{}@/]+@[a-z0-9]|\blookup (?:of )?[^\s:()"'\[]|\b[a-z][a-z0-9.-]*:\d|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}`)

var (
	urlAt       = regexp.MustCompile(`^(?i)[a-z][a-z0-9+.-]*://[^\s"'<>\[\]{}]*`)
	userAt      = regexp.MustCompile(`^[^\s"'<>()\[\]{}@/]+@[a-zA-Z0-9.-]+(?::\d+)?`)
	lookupAt    = regexp.MustCompile(`^` + lookupName.String())
	hostPortAt  = regexp.MustCompile(`^(?i)[a-z][a-z0-9.-]*:\d{1,5}`)
	hostPortOK  = regexp.MustCompile(`^` + hostWithPort.String()[len(`(?i)\b`):])
	domainAt    = regexp.MustCompile(`^(?i)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}[a-z0-9-]*\b`)
	trailingURL = ".,;:!?'\")"
)

// otherAddress is the length of the address that starts s[start:] (an
// anyAddress match), 0 when what is there is no address: a URL (its path
// and query, not a sentence's last '.' or ')' after it), credentials and
// the host after them, a DNS lookup's name ("lookup " kept: lookupName), a
// host:port as namesAddress counts one (not a time, an Ollama tag), a
// domain name as isDomainName counts one (not a file name, a name in code,
// sentences run together: only the labels that make the domain).
func otherAddress(s string, start int) int {
	t := s[start:]
	if m := urlAt.FindString(t); m != "" {
		for len(m) > 0 && strings.ContainsRune(trailingURL, rune(m[len(m)-1])) {
			if m[len(m)-1] == ')' && strings.Count(m, "(") >= strings.Count(m, ")") {
				break
			}
			m = m[:len(m)-1]
		}
		if strings.HasSuffix(m, "://") {
			return 0
		}
		return len(m)
	}
	if m := userAt.FindString(t); m != "" && strings.Contains(m, "@") && !strings.HasSuffix(m, "@") {
		return len(m)
	}
	if m := lookupAt.FindStringSubmatchIndex(t); m != nil {
		return m[3]
	}
	if m := hostPortAt.FindString(t); m != "" && hostPortOK.MatchString(t) {
		return len(m)
	}
	if m := domainAt.FindString(t); m != "" {
		return domainLength(m)
	}
	return 0
}

// hiddenAddress is what a member reads in place of addr, an address that
// is none of the provider's (otherAddress): "[address hidden]", after
// "lookup " or "DNS lookup of " as the text had it.
func hiddenAddress(addr string) string {
	if m := lookupAt.FindStringSubmatch(addr); m != nil {
		return addr[:len(addr)-len(m[1])] + "[address hidden]"
	}
	return "[address hidden]"
}

// urlRest is the length of the path, query or fragment at the start of s,
// after a URL or host:port (not a sentence's last '.' or ':' after it).
func urlRest(s string) int {
	if s == "" || !strings.ContainsRune("/?#", rune(s[0])) {
		return 0
	}
	n := strings.IndexAny(s, " \t\n\"'<>[]{}()")
	if n < 0 {
		n = len(s)
	}
	for n > 0 && strings.ContainsRune(trailingURL, rune(s[n-1])) {
		n--
	}
	return n
}

// hostByte reports whether c can be part of a host name (a letter, a
// digit, '_' or '-'), or, with dot, a '.' too.
func hostByte(c byte, dot bool) bool {
	return c == '_' || c == '-' || dot && c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// hostEnds reports whether a host name that ends at s[end] ends there: the
// text goes on with no part of a name ('.' ends it only as a sentence's
// last, not before more of a name: "lab." but not "lab.example").
func hostEnds(s string, end int) bool {
	if end >= len(s) {
		return true
	}
	if s[end] == '.' {
		return end+1 >= len(s) || !hostByte(s[end+1], false)
	}
	return !hostByte(s[end], false)
}
