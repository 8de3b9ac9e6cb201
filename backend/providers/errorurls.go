package providers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// urlStart finds where a URL starts in an error's text (its scheme).
var urlStart = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://`)

// hideURLCredentials is s, an error's text, with the credentials in every
// URL it names hidden, for an admin too: a user part as redactedURL hides
// it ("http://alice:xxxxx@proxy", "https://xxxxx@host") and the value of
// every query parameter but a documented plain one ("?key=xxxxx",
// "?pwd=xxxxx"; queryValueHidden).
// Go repeats a URL it could not parse as it was ('invalid proxy address
// "http://alice:s3cret@corp proxy:3128": parse "…"'), so a URL right
// after a '"' runs to the closing quote, spaces and all; any other ends at
// a space or a quote.
func hideURLCredentials(s string) string {
	return hideEncodedURLCredentials(hidePlainURLCredentials(s))
}

// hidePlainURLCredentials is hideURLCredentials for the URLs written as
// they are ("https://…").
func hidePlainURLCredentials(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	at := 0
	for {
		loc := urlStart.FindStringIndex(s[at:])
		if loc == nil {
			break
		}
		start := at + loc[0]
		end := len(s)
		if i := closingQuote(s[start:]); start > 0 && s[start-1] == '"' && i >= 0 {
			end = start + i
		} else if i := strings.IndexAny(s[start:], " \t\r\n\"'<>"); i >= 0 {
			end = start + i
		}
		b.WriteString(s[at:start])
		b.WriteString(redactedURL(s[start:end]))
		at = end
	}
	b.WriteString(s[at:])
	return b.String()
}

// encodedURLStart finds where a percent-encoded URL starts in an error's
// text ("https%3A%2F%2F…", as a redirect_uri= or a JSON body repeats one),
// its first submatch: after a character no scheme has, or after an escape
// ("redirect_uri%3Dhttps%3A%2F%2F…", a URL encoded in an encoded query).
var encodedURLStart = regexp.MustCompile(`(?i)(?:^|[^a-z0-9+.%-]|%[0-9a-f]{2})([a-z][a-z0-9+.-]*%3A%2F%2F)`)

// encodedURLEnd are the characters that end a percent-encoded URL: a
// space, a quote, and the characters a URL's structure is written with,
// which an encoded URL has encoded ("…%3Fkey%3D…&state=…": the '&' is the
// URL's around it).
const encodedURLEnd = " \t\r\n\"'<>:/?#&=;@"

// structuralChars are the characters that give a URL its
// structure (scheme, host, user part, path, query and fragment), the ones
// whose escapes hideEncodedURLCredentials decodes to find what redactedURL hides.
const structuralChars = ":/?#&=;@"

// hideEncodedURLCredentials is s with the credentials of every
// percent-encoded URL it names hidden as redactedURL hides a URL's
// ("https%3A%2F%2Fhost%2Fv1%3Fkey%3DAIza…" reads
// "https%3A%2F%2Fhost%2Fv1%3Fkey%3Dxxxxx"): the escapes of the characters
// that give a URL its structure are decoded, the URL redacted, and they are
// encoded again (in the case the URL wrote its escapes in); every other
// escape stays as it was. A URL encoded twice ("%253F") is not read.
func hideEncodedURLCredentials(s string) string {
	if !strings.Contains(strings.ToUpper(s), "%3A%2F%2F") {
		return s
	}
	var b strings.Builder
	at := 0
	for {
		loc := encodedURLStart.FindStringSubmatchIndex(s[at:])
		if loc == nil {
			break
		}
		start := at + loc[2]
		end := len(s)
		if i := strings.IndexAny(s[start:], encodedURLEnd); i >= 0 {
			end = start + i
		}
		b.WriteString(s[at:start])
		b.WriteString(redactedEncodedURL(s[start:end]))
		at = end
	}
	b.WriteString(s[at:])
	return b.String()
}

// redactedEncodedURL is u, a percent-encoded URL with no structural
// character written as it is (encodedURLEnd), redacted as redactedURL
// redacts the URL it encodes.
func redactedEncodedURL(u string) string {
	var d strings.Builder
	lower := false
	for i := 0; i < len(u); i++ {
		if u[i] == '%' && i+2 < len(u) {
			if c, err := url.PathUnescape(u[i : i+3]); err == nil && strings.Contains(structuralChars, c) {
				d.WriteString(c)
				lower = lower || strings.ToLower(u[i+1:i+3]) == u[i+1:i+3] && strings.ToUpper(u[i+1:i+3]) != u[i+1:i+3]
				i += 2
				continue
			}
		}
		d.WriteByte(u[i])
	}
	hidden := redactedURL(d.String())
	if hidden == d.String() {
		return u
	}
	var e strings.Builder
	for i := 0; i < len(hidden); i++ {
		if strings.IndexByte(structuralChars, hidden[i]) < 0 {
			e.WriteByte(hidden[i])
			continue
		}
		x := fmt.Sprintf("%%%02X", hidden[i])
		if lower {
			x = strings.ToLower(x)
		}
		e.WriteString(x)
	}
	return e.String()
}

// closingQuote is the index in s of the first '"' no backslash escapes
// (strconv.Quote's), -1 when there is none.
func closingQuote(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// plainQueryParams are the query parameters whose values are no secret,
// as the providers' APIs document them (compared case aside): Azure
// OpenAI's api-version, Gemini's alt=sse, the paging of a model listing
// (Gemini's pageSize, Anthropic's limit, after_id, before_id), and the
// project of the Google Cloud console link a Gemini error gives to enable
// its API ("Enable it by visiting https://console.developers.google.com/
// apis/api/generativelanguage.googleapis.com/overview?project=123 then
// retry": the project's number, no secret, which the message names before
// the link; hidden, the link opened no project). Every other
// query parameter's value may be a credential (?key=, ?pwd=, ?sig=, a
// signed URL's X-Amz-Signature=, a bare ?sk-…): queryValueHidden.
var plainQueryParams = []string{"api-version", "alt", "pageSize", "limit", "after_id", "before_id", "project"}

// queryValueHidden is the rule for a URL's query, the one place it
// lives: the value of a query parameter named name is hidden wherever a
// URL is shown (errors, audit entries, notices: hideQueryCredentials) and
// taken out of a stored base URL (urlCredentialOf), unless name is one
// the APIs document as no secret (plainQueryParams). A base URL with any
// query is refused on save and on use (checkBaseURL).
func queryValueHidden(name string) bool {
	for _, p := range plainQueryParams {
		if strings.EqualFold(name, p) {
			return false
		}
	}
	return true
}

// queryPartHidden reports whether a part of a query has a value
// queryValueHidden hides: name=value with a value, or a bare part (hasValue
// false: name is the whole part, a token pasted as the query) with a letter
// or digit in it.
func queryPartHidden(name, value string, hasValue bool) bool {
	if !hasValue {
		return strings.IndexFunc(name, isAlnum) >= 0 && queryValueHidden(name)
	}
	return value != "" && queryValueHidden(name)
}

// hideQueryCredentials is u, a URL, with the value of each query
// parameter queryValueHidden hides (all but a documented plain one:
// ?api-version=2024-02-01 stays) replaced by "xxxxx", and a part
// without a name ("?sk-abc", a token pasted as the query) replaced whole.
// Parts are split at '&', ';' and JSON's "\u0026" (a URL quoted in a
// provider's JSON error body: "?alt=sse\u0026key=…" showed the key as
// alt's value). A fragment's name=value parts are hidden by the same rule
// ("#access_token=xxxxx"); a bare fragment ("#usage-tiers", a link into
// a provider's documentation) is kept.
func hideQueryCredentials(u string) string {
	q := strings.IndexAny(u, "?#")
	if q < 0 {
		return u
	}
	query, frag := "", u[q:]
	if u[q] == '?' {
		query, frag = u[q+1:], ""
		if i := strings.Index(query, "#"); i >= 0 {
			query, frag = query[:i], query[i:]
		}
	}
	hidden, changed := hideQueryParts(query, true)
	if frag != "" {
		f, c := hideQueryParts(frag[1:], false)
		frag, changed = "#"+f, changed || c
	}
	if !changed {
		return u
	}
	if u[q] == '?' {
		return u[:q+1] + hidden + frag
	}
	return u[:q] + frag
}

// jsonAmp is '&' as JSON writes it in a string (json.Marshal's escaping).
const jsonAmp = `\u0026`

// hideQueryParts is query (a URL's query or fragment, without its '?' or
// '#') with the values queryPartHidden hides replaced by "xxxxx", and a
// bare part too when bare; changed says whether any was.
func hideQueryParts(query string, bare bool) (string, bool) {
	var b strings.Builder
	changed := false
	start := 0
	for i := 0; i <= len(query); i++ {
		sep := 0
		switch {
		case i == len(query):
		case query[i] == '&' || query[i] == ';':
			sep = 1
		case strings.HasPrefix(query[i:], jsonAmp):
			sep = len(jsonAmp)
		default:
			continue
		}
		part := query[start:i]
		name, value, hasValue := strings.Cut(part, "=")
		switch {
		case !queryPartHidden(name, value, hasValue) || !hasValue && !bare:
			b.WriteString(part)
		case hasValue:
			b.WriteString(name + "=xxxxx")
			changed = true
		default:
			b.WriteString("xxxxx")
			changed = true
		}
		b.WriteString(query[i : i+sep])
		i += sep - 1
		start = i + 1
		if sep == 0 {
			break
		}
	}
	return b.String(), changed
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isProxySetting reports whether err is a request that was never sent
// because the proxy chosen for it (HTTPS_PROXY, HTTP_PROXY: the
// transport's Proxy) is no valid URL: Go's 'invalid proxy address
// "…": parse "…": …', or url.Parse's error under the request's. The
// request's own URL, the provider's base URL, was parsed long before.
func isProxySetting(err error) bool {
	if strings.Contains(err.Error(), "invalid proxy address") {
		return true
	}
	var ue *url.Error
	for e := err; errors.As(e, &ue); e = ue.Err {
		if ue.Op == "parse" {
			return true
		}
	}
	return false
}

// storedErrorsHidden is the setting that says HideCredentialsInStoredErrors
// has run on this database with hideURLCredentials as it is now. Its name
// changes when that rule hides more: "stored_errors_url_credentials_hidden"
// said it ran when only a query value named like a credential was hidden,
// so a database it had run on kept "?pwd=hunter2" in its stored errors;
// every query value but a documented plain one is hidden since
// (queryValueHidden), so the job runs once more on such a database; and
// "stored_errors_url_query_values_hidden" said it ran before a
// percent-encoded URL's values were hidden ("https%3A%2F%2Fhost%2Fv1%3Fkey%3D…":
// hideEncodedURLCredentials), so it runs once more on those too.
const storedErrorsHidden = "stored_errors_encoded_url_values_hidden"

// HideCredentialsInStoredErrors hides the credentials in the URLs of the
// errors stored with replies (chat_messages.error) by an older version,
// which kept them as Go worded them: a proxy URL Go could not parse
// repeated whole, its password and all ('invalid proxy address
// "http://alice:s3cret@…"'). Run once per database at start-up (core.Open;
// a setting says it ran, so a big history is not read at every open),
// with secure_delete on and a checkpoint after, so the old text stays
// neither in the database file nor in its -wal. An admin's view hides them
// in any case (StoredErrorWords); this takes them out of the file and
// the backups made from it. It returns how many errors changed.
func (s *Service) HideCredentialsInStoredErrors(ctx context.Context) (int, error) {
	if _, err := access.RequireAdmin(ctx, "hide credentials in stored errors"); err != nil {
		return 0, err
	}
	if done, err := s.db.GetSetting(ctx, storedErrorsHidden, ""); err != nil || done != "" {
		return 0, err
	}
	changed := 0
	err := s.db.WriteSecure(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, error FROM chat_messages WHERE instr(error, '://') > 0 OR instr(upper(error), '%3A%2F%2F') > 0`)
		if err != nil {
			return fmt.Errorf("read the errors stored with replies: %w", err)
		}
		type fix struct {
			id   int64
			text string
		}
		var fixes []fix
		for rows.Next() {
			var f fix
			var text string
			if err := rows.Scan(&f.id, &text); err != nil {
				rows.Close()
				return err
			}
			if f.text = hideURLCredentials(text); f.text != text {
				fixes = append(fixes, f)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, f := range fixes {
			if _, err := tx.ExecContext(ctx, "UPDATE chat_messages SET error = ? WHERE id = ?", f.text, f.id); err != nil {
				return fmt.Errorf("hide credentials in the errors stored with replies: %w", err)
			}
		}
		changed = len(fixes)
		return store.SetSettingTx(ctx, tx, storedErrorsHidden, "1")
	})
	if err != nil {
		return 0, err
	}
	if changed > 0 {
		s.opts.Logger.Info("credentials hidden in errors stored with replies", "messages", changed)
		if _, err := s.db.Checkpoint(ctx); err != nil {
			return changed, err
		}
	}
	return changed, nil
}
