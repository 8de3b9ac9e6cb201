package rates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
)

// Model is one catalogue entry with its stored and effective rates.
type Model struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
	Source   string `json:"source"` // builtin | reported | custom
	// Rates is what the admin set ("" = blank); Effective is what applies,
	// every default and fallback resolved (the UI shows it as placeholder).
	Rates     Row `json:"rates"`
	Effective Row `json:"effective"`
	// DefaultRate: the model has no input or no output rate of its own, so
	// the default rate prices it (Rate.UsesDefaults).
	DefaultRate bool `json:"defaultRate"`
	// RatedAs is the model whose row prices this one when that is another
	// model's: a snapshot without a row of its own ("gemini-2.0-flash-001",
	// "gpt-4o-2024-08-06") is priced as its base ("gemini-2.0-flash",
	// Rate.Matched); "" when the model has its own row or none applies.
	RatedAs string `json:"ratedAs,omitempty"`
}

// ProviderModels is one provider's part of the table.
type ProviderModels struct {
	Provider ProviderInfo `json:"provider"`
	Models   []Model      `json:"models"`
}

// Table is the whole rate table as the Settings → Rates panel shows it.
type Table struct {
	Version   VersionInfo      `json:"version"`
	Defaults  Defaults         `json:"defaults"`
	Providers []ProviderModels `json:"providers"`
	// Unchanged is set on the table a change returns (the window's
	// Rates.Apply) when the change asked for the rates as they were: no
	// version was made (Applied.Unchanged). false on a table read.
	Unchanged bool `json:"unchanged,omitempty"`
	// AppliedVersion is, on the table a change returns, the version the
	// change put in force (or, Unchanged, found in force): what its toast
	// names. Version may be newer, when another save came between the
	// change and the table's read. 0 on a table read.
	AppliedVersion int64 `json:"appliedVersion,omitempty"`
	// AppliedInForce is, on the table a change returns, whether
	// AppliedVersion is the version in force when the table was read
	// (Version): false when another save (another admin, the CLI) came
	// between, so the window does not say "in force" of a version that is
	// not. Set by TableAfter alone. false on a table read.
	AppliedInForce bool `json:"appliedInForce,omitempty"`
	// ModelsAddedOnly is, on the table a change returns, the models
	// ("provider/model") it added to the catalogue when that was all it
	// did (Applied.ModelsAddedOnly): no version was made, AppliedVersion is
	// the one in force before. Empty on a table read.
	ModelsAddedOnly []string `json:"modelsAddedOnly,omitempty"`
}

// TableAfter is the table as it is after change a (a save or an import),
// with what a did: its version (AppliedVersion), whether it made none
// (Unchanged; or ModelsAddedOnly, the models it only added to the
// catalogue), and whether that version is still the one in force at this
// read (AppliedInForce), in one place for every caller that reports a
// change with the table.
func (s *Service) TableAfter(ctx context.Context, a Applied) (Table, error) {
	t, err := s.Table(ctx)
	if err != nil {
		return t, err
	}
	t.Unchanged = a.Unchanged
	t.ModelsAddedOnly = a.ModelsAddedOnly
	if a.Version != nil {
		t.AppliedVersion = a.Version.ID
		t.AppliedInForce = a.Version.ID == t.Version.ID
	}
	return t, nil
}

type catEntry struct{ provider, model, source string }

// catalogue lists every model: built-in (catalogue order), then reported
// and custom ones (by name), per provider in display order, plus any model
// that has rates in v but somehow no catalogue entry.
func (s *Service) catalogue(ctx context.Context, v *Version) ([]catEntry, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT provider, model, source FROM rate_models`)
	if err != nil {
		return nil, fmt.Errorf("read the model catalogue: %w", err)
	}
	defer rows.Close()
	extra := map[string][]catEntry{}
	seen := map[string]bool{}
	for _, p := range Providers {
		for _, m := range builtin[p.ID] {
			seen[p.ID+"\x00"+m] = true
		}
	}
	for rows.Next() {
		var e catEntry
		if err := rows.Scan(&e.provider, &e.model, &e.source); err != nil {
			return nil, fmt.Errorf("read the model catalogue: %w", err)
		}
		if k := e.provider + "\x00" + e.model; !seen[k] {
			seen[k] = true
			extra[e.provider] = append(extra[e.provider], e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the model catalogue: %w", err)
	}
	for _, r := range v.Rows {
		if k := r.key(); !seen[k] {
			seen[k] = true
			extra[r.Provider] = append(extra[r.Provider], catEntry{r.Provider, r.Model, SourceCustom})
		}
	}
	var out []catEntry
	for _, p := range Providers {
		for _, m := range builtin[p.ID] {
			out = append(out, catEntry{p.ID, m, SourceBuiltin})
		}
		ex := extra[p.ID]
		sort.Slice(ex, func(i, j int) bool { return ex[i].model < ex[j].model })
		out = append(out, ex...)
	}
	return out, nil
}

// Table returns the current rate table grouped by provider.
func (s *Service) Table(ctx context.Context) (Table, error) {
	if _, err := access.Current(ctx); err != nil {
		return Table{}, fmt.Errorf("rates table: %w", err)
	}
	v, err := s.Current(ctx)
	if err != nil {
		return Table{}, err
	}
	cat, err := s.catalogue(ctx, v)
	if err != nil {
		return Table{}, err
	}
	t := Table{
		Version:  VersionInfo{ID: v.ID, EffectiveAt: v.EffectiveAt, CreatedBy: v.CreatedBy, Reason: v.Reason},
		Defaults: v.Defaults,
	}
	byProv := map[string]int{}
	for _, p := range Providers {
		byProv[p.ID] = len(t.Providers)
		t.Providers = append(t.Providers, ProviderModels{Provider: p, Models: []Model{}})
	}
	for _, e := range cat {
		row, _ := v.Row(e.provider, e.model)
		eff := Row{Provider: e.provider, Model: e.model}
		res := v.Resolve(e.provider, e.model)
		for f := Field(0); f < NumFields; f++ {
			eff.Set(f, Canonical(res.Values[f]))
		}
		pm := &t.Providers[byProv[e.provider]]
		m := Model{Provider: e.provider, Model: e.model, Source: e.source, Rates: row, Effective: eff, DefaultRate: res.UsesDefaults()}
		if res.Matched != "" && res.Matched != e.model {
			m.RatedAs = res.Matched
		}
		pm.Models = append(pm.Models, m)
	}
	return t, nil
}

// Snapshot returns the current table as Export writes it: the defaults and
// one row per catalogue model (blank rows included), in catalogue order.
func (s *Service) Snapshot(ctx context.Context) (Snapshot, error) {
	t, err := s.Table(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Defaults: t.Defaults, Rows: []Row{}}
	for _, p := range t.Providers {
		for _, m := range p.Models {
			snap.Rows = append(snap.Rows, m.Rates)
		}
	}
	return snap, nil
}

// MergeReported adds the models a configured provider reports to the
// catalogue (models already known are left alone). It changes no rate, so
// it creates no version and needs no admin: provider refreshes call it
// (through MergeReportedIn, in the transaction that records the listing).
func (s *Service) MergeReported(ctx context.Context, provider string, models []string) error {
	added := 0
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		added, err = s.MergeReportedIn(ctx, tx, provider, models)
		return err
	})
	if err != nil {
		return err
	}
	if added > 0 {
		s.ReportedMerged()
	}
	return nil
}

// MergeReportedIn is MergeReported inside tx, the caller's transaction
// (providers records a listing and merges its models in one, so that a
// provider removed meanwhile adds nothing). It returns how many models
// were new; when some were, the caller calls ReportedMerged once tx has
// committed.
func (s *Service) MergeReportedIn(ctx context.Context, tx *sql.Tx, provider string, models []string) (added int, err error) {
	if err := CheckProvider(provider); err != nil {
		return 0, fmt.Errorf("merge reported models: %w", err)
	}
	var probs []Problem
	for i, m := range models {
		if err := CheckModel(m); err != nil {
			probs = append(probs, Problem{Row: i + 1, Provider: provider, Model: m, Message: err.Error()})
		}
	}
	if len(probs) > 0 {
		return 0, fmt.Errorf("merge reported models: %w", &ValidationError{Problems: probs})
	}
	for _, m := range models {
		if isBuiltin(provider, m) {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rate_models(provider, model, source, added_at)
			VALUES (?, ?, 'reported', ?) ON CONFLICT DO NOTHING`, provider, m, store.FormatTimeNano(s.clock()))
		if err != nil {
			return 0, fmt.Errorf("merge reported models: add %s/%s: %w", provider, m, err)
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}

// ReportedMerged tells the catalogue's listeners (events.RatesChanged)
// that MergeReportedIn added models, once their transaction committed.
func (s *Service) ReportedMerged() { s.em.Emit(events.RatesChanged, nil) }

// modelTarget names a catalogue model in the audit log.
func modelTarget(provider, model string) string { return "model:" + provider + "/" + model }

// Errors of the custom model operations.
var (
	ErrModelExists = errors.New("model is already in the catalogue")
	ErrNotCustom   = errors.New("only custom models can be removed")
)

// newModelName refuses a name starting with "-" for a model new to the
// catalogue: typed where a model goes, it is a flag or a negative value
// taken for the name (`meterdesk rates set openai -5 --input 1` made a
// model "-5"). A rate change (the CLI's rates set, the window's rate
// editor) and Add model check it before they add a custom model; an import
// does not (a file's names are data, not typed where a flag goes: an export
// naming a reported "-mini" reads back into a new workspace), nor does
// CheckModel, which is also the rule for the names a provider reports (and
// a send's model): one a provider reported so is in the catalogue and
// priced as any other.
func newModelName(model string) error {
	if strings.HasPrefix(model, "-") {
		return inputerr.About("model", inputerr.Text(ErrInvalid,
			"model name %q starts with \"-\": a new model's name may not (a flag or a negative number given where the model goes?); "+
				"a model a provider reports so can be priced once its list is refreshed", model))
	}
	return nil
}

// rowQuerier reads one row: a transaction, or the database's read pool.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inCatalogue reports whether provider's model is in the catalogue (built
// in, reported or custom).
func inCatalogue(ctx context.Context, q rowQuerier, provider, model string) (bool, error) {
	if isBuiltin(provider, model) {
		return true, nil
	}
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM rate_models WHERE provider = ? AND model = ?", provider, model).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// AddModel adds a custom model to the catalogue (admin only). It has no
// rates of its own until some are set, so no version is created.
func (s *Service) AddModel(ctx context.Context, provider, model string) error {
	actor, err := access.RequireAdmin(ctx, "add a model")
	if err != nil {
		return err
	}
	if err := CheckProvider(provider); err != nil {
		return fmt.Errorf("add a model: %w", err)
	}
	if err := CheckModel(model); err != nil {
		return fmt.Errorf("add a model: %w", err)
	}
	if isBuiltin(provider, model) {
		return fmt.Errorf("add %s/%s: %w", provider, model, ErrModelExists)
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		if bad := newModelName(model); bad != nil {
			if known, err := inCatalogue(ctx, tx, provider, model); err != nil {
				return err
			} else if !known {
				return bad
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rate_models(provider, model, source, added_at)
			VALUES (?, ?, 'custom', ?) ON CONFLICT DO NOTHING`, provider, model, store.FormatTimeNano(s.clock()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrModelExists
		}
		return audit.Record(ctx, tx, s.clock(), actor, "rates.model.add", modelTarget(provider, model), nil, nil)
	})
	if err != nil {
		return fmt.Errorf("add %s/%s: %w", provider, model, err)
	}
	s.em.Emit(events.RatesChanged, nil)
	return nil
}

// RemoveModel removes a custom model from the catalogue (admin only). If it
// had rates, a new version without them is created; past versions keep them.
func (s *Service) RemoveModel(ctx context.Context, provider, model string) error {
	actor, err := access.RequireAdmin(ctx, "remove a model")
	if err != nil {
		return err
	}
	key := provider + "\x00" + model
	del := func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM rate_models WHERE provider = ? AND model = ? AND source = 'custom'`, provider, model)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotCustom
		}
		return audit.Record(ctx, tx, s.clock(), actor, "rates.model.remove", modelTarget(provider, model), nil, nil)
	}
	_, err = s.commit(ctx, actor, fmt.Sprintf("remove %s/%s", provider, model), del, func(cur *Version) (Defaults, []Row) {
		var rows []Row
		for _, r := range cur.Rows {
			if r.key() != key {
				rows = append(rows, r)
			}
		}
		return cur.Defaults, rows
	})
	if err != nil {
		return fmt.Errorf("remove %s/%s: %w", provider, model, err)
	}
	s.em.Emit(events.RatesChanged, nil)
	return nil
}
