package rates

import (
	"context"
	"database/sql"
	"fmt"

	"meterdesk/backend/access"
)

// Change edits the current rate table. Each row replaces that model's row
// entirely (blank fields = default; an all-blank row clears the model's
// rates). Rows for models outside the catalogue add them as custom models.
type Change struct {
	Defaults *Defaults `json:"defaults,omitempty"` // nil: unchanged
	Rows     []Row     `json:"rows"`
	Reason   string    `json:"reason,omitempty"`
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
	out := Change{Rows: rows, Reason: c.Reason}
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
// (admin only). Nothing is applied when any row is invalid: the
// *ValidationError names every bad row.
func (s *Service) Apply(ctx context.Context, c Change) (*Version, error) {
	actor, err := access.RequireAdmin(ctx, "change rates")
	if err != nil {
		return nil, err
	}
	vc, err := validateChange(c)
	if err != nil {
		return nil, err
	}
	reason := vc.Reason
	if reason == "" {
		reason = describeChange(vc)
	}
	v, err := s.commit(ctx, actor, reason, s.addCustom(ctx, vc.Rows), func(cur *Version) (Defaults, []Row) {
		defs := cur.Defaults
		if vc.Defaults != nil {
			defs = *vc.Defaults
		}
		idx := map[string]int{}
		rows := append([]Row(nil), cur.Rows...)
		for i, r := range rows {
			idx[r.key()] = i
		}
		for _, r := range vc.Rows {
			if i, ok := idx[r.key()]; ok {
				rows[i] = r
			} else {
				rows = append(rows, r)
			}
		}
		return defs, rows
	})
	if err != nil {
		return nil, fmt.Errorf("change rates: %w", err)
	}
	return v, nil
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
	return s.replaceValid(ctx, actor, Snapshot{Defaults: defs, Rows: rows}, reason)
}

func (s *Service) replaceValid(ctx context.Context, actor access.Actor, snap Snapshot, reason string) (*Version, error) {
	if reason == "" {
		reason = "replace the rate table"
	}
	v, err := s.commit(ctx, actor, reason, s.addCustom(ctx, snap.Rows), func(*Version) (Defaults, []Row) {
		return snap.Defaults, append([]Row(nil), snap.Rows...)
	})
	if err != nil {
		return nil, fmt.Errorf("replace rates: %w", err)
	}
	return v, nil
}

// addCustom returns a transaction step that records every row's model that
// is not yet in the catalogue as a custom model.
func (s *Service) addCustom(ctx context.Context, rows []Row) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		for _, r := range rows {
			if isBuiltin(r.Provider, r.Model) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rate_models(provider, model, source)
				VALUES (?, ?, 'custom') ON CONFLICT DO NOTHING`, r.Provider, r.Model); err != nil {
				return fmt.Errorf("add model %s/%s: %w", r.Provider, r.Model, err)
			}
		}
		return nil
	}
}

func describeChange(c Change) string {
	switch {
	case c.Defaults != nil && len(c.Rows) == 0:
		return "change the default rates"
	case len(c.Rows) == 1 && c.Defaults == nil:
		return fmt.Sprintf("change %s/%s", c.Rows[0].Provider, c.Rows[0].Model)
	default:
		n := len(c.Rows)
		s := fmt.Sprintf("change %d model", n)
		if n != 1 {
			s += "s"
		}
		if c.Defaults != nil {
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

// Preview validates c and lists what Apply would change, without writing.
// Any signed-in actor may preview; Apply itself is admin only.
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
	var out []Diff
	if vc.Defaults != nil {
		if vc.Defaults.Input != cur.Defaults.Input {
			out = append(out, Diff{Field: "default_input", Old: cur.Defaults.Input, New: vc.Defaults.Input})
		}
		if vc.Defaults.Output != cur.Defaults.Output {
			out = append(out, Diff{Field: "default_output", Old: cur.Defaults.Output, New: vc.Defaults.Output})
		}
	}
	for _, r := range vc.Rows {
		old, _ := cur.Row(r.Provider, r.Model)
		for f := Field(0); f < NumFields; f++ {
			if old.Get(f) != r.Get(f) {
				out = append(out, Diff{Provider: r.Provider, Model: r.Model, Field: f.String(), Old: old.Get(f), New: r.Get(f)})
			}
		}
	}
	return out, nil
}
