package reports

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
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
		return ledger.NoModel
	}
	return ModelLabel(model, n.provider(storedProvider))
}

// ModelLabel joins a model and its provider's name as it reads.
func ModelLabel(model, provider string) string {
	if model == "" {
		model = ledger.NoModel
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
// too), "Lab (since removed)", "provider unknown". A name no row reads as
// typed is compared as names are (backend/namekey: "lab" is "Lab"); one a
// row reads exactly finds that row's charges alone. The stored names are those
// the roll-ups hold (report_daily.provider, caught up first), so the
// history finds exactly the charges the report's row sums. A provider here
// now that has no charges yet finds none; any other name is refused
// (ErrUnknownProvider) naming the known ones (a member: the providers now
// and their own charges' ones). The actor in ctx is the reader.
func (s *Service) ProviderCond(ctx context.Context, alias, name string) (string, []any, error) {
	return s.providerCond(ctx, alias, name, "", "")
}

// providerCond is ProviderCond for the charges of the local days from to
// to (YYYY-MM-DD, both included; "" leaves that end open): it reads the
// names stored in those days only (report_daily's key starts with the day),
// and all of them only to tell a name no charge of the range has from one
// that is not known at all, or one read exactly on other days from one read
// as names are compared. A name is matched as "By model" reads it, each row
// its own: "Old (since removed)" is not "old (since removed)", two removed
// providers' rows; only a name no charge and no provider reads exactly is
// matched as names are (namekey: "lab" is "Lab"). A member is told, and
// finds by name, the providers' names now (which a member may read) and
// those their own charges read as, not the removed providers only other
// members were charged at.
//
// A name no provider and no charge reads as is refused before the roll-ups
// are caught up (Refresh writes them): the charges not rolled up yet are
// read from the ledger for that check, so a refused filter writes nothing.
func (s *Service) providerCond(ctx context.Context, alias, name, from, to string) (string, []any, error) {
	namer, err := NewModelNamer(ctx, s.db)
	if err != nil {
		return "", nil, err
	}
	sc, err := ScopeOf(ctx, 0, "provider names")
	if err != nil {
		return "", nil, err
	}
	own := int64(-1) // every charge is the reader's to name (an admin)
	if !sc.All {
		own = sc.UserID
	}
	r := s.db.Read()
	usage, err := accountID(ctx, r, accountUsage)
	if err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	want := namekey.Key(name)
	var current []string
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
		current = append(current, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("provider names: %w", err)
	}
	// storedName is a name stored with charges, how it reads now, and
	// whether the reader may be told it (an admin; a member: one of their
	// own charges has it).
	type storedName struct {
		stored, reads string
		mine          bool
	}
	// storedNames returns the names stored with the charges of the days
	// (all days when every is set); with pending, with those of the charges
	// the roll-ups do not hold yet too, read from the ledger.
	storedNames := func(every, pending bool) ([]storedName, error) {
		q, args := "SELECT provider, MAX(? < 0 OR user_id = ?) AS mine FROM report_daily WHERE credit_id = ?", []any{own, own, usage}
		if !every && from != "" {
			q, args = q+" AND day >= ?", append(args, from)
		}
		if !every && to != "" {
			q, args = q+" AND day <= ?", append(args, to)
		}
		if pending { // all of them: the ledger's are few, and have no day to filter by
			q = `SELECT provider, MAX(mine) FROM (` + q + ` GROUP BY provider
				UNION ALL
				SELECT ` + ProviderSQL("meta") + ` AS provider, MAX(? < 0 OR COALESCE(user_id, 0) = ?) AS mine FROM ledger_transfers
				WHERE id > (SELECT last_id FROM report_rollup_state WHERE id = 1) AND kind IN ('posted', 'post') AND credit_id = ?
				GROUP BY 1)`
			args = append(args, own, own, usage)
		}
		rows, err := r.QueryContext(ctx, q+" GROUP BY provider", args...)
		if err != nil {
			return nil, fmt.Errorf("provider names: %w", err)
		}
		defer rows.Close()
		var out []storedName
		for rows.Next() {
			var n storedName
			if err := rows.Scan(&n.stored, &n.mine); err != nil {
				return nil, fmt.Errorf("provider names: %w", err)
			}
			n.reads = namer.Provider(n.stored)
			out = append(out, n)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("provider names: %w", err)
		}
		return out, nil
	}
	readsAs := func(reads string) bool { return namekey.Key(reads) == want }
	// unknown is the refusal of a name found neither among the providers
	// nor among the names all, the reader's charges, read as.
	unknown := func(all []storedName) error {
		known := slices.Clone(current)
		for _, n := range all {
			if n.mine {
				known = append(known, n.reads)
			}
		}
		slices.Sort(known)
		known = slices.Compact(known)
		list := "there are none"
		if len(known) > 0 {
			list = "known: " + strings.Join(known, ", ")
		}
		return inputerr.New(ErrUnknownProvider, "no provider named %q (%s)", name, list)
	}
	// Validate first: a name no provider and no charge reads as, rolled up
	// or not, is refused with nothing written. A provider's name now is
	// known without reading a charge; another is looked for among the
	// range's rolled-up names and those not rolled up yet, then, when not
	// there, among every day's: no full read of the roll-ups is added to a
	// filter by a provider there is.
	ranged := from != "" || to != ""
	if !slices.ContainsFunc(current, readsAs) {
		known := func(names []storedName) bool {
			return slices.ContainsFunc(names, func(n storedName) bool { return n.mine && readsAs(n.reads) })
		}
		names, err := storedNames(!ranged, true)
		if err != nil {
			return "", nil, err
		}
		if !known(names) && ranged {
			if names, err = storedNames(true, true); err != nil {
				return "", nil, err
			}
		}
		if !known(names) {
			return "", nil, unknown(names)
		}
	}
	if err := s.Refresh(ctx); err != nil {
		return "", nil, err
	}
	inRange, err := storedNames(!ranged, false)
	if err != nil {
		return "", nil, err
	}
	all := inRange
	exact := slices.Contains(current, name) || slices.ContainsFunc(inRange, func(n storedName) bool { return n.reads == name && n.mine })
	found := exact || slices.ContainsFunc(current, readsAs) || slices.ContainsFunc(inRange, func(n storedName) bool { return n.mine && readsAs(n.reads) })
	if ranged && (!found || !exact) {
		// Not charged in the range, or not as typed: other days tell a name
		// known (it finds none here) or read exactly (it is matched so).
		if all, err = storedNames(true, false); err != nil {
			return "", nil, err
		}
		exact = exact || slices.ContainsFunc(all, func(n storedName) bool { return n.reads == name && n.mine })
		found = found || exact || slices.ContainsFunc(all, func(n storedName) bool { return n.mine && readsAs(n.reads) })
	}
	if !found {
		return "", nil, unknown(all)
	}
	var stored []any
	for _, n := range inRange {
		if (exact && n.reads == name) || (!exact && readsAs(n.reads)) {
			stored = append(stored, n.stored)
		}
	}
	if len(stored) == 0 {
		// No charges at that provider (in the range): no row. Not the
		// constant "0": SQLite finds no plan for it with an index forced
		// (INDEXED BY, a member's walks and a date range's read), "no query
		// solution"; ids start at 1, so this holds for none, read by the
		// primary key or as the index forced walks.
		return alias + ".id < 0", nil, nil
	}
	cond := "(" + alias + ".kind IN ('posted','post') AND " + alias + ".credit_id = ? AND " + ProviderSQL(alias+".meta") + " IN (" +
		strings.TrimSuffix(strings.Repeat("?,", len(stored)), ",") + "))"
	return cond, append([]any{usage}, stored...), nil
}
