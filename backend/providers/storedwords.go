package providers

import (
	"context"
	"database/sql"
	"encoding/json"
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
// made from said it, the address and all. Chat stores this, so that an
// admin reading a member's failed reply later sees what they need to fix
// the set-up; a member reads it through StoredErrorWords.
func AdminText(text string, err error) string {
	var me *MemberError
	if !errors.As(err, &me) || me.full == "" {
		return text
	}
	return strings.Replace(text, me.text, me.full, 1)
}

// StoredErrorWords returns how ctx's actor reads an error stored with a
// reply of the provider called name (chat_messages.provider): the text as
// stored for an admin and the system; for a member, forMember's words,
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
		return func(text string) string { return text }, nil
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
			if namesAddress.MatchString(text) {
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

// namesAddress matches what in a stored error may be an address, when
// the provider's own are not known to replace: an IP address (ipAddress),
// a URL, a host:port ("lab.example:8080", "ollama:11434": how a StepError
// names its host), a domain name ("api.example.com") or the name Go's
// DNS error looked up ("lookup ollama").
var namesAddress = regexp.MustCompile(ipAddress.String() +
	`|(?i:\b[a-z][a-z0-9+.-]*://` +
	`|\b[a-z0-9][a-z0-9.-]*:\d{1,5}\b` +
	`|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}[a-z0-9-]*\b` +
	`|\blookup \S)`)

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
		UNION SELECT target FROM audit_log WHERE action IN ('provider.add','provider.update','provider.remove','provider.test')
			AND target LIKE 'provider:%' AND (json_extract(before_json, '$.name') = ? OR json_extract(after_json, '$.name') = ?)`,
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
		log, err := db.Read().QueryContext(ctx, `SELECT before_json, after_json FROM audit_log WHERE target = ?
			AND action IN ('provider.add','provider.update','provider.remove','provider.test')`, t)
		if err != nil {
			return nil, false, err
		}
		for log.Next() {
			var before, after string
			if err := log.Scan(&before, &after); err != nil {
				log.Close()
				return nil, false, err
			}
			for _, j := range []string{before, after} {
				var v struct {
					BaseURL string `json:"baseUrl"`
				}
				if json.Unmarshal([]byte(j), &v) == nil {
					add(v.BaseURL)
				}
			}
		}
		log.Close()
		if err := log.Err(); err != nil {
			return nil, false, err
		}
	}
	return bases, exists, nil
}
