package providers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// Errors stored with a reply (chat_messages.error) hold the admin's full
// text (AdminText), as they always did before a member's live errors were
// worded; a member reads them through StoredErrorWords, forMember's words
// made again from the text, so a reply stored by an older version, or by
// an admin's send, shows a member no address either.

// AdminText is text, what err says (or what it was classified as, such
// as chat.Classify's message), as an admin reads it: a provider error
// worded for a member in it (a MemberError) is read as the error it was
// made from said it, the address and all, with the credentials in any URL
// hidden (hideURLCredentials). Chat stores this, so that an
// admin reading a member's failed reply later sees what they need to fix
// the set-up; a member reads it through StoredErrorWords.
func AdminText(text string, err error) string {
	var me *MemberError
	if !errors.As(err, &me) || me.full == "" {
		return hideURLCredentials(text)
	}
	return hideURLCredentials(strings.Replace(text, me.text, me.full, 1))
}

// StoredErrorWords returns how ctx's actor reads an error stored with a
// reply of the provider called name (chat_messages.provider): the text as
// stored for an admin and the system, the credentials in any URL hidden
// (one stored by an older version may have a proxy's password); for a member, forMember's words,
// the text with every address the provider has had replaced by its name
// ("chat stream the provider Lab: the reply was cut off …") and any IP
// address hidden. Those addresses are its base URL now and every one the
// audit log names for it (provider.add, update, test and remove keep the
// base URL), so a text stored before an address changed, a rename, or the
// provider's removal names none of them. A provider removed is named
// "the provider Lab (since removed)". One whose address is nowhere to be
// found (removed before the audit log kept providers) cannot be scrubbed
// safely: a member is then told only that it failed (removedProviderWords),
// never its text, unless the text names no address at all (namesAddress:
// no IP address, URL, host:port, domain name or DNS lookup), which reads
// the same for both. A blank name reads "the provider".
func StoredErrorWords(ctx context.Context, db *store.DB, name string) (func(string) string, error) {
	if a, ok := access.FromContext(ctx); !ok || a.IsAdmin() {
		// A text stored before credentials in URLs were hidden (a proxy's
		// password Go repeated) shows none, to an admin either.
		return hideURLCredentials, nil
	}
	bases, exists, err := addressesOf(ctx, db, name)
	if err != nil {
		return nil, fmt.Errorf("the addresses of provider %q: %w", name, err)
	}
	label := strings.TrimSpace(name + " (since removed)")
	if exists || strings.TrimSpace(name) == "" {
		label = name
	}
	if len(bases) == 0 {
		return func(text string) string {
			if text == "" {
				return ""
			}
			if namesAddress(text) {
				return removedProviderWords(label)
			}
			return forMember(errors.New(text), label).Error()
		}, nil
	}
	return func(text string) string {
		if text == "" {
			return ""
		}
		return forMember(errors.New(text), label, bases...).Error()
	}, nil
}

// namesAddress reports whether a stored error may name an address, when
// the provider's own are not known to replace: an IP address (ipAddress),
// a URL, a host:port ("lab.example:8080", "ollama:11434": how a StepError
// names its host), a domain name ("api.example.com", "lab.internal") or
// the name Go's DNS error looked up ("lookup ollama"). What only looks
// like one reads as it is: a time ("12:30", "T12:30:00Z"), an Ollama tag
// ("qwen2.5:0.5b", "deepseek-r1:1.5b"), a file name ("config.yaml"), two
// sentences run together ("quota.Please") and a Go or Python name
// ("openai.RateLimitError").
func namesAddress(text string) bool {
	if ipAddress.MatchString(text) || urlOrLookup.MatchString(text) || hostWithPort.MatchString(text) {
		return true
	}
	for _, m := range domainName.FindAllString(text, -1) {
		if isDomainName(m) {
			return true
		}
	}
	return false
}

var (
	urlOrLookup = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://|\blookup \S`)
	// hostWithPort is a host that starts with a letter and a port of
	// digits followed by neither a '.' and more (a tag's version:
	// "qwen2.5:0.5b") nor a digit nor ':' and a digit (a time's seconds:
	// "T12:30:00Z"); ': ' may follow, as in Go's "dial tcp ollama:11434:
	// connect: …", and a sentence's '.' at the end or before a space
	// ("could not connect to gpu-box:8000.").
	hostWithPort = regexp.MustCompile(`(?i)\b[a-z][a-z0-9.-]*:\d{1,5}(?:$|\.(?:$|\s)|[^.\d:]|:(?:$|\D))`)
	// domainName is what may be a domain name: labels joined by dots, the
	// last starting with two letters; isDomainName decides.
	domainName = regexp.MustCompile(`(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}[a-z0-9-]*\b`)
)

// fileExtensions are the last labels of what domainName matches that name
// a file, not a host ("config.yaml"): none is a top-level domain.
var fileExtensions = map[string]bool{
	"yaml": true, "yml": true, "json": true, "jsonl": true, "toml": true, "txt": true, "log": true, "csv": true,
	"ini": true, "cfg": true, "conf": true, "xml": true, "html": true, "htm": true, "pem": true, "crt": true,
	"gguf": true, "safetensors": true, "go": true, "js": true, "ts": true, "tsx": true, "jsx": true,
}

// isDomainName reports whether m, a domainName match, is a domain name:
// its last label is in one case ("com", "COM"; "Please" of "quota.Please"
// and "RateLimitError" of "openai.RateLimitError" are a sentence run on
// and a name in code, and are dropped, so "api.example.com.Please" is
// still one), starts with two letters, and is no file's extension.
func isDomainName(m string) bool {
	return domainLength(m) > 0
}

// domainLength is the length of the domain name m (a domainName match)
// starts with, its labels up to the last in one case (isDomainName), 0
// when it is none.
func domainLength(m string) int {
	labels := strings.Split(m, ".")
	for len(labels) >= 2 {
		last := labels[len(labels)-1]
		if last != strings.ToLower(last) && last != strings.ToUpper(last) {
			labels = labels[:len(labels)-1]
			continue
		}
		if len(last) >= 2 && isLetter(last[0]) && isLetter(last[1]) && !fileExtensions[strings.ToLower(last)] {
			return len(strings.Join(labels, "."))
		}
		return 0
	}
	return 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// removedProviderWords is what a member reads of an error stored with a
// reply of a provider with no address known (label: "Lab (since
// removed)").
func removedProviderWords(label string) string {
	return memberLabel(label) + " failed; its error is shown to admins only, since it may name the provider's address"
}

// addressesOf is every base URL a provider called name has had: the
// current base URL of the providers with that name, and every base URL
// the audit log names for them or for any provider it names with that
// name (one renamed or removed since). exists: a provider so named is
// still there, or one the audit log names so was renamed and never
// removed (its id held by another provider since is no such one).
func addressesOf(ctx context.Context, db *store.DB, name string) (bases []string, exists bool, err error) {
	add := func(b string) {
		if b = strings.TrimSpace(b); b != "" && !slices.Contains(bases, b) {
			bases = append(bases, b)
		}
	}
	// The targets of the providers that had the name: now, or in the log.
	rows, err := db.Read().QueryContext(ctx, `SELECT 'provider:' || id FROM providers WHERE name = ? OR name_key = md_name_key(?)
		UNION SELECT target FROM audit_log WHERE action IN (`+providerActions+`)
			AND target LIKE 'provider:%' AND (`+auditText("before_json", "name")+` = ? OR `+auditText("after_json", "name")+` = ?)`,
		name, name, name, name)
	if err != nil {
		return nil, false, err
	}
	var targets []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, false, err
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for _, t := range targets {
		var id int64
		if _, err := fmt.Sscanf(t, "provider:%d", &id); err != nil {
			continue
		}
		// A row with the id is the provider that had the name when it
		// still has it (name key), or when it was renamed since, never
		// removed: ids were given again before migration 0970, so a row
		// with the id of a removed "Old" may be another provider.
		var (
			base        string
			named, gone bool
		)
		switch err := db.Read().QueryRowContext(ctx, `SELECT base_url, name = ? OR name_key IS md_name_key(?),
			EXISTS (SELECT 1 FROM audit_log WHERE target = ? AND action = 'provider.remove')
			FROM providers WHERE id = ?`, name, name, t, id).Scan(&base, &named, &gone); {
		case err == nil:
			exists = exists || named || !gone
			add(base)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, false, err
		}
		// The distinct base URLs its entries name (before or after), read
		// in SQL, not every entry unmarshalled: a text baseUrl of valid
		// JSON only, as json.Unmarshal into a string took.
		log, err := db.Read().QueryContext(ctx, `SELECT DISTINCT b FROM (
				SELECT `+auditText("before_json", "baseUrl")+` AS b FROM audit_log WHERE target = ? AND action IN (`+providerActions+`)
				UNION ALL
				SELECT `+auditText("after_json", "baseUrl")+` FROM audit_log WHERE target = ? AND action IN (`+providerActions+`)
			) WHERE b IS NOT NULL`, t, t)
		if err != nil {
			return nil, false, err
		}
		for log.Next() {
			var b string
			if err := log.Scan(&b); err != nil {
				log.Close()
				return nil, false, err
			}
			add(b)
		}
		log.Close()
		if err := log.Err(); err != nil {
			return nil, false, err
		}
	}
	return bases, exists, nil
}

// providerActions are the audit actions whose entries hold a provider's
// view (its name and base URL) before or after.
const providerActions = `'provider.add','provider.update','provider.remove','provider.test'`

// auditText is the SQL for the field key of an audit entry's column col
// when it is text in valid JSON, else NULL, as json.Unmarshal into a
// string reads it (CASE reads json_type only of valid JSON: it fails on
// any other, and so would the whole query).
func auditText(col, key string) string {
	return `CASE WHEN json_valid(` + col + `) THEN CASE WHEN json_type(` + col + `, '$.` + key + `') = 'text'
		THEN json_extract(` + col + `, '$.` + key + `') END END`
}
