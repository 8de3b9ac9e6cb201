package rates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

// Change edits the current rate table. Each row replaces that model's row
// entirely (blank fields = default; an all-blank row clears the model's
// rates); each edit then sets one field, the others keeping the values they
// have when the change is written (see Edit). Rows and edits for models
// outside the catalogue add them as custom models.
//
// BaseVersion, when set, is the version the change was made against (the
// one the editor was shown): if another version has been saved since, Apply
// refuses the change with a *ChangedError and writes nothing.
type Change struct {
	Defaults    *Defaults `json:"defaults,omitempty"` // nil: unchanged
	Rows        []Row     `json:"rows"`
	Edits       []Edit    `json:"edits,omitempty"`
	BaseVersion int64     `json:"baseVersion,omitempty"` // 0: no check
	Reason      string    `json:"reason,omitempty"`
}

// Snapshot is a whole rate table: what Import reads and Export writes.
type Snapshot struct {
	Defaults Defaults `json:"defaults"`
	Rows     []Row    `json:"rows"`
}

// validateRows checks every row (and duplicates) and returns them canonical.
// firstRow is the number reported for rows[0]; later rows count up from it.
func validateRows(rows []Row, firstRow int) ([]Row, []Problem) {
	nums := make([]int, len(rows))
	for i := range nums {
		nums[i] = firstRow + i
	}
	return validateRowsAt(rows, nums)
}

// validateRowsAt is validateRows with an explicit row number per row (the
// line of a CSV record, the index of a JSON entry).
func validateRowsAt(rows []Row, nums []int) ([]Row, []Problem) {
	var probs []Problem
	out := make([]Row, 0, len(rows))
	seen := map[string]int{}
	for i, r := range rows {
		n := nums[i]
		c, msgs := r.normalize()
		for _, m := range msgs {
			probs = append(probs, Problem{Row: n, Provider: r.Provider, Model: r.Model, Message: m})
		}
		if prev, dup := seen[c.key()]; dup {
			probs = append(probs, Problem{Row: n, Provider: r.Provider, Model: r.Model,
				Message: fmt.Sprintf("duplicate model (first on row %d)", prev)})
		} else {
			seen[c.key()] = n
		}
		out = append(out, c)
	}
	return out, probs
}

func validateChange(c Change) (Change, error) {
	rows, probs := validateRows(c.Rows, 1)
	edits, eprobs := validateEdits(c.Edits)
	probs = append(probs, eprobs...)
	if c.BaseVersion < 0 {
		probs = append(probs, Problem{Message: fmt.Sprintf("base version %d: must be a version id", c.BaseVersion)})
	}
	out := Change{Rows: rows, Edits: edits, BaseVersion: c.BaseVersion, Reason: c.Reason}
	if c.Defaults != nil {
		d, msgs := c.Defaults.normalize()
		for _, m := range msgs {
			probs = append(probs, Problem{Message: m})
		}
		out.Defaults = &d
	}
	if len(probs) > 0 {
		return Change{}, &ValidationError{Problems: probs}
	}
	return out, nil
}

// Apply validates c and, if it changes anything, stores a new version
// (admin only). Nothing is applied when any row or edit is invalid (the
// *ValidationError names every bad one), nor when c.BaseVersion is set and
// no longer the latest version (a *ChangedError, matched by ErrChanged).
func (s *Service) Apply(ctx context.Context, c Change) (*Version, error) {
	a, err := s.ApplyChange(ctx, c)
	return a.Version, err
}

// Applied is what ApplyChange did: the version in force after it, and
// whether that is the version that was in force before (Unchanged: the
// change asked for the rates as they were, so no version was made, nothing
// audited), which the CLI ("unchanged: …") and the window say.
// ModelsAddedOnly names ("provider/model") the models the change added to
// the catalogue when that was all it did: no version was made, so Version
// is the one in force before, which stays (the CLI and the window say
// "added model M to the catalogue; rate version N stays in force", not
// that N is now in force). Empty when a version was made or nothing was
// added.
type Applied struct {
	Version         *Version
	Unchanged       bool
	ModelsAddedOnly []string
}

// applied is what a change that made version v (changed) and added the
// models added to the catalogue reports.
func applied(v *Version, changed bool, added []string) Applied {
	a := Applied{Version: v, Unchanged: !changed && len(added) == 0}
	if !changed && len(added) > 0 {
		a.ModelsAddedOnly = added
	}
	return a
}

// ApplyChange is Apply, saying whether the change changed anything.
func (s *Service) ApplyChange(ctx context.Context, c Change) (Applied, error) {
	actor, err := access.RequireAdmin(ctx, "change rates")
	if err != nil {
		return Applied{}, err
	}
	vc, err := validateChange(c)
	if err != nil {
		return Applied{}, err
	}
	reason := vc.Reason
	if reason == "" {
		reason = describeChange(vc)
	}
	models, _ := vc.touched()
	var added []string // models new to the catalogue: a change even when no version is made
	base, custom := checkBase(ctx, vc.BaseVersion), s.addCustom(ctx, actor, models, &added, true)
	v, changed, err := s.commitChanged(ctx, actor, reason, func(tx *sql.Tx) error {
		if err := base(tx); err != nil {
			return err
		}
		return custom(tx)
	}, vc.applyTo)
	var refused *ChangedError
	if errors.As(err, &refused) {
		return Applied{}, refused // says all there is to say
	}
	if err != nil {
		return Applied{}, fmt.Errorf("change rates: %w", err)
	}
	s.addedOnly(changed, added)
	return applied(v, changed, added), nil
}

// Replace validates snap and makes it the whole rate table (admin only):
// models it does not list keep no rates of their own. All or nothing.
func (s *Service) Replace(ctx context.Context, snap Snapshot, reason string) (*Version, error) {
	actor, err := access.RequireAdmin(ctx, "replace rates")
	if err != nil {
		return nil, err
	}
	rows, probs := validateRows(snap.Rows, 1)
	defs, msgs := snap.Defaults.normalize()
	for _, m := range msgs {
		probs = append(probs, Problem{Message: m})
	}
	if len(probs) > 0 {
		return nil, &ValidationError{Problems: probs}
	}
	a, err := s.replaceValid(ctx, actor, Snapshot{Defaults: defs, Rows: rows}, reason)
	return a.Version, err
}

// replaceValid makes snap the whole rate table: a new version, or none
// when snap is the table as it is (Unchanged, the version in force given;
// not when a model of snap was added to the catalogue, a blank row of one
// the table had not: the file changed the table, if no rate).
func (s *Service) replaceValid(ctx context.Context, actor access.Actor, snap Snapshot, reason string) (Applied, error) {
	if reason == "" {
		reason = "replace the rate table"
	}
	var added []string
	v, changed, err := s.commitChanged(ctx, actor, reason, s.addCustom(ctx, actor, snap.Rows, &added, false), func(*Version) (Defaults, []Row) {
		return snap.Defaults, append([]Row(nil), snap.Rows...)
	})
	if err != nil {
		return Applied{}, fmt.Errorf("replace rates: %w", err)
	}
	s.addedOnly(changed, added)
	return applied(v, changed, added), nil
}

// addCustom returns a transaction step that records every row's model that
// is not yet in the catalogue as a custom model, audited as AddModel does
// (rates.model.add: a blank row of a new model makes no version, so no
// rates.change either), naming in *added ("provider/model") those it added
// (set anew each time the step runs). typed: the models were typed (a rate
// change: the CLI's rates set, the window's rate editor), so a new one
// named like a flag is refused (newModelName); a file's (an import) are
// data, taken as they are, so an export of reported models reads back.
func (s *Service) addCustom(ctx context.Context, actor access.Actor, rows []Row, added *[]string, typed bool) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		*added = nil
		for _, r := range rows {
			if isBuiltin(r.Provider, r.Model) {
				continue
			}
			if typed { // `rates set openai -5 --input 1`
				if err := typedNewModel(ctx, tx, r); err != nil {
					return err
				}
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO rate_models(provider, model, source, added_at)
				VALUES (?, ?, 'custom', ?) ON CONFLICT DO NOTHING`, r.Provider, r.Model, store.FormatTimeNano(s.clock()))
			if err != nil {
				return fmt.Errorf("add model %s/%s: %w", r.Provider, r.Model, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("add model %s/%s: %w", r.Provider, r.Model, err)
			}
			if n > 0 {
				*added = append(*added, r.Provider+"/"+r.Model)
				if err := audit.Record(ctx, tx, s.clock(), actor, "rates.model.add", modelTarget(r.Provider, r.Model), nil, nil); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// typedNewModel refuses a typed change's row r (a rate change: the CLI's
// rates set, the window's rate editor, and its Preview) whose model is new
// to the catalogue and named like a flag (newModelName), as the validation
// error a change's other problems are; a model already in the catalogue
// (built in, reported, custom) keeps its name.
func typedNewModel(ctx context.Context, q rowQuerier, r Row) error {
	if isBuiltin(r.Provider, r.Model) {
		return nil
	}
	bad := newModelName(r.Model)
	if bad == nil {
		return nil
	}
	known, err := inCatalogue(ctx, q, r.Provider, r.Model)
	if err != nil {
		return fmt.Errorf("add model %s/%s: %w", r.Provider, r.Model, err)
	}
	if known {
		return nil
	}
	return &ValidationError{Problems: []Problem{{Provider: r.Provider, Model: r.Model, Message: bad.Error()}}}
}

// addedOnly tells the windows of models a change added to the catalogue
// when it made no version (commitChanged tells them of a version).
func (s *Service) addedOnly(changed bool, added []string) {
	if !changed && len(added) > 0 {
		s.em.Emit(events.RatesChanged, nil)
	}
}

func describeChange(c Change) string {
	models, defaults := c.touched()
	switch {
	case defaults && len(models) == 0:
		return "change the default rates"
	case len(models) == 1 && !defaults:
		return fmt.Sprintf("change %s/%s", models[0].Provider, models[0].Model)
	default:
		n := len(models)
		s := fmt.Sprintf("change %d model", n)
		if n != 1 {
			s += "s"
		}
		if defaults {
			s += " and the defaults"
		}
		return s
	}
}

// Diff is one field a change would alter ("" = blank).
type Diff struct {
	Provider string `json:"provider"` // "" for a default
	Model    string `json:"model"`
	Field    string `json:"field"` // "input", ..., or "default_input" / "default_output"
	Old      string `json:"old"`
	New      string `json:"new"`
}

// Preview validates c and lists what Apply would change, without writing,
// refusing what Apply would refuse of it with Apply's words: its rows and
// edits (validateChange), and a new model named like a flag
// (typedNewModel), which the window's Unsaved changes card shows before
// Save. Any signed-in actor may preview; Apply itself is admin only (and
// checks the version it was made against, which Preview does not).
func (s *Service) Preview(ctx context.Context, c Change) ([]Diff, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("preview rates: %w", err)
	}
	vc, err := validateChange(c)
	if err != nil {
		return nil, err
	}
	cur, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	defs, rows := vc.applyTo(cur)
	var out []Diff
	if defs.Input != cur.Defaults.Input {
		out = append(out, Diff{Field: "default_input", Old: cur.Defaults.Input, New: defs.Input})
	}
	if defs.Output != cur.Defaults.Output {
		out = append(out, Diff{Field: "default_output", Old: cur.Defaults.Output, New: defs.Output})
	}
	after := map[string]Row{}
	for _, r := range rows {
		after[r.key()] = r
	}
	models, _ := vc.touched()
	// What Save would refuse, Preview refuses alike: a new model named
	// like a flag (ApplyChange's addCustom, typed).
	for _, m := range models {
		if err := typedNewModel(ctx, s.db.Read(), m); err != nil {
			return nil, err
		}
	}
	for _, m := range models {
		old, _ := cur.Row(m.Provider, m.Model)
		r := after[m.key()]
		for f := Field(0); f < NumFields; f++ {
			if old.Get(f) != r.Get(f) {
				out = append(out, Diff{Provider: m.Provider, Model: m.Model, Field: f.String(), Old: old.Get(f), New: r.Get(f)})
			}
		}
	}
	return out, nil
}
