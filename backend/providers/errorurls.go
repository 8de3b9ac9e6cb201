package providers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// urlStart finds where a URL starts in an error's text (its scheme).
var urlStart = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://`)

// hideURLCredentials is s, an error's text, with the credentials in every
// URL it names hidden, for an admin too: a user part as redactedURL hides
// it ("http://alice:xxxxx@proxy", "https://xxxxx@host") and the value of
// a query parameter whose name says it is a credential ("?key=xxxxx").
// Go repeats a URL it could not parse as it was ('invalid proxy address
// "http://alice:s3cret@corp proxy:3128": parse "…"'), so a URL right
// after a '"' runs to the closing quote, spaces and all; any other ends at
// a space or a quote.
func hideURLCredentials(s string) string {
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
		b.WriteString(hideQueryCredentials(redactedURL(s[start:end])))
		at = end
	}
	b.WriteString(s[at:])
	return b.String()
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

// hideQueryCredentials is u, a URL, with the value of each query
// parameter whose name says it is a credential (credentialParam: key=,
// api_key=, access_token=…) replaced by "xxxxx".
func hideQueryCredentials(u string) string {
	q := strings.Index(u, "?")
	if q < 0 {
		return u
	}
	query, frag := u[q+1:], ""
	if i := strings.Index(query, "#"); i >= 0 {
		query, frag = query[:i], query[i:]
	}
	parts := strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' })
	changed := false
	for _, part := range parts {
		if name, value, ok := strings.Cut(part, "="); ok && value != "" && credentialParam(name) {
			query = strings.Replace(query, part, name+"=xxxxx", 1)
			changed = true
		}
	}
	if !changed {
		return u
	}
	return u[:q+1] + query + frag
}

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
// has run on this database.
const storedErrorsHidden = "stored_errors_url_credentials_hidden"

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
		rows, err := tx.QueryContext(ctx, `SELECT id, error FROM chat_messages WHERE instr(error, '://') > 0`)
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
