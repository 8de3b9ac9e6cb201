package providers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// ErrNotAnAnswer: the provider's address answered 2xx with a body that is
// not its API's answer: neither an event stream nor JSON (a captive
// portal's or a corporate proxy's HTML sign-in page, plain text), or, for
// a chat, JSON that is no chat answer under a type that is not JSON.
// Nothing was delivered or charged; keep the draft. Matched by
// *NotAnAnswerError.
var ErrNotAnAnswer = errors.New("the provider's answer is not what its API answers")

// NotAnAnswerError is a 2xx answer whose body is not the provider API's
// answer (ErrNotAnAnswer). It names what came, never the body itself
// beyond a short excerpt: an HTML page's title or plain text's first
// line, key removed, on one line, at most maxExcerpt characters.
type NotAnAnswerError struct {
	// What names the body: "an HTML page", "an XML document", "plain
	// text", "JSON of another kind", "malformed JSON" or "a body that is
	// neither an event stream nor JSON".
	What string `json:"what"`
	// ContentType is the answer's media type as sent ("text/html"), ""
	// when it had none.
	ContentType string `json:"contentType"`
	// Excerpt is an HTML page's title or plain text's first line, ""
	// when there is none.
	Excerpt string `json:"excerpt,omitempty"`
	// Listing: the answer was to a model listing (a connection test, the
	// model picker), not to a chat.
	Listing bool `json:"listing,omitempty"`
	// Host is the provider's host the answer came from (host:port of its
	// base URL, as APIError.Host: never a path, a query or a key); ""
	// when not known. Error leaves it out; the local API puts it first
	// (gateway mapError).
	Host string `json:"-"`
}

func (e *NotAnAnswerError) Error() string {
	var b strings.Builder
	b.WriteString("the provider answered with " + e.came())
	if e.Listing {
		b.WriteString(", not a list of models")
	} else {
		b.WriteString(", not a model's answer")
	}
	b.WriteString(": is a proxy or a sign-in page in the way?")
	return b.String()
}

// came names what came: `an HTML page (text/html) titled "Sign in"`,
// `plain text (no Content-Type) saying "…"`.
func (e *NotAnAnswerError) came() string {
	var b strings.Builder
	b.WriteString(e.What + " (")
	if e.ContentType == "" {
		b.WriteString("no Content-Type")
	} else {
		b.WriteString(e.ContentType)
	}
	b.WriteString(")")
	if e.Excerpt != "" {
		if e.What == "an HTML page" {
			b.WriteString(" titled ")
		} else {
			b.WriteString(" saying ")
		}
		b.WriteString(fmt.Sprintf("%q", e.Excerpt))
	}
	return b.String()
}

// keyCheckAnswerError is a key check (proveKey: OpenRouter's GET /key)
// answered below 400 with a body that is not the check's answer, a JSON
// object with a "data" object (the key's label and limits): an empty
// body, a sign-in page, JSON of another kind. The key is then not known
// to be accepted: "the key check's answer was not OpenRouter's: an empty
// body (application/json): is a proxy or a sign-in page in the way?".
// It is ErrNotAnAnswer for errors.Is, but no *NotAnAnswerError, whose
// words are a listing's or a chat's.
type keyCheckAnswerError struct {
	preset string // whose check it was: "OpenRouter"
	na     *NotAnAnswerError
}

func (e *keyCheckAnswerError) Error() string {
	return "the key check's answer was not " + e.preset + "'s: " + e.na.came() + ": is a proxy or a sign-in page in the way?"
}

// Is makes errors.Is(err, ErrNotAnAnswer) true.
func (e *keyCheckAnswerError) Is(target error) bool { return target == ErrNotAnAnswer }

// keyCheckAnswer checks the body of a key check answered below 400 (ct
// its Content-Type, key kept out of any excerpt): nil for a JSON object
// holding a "data" object, else a *keyCheckAnswerError naming what came.
func keyCheckAnswer(preset, ct string, body []byte, key string) error {
	var answer struct {
		Data json.RawMessage `json:"data"`
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	err := json.Unmarshal(trimmed, &answer)
	if err == nil && bytes.HasPrefix(bytes.TrimSpace(answer.Data), []byte("{")) {
		return nil
	}
	var na *NotAnAnswerError
	switch {
	case len(trimmed) == 0:
		na = &NotAnAnswerError{What: "an empty body", ContentType: typeName(ct, key)}
	case trimmed[0] == '{' || trimmed[0] == '[':
		na = otherJSON(ct, trimmed, key)
	default:
		na = notAnAnswer(ct, body[:min(len(body), sniffLen)], key, true)
	}
	return &keyCheckAnswerError{preset: preset, na: na}
}

// Is makes errors.Is(err, ErrNotAnAnswer) true.
func (e *NotAnAnswerError) Is(target error) bool { return target == ErrNotAnAnswer }

// sniffLen is how much of a body that is neither an event stream nor JSON
// is looked at to name it (notAnAnswer): at most what the first read
// brought, up to 4 KiB, so naming it never waits for more of the body.
const sniffLen = 4 << 10

// maxExcerpt bounds NotAnAnswerError.Excerpt, in characters.
const maxExcerpt = 60

// notAnAnswer names a 2xx body that is not the API's answer: ct is its
// Content-Type header, head the start of the body (at most sniffLen
// bytes), key the API key to keep out of the excerpt.
func notAnAnswer(ct string, head []byte, key string, listing bool) *NotAnAnswerError {
	mt := mediaType(ct)
	e := &NotAnAnswerError{ContentType: typeName(ct, key), Listing: listing}
	head = bytes.TrimPrefix(head, utf8BOM)
	sniffed := mediaType(http.DetectContentType(head))
	switch {
	case isHTMLPage(ct, head):
		e.What, e.Excerpt = "an HTML page", excerpt(htmlTitle(head), key)
	case mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml") || sniffed == "text/xml":
		e.What = "an XML document"
	case sniffed == "text/plain":
		e.What = "plain text"
		line, _, _ := bytes.Cut(bytes.TrimSpace(head), []byte("\n"))
		e.Excerpt = excerpt(string(line), key)
	default:
		e.What = "a body that is neither an event stream nor JSON"
	}
	return e
}

// isHTMLPage reports whether a body whose Content-Type header is ct and
// which starts with head is an HTML page: labelled as one, or, whatever
// its label says, starting as one (http.DetectContentType, after a byte
// order mark).
func isHTMLPage(ct string, head []byte) bool {
	switch mediaType(ct) {
	case "text/html", "application/xhtml+xml":
		return true
	}
	return mediaType(http.DetectContentType(bytes.TrimPrefix(head, utf8BOM))) == "text/html"
}

// otherJSON is a chat answer under a type that is not JSON whose body
// starts as JSON but is neither a chat answer nor an error object: JSON of
// another kind, or, when body is not JSON after all, malformed JSON.
func otherJSON(ct string, body []byte, key string) *NotAnAnswerError {
	what := "JSON of another kind"
	if !json.Valid(body) {
		what = "malformed JSON"
	}
	return &NotAnAnswerError{What: what, ContentType: typeName(ct, key)}
}

// mediaType is the media type of a Content-Type header, lower case, ""
// when there is none or it cannot be read.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) { // the type read, a parameter not: the type counts
		return ""
	}
	return mt
}

// typeName is a Content-Type header as NotAnAnswerError names it: its
// media type, or, when that cannot be read, the header made safe to show
// (excerpt); "" when there is none.
func typeName(ct, key string) string {
	if mt := mediaType(ct); mt != "" {
		return mt
	}
	return excerpt(ct, key)
}

// utf8BOM is a byte order mark, which may start a text body.
var utf8BOM = []byte("\xef\xbb\xbf")

// htmlTitle is the text of the first <title> element in head, "" when it
// has none (or it does not end within head).
func htmlTitle(head []byte) string {
	low := bytes.ToLower(head)
	i := bytes.Index(low, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(low[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	end := bytes.Index(low[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	return html.UnescapeString(string(head[start : start+end]))
}

// excerpt makes s safe to show in an error: the key removed, one line of
// printable text (redact), blanks collapsed, at most maxExcerpt
// characters ("…" where it was cut); "" when s is not valid UTF-8 text.
func excerpt(s, key string) string {
	for i := 1; i < utf8.UTFMax && s != "" && !utf8.ValidString(s); i++ {
		s = s[:len(s)-1] // a character cut at the end of what was looked at
	}
	if !utf8.ValidString(s) {
		return ""
	}
	s = strings.Join(strings.Fields(redact(s, key)), " ")
	if utf8.RuneCountInString(s) > maxExcerpt {
		s = string([]rune(s)[:maxExcerpt-1]) + "…"
	}
	return s
}
