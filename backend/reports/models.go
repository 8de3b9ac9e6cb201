package reports

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/namekey"
	"meterdesk/backend/providers"
	"meterdesk/backend/store"
)

// ProviderSQL is the SQL for the provider a usage transfer was charged for:
// the name its posting's meta holds under "provider" (backend/chat's
// postMeta, the configured provider's name when it was charged), empty when it
// names none or the meta is not JSON (CASE reads json_type only of valid
// JSON: it fails on any other). col is the meta column.
func ProviderSQL(col string) string {
	return `CASE WHEN json_valid(` + col + `) THEN CASE WHEN json_type(` + col + `, '$.provider') = 'text'
		THEN json_extract(` + col + `, '$.provider') ELSE '' END ELSE '' END`
}

// ModelNamer names usage by model and provider, the one rule of the Usage
// page's "By model", `report usage --by model`, the statements' usage by
// model and the per-message CSV: "gpt-4o · OpenAI", "gpt-4o · Lab", the
// provider as it reads now (providers.ChargeNames: renamed, "(since
// removed)", "provider unknown"), so one model at two providers is two
// rows, each at its own rates.
type ModelNamer struct {
	provider func(string) string
}

// NewModelNamer reads the providers' names now (and their renames).
func NewModelNamer(ctx context.Context, db *store.DB) (ModelNamer, error) {
	p, err := providers.ChargeNames(ctx, db)
	if err != nil {
		return ModelNamer{}, fmt.Errorf("usage by model: %w", err)
	}
	return ModelNamer{provider: p}, nil
}

// Provider is how the provider name stored with a charge reads now.
func (n ModelNamer) Provider(stored string) string { return n.provider(stored) }

// Label is the row's name: "gpt-4o · OpenAI"; "(no model)" for a transfer
// with neither a model nor a provider (no chat charge), "(no model) · Lab"
// for a provider's charge with no model. A stored name of spaces is none, as
// the provider reads (providers.ChargeNames).
func (n ModelNamer) Label(model, storedProvider string) string {
	if model == "" && strings.TrimSpace(storedProvider) == "" {
		return "(no model)"
	}
	return ModelLabel(model, n.provider(storedProvider))
}

// ModelLabel joins a model and its provider's name as it reads.
func ModelLabel(model, provider string) string {
	if model == "" {
		model = "(no model)"
	}
	return model + " · " + provider
}

// ProviderCond is the one rule of a history filtered by provider (the Usage
// page's Transactions and its drill-down, their CSV, a member's own, and
// `credits history --provider` through ledger.Service.SetProviderCond): the
// SQL condition, on the transfers aliased alias, of the usage charges (moving
// transfers into sys:usage; not a send's reservation) whose
// provider reads name as "By model" names it (ModelNamer.Provider): "Lab",
// a provider renamed since by its name now (its charges under the old name
// too), "Lab (since removed)", "provider unknown". Names are compared as
// names are (backend/namekey: "lab" is "Lab"). The stored names are those
// the roll-ups hold (report_daily.provider, caught up first), so the
// history finds exactly the charges the report's row sums. A provider here
// now that has no charges yet finds none; any other name is refused
// (ErrUnknownProvider) naming the known ones.
func (s *Service) ProviderCond(ctx context.Context, alias, name string) (string, []any, error) {
	return s.providerCond(ctx, alias, name, "", "")
}

// providerCond is ProviderCond for the charges of the local days from to
// to (YYYY-MM-DD, both included; "" leaves that end open): it reads the
// names stored in those days only (report_daily's key starts with the day),
// and all of them only to tell a name no charge of the range has from one
// that is not known at all.
func (s *Service) providerCond(ctx context.Context, alias, name, from, to string) (string, []any, error) {
	if err := s.Refresh(ctx); err != nil {
		return "", nil, err
	}
	namer, err := NewModelNamer(ctx, s.db)
	if err != nil {
		return "", nil, err
	}
	r := s.db.Read()
	usage, err := accountID(ctx, r, accountUsage)
	if err != nil {
		return "", nil, err
	}
	want := namekey.Key(strings.TrimSpace(name))
	var known []string
	found := false
	rows, err := r.QueryContext(ctx, "SELECT name FROM providers ORDER BY name")
	if err != nil {
		return "", nil, fmt.Errorf("provider names: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", nil, fmt.Errorf("provider names: %w", err)
		}
		known = append(known, n)
		found = found || namekey.Key(n) == want
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("provider names: %w", err)
	}
	// storedNames returns the names stored with the charges of the days
	// (all days when every is set) that read as name, and adds the others
	// as they read to known.
	storedNames := func(every bool) ([]any, error) {
		q, args := "SELECT DISTINCT provider FROM report_daily WHERE credit_id = ?", []any{usage}
		if !every && from != "" {
			q, args = q+" AND day >= ?", append(args, from)
		}
		if !every && to != "" {
			q, args = q+" AND day <= ?", append(args, to)
		}
		rows, err := r.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("provider names: %w", err)
		}
		defer rows.Close()
		var stored []any
		for rows.Next() {
			var st string
			if err := rows.Scan(&st); err != nil {
				return nil, fmt.Errorf("provider names: %w", err)
			}
			reads := namer.Provider(st)
			if namekey.Key(reads) == want {
				stored = append(stored, st)
				found = true
			} else if !slices.Contains(known, reads) {
				known = append(known, reads)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("provider names: %w", err)
		}
		return stored, nil
	}
	stored, err := storedNames(from == "" && to == "")
	if err != nil {
		return "", nil, err
	}
	if !found && (from != "" || to != "") {
		// Not charged in the range: a name of other days finds none here.
		if _, err := storedNames(true); err != nil {
			return "", nil, err
		}
	}
	if !found {
		slices.Sort(known)
		known = slices.Compact(known)
		list := "there are none"
		if len(known) > 0 {
			list = "known: " + strings.Join(known, ", ")
		}
		return "", nil, inputerr.New(ErrUnknownProvider, "no provider named %q (%s)", strings.TrimSpace(name), list)
	}
	if len(stored) == 0 {
		return "0", nil, nil // no charges at that provider (in the range)
	}
	cond := "(" + alias + ".kind IN ('posted','post') AND " + alias + ".credit_id = ? AND " + ProviderSQL(alias+".meta") + " IN (" +
		strings.TrimSuffix(strings.Repeat("?,", len(stored)), ",") + "))"
	return cond, append([]any{usage}, stored...), nil
}
