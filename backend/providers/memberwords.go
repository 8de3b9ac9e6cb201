package providers

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"

	"meterdesk/backend/access"
)

// A member is shown a provider's name and kind, never its base URL (which
// may name an internal host: forRole); its errors likewise. Every error of
// a client the Service hands out (Client, Models: chat, the model picker,
// `providers models`, the local API) passes through memberClient, the one
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
	if err == nil {
		return nil
	}
	if a, ok := access.FromContext(ctx); !ok || a.IsAdmin() {
		return err
	}
	return forMember(err, c.name, c.base)
}

// MemberError is a provider's error as a member is shown it: Error names
// the provider and no address; Unwrap gives the error itself, so that
// errors.Is and errors.As still tell what happened (ErrOffline, an
// *APIError's status…).
type MemberError struct {
	text string
	err  error
}

func (e *MemberError) Error() string { return e.text }
func (e *MemberError) Unwrap() error { return e.err }

// ipAddress matches an IPv4 address or a bracketed IPv6 one, with its port.
var ipAddress = regexp.MustCompile(`\[[0-9a-fA-F:.%]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

// forMember is err (an error of provider name at base) with no address
// in it: its text names the provider instead, and the fields of the
// errors it wraps that name the host name the provider.
func forMember(err error, name, base string) error {
	var me *MemberError
	if errors.As(err, &me) {
		return err
	}
	label := "the provider " + name
	var hosts []string // the longest first: the URL, then host:port, then the host
	if u, perr := url.Parse(strings.TrimSpace(base)); perr == nil && u.Host != "" {
		hosts = append(hosts, strings.TrimRight(base, "/"), u.Scheme+"://"+u.Host, u.Host)
		if h := u.Hostname(); h != u.Host {
			hosts = append(hosts, h)
		}
	}
	scrub := func(s string) string {
		for _, h := range hosts {
			if h != "" {
				s = replaceFold(s, h, label)
			}
		}
		return ipAddress.ReplaceAllString(s, "[address hidden]")
	}
	// The errors the local API reads fields of (gateway mapError): made
	// for this call, so they are changed in place.
	text := err.Error()
	walk(err, func(e error) {
		switch v := e.(type) {
		case *APIError:
			if hint := memberHint(v.Hint, scrub); hint != v.Hint { // out of the text too (AddClause's two forms)
				text = strings.Replace(text, "; "+v.Hint, "", 1)
				text = strings.Replace(text, " "+AddClause(".", v.Hint)[2:], "", 1)
				v.Hint = hint
			}
			v.Host, v.Message, v.Title = label, scrub(v.Message), scrub(v.Title)
		case *StepError:
			v.Host = label
		case *RedirectError:
			v.Host, v.To, v.UseHTTPS = label, "", ""
		case *NotAnAnswerError:
			v.Host, v.Excerpt = label, scrub(v.Excerpt)
		}
	})
	if !errors.Is(err, ErrOffline) {
		return &MemberError{text: scrub(text), err: err}
	}
	// Offline: what went wrong, in words that name no address (the
	// network's own text names the address dialled, or the DNS server's).
	why := ""
	switch msg := strings.ToLower(err.Error()); {
	case strings.Contains(msg, "no such host"), strings.Contains(msg, "lookup "):
		why = "its address could not be found"
	case errors.Is(err, ErrLocalDown), strings.Contains(msg, "connection refused"), strings.Contains(msg, "actively refused"):
		why = "nothing answers at its address"
	case strings.Contains(msg, "certificate"):
		why = "its certificate is not trusted"
	case strings.Contains(msg, "tls"), strings.Contains(msg, "handshake"):
		why = "the secure connection did not finish"
	case strings.Contains(msg, "timeout"), strings.Contains(msg, "timed out"):
		why = "the connection timed out"
	case strings.Contains(msg, "unreachable"), strings.Contains(msg, "no route"):
		why = "the network has no way to it"
	}
	text = ErrOffline.Error() + ": cannot reach " + label
	if why != "" {
		text += " (" + why + ")"
	}
	return &MemberError{text: text + "; an admin can check its settings", err: err}
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

// replaceFold replaces every occurrence of old in s, in any case, with new.
func replaceFold(s, old, new string) string {
	if old == "" {
		return s
	}
	low, lowOld := strings.ToLower(s), strings.ToLower(old)
	if len(low) != len(s) { // a case change altered the length: match as written
		return strings.ReplaceAll(s, old, new)
	}
	var b strings.Builder
	for {
		i := strings.Index(low, lowOld)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(new)
		s, low = s[i+len(old):], low[i+len(old):]
	}
}
