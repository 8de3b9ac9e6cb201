package rates

import (
	"fmt"
	"strings"

	"meterdesk/backend/money"
)

// Edit sets one rate field of one model ("" = blank: the default applies),
// or, with Provider and Model both empty, one default rate (Field "input"
// or "output", never blank). Unlike a Row, which replaces a model's whole
// row, an edit leaves the model's other fields (and the other default) as
// they are when the change is written: it never undoes a change made after
// the editor read the table.
type Edit struct {
	Provider string `json:"provider,omitempty"`
	Model    string `json:"model,omitempty"`
	Field    string `json:"field"` // the CSV name: "input", "cache_read", ... ("cache-read" too)
	Value    string `json:"value"` // credits per token (per request / per tool call for those two)
}

// isDefault reports whether e sets a default rate.
func (e Edit) isDefault() bool { return e.Provider == "" && e.Model == "" }

// key identifies the model (or the defaults) and field e sets.
func (e Edit) key() string { return e.Provider + "\x00" + e.Model + "\x00" + e.Field }

// normalize validates e and returns it canonical (Field its CSV name,
// Value per token). Each problem is reported separately.
func (e Edit) normalize() (Edit, []string) {
	out := e
	f, err := ParseField(e.Field)
	if err != nil {
		return out, []string{err.Error()}
	}
	out.Field = f.String()
	if e.isDefault() {
		if f != FieldInput && f != FieldOutput {
			return out, []string{fmt.Sprintf("default %s: only the input and output rates have defaults", f)}
		}
		name := "default " + f.String()
		if strings.TrimSpace(e.Value) == "" {
			return out, []string{name + ": must not be blank"}
		}
		v, err := ParseOptional(e.Value, PerToken)
		if err != nil {
			return out, []string{money.Named(name, err).Error()}
		}
		out.Value = v
		return out, nil
	}
	var probs []string
	if err := CheckProvider(e.Provider); err != nil {
		probs = append(probs, err.Error())
	}
	if err := CheckModel(e.Model); err != nil {
		probs = append(probs, err.Error())
	}
	v, err := ParseOptional(e.Value, PerToken)
	if err != nil {
		probs = append(probs, money.Named(f.String(), err).Error())
	}
	out.Value = v
	return out, probs
}

// validateEdits checks every edit (and edits of the same field twice) and
// returns them canonical.
func validateEdits(edits []Edit) ([]Edit, []Problem) {
	var probs []Problem
	out := make([]Edit, 0, len(edits))
	seen := map[string]bool{}
	said := map[Problem]bool{} // a row's problem once, however many of its fields are edited
	for _, e := range edits {
		c, msgs := e.normalize()
		for _, m := range msgs {
			p := Problem{Provider: e.Provider, Model: e.Model, Message: m}
			if !said[p] {
				said[p] = true
				probs = append(probs, p)
			}
		}
		if len(msgs) == 0 {
			if seen[c.key()] {
				probs = append(probs, Problem{Provider: e.Provider, Model: e.Model, Message: c.Field + ": edited twice"})
			}
			seen[c.key()] = true
		}
		out = append(out, c)
	}
	return out, probs
}

// applyTo returns the table c makes of cur: the defaults and rows replaced,
// then each edit applied to what results. c must be valid (canonical).
func (c Change) applyTo(cur *Version) (Defaults, []Row) {
	defs := cur.Defaults
	if c.Defaults != nil {
		defs = *c.Defaults
	}
	idx := map[string]int{}
	rows := append([]Row(nil), cur.Rows...)
	for i, r := range rows {
		idx[r.key()] = i
	}
	put := func(r Row) {
		if i, ok := idx[r.key()]; ok {
			rows[i] = r
		} else {
			idx[r.key()] = len(rows)
			rows = append(rows, r)
		}
	}
	for _, r := range c.Rows {
		put(r)
	}
	for _, e := range c.Edits {
		f, _ := ParseField(e.Field) // canonical: cannot fail
		if e.isDefault() {
			if f == FieldInput {
				defs.Input = e.Value
			} else {
				defs.Output = e.Value
			}
			continue
		}
		r := Row{Provider: e.Provider, Model: e.Model}
		if i, ok := idx[r.key()]; ok {
			r = rows[i]
		}
		r.Set(f, e.Value)
		put(r)
	}
	return defs, rows
}

// touched lists the models c changes, in the order it names them, and
// whether it changes a default.
func (c Change) touched() (models []Row, defaults bool) {
	seen := map[string]bool{}
	add := func(provider, model string) {
		r := Row{Provider: provider, Model: model}
		if !seen[r.key()] {
			seen[r.key()] = true
			models = append(models, r)
		}
	}
	for _, r := range c.Rows {
		add(r.Provider, r.Model)
	}
	defaults = c.Defaults != nil
	for _, e := range c.Edits {
		if e.isDefault() {
			defaults = true
		} else {
			add(e.Provider, e.Model)
		}
	}
	return models, defaults
}
