package providers

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
)

// urlCredential is a credential found in a stored base URL (urlCredentialOf).
type urlCredential struct {
	base    string   // the stored URL without it (cleaned by NormalizeBaseURL when it can be)
	secrets []string // the credential text as it stands in the stored URL, each part
	// leads are what stands right before each of secrets in the stored
	// URL: "://" before a user part, "name=" before a query value, the
	// '?', '&' or ';' before a bare query part (blankWhole).
	leads []string
	// anywhere says, for each of secrets, whether it is known to be a
	// credential (a user part, the value of a query parameter named as one:
	// credentialParam; of minCredentialAnywhere characters or more), and so
	// blanked wherever it stands when long enough (blankIn); any other
	// query value ("none" of "?auth=none" too) ("true" of "?stream=true", "gpt-4o"
	// of "?model=gpt-4o", a bare "?beta") is blanked only where it stands
	// whole after its lead, as it may be any word of the audit log's
	// entries ("active":true) and the errors stored with replies.
	anywhere []bool
	key      string // the credential as the provider's API key, "" when it is not one
	// host is the token's text before its first '/' when it was typed
	// before the host with a '/' in it ("sk-abc" of "https://sk-abc/def@host"):
	// url.Parse read it as the host, so the errors of requests sent there
	// name it ("cannot connect to sk-abc"). "" otherwise.
	host string
	what string // what it was, in words: "a token", "a user name and password", "an API key in its query (key=)"
	// found is what, each thing found in its words; the one that may be
	// the provider's key (a token, a Gemini key=) says so.
	found []foundPhrase
}

// foundPhrase is one thing urlCredentialOf found in a stored base URL, in
// words: "a token", "a user name and password", "an API key in its query
// (key=)", or every other name it removed from the query and fragment, never
// a value ("stream= and pwd= in its query, which may be credentials").
type foundPhrase struct {
	words string
	key   bool // the credential the provider's key may be (urlCredential.key)
	many  bool // words names more than one ("they were removed")
}

// foundWords joins fs ("a token, and pwd= in its query, which may be a
// credential"); many says whether they are more than one.
func foundWords(fs []foundPhrase) (words string, many bool) {
	var ws []string
	for _, f := range fs {
		ws = append(ws, f.words)
		many = many || f.many
	}
	return strings.Join(ws, ", and "), many || len(fs) > 1
}

// wordList is names joined as a sentence says them: "a=", "a= and b=",
// "a=, b= and c=".
func wordList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// queryPart is a part of a stored base URL's query or fragment whose value
// queryPartHidden hides.
type queryPart struct {
	name, value string // name "" for a bare part (value is the whole part)
	// lead is what stands right before value: "name=", or a bare part's
	// own '?', '&' or ';' (not where its text first stands).
	lead  string
	where string // "query" or "fragment"
}

// hiddenQueryParts are the parts of s (a URL's query or fragment, with its
// '?' or '#'; "" for none) whose values queryPartHidden hides, split at '&'
// and ';' as hideQueryParts splits them; bare parts too when bare (a
// query's; a fragment's bare part is an anchor).
func hiddenQueryParts(s string, bare bool) []queryPart {
	if s == "" {
		return nil
	}
	where := "query"
	if s[0] == '#' {
		where = "fragment"
	}
	var out []queryPart
	sep := s[0] // what stands before part in s
	for start, i := 1, 1; i <= len(s); i++ {
		if i < len(s) && s[i] != '&' && s[i] != ';' {
			continue
		}
		part, before := s[start:i], sep
		if i < len(s) {
			sep = s[i]
		}
		start = i + 1
		name, value, hasValue := strings.Cut(part, "=")
		if part == "" || !queryPartHidden(name, value, hasValue) || !hasValue && !bare {
			continue
		}
		p := queryPart{name: name, value: value, lead: name + "=", where: where}
		if !hasValue { // a bare part: a token pasted as the query ("?sk-abc")
			p = queryPart{value: part, lead: string(before), where: where}
		}
		out = append(out, p)
	}
	return out
}

// credentialParams are query parameters named as a credential (compared
// in lower case, '-' and '_' ignored): key=, api_key=, access_token=…
// A value under such a name is blanked wherever it stands in earlier audit
// entries and stored errors (urlCredential.anywhere); which values are
// hidden and moved is queryValueHidden's rule: all but the documented
// plain ones (?pwd= and ?foo= too).
var credentialParams = []string{"key", "token", "secret", "pass", "auth", "sig", "credential"}

func credentialParam(name string) bool {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	for _, c := range credentialParams {
		if strings.Contains(n, c) {
			return true
		}
	}
	return false
}

// urlCredentialOf finds a credential in raw, a provider's stored base URL
// (one an older version saved before NormalizeBaseURL refused it): a user
// part ("https://sk-…@host/v1", "https://u:pw@host/v1"), a token typed
// with a '/' in it before the host (credentialsPastPath:
// "https://sk-abc/def@host/v1"), or a query parameter whose name says it is
// one or may be (every query parameter but a documented plain one,
// queryValueHidden: "?key=…", "?pwd=…", a bare "?sk-…"; the whole query
// goes with it, since a base URL has none; "?api-version=…" alone stays,
// refused on use), or a fragment's name=value part by the same rule
// ("#access_token=…", "#key=…"; the whole fragment and query go with it; a
// bare fragment, an anchor, stays, refused on use). ok is false when raw
// carries none.
//
// A user part without a ':' (a token) is the provider's API key, of any
// kind (a bearer token; Anthropic's and Gemini's keys alike); a name and a
// password is not (no provider's key is HTTP Basic). A key= query (or
// fragment part) is the key of a gemini provider, whose API documents it;
// any other query credential is not a key Meterdesk can send.
func urlCredentialOf(kind Kind, raw string) (c urlCredential, ok bool) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	prefix, rest, authority := urlParts(s)
	at := -1
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		at = i
	} else if userPastPath(authority, rest) {
		at = strings.LastIndex(rest, "@")
		if hostPort(authority) {
			c.host = authority
		}
	}
	rest2 := rest
	if at >= 0 {
		user := rest[:at]
		rest2 = rest[at+1:]
		c.secrets = append(c.secrets, user)
		c.leads = append(c.leads, userLead)
		// A short one ("admin" of "http://admin@192.168.1.5:8080/v1") only
		// where it stands whole as the URL's user part: anywhere, it blanked
		// "role":"admin" of every member's audit entry.
		c.anywhere = append(c.anywhere, len(user) >= minCredentialAnywhere)
		if !strings.Contains(user, ":") {
			c.found = append(c.found, foundPhrase{words: "a token", key: true})
			if k, err := url.PathUnescape(user); err == nil {
				c.key = k
			} else {
				c.key = user
			}
		} else {
			c.found = append(c.found, foundPhrase{words: "a user name and password"})
		}
	}
	base := prefix + rest2
	if q := strings.IndexAny(rest2, "?#"); q >= 0 {
		query, frag := "", rest2[q:]
		if frag[0] == '?' {
			query, frag = frag, ""
			if i := strings.Index(query, "#"); i >= 0 {
				query, frag = query[:i], query[i:]
			}
		}
		// The query's parts, then the fragment's ("#access_token=…",
		// "#key=…": a bare fragment, an anchor, is no credential), as
		// hideQueryCredentials hides them where a URL is shown.
		parts := append(hiddenQueryParts(query, true), hiddenQueryParts(frag, false)...)
		var named [2][]string // the names removed from the query and from the fragment, as typed
		for _, p := range parts {
			c.secrets = append(c.secrets, p.value)
			c.leads = append(c.leads, p.lead)
			// A short value, even under a credential's name ("?auth=none",
			// "?key=1234"), is blanked only where it stands whole after its
			// name: anywhere, it would blank every "none" and port 1234 of
			// the audit log ("keyStore":"none" of other providers).
			c.anywhere = append(c.anywhere, p.name != "" && credentialParam(p.name) && len(p.value) >= minCredentialAnywhere)
			if kind == KindGemini && strings.EqualFold(p.name, "key") && c.key == "" && at < 0 {
				v, err := url.QueryUnescape(p.value)
				if err != nil {
					v = p.value
				}
				c.key = v
				c.found = append(c.found, foundPhrase{words: "an API key in its " + p.where + " (key=)", key: true})
				continue
			}
			i := 0
			if p.where == "fragment" {
				i = 1
			}
			name := p.name + "="
			if p.name == "" {
				name = "a value with no name"
			}
			named[i] = append(named[i], name)
		}
		var groups []string
		count := 0
		for i, where := range [2]string{"query", "fragment"} {
			if len(named[i]) > 0 {
				groups = append(groups, wordList(named[i])+" in its "+where)
				count += len(named[i])
			}
		}
		if count == 1 {
			c.found = append(c.found, foundPhrase{words: groups[0] + ", which may be a credential"})
		} else if count > 1 {
			c.found = append(c.found, foundPhrase{words: strings.Join(groups, " and ") + ", which may be credentials", many: true})
		}
		if len(parts) > 0 {
			base = prefix + rest2[:q]
		}
	}
	c.what, _ = foundWords(c.found)
	if len(c.secrets) == 0 {
		return c, false
	}
	c.base = strings.TrimRight(base, "/")
	if clean, err := NormalizeBaseURL(kind, c.base); err == nil {
		c.base = clean
	}
	return c, true
}

// URLCredentialsMoved says what MoveURLCredentials did to one provider.
type URLCredentialsMoved struct {
	ID     int64
	Name   string
	AsKey  bool   // the credential became the provider's API key
	Notice string // what the admin is told (Provider.Notice)
}

// urlCredentialView is what the audit log keeps of a credential moved
// out of a stored base URL: the address before (redacted) and after, and
// where the credential went, never the credential.
type urlCredentialView struct {
	BaseURL string `json:"baseUrl"`
	Key     string `json:"key"`                    // where the key is kept: keychain, sealed or none
	Found   string `json:"found,omitempty"`        // what was in the address: "a token", "a key= query"…
	Outcome string `json:"outcome,omitempty"`      // "moved to the API key" or "removed"
	Audit   int    `json:"auditEntries,omitempty"` // earlier audit entries the credential was blanked in
}

// MoveURLCredentials takes every credential out of the providers' stored
// base URLs (a token, a password or a key= query that an older version
// saved in the plain base_url column before NormalizeBaseURL refused it),
// as the system at start-up (core.Open): the API key belongs in the OS
// keychain or sealed at rest, never in a plain column. For each such row:
//
//   - a credential of the kind the provider's key is (urlCredentialOf), on
//     a provider without a key, becomes its key, kept where new keys go
//     (newKeyVault), so the provider works as its URL meant;
//   - otherwise (a key already set, a password, another query, the vault
//     refusing it) it is removed: nothing can send it (no provider sends
//     HTTP Basic or a query credential), and the URL was refused on use
//     anyway;
//
// the row keeps the address without it and a notice for the admin
// (Provider.Notice: Settings → Providers, `meterdesk providers list`)
// until the provider is next saved; the earlier audit entries that
// repeat the credential have it replaced by "xxxxx"; one audit entry
// (provider.url_credential) says what was done, naming the address
// redacted. The writes run with secure_delete on and are followed by a
// checkpoint, so the old text is left neither in the database file's free
// space nor in its -wal. Nothing is written when no row carries one.
func (s *Service) MoveURLCredentials(ctx context.Context) ([]URLCredentialsMoved, error) {
	actor, err := access.RequireAdmin(ctx, "move credentials out of provider addresses")
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, "SELECT "+selectCols+" FROM providers ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read providers: %w", err)
	}
	var found []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read providers: %w", err)
		}
		if _, ok := urlCredentialOf(r.Kind, r.stored); ok {
			found = append(found, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read providers: %w", err)
	}
	var out []URLCredentialsMoved
	for _, r := range found {
		m, err := s.moveURLCredential(ctx, actor, r)
		if errors.Is(err, errMovedMeanwhile) {
			continue // another process opening the folder did it (or the row was edited)
		}
		if err != nil {
			return out, fmt.Errorf("provider %q: move the credential out of its address: %w", r.Name, err)
		}
		out = append(out, m)
	}
	if len(out) > 0 {
		// The -wal still holds the pages as they were; a checkpoint that
		// another process's reader keeps from finishing is done by the
		// next one (housekeeping's TrimWAL, the next open).
		if _, err := s.db.Checkpoint(ctx); err != nil {
			return out, err
		}
	}
	return out, nil
}

// errMovedMeanwhile: the row's base URL is no longer the one read (another
// process opening the same folder moved its credential first).
var errMovedMeanwhile = errors.New("the provider's address changed meanwhile")

func (s *Service) moveURLCredential(ctx context.Context, actor access.Actor, r row) (URLCredentialsMoved, error) {
	c, _ := urlCredentialOf(r.Kind, r.stored)
	// The user part and the query's values as redactedURL hides them; a
	// secret still standing anywhere else goes too (blankIn), but one too
	// short to be told from other text ("v1" of "?token=v1") only where it
	// stands whole after its lead, not in the host or path.
	shown := redactedURL(strings.TrimSpace(r.stored))
	for _, i := range longestFirst(c.secrets) {
		secret := c.secrets[i]
		shown = blankIn(shown, c.leads[i], secret, c.anywhere[i])
	}
	m := URLCredentialsMoved{ID: r.ID, Name: r.Name}
	ref, keyStore, sealed, hint := r.ref, r.KeyStore, r.sealed, r.KeyHint
	moved := false
	if c.key != "" && !r.HasKey {
		nref, nstore, nsealed, err := s.sealKey(c.key)
		if err == nil {
			ref, keyStore, sealed, hint, moved = nref, nstore, nsealed, hintOf(c.key), true
		} else {
			s.opts.Logger.Warn("could not keep the key found in a provider's address", "id", r.ID, "err", err)
		}
	}
	where := "encrypted in the data folder"
	if keyStore == StoreKeychain {
		where = "in the OS keychain"
	}
	outcome := "removed"
	if moved {
		outcome = "moved to the API key"
		m.AsKey = true
		var key, others []foundPhrase
		for _, f := range c.found {
			if f.key {
				key = append(key, f)
			} else {
				others = append(others, f)
			}
		}
		keyWords, _ := foundWords(key)
		also := ""
		if len(others) > 0 {
			words, many := foundWords(others)
			also = fmt.Sprintf(" It also held %s; %s removed.", words, itWas(many))
		}
		m.Notice = fmt.Sprintf("Its saved address (%s) held %s; it is now the provider's API key, kept %s, and the address is %s.%s Test the connection.", shown, keyWords, where, c.base, also)
	} else {
		words, many := foundWords(c.found)
		why := "no provider sends it"
		if many {
			why = "no provider sends them"
		}
		switch {
		case c.key != "" && r.HasKey:
			why = "the provider has an API key already"
		case c.key != "":
			why = "it could not be kept as the API key"
		}
		m.Notice = fmt.Sprintf("Its saved address (%s) held %s; %s removed (%s); the address is now %s. If the server needs it, enter the address and API key again.", shown, words, itWas(many), why, c.base)
	}
	err := s.db.WriteSecure(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE providers SET base_url = ?, secret_ref = ?, key_store = ?, key_sealed = ?, key_hint = ?,
			notice = ?, updated_at = ? WHERE id = ? AND base_url = ?`,
			c.base, ref, keyStore, sealed, hint, m.Notice, s.stamp(), r.ID, r.stored)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errMovedMeanwhile
		}
		blanked, err := blankInAudit(ctx, tx, c.secrets, c.leads, c.anywhere)
		if err != nil {
			return err
		}
		if err := blankInReplyErrors(ctx, tx, append(c.secrets, c.host), append(c.leads, ""), append(c.anywhere, true)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.opts.Now(), actor, "provider.url_credential", auditTarget(r.ID),
			urlCredentialView{BaseURL: shown, Key: r.KeyStore},
			urlCredentialView{BaseURL: c.base, Key: keyStore, Found: c.what, Outcome: outcome, Audit: blanked})
	})
	if err != nil {
		if moved {
			s.forget(ref, keyStore)
		}
		return m, err
	}
	s.opts.Logger.Info("credential moved out of a provider's address", "id", r.ID, "name", r.Name, "as_key", moved)
	return m, nil
}

// itWas is "it was", or "they were" when many.
func itWas(many bool) string {
	if many {
		return "they were"
	}
	return "it was"
}

// userLead is the lead (urlCredential.leads) of a user part: it follows
// the scheme's "://" and ends at an '@'.
const userLead = "://"

// minAnywhere is the length from which a secret is blanked wherever it
// stands in the audit log and the errors stored with replies; a shorter
// one ("ab" of "https://ab@host", "v1" of "?token=v1") could be any text
// there ("/v1", a JSON name), so it is blanked only where it stands whole
// as it stood in the URL (blankWhole).
const minAnywhere = 4

// minCredentialAnywhere is minAnywhere for a user part and for a query or
// fragment value under a credential's name (key=, token=, auth=…): a text
// of a few characters there is as likely a name, a placeholder or an
// ordinary word ("admin", "none", "test", "1234") as a key, and the audit
// log's entries are full of those ("role":"admin", "keyStore":"none", a
// port :1234); a key is far longer. A shorter one is blanked only where it
// stands whole after its lead (blankWhole). The token's first part read as
// a host (urlCredential.host) keeps minAnywhere.
const minCredentialAnywhere = 8

// blankWhole is s with each lead+secret that stands whole replaced by
// lead+"xxxxx": a user part (lead "://") followed by its '@', a query
// value (lead "name=", '?', '&' or ';') followed by no letter, digit or
// other character of a token ('-', '.', '_', '~', '%', '+': valueByte), so
// "token=v1" is blanked in "?token=v1&…", "…?token=v1\u0026…" (JSON's '&'),
// "…?token=v1\"" and "…?token=v1: refused", not in "token=v10". The lead
// and secret are as s writes them (JSON's escaping in an audit entry:
// inJSONString).
func blankWhole(s, lead, secret string, user bool) string {
	pat := lead + secret
	var b strings.Builder
	for {
		i := strings.Index(s, pat)
		if i < 0 {
			break
		}
		end := i + len(pat)
		whole := false
		if user {
			whole = end < len(s) && s[end] == '@'
		} else {
			whole = end == len(s) || !valueByte(s[end])
		}
		b.WriteString(s[:i])
		if whole {
			b.WriteString(lead + "xxxxx")
		} else {
			b.WriteString(pat)
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// valueByte reports whether c can continue a token (a key, a query
// value): a letter, a digit, '-', '.', '_', '~', '%' or '+'.
func valueByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~%+", c) >= 0
}

// inJSONString is t as it stands inside a JSON string (json.Marshal's
// escaping: '&' is \u0026).
func inJSONString(t string) (string, error) {
	q, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	return string(q[1 : len(q)-1]), nil
}

// blankIn is text with secret blanked: wherever it stands when it is a
// credential (anywhere: urlCredential.anywhere) long enough to be told
// from other text (minAnywhere), else only where it stands whole after
// lead (blankWhole; lead "" blanks nothing then). lead and secret are as
// text writes them.
func blankIn(text, lead, secret string, anywhere bool) string {
	if anywhere && len(secret) >= minAnywhere {
		return strings.ReplaceAll(text, secret, "xxxxx")
	}
	if lead == "" || secret == "" {
		return text
	}
	return blankWhole(text, lead, secret, lead == userLead)
}

// longestFirst is the indexes of secrets, the longest first: a secret
// that is part of another ("abcdefgh" of key=abcdefgh and
// token=abcdefgh-XYZ1234) blanked first would cut the longer one to
// "xxxxx-XYZ1234", which is then no longer found and keeps its tail.
func longestFirst(secrets []string) []int {
	idx := make([]int, len(secrets))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return len(secrets[b]) - len(secrets[a]) })
	return idx
}

// blankInAudit replaces every secret in the audit log's entries with
// "xxxxx", as it stands in their JSON (json.Marshal's escaping: '&' is
// \u0026): blankIn, a short one, and one not known to be a credential
// (anywhere[i] false), only where it stands whole in a URL after its lead
// (leads[i]). It returns how many entries changed.
func blankInAudit(ctx context.Context, tx *sql.Tx, secrets, leads []string, anywhere []bool) (int, error) {
	changed := map[int64]bool{}
	for _, i := range longestFirst(secrets) {
		secret := secrets[i]
		inJSON, err := inJSONString(secret)
		if err != nil {
			return 0, err
		}
		find, lead := inJSON, ""
		if !anywhere[i] || len(secret) < minAnywhere {
			if lead, err = inJSONString(leads[i]); err != nil || lead == "" || secret == "" {
				continue
			}
			find = lead + inJSON
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, before_json, after_json FROM audit_log
			WHERE instr(before_json, ?1) > 0 OR instr(after_json, ?1) > 0`, find)
		if err != nil {
			return 0, fmt.Errorf("read the audit log: %w", err)
		}
		type entry struct {
			id            int64
			before, after string
		}
		var es []entry
		for rows.Next() {
			var e entry
			if err := rows.Scan(&e.id, &e.before, &e.after); err != nil {
				rows.Close()
				return 0, err
			}
			es = append(es, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		for _, e := range es {
			before, after := blankIn(e.before, lead, inJSON, anywhere[i]), blankIn(e.after, lead, inJSON, anywhere[i])
			if before == e.before && after == e.after {
				continue // it stood there only as other text ("/v1")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET before_json = ?, after_json = ? WHERE id = ?",
				before, after, e.id); err != nil {
				return 0, fmt.Errorf("blank the audit log: %w", err)
			}
			changed[e.id] = true
		}
	}
	return len(changed), nil
}

// blankInReplyErrors replaces every secret in the errors stored with
// replies (chat_messages.error, an admin's words: "cannot connect to
// sk-abc: …" when a token's first part was read as the host) with
// "xxxxx": blankIn, a short one, and one not known to be a credential
// (anywhere[i] false), only where it stands whole in a URL after its lead
// (leads[i]; "" for the token's first part read as a host, which is
// blanked only when long enough).
func blankInReplyErrors(ctx context.Context, tx *sql.Tx, secrets, leads []string, anywhere []bool) error {
	for _, i := range longestFirst(secrets) {
		secret := secrets[i]
		if anywhere[i] && len(secret) >= minAnywhere {
			if _, err := tx.ExecContext(ctx, `UPDATE chat_messages SET error = replace(error, ?1, 'xxxxx') WHERE instr(error, ?1) > 0`, secret); err != nil {
				return fmt.Errorf("blank the errors stored with replies: %w", err)
			}
			continue
		}
		if leads[i] == "" || secret == "" {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, error FROM chat_messages WHERE instr(error, ?1) > 0`, leads[i]+secret)
		if err != nil {
			return fmt.Errorf("read the errors stored with replies: %w", err)
		}
		fixes := map[int64]string{}
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return err
			}
			if t := blankIn(text, leads[i], secret, anywhere[i]); t != text {
				fixes[id] = t
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, t := range fixes {
			if _, err := tx.ExecContext(ctx, "UPDATE chat_messages SET error = ? WHERE id = ?", t, id); err != nil {
				return fmt.Errorf("blank the errors stored with replies: %w", err)
			}
		}
	}
	return nil
}
