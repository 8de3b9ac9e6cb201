package providers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"meterdesk/backend/namekey"
	"meterdesk/backend/store"
)

// UnknownProvider is how a charge with no provider stored reads: a usage
// transfer whose posting's meta names none (written by hand or by a tool,
// never by backend/chat, whose postings have named their provider from the
// first version).
const UnknownProvider = "provider unknown"

// ChargeNames returns how the provider name stored with a charge (the
// usage posting's meta "provider", chat_charges.provider: the configured
// provider's name when it was charged) reads now, one rule for the usage
// reports, the statements and the per-message CSV:
//   - a provider that has the name now (its name key, backend/namekey) reads
//     as it is spelled now;
//   - a provider renamed since reads by its current name (the audit log's
//     provider.update entries name it before and after), so its charges
//     before and after the rename are one provider, as long as exactly one
//     provider still here had the name ("NAME (since renamed)" when several
//     did: which one was charged is not known);
//   - any other reads "NAME (since removed)", as a removed provider's stored
//     errors do (StoredErrorWords);
//   - a blank name reads UnknownProvider.
//
// A provider removed and another added with its name since are one name: the
// charges name no provider id.
func ChargeNames(ctx context.Context, db *store.DB) (func(name string) string, error) {
	r := db.Read()
	current := map[string]string{} // name key → name now
	byID := map[string]string{}    // "provider:ID" → name now
	rows, err := r.QueryContext(ctx, "SELECT id, name FROM providers")
	if err != nil {
		return nil, fmt.Errorf("provider names: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("provider names: %w", err)
		}
		current[namekey.Key(name)] = name
		byID[auditTarget(id)] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("provider names: %w", err)
	}
	// Renames: the name before → the targets that had it. A target removed
	// is left out (before migration 0970 its id may be another provider's
	// now).
	renamed := map[string][]string{}
	rows, err = r.QueryContext(ctx, `SELECT target, `+auditText("before_json", "name")+` FROM audit_log
		WHERE action = 'provider.update' AND target LIKE 'provider:%'
			AND NOT EXISTS (SELECT 1 FROM audit_log g WHERE g.target = audit_log.target AND g.action = 'provider.remove')`)
	if err != nil {
		return nil, fmt.Errorf("provider names: renames: %w", err)
	}
	for rows.Next() {
		var target string
		var before *string
		if err := rows.Scan(&target, &before); err != nil {
			rows.Close()
			return nil, fmt.Errorf("provider names: renames: %w", err)
		}
		if before == nil || byID[target] == "" {
			continue
		}
		k := namekey.Key(*before)
		if !slices.Contains(renamed[k], target) {
			renamed[k] = append(renamed[k], target)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("provider names: renames: %w", err)
	}
	return func(name string) string {
		name = strings.TrimSpace(name)
		if name == "" {
			return UnknownProvider
		}
		k := namekey.Key(name)
		if now, ok := current[k]; ok {
			return now
		}
		switch t := renamed[k]; {
		case len(t) == 1:
			return byID[t[0]]
		case len(t) > 1:
			return name + " (since renamed)" // which one was charged is not known
		}
		return name + " (since removed)"
	}, nil
}
