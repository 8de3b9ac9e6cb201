package providers

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/sashabaranov/go-openai"
	"google.golang.org/genai"
)

// Sentinel errors. Callers (chat, gateway, app, cli) match them with errors.Is.
var (
	// ErrOffline: the provider's host could not be reached at all (DNS failure,
	// connection refused, no route). Nothing was sent; keep the draft.
	ErrOffline = errors.New("offline: the provider cannot be reached")
	// ErrLocalDown: the provider is a server on this machine and nothing
	// answers at its address (it is not running). Always with ErrOffline.
	ErrLocalDown = errors.New("the local server is not running")
	// ErrTimeout: the provider stopped sending data for longer than the idle timeout.
	ErrTimeout = errors.New("the provider stopped responding (timeout)")
	// ErrInterrupted: the stream ended before the provider finished the reply.
	ErrInterrupted = errors.New("the reply was cut off before it finished")
	// ErrMalformed: the provider sent data that does not follow its wire format.
	ErrMalformed = errors.New("the provider sent a malformed response")

	ErrUnknownKind = errors.New("unknown provider kind")
	ErrBadURL      = errors.New("invalid base URL")
	ErrBadName     = errors.New("invalid provider name")
	ErrBadKey      = errors.New("invalid API key")
	ErrNoKey       = errors.New("an API key is required for this provider")
	ErrDuplicate   = errors.New("a provider with that name already exists")
	ErrNotFound    = errors.New("provider not found")
	ErrBadRequest  = errors.New("invalid chat request")
	// ErrKeyUnavailable: the stored key cannot be read here (keychain missing or
	// locked, or the encryption key file is gone). Re-enter the key.
	ErrKeyUnavailable = errors.New("the stored API key cannot be read; enter it again")
	// ErrRedirected: the provider answered with a redirect to another server
	// (another scheme, host or port). The redirect was not followed, so the
	// key and the prompt went nowhere else. Matched by *RedirectError.
	ErrRedirected = errors.New("the provider redirected to another server")
)

// RedirectError is a refused redirect to another server; To is the scheme
// and host:port it pointed at (never a path or query).
type RedirectError struct {
	To string `json:"to"`
	// UseHTTPS is set when the redirect went from an http:// base URL to
	// https:// on the same host: the server requires https, and this is the
	// base URL to use instead (https://host[:port]/path).
	UseHTTPS string `json:"useHttps,omitempty"`
	// Host is the provider's host that redirected (host:port of its base
	// URL, as APIError.Host: never a path, a query or a key); "" when not
	// known. Error leaves it out (the window's and the CLI's words are the
	// step's); the local API puts it first (gateway mapError).
	Host string `json:"-"`
}

func (e *RedirectError) Error() string {
	if e.UseHTTPS != "" {
		return fmt.Sprintf("the server requires https: use %s as the base URL (it redirected http:// to %s, which Meterdesk does not follow)", e.UseHTTPS, e.To)
	}
	if e.To == "" { // a member's: no address (forMember)
		return fmt.Sprintf("%s; Meterdesk does not send the key there", ErrRedirected)
	}
	return fmt.Sprintf("%s (%s); Meterdesk does not send the key there", ErrRedirected, e.To)
}

// Is makes errors.Is(err, ErrRedirected) true.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirected }

// StepError is a provider call that failed at a step ("chat", "chat
// stream", "list models", "key check") with the provider at Host (the
// base URL's host[:port]; never a path, a query or the key). It reads
// "chat stream api.openai.com: the provider stopped responding (timeout)
// (nothing received for 2m0s)" in the window and the CLI; Err is what went
// wrong without the step, which the local API answers with after the host
// (gateway: "api.openai.com: the provider stopped responding …"). The
// timeouts, cut and malformed streams and the other transport failures
// are StepErrors.
type StepError struct {
	Step string
	Host string
	Err  error
}

func (e *StepError) Error() string { return e.Step + " " + e.Host + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// The steps of a chat that errors name (StepError.Step, the wrap of an
// APIError): the request, and the stream of its answer once one began.
const (
	stepChat       = "chat"
	stepChatStream = "chat stream"
)

// step is err as a StepError at what of h's provider.
func (h *httpLayer) step(what string, err error) error {
	return &StepError{Step: what, Host: h.host, Err: err}
}

// hangUpError is a connection the provider closed (or reset) before it
// answered anything, not even a status line: nothing was received, so a
// chat charges nothing (Call.Settle voids the hold of a call that produced
// nothing). It is ErrInterrupted, in its own words: the reply was not cut
// off, there was none. chat: the step was a chat's.
type hangUpError struct {
	reset bool // reset rather than closed
	chat  bool
}

func (e hangUpError) Error() string {
	s := "the provider closed the connection without answering"
	if e.reset {
		s = "the provider reset the connection without answering"
	}
	if e.chat {
		return s + "; nothing was received or charged"
	}
	return s + "; nothing was received"
}

// Is makes errors.Is(err, ErrInterrupted) true.
func (e hangUpError) Is(target error) bool { return target == ErrInterrupted }

// APIError is an HTTP error status returned by a provider (4xx/5xx), an
// error event the provider sent inside a stream, or an error object it
// answered with status 200 in place of the answer.
type APIError struct {
	Status     int           `json:"status"`
	RetryAfter time.Duration `json:"retryAfter"` // from Retry-After (429/503), 0 if absent
	Message    string        `json:"message"`    // the provider's message, API key removed
	// HTMLPage: the error status came with an HTML page, not the
	// provider's error (a corporate proxy's 403, a load balancer's 502):
	// Message is then empty and Title is the page's title, made safe to
	// show (key removed, one line, at most 60 characters), or "" when it
	// has none. The page itself is never shown.
	HTMLPage bool   `json:"htmlPage,omitempty"`
	Title    string `json:"title,omitempty"`
	// Hint is Meterdesk's suggestion, when it has one: "did you mean
	// http://localhost:11434/v1?" for what an OpenAI-style server whose
	// base URL has no version in its path answers (pathHint), or, for an
	// HTML page, "is a proxy or a firewall in the way?".
	Hint string `json:"hint,omitempty"`
	// ContextWindow: the provider refused the request because its prompt
	// is over the model's context window, in its documented words
	// (overContextWindow). Nothing was generated, so nothing is charged.
	ContextWindow bool `json:"contextWindow,omitempty"`
	// Host is the provider's host (host:port of its base URL, as
	// StepError's: never a path, a query or a key) the error came from; ""
	// when not known (an error parsed apart from a request). Error leaves it out (the
	// window's and the CLI's words are the step's); the local API puts it
	// first, as for a timeout or a cut stream (gateway mapError), so that a
	// client of several providers can tell which one answered.
	Host string `json:"-"`
}

// overContextWindow reports whether an error status with the provider's
// message and code (an OpenAI-style error's "code", "" when none) is the
// refusal of a prompt over the model's context window, as each provider
// documents it:
//   - OpenAI (and Azure, OpenRouter): 400, code "context_length_exceeded",
//     "This model's maximum context length is 128000 tokens. However, your
//     messages resulted in … tokens. …"; DeepSeek, vLLM and older OpenAI
//     models write the same sentence with another code or none;
//   - Anthropic: 400 invalid_request_error "prompt is too long: 208310
//     tokens > 200000 maximum";
//   - Gemini: 400 INVALID_ARGUMENT "The input token count (1250000)
//     exceeds the maximum number of tokens allowed (1048576).".
func overContextWindow(status int, msg, code string) bool {
	if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
		return false
	}
	if strings.EqualFold(code, "context_length_exceeded") {
		return true
	}
	m := strings.ToLower(msg)
	return strings.Contains(m, "maximum context length") || strings.HasPrefix(m, "prompt is too long") ||
		strings.Contains(m, "exceeds the maximum number of tokens allowed") || strings.Contains(m, "context_length_exceeded")
}

// wireCode is the "code" of an OpenAI-style error body err carries (the
// adapters' *openai.RequestError, go-openai's *openai.APIError), "" when
// none.
func wireCode(err error) string {
	var re *openai.RequestError
	if errors.As(err, &re) {
		if we, ok := parseWireError(re.Body, false); ok {
			return we.Code
		}
	}
	var oe *openai.APIError
	if errors.As(err, &oe) {
		if s, ok := oe.Code.(string); ok {
			return s
		}
	}
	return ""
}

// Error describes the status, message and retry hint.
func (e *APIError) Error() string {
	s := fmt.Sprintf("provider error %d", e.Status)
	if t := http.StatusText(e.Status); t != "" {
		s += " " + t
	}
	switch {
	case e.HTMLPage:
		s += ": an HTML page, not the provider's answer"
		if e.Title != "" {
			s += fmt.Sprintf(", titled %q", e.Title)
		}
	case e.Message != "":
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Hint != "" {
		s = AddClause(s, e.Hint)
	}
	return s
}

// AddClause appends more (Meterdesk's words, lower case: a hint, what to
// do) to s (a provider's message, often a sentence with its full stop) as
// a clause, "s; more", or, when s ends a sentence (., ! or ?), as a
// sentence of its own, "s More." ("… Please reduce the length of the
// messages. Shorten the messages …"), never ".;".
func AddClause(s, more string) string {
	if more == "" {
		return s
	}
	t := strings.TrimRightFunc(s, unicode.IsSpace)
	if t == "" {
		return more
	}
	if !strings.ContainsRune(".!?", rune(t[len(t)-1])) || strings.HasSuffix(t, "...") {
		return t + "; " + more
	}
	r, n := utf8.DecodeRuneInString(more)
	more = string(unicode.ToUpper(r)) + more[n:]
	if !strings.ContainsRune(".!?", rune(more[len(more)-1])) {
		more += "."
	}
	return t + " " + more
}

// maxMessage caps provider messages copied into errors.
const maxMessage = 400

// redact removes the key from s (redactKey: also a part of it, in any
// case) and the credentials in any URL it names (hideURLCredentials), makes it one line of plain text (control characters, which could
// send escape sequences to a terminal, and bidi controls, which could
// reorder what is shown, become spaces or go) and caps its length at a
// character boundary.
func redact(s, key string) string {
	s = redactKey(hideURLCredentials(s), key)
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.TrimSpace(s)
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// minKeyRun is the shortest run of a key's characters that redactKey
// removes: a provider may echo the key cut short, masked at one end or
// lower-cased, and 8 characters of a random key are already worth hiding.
const minKeyRun = 8

// maxRedactInput bounds how much of a message redactKey reads (the result
// is cut to maxMessage anyway; the search costs len(s) × len(key)).
const maxRedactInput = 16 << 10

// redactKey replaces every run of at least minKeyRun characters that s
// shares with key, compared case-insensitively, with "[redacted]" (a key
// shorter than that: see redactShortKey). Each run is widened to the word it
// sits in (letters, digits, the key's own characters and mask characters
// such as *), so that the rest of a masked or mangled echo goes too and the
// message reads "Incorrect API key provided: [redacted]".
func redactKey(s, key string) string {
	if key == "" || s == "" {
		return s
	}
	if len(s) > maxRedactInput {
		cut := maxRedactInput
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	rs := []rune(s)
	low := make([]rune, len(rs))
	for i, r := range rs {
		low[i] = unicode.ToLower(r)
	}
	k := []rune(key)
	for i, r := range k {
		k[i] = unicode.ToLower(r)
	}
	if len(k) < minKeyRun {
		return redactShortKey(rs, low, k)
	}
	need := minKeyRun
	// run[j]: the length of the longest common suffix of low[:i+1] and
	// k[:j+1] (the classic longest-common-substring table, one row kept);
	// cover counts, per rune of s, the runs of need or more over it.
	cover := make([]int, len(rs)+1)
	prev, cur := make([]int, len(k)+1), make([]int, len(k)+1)
	found := false
	for i := range low {
		best := 0
		for j := range k {
			if low[i] == k[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		if best >= need {
			cover[i-best+1]++
			cover[i+1]--
			found = true
		}
		prev, cur = cur, prev
	}
	if !found {
		return s
	}
	mark := make([]bool, len(rs))
	for i, n := 0, 0; i < len(rs); i++ {
		n += cover[i]
		mark[i] = n > 0
	}
	inWord := func(r rune) bool {
		switch {
		case unicode.IsSpace(r), unicode.IsControl(r), strings.ContainsRune("\"'`()[]{}<>,;", r):
			return false
		}
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(key, r) || strings.ContainsRune("*•…_-", r)
	}
	for i := 1; i < len(rs); i++ { // widen to the right
		if mark[i-1] && !mark[i] && inWord(rs[i]) {
			mark[i] = true
		}
	}
	for i := len(rs) - 2; i >= 0; i-- { // and to the left
		if mark[i+1] && !mark[i] && inWord(rs[i]) {
			mark[i] = true
		}
	}
	var b strings.Builder
	for i, r := range rs {
		switch {
		case !mark[i]:
			b.WriteRune(r)
		case i == 0 || !mark[i-1]:
			b.WriteString("[redacted]")
		}
	}
	return b.String()
}

// redactShortKey is redactKey for a key shorter than minKeyRun (a
// placeholder such as "x" or "ollama" for a local server): only the whole
// key standing as a word of its own is replaced, compared
// case-insensitively; the fuzzy rule would hide every word that contains
// the key ("[redacted] EOF" for "unexpected EOF" with the key "x"). rs is
// the message, low the message and k the key in lower case.
func redactShortKey(rs, low, k []rune) string {
	word := func(i int) bool {
		if i < 0 || i >= len(rs) {
			return false
		}
		r := rs[i]
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-'
	}
	var b strings.Builder
	for i := 0; i < len(rs); {
		if i+len(k) <= len(rs) && slices.Equal(low[i:i+len(k)], k) && !word(i-1) && !word(i+len(k)) {
			b.WriteString("[redacted]")
			i += len(k)
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// maxRetryAfter bounds a Retry-After a provider sends (a day): a larger
// value is a fault, and would overflow time.Duration.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if ms := h.Get("retry-after-ms"); ms != "" {
		if n, err := strconv.ParseInt(strings.TrimSpace(ms), 10, 64); err == nil && n > 0 {
			return time.Duration(min(n, int64(maxRetryAfter/time.Millisecond))) * time.Millisecond
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter).Round(time.Second)
		}
	}
	return 0
}

// isOffline reports whether err means the host could not be reached at all.
func isOffline(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.ENETDOWN, syscall.EHOSTDOWN} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// isCutOff reports whether err means the connection ended mid-response.
func isCutOff(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// The server closed the connection before answering: a request's
	// *url.Error around io.EOF (some SDKs keep only its text).
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, io.EOF) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "server closed") || strings.Contains(msg, "INTERNAL_ERROR") ||
		strings.Contains(msg, "Post \"") && strings.HasSuffix(msg, ": EOF")
}

// isMalformed reports whether err is a decoding failure of provider data.
func isMalformed(err error) bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "invalid character") || strings.Contains(msg, "unexpected end of JSON") ||
		strings.Contains(msg, "invalid stream chunk") || strings.Contains(msg, "cannot unmarshal")
}

// anthropicStatus maps the error type of an in-stream Anthropic error event
// (sent with HTTP 200) to the status the same error has as a response.
var anthropicStatus = map[string]int{
	"invalid_request_error": 400, "authentication_error": 401, "permission_error": 403,
	"not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429,
	"api_error": 500, "overloaded_error": 529,
}

// wireError is an error as an OpenAI-style server writes it: in an HTTP
// error body, a 200 body or an event of a chat stream (parseWireError).
type wireError struct {
	Message string
	Type    string
	// Code is the error's code as written: a number ("429", "500") or a
	// name ("rate_limit_exceeded", "server_error"); "" when it has none.
	Code string
}

// parseWireError reads an error from data in the shapes OpenAI-style
// servers write:
//   - {"error":{"message":…,"type":…,"code":…}}: OpenAI, DeepSeek, newer
//     vLLM, LiteLLM, OpenRouter (whose mid-stream error also carries a
//     chunk's id and choices, finish_reason "error"); a message that is a
//     list of strings is joined, as go-openai does;
//   - {"error":"…","error_type":"…"}: Hugging Face TGI (HTTP errors and
//     in-stream), vLLM's 401, Ollama's native API;
//   - {"object":"error","message":…,"type":…,"code":…}: older vLLM;
//
// and, when event is true (the data of an error event: llama.cpp's
// "error:" line, an "event: error"), also a bare {"message":…,"code":…,
// "type":…} object (llama.cpp's) or any other text, which is the message.
// ok is false when data is none of these: a chunk, or one whose "error" is
// null. An error object without a message has its own JSON as the message.
func parseWireError(data []byte, event bool) (e wireError, ok bool) {
	data = bytes.TrimSpace(data)
	var env struct {
		Error     json.RawMessage `json:"error"`
		ErrorType json.RawMessage `json:"error_type"`
		Object    json.RawMessage `json:"object"`
		Message   json.RawMessage `json:"message"`
		Type      json.RawMessage `json:"type"`
		Code      json.RawMessage `json:"code"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		if !event || len(data) == 0 {
			return e, false
		}
		return wireError{Message: jsonText(data, true)}, true
	}
	if len(env.Error) > 0 && !bytes.Equal(env.Error, []byte("null")) {
		var inner struct {
			Message json.RawMessage `json:"message"`
			Type    json.RawMessage `json:"type"`
			Code    json.RawMessage `json:"code"`
		}
		switch {
		case env.Error[0] == '"':
			e = wireError{Message: jsonText(env.Error, true), Type: jsonText(env.ErrorType, false)}
		case env.Error[0] == '{' && json.Unmarshal(env.Error, &inner) == nil:
			e = wireError{Message: messageText(inner.Message), Type: jsonText(inner.Type, false), Code: jsonText(inner.Code, false)}
			if e.Message == "" {
				e.Message = string(env.Error)
			}
		default:
			e = wireError{Message: string(env.Error)}
		}
		return e, true
	}
	if event || jsonText(env.Object, false) == "error" {
		e = wireError{Message: messageText(env.Message), Type: jsonText(env.Type, false), Code: jsonText(env.Code, false)}
		if e.Message == "" {
			e.Message = string(data)
		}
		return e, true
	}
	return e, false
}

// jsonText is a JSON string's value or a number's digits; "" for anything
// else (null, an object), or, with whole, that JSON's own text.
func jsonText(raw json.RawMessage, whole bool) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	if whole {
		return string(bytes.TrimSpace(raw))
	}
	return ""
}

// messageText is an error's message: a string, a list of strings joined
// with ", ", or any other JSON's own text; "" for none or null.
func messageText(raw json.RawMessage) string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return ""
	}
	return jsonText(raw, true)
}

// rateLimitCodes are the error codes and types that mean a rate limit or
// an exhausted quota, which OpenAI answers with 429.
var rateLimitCodes = map[string]bool{"rate_limit_exceeded": true, "insufficient_quota": true, "rate_limit_error": true}

// status is the HTTP status an error sent without one (inside a 200
// stream, or as a 200 body) stands for: its code when that is an HTTP
// error status (OpenRouter's and llama.cpp's numbers; "429" as a string
// too); 429 when its code or type names a rate limit or quota
// (rateLimitCodes); else 500, "server_error" included: that is what the
// name means, the same error as a response would be a 500, and chat and
// the local API treat every provider status but 429 alike.
func (e wireError) status() int {
	if n, err := strconv.Atoi(e.Code); err == nil && n >= 400 && n <= 599 {
		return n
	}
	if rateLimitCodes[strings.ToLower(e.Code)] || rateLimitCodes[strings.ToLower(e.Type)] {
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// apiError is e as an *APIError (status: e.status()), key removed.
func (e wireError) apiError(key string) *APIError {
	return &APIError{Status: e.status(), Message: redact(e.Message, key)}
}

// sdkMessage pulls the provider's own message (and a status for in-stream
// errors) out of an SDK error; ok is false for non-API errors. go-openai
// leaves an empty *openai.APIError inside its *openai.RequestError when the
// body's "error" is a string ({"error":"Unauthorized"}), so an APIError
// without a message gives way to the body, read by parseWireError.
func sdkMessage(err error) (msg string, status int, ok bool) {
	var oe *openai.APIError
	if errors.As(err, &oe) && oe.Message != "" {
		return oe.Message, oe.HTTPStatusCode, true
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		if we, ok := parseWireError(re.Body, false); ok {
			return we.Message, re.HTTPStatusCode, true
		}
		return string(re.Body), re.HTTPStatusCode, true
	}
	if oe != nil {
		return oe.Message, oe.HTTPStatusCode, true
	}
	var ae *anthropic.Error
	if errors.As(err, &ae) {
		var env struct {
			Error struct {
				Type    string `json:"type"`
				Message string `json:"message"`
			} `json:"error"`
		}
		raw := ae.RawJSON()
		if json.Unmarshal([]byte(raw), &env) == nil && env.Error.Message != "" {
			msg = env.Error.Message
		} else {
			msg = raw
		}
		st := ae.StatusCode
		if st < 400 {
			st = anthropicStatus[env.Error.Type]
			if st == 0 {
				st = 500
			}
		}
		return msg, st, true
	}
	var ge genai.APIError
	if errors.As(err, &ge) {
		return ge.Message, ge.Code, true
	}
	var gp *genai.APIError
	if errors.As(err, &gp) {
		return gp.Message, gp.Code, true
	}
	return "", 0, false
}

// geminiRetryDelay reads google.rpc.RetryInfo.retryDelay ("37s") from a
// Gemini error's details.
func geminiRetryDelay(err error) time.Duration {
	var ge genai.APIError
	if !errors.As(err, &ge) {
		var gp *genai.APIError
		if !errors.As(err, &gp) {
			return 0
		}
		ge = *gp
	}
	for _, d := range ge.Details {
		if s, ok := d["retryDelay"].(string); ok {
			if v, err := time.ParseDuration(s); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}

// classify turns an SDK or transport error into one of the package's errors.
// parent is the caller's context (to tell a user cancel from our idle
// timeout), w the watch of the failed call, what names the step.
func (h *httpLayer) classify(parent context.Context, w *watch, err error, what string) error {
	if err == nil {
		return nil
	}
	key := h.cfg.APIKey
	host := h.host
	var re *RedirectError
	if !errors.As(err, &re) && w != nil {
		re = w.redirected.Load()
	}
	var na *NotAnAnswerError
	if !errors.As(err, &na) && w != nil {
		na = w.notAnswer.Load()
	}
	var le *APIError
	if w != nil {
		le = w.bodyErr.Load()
	}
	switch {
	case re != nil:
		// Before the timeout and cancel checks: the SDK may have closed the
		// call's context on its way out. A copy with the host: the one
		// checkRedirect made may be shared with the watch.
		named := *re
		named.Host = host
		return fmt.Errorf("%s %s: %w", what, host, &named)
	case na != nil: // a sign-in page or the like instead of the API's answer
		named := *na
		named.Host = host
		return fmt.Errorf("%s %s: %w", what, host, &named)
	case le != nil: // an error object answered with a 2xx status in place of the answer
		le.Hint, le.Host = h.pathHint(le, true), host
		return fmt.Errorf("%s: %w", what, le)
	case w != nil && w.listTooLarge.Load(): // a listing read up to the limit, no further
		return fmt.Errorf("%s %s: the server's model list is larger than %s; Meterdesk read it no further (is the base URL a model server's?)",
			what, host, mebibytes(w.maxWhole))
	case w != nil && w.tooLarge.Load(): // a whole answer read up to the limit, then cut
		return h.step(what, fmt.Errorf("%w: the provider sent its whole reply as one JSON body (not streamed) longer than %s; Meterdesk read it up to there",
			ErrInterrupted, mebibytes(w.maxWhole)))
	case w != nil && w.overdue.Load():
		if status, _ := w.response(); status != 0 {
			return h.step(what, fmt.Errorf("%w: the answer did not arrive in full within %s (the server answered, then stopped sending)",
				ErrTimeout, seconds(w.limit)))
		}
		return h.step(what, fmt.Errorf("%w: no answer within %s: the server accepted the connection but did not reply; is it busy loading a model?",
			ErrTimeout, seconds(w.limit)))
	case w != nil && w.timedOut.Load():
		return h.step(what, fmt.Errorf("%w (nothing received for %s)", ErrTimeout, w.idle))
	case parent.Err() != nil:
		return fmt.Errorf("%s %s: %w", what, host, parent.Err())
	// Nothing reached the provider when it is offline (here, and a TLS
	// failure below), whatever the step was, so the message leaves the step
	// out: it reads the same from a connection test, a listing and a chat.
	case isOffline(err):
		if h.local {
			return &localDown{fmt.Errorf("%w: nothing is answering at %s (is the local server running?)", ErrOffline, host), host}
		}
		var dns *net.DNSError
		if errors.As(err, &dns) {
			return newDNSError(host, dns, key)
		}
		why := redact(shortNetErr(err), key)
		if strings.HasPrefix(why, "proxyconnect ") {
			// The proxy the environment names did not let the request
			// through: the provider's address was never tried, and being
			// back online would not help.
			return fmt.Errorf("%w: cannot connect to %s"+throughProxy+": %s", ErrOffline, host, why)
		}
		return fmt.Errorf("%w: cannot connect to %s: %s", ErrOffline, host, why)
	case isProxySetting(err):
		// Nothing was sent: the proxy the environment names is no valid
		// URL. Not the provider's answer (isMalformed would read Go's
		// "invalid character" as one), and its credentials hidden.
		return fmt.Errorf("%w: cannot connect to %s: the proxy setting (HTTPS_PROXY or HTTP_PROXY) is not a valid address (%s)",
			ErrOffline, host, redact(shortNetErr(err), key))
	}
	status, hdr := 0, http.Header(nil)
	if w != nil {
		status, hdr = w.response()
	}
	answered := w == nil || status != 0 // a status line came (or, without a watch, may have)
	if status >= 400 && what == stepChatStream {
		// The provider answered the chat with an error status: no stream
		// began. OpenAI's SDK says so when the request is made ("chat"),
		// Anthropic's and Gemini's on the stream's first read, so the same
		// 500 read "chat: provider error 500 …" from one and "chat stream:
		// provider error 500 …" from the others. It is the chat's.
		what = stepChat
	}
	msg, st, ok := sdkMessage(err)
	if status < 400 && ok {
		// An error event inside a 200 stream: use the status the event names,
		// or 500 when it names none.
		status = st
		if status < 400 {
			status = http.StatusInternalServerError
		}
	}
	if status >= 400 {
		if !ok {
			msg = err.Error()
		}
		ae := &APIError{Status: status, Message: redact(msg, key), Host: host}
		if page := w.htmlPage(); page != nil {
			// Whatever an SDK made of the page (its markup as the
			// message, cut at 400 characters), name it.
			ae.Message, ae.HTMLPage, ae.Title = "", true, page.title
		}
		if hdr != nil {
			ae.RetryAfter = parseRetryAfter(hdr, h.cfg.Now())
		}
		if ae.RetryAfter == 0 {
			ae.RetryAfter = geminiRetryDelay(err)
		}
		ae.Hint = h.pathHint(ae, false)
		ae.ContextWindow = !ae.HTMLPage && overContextWindow(status, msg, wireCode(err))
		if ae.Hint == "" && ae.HTMLPage {
			ae.Hint = "is a proxy or a firewall in the way?"
		}
		return fmt.Errorf("%s: %w", what, ae)
	}
	// Transport failures after the HTTP error statuses, so that a
	// provider's own message quoting them (a gateway's upstream trouble)
	// stays that provider's error.
	if isTLSHandshakeTimeout(err) {
		// Classified as a connect timeout is: the secure connection was
		// never made, so nothing was sent.
		return fmt.Errorf("%w: cannot connect to %s: the connection was accepted but the secure (TLS) handshake did not finish (%s)",
			ErrOffline, host, redact(shortNetErr(err), key))
	}
	if cert, ok := certificateError(err); ok {
		cert = redact(cert, key)
		switch {
		case h.local:
			return fmt.Errorf("%w securely at %s: the local server's certificate is not trusted (%s): use http:// for a server on this machine, or have the system trust its certificate; nothing was sent or charged",
				ErrOffline, host, cert)
		case h.onOwnNetwork(w):
			// A server of one's own (Ollama, LM Studio behind https) with
			// a self-signed certificate, not a login page in the way.
			way := "use http:// for a server on your own network, or install its certificate (or the authority that signed it) on this computer"
			if _, keyed := carriesKey(h.cfg.Kind, h.base); keyed {
				way = "install its certificate (or the authority that signed it) on this computer (http:// would send the API key unencrypted)"
			}
			return fmt.Errorf("%w securely at %s: the certificate of this server on your own network is not trusted (%s): %s; nothing was sent or charged",
				ErrOffline, host, cert, way)
		}
		return fmt.Errorf("%w securely at %s: the provider's certificate is not trusted (%s): the address may be wrong, or the network intercepts connections (a hotel or airport login page); nothing was sent or charged",
			ErrOffline, host, cert)
	}
	switch {
	case isMalformed(err):
		return h.step(what, fmt.Errorf("%w: %s", ErrMalformed, redact(err.Error(), key)))
	case isCutOff(err) && !answered:
		// Not even a status line came: the provider hung up on the
		// request (Go's text: `Post "https://host/v1/…": EOF`).
		return h.step(what, hangUpError{reset: isReset(err), chat: strings.HasPrefix(what, "chat")})
	case isCutOff(err):
		return h.step(what, fmt.Errorf("%w%s", ErrInterrupted, cutReason(err, key)))
	}
	// Go's words for a failure it has no class for, without the request's
	// method and URL (`Post "https://host/v1/chat/completions": `): the
	// step and the host say where.
	return h.step(what, errors.New(redact(shortNetErr(err), key)))
}

// isReset reports whether err is a connection the other end reset.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), "connection reset")
}

// cutReason says, after ErrInterrupted's words, how the connection of a
// reply under way ended: " (the connection closed)" for Go's "unexpected
// EOF", " (the connection was reset)", " (the connection broke)"; any other
// cause as ": " and its text, key removed, without a request's method and
// URL (an HTTP/2 stream's INTERNAL_ERROR, a server's "server closed …").
func cutReason(err error, key string) string {
	switch msg := err.Error(); {
	case isReset(err):
		return " (the connection was reset)"
	case errors.Is(err, syscall.EPIPE) || strings.Contains(msg, "broken pipe"):
		return " (the connection broke)"
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected EOF") || strings.HasSuffix(msg, ": EOF"):
		return " (the connection closed)"
	}
	return ": " + redact(shortNetErr(err), key)
}

// mebibytes writes n bytes as "32 MiB" (or "65536 bytes" when it is not
// whole mebibytes).
func mebibytes(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// seconds writes d as "15 s" (or as Go writes it when it is not whole seconds).
func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}

// isTLSHandshakeTimeout reports whether err wraps net/http's TLS handshake
// timeout: an error of its unexported type (tlsHandshakeTimeoutError), told
// by what it is, a net.Error whose Timeout is true, and by its own text as
// a whole, "net/http: TLS handshake timeout"; never a text that merely
// quotes it (a provider's message, an upstream's error). go-openai, the
// Anthropic and the Gemini SDKs wrap transport errors with %w, so it is
// always reached in the chain.
func isTLSHandshakeTimeout(err error) bool {
	found := false
	walk(err, func(e error) {
		var ne net.Error
		if ne, _ = e.(net.Error); ne != nil && ne.Timeout() && e.Error() == "net/http: TLS handshake timeout" {
			found = true
		}
	})
	return found
}

// certificateError reports whether err is a refused server certificate
// (unknown authority, wrong name, expired: a captive portal, a proxy that
// intercepts TLS, a mistyped address) and returns its "x509: …" part.
func certificateError(err error) (string, bool) {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	msg := err.Error()
	if !errors.As(err, &cv) && !errors.As(err, &ua) && !errors.As(err, &he) && !errors.As(err, &ci) &&
		!strings.Contains(msg, "tls: failed to verify certificate") {
		return "", false
	}
	if i := strings.Index(msg, "x509: "); i >= 0 {
		return msg[i:], true
	}
	return shortNetErr(err), true
}

// shortNetErr drops the "Post \"url\":" prefix of a *url.Error.
func shortNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// throughProxy is what an offline error says after "cannot connect to
// HOST" when the proxy the environment names refused or failed the
// connection (Go's "proxyconnect tcp: …" follows).
const throughProxy = " through the proxy this computer is set to use (HTTPS_PROXY or HTTP_PROXY)"

// dnsError is a provider whose host name DNS could not resolve (a
// *net.DNSError): ErrOffline, worded "its address could not be found
// (DNS …)" for everyone, with the name looked up and what DNS said for an
// admin ("offline: the provider cannot be reached: cannot connect to
// api.example.com: its address could not be found (DNS lookup of
// api.example.com: no such host)"), never the address of the DNS server
// asked, which Go's text names ("lookup api.example.com on
// 10.0.0.53:53: no such host") and which helps nobody find the provider.
// A member reads "cannot reach the provider Lab (its address could not be
// found by DNS)" (forMember), the connection test "This address could not be
// found — is the base URL spelled right? (DNS lookup of …)" (TestFailure).
type dnsError struct {
	host string // the provider's host[:port] (h.host)
	name string // the name looked up, "" when Go did not say
	why  string // what DNS said ("no such host", "i/o timeout"), the server's address removed
}

// newDNSError is d, a failed lookup for the provider at host, as a
// dnsError (key removed).
func newDNSError(host string, d *net.DNSError, key string) *dnsError {
	why := d.Err
	if d.Server != "" {
		why = strings.ReplaceAll(why, d.Server, "the DNS server")
	}
	if d.IsNotFound && why == "" {
		why = "no such host"
	}
	return &dnsError{host: host, name: redact(d.Name, key), why: redact(why, key)}
}

// lookup is what the admin reads in the parentheses: "DNS lookup of
// api.example.com: no such host".
func (e *dnsError) lookup() string {
	s := "DNS lookup"
	if e.name != "" {
		s += " of " + e.name
	}
	if e.why != "" {
		s += ": " + e.why
	}
	return s
}

func (e *dnsError) Error() string {
	if e.ofProxy() {
		// The name that did not resolve is the proxy's (ofProxy, as the
		// connection test tells it): the chat names the proxy, as Test
		// connection does, and the window asks to check it
		// (throughProxy), not to be back online; "its address could not
		// be found (DNS lookup of corp-proxy…)" read as the provider's.
		return fmt.Sprintf("%s: cannot connect to %s%s: the proxy's address could not be found (%s)", ErrOffline, e.host, throughProxy, e.lookup())
	}
	return fmt.Sprintf("%s: cannot connect to %s: its address could not be found (%s)", ErrOffline, e.host, e.lookup())
}

func (e *dnsError) Unwrap() error { return ErrOffline }

// localDown is an offline error from a server on this machine: it is
// ErrOffline (Unwrap) and ErrLocalDown (Is), with the message it wraps.
// host is the address nothing answers at (host:port of its base URL), ""
// once worded for a member (forMember): LocalAddress reads it.
type localDown struct {
	error
	host string
}

func (e *localDown) Unwrap() error        { return e.error }
func (e *localDown) Is(target error) bool { return target == ErrLocalDown }

// LocalAddress is the address (host:port of its base URL, never a path or
// a key) of the server on this machine that err says is not running
// (ErrLocalDown), "" for any other error and for a member's (forMember
// clears it: a member is shown no address). The window names it ("The
// local server at localhost:11434 is not answering"): chat.ErrorInfo's
// Address, for an admin.
func LocalAddress(err error) string {
	var ld *localDown
	if errors.As(err, &ld) {
		return ld.host
	}
	return ""
}
