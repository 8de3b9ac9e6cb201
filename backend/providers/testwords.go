package providers

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// TestFailure is what a failed connection test says (TestResult.Message:
// the window's "Test connection" and `meterdesk providers test`): first,
// in words a newcomer understands, what the failure means and what to
// check, then what the provider or the network said, kept whole after a
// colon (the key already removed):
//   - 401: "The provider refused the API key (401): Incorrect API key …";
//   - 403: "The provider refused access with this API key (403): …";
//   - 404: "Nothing was found at this base URL (404): is the address
//     right? …" (with Meterdesk's "did you mean …/v1?" when it has one);
//   - a local server not running: "Nothing answers at 127.0.0.1:11434 —
//     is the server running?" (the address said once, in the lead);
//   - connection refused elsewhere: "Nothing answers at this address — is
//     the server running? (cannot connect to …: connection refused)";
//   - a name that does not resolve: "This address could not be found — is
//     the base URL spelled right? (cannot connect to …: no such host)";
//     a known provider's own host (Presets), or a DNS server that did not
//     answer: "The provider's address could not be looked up — is this
//     computer online? (…)";
//   - the environment's proxy not reached (refused, its name not found):
//     proxyLead, the provider's address never tried.
//
// Any other failure is err's own text, its first letter capitalised
// ("List models: provider error 500 …"); OpenRouter's key check that
// failed with a 404 is one (the base URL answered the listing): "The model
// list answers without a key, and the key could not be checked: …".
func TestFailure(err error) string {
	if err == nil {
		return ""
	}
	var ae *APIError
	if errors.As(err, &ae) {
		var kerr *keyCheckError
		keyCheck := errors.As(err, &kerr) // OpenRouter: the listing took no key, its key check failed
		lead := ""
		switch {
		case ae.Status == http.StatusUnauthorized:
			lead = "The provider refused the API key (401)"
		case ae.Status == http.StatusForbidden:
			lead = "The provider refused access with this API key (403)"
		case ae.Status == http.StatusNotFound && !keyCheck:
			// The base URL answered the listing: a 404 of the key check
			// says nothing of the address.
			lead = "Nothing was found at this base URL (404): is the address right?"
		}
		if lead != "" {
			if keyCheck && kerr.Refused {
				return withDetail(lead, "the model list answers without a key, but the key was refused: "+ae.detail())
			}
			return withDetail(lead, ae.detail())
		}
		return capitalised(err.Error())
	}
	if !errors.Is(err, ErrOffline) {
		return capitalised(err.Error())
	}
	detail := strings.TrimPrefix(err.Error(), ErrOffline.Error())
	detail = strings.TrimSuffix(strings.TrimLeft(detail, ": "), " (is the local server running?)") // the lead asks it
	// A name that did not resolve first: the DNS server's own refusal
	// ("lookup x on 10.0.0.53:53: … connection refused") is no server's.
	var dns *dnsError
	switch msg := strings.ToLower(detail); {
	case errors.As(err, &dns) && dns.ofProxy():
		return proxyLead + " (" + dns.lookup() + ")"
	case strings.Contains(msg, "proxyconnect "):
		// Go's words for a failure on the way to the proxy: the provider's
		// address was never tried.
		return proxyLead + " (" + strings.Replace(detail, throughProxy, "", 1) + ")"
	case errors.As(err, &dns) && (dns.presetHost() || dns.timedOut()):
		// A known provider's own address is spelled right, and a DNS
		// server that does not answer says nothing of the spelling: the
		// network is what to check.
		return "The provider's address could not be looked up — is this computer online? (" + dns.lookup() + ")"
	case errors.As(err, &dns):
		return "This address could not be found — is the base URL spelled right? (" + dns.lookup() + ")"
	case strings.Contains(msg, "no such host"), strings.Contains(msg, "lookup "):
		return "This address could not be found — is the base URL spelled right? (" + detail + ")"
	case strings.HasPrefix(detail, localDownDetail):
		// The detail says what the lead says: the address alone is kept.
		return "Nothing answers at " + strings.TrimPrefix(detail, localDownDetail) + " — is the server running?"
	case errors.Is(err, ErrLocalDown), strings.Contains(msg, "connection refused"), strings.Contains(msg, "actively refused"):
		return "Nothing answers at this address — is the server running? (" + detail + ")"
	}
	return capitalised(err.Error())
}

// proxyLead is what a connection test says when the proxy the
// environment names cannot be reached: its address not found, or nothing
// answering there. The provider's address was never tried, so "is the
// server running?" or "is the base URL spelled right?" would send the
// user the wrong way.
const proxyLead = "The proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY) cannot be reached — is it running, or is the setting out of date?"

// ofProxy reports whether the name that did not resolve is not the
// provider's: through a proxy, the proxy's own name is the one looked up.
func (e *dnsError) ofProxy() bool {
	return e.name != "" && !sameHostName(e.name, hostOnly(e.host))
}

// sameHostName reports whether name, a name DNS was asked, is host, case
// and a trailing dot aside, either in its IDNA ASCII form: net/http looks
// up "bücher.example" as "xn--bcher-kva.example", the provider's own name
// and no proxy's.
func sameHostName(name, host string) bool {
	return strings.EqualFold(asciiHostName(name), asciiHostName(host))
}

// asciiHostName is h without a trailing dot, in IDNA ASCII form as
// net/http dials it (h as it is when it has none).
func asciiHostName(h string) string {
	h = strings.TrimSuffix(h, ".")
	if a, err := idna.Lookup.ToASCII(h); err == nil {
		return a
	}
	return h
}

// presetHost reports whether the provider's host is a known cloud
// provider's documented one (Presets): a name that exists.
func (e *dnsError) presetHost() bool {
	h := hostOnly(e.host)
	for _, p := range Presets() {
		if u, err := url.Parse(p.BaseURL); err == nil && u.Scheme == "https" && strings.EqualFold(u.Hostname(), h) {
			return true
		}
	}
	return false
}

// timedOut reports whether DNS did not answer (rather than said there is
// no such name).
func (e *dnsError) timedOut() bool {
	return strings.Contains(e.why, "i/o timeout") || strings.Contains(e.why, "server misbehaving")
}

// hostOnly is host[:port] without the port and brackets, and without the
// trailing dot of a name written fully qualified ("api.openai.com.": the
// name DNS is asked, not a proxy's).
func hostOnly(hostport string) string {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = strings.Trim(hostport, "[]")
	}
	return strings.TrimSuffix(h, ".")
}

// localDownDetail starts what a local server that is not running says
// after "offline: the provider cannot be reached: " (errors.go), followed
// by its address.
const localDownDetail = "nothing is answering at "

// capitalised is s with its first letter in upper case: a failure with
// no lead of its own still starts a sentence ("List models: provider
// error 500 …").
func capitalised(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// withDetail is lead followed by what was said (detail), after a colon
// when lead ends without a question, else as a sentence of its own.
func withDetail(lead, detail string) string {
	switch {
	case detail == "":
		return lead
	case strings.HasSuffix(lead, "?"):
		return lead + " " + detail
	}
	return lead + ": " + detail
}

// detail is what Error says after "provider error 401 Unauthorized": the
// provider's message (or the HTML page it sent), the retry hint and
// Meterdesk's hint, "" when there is none of these.
func (e *APIError) detail() string {
	head := fmt.Sprintf("provider error %d", e.Status)
	if t := http.StatusText(e.Status); t != "" {
		head += " " + t
	}
	return strings.TrimLeft(strings.TrimPrefix(e.Error(), head), ":; ")
}
