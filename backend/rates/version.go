package rates

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Version is one immutable snapshot of the rate table. Versions are never
// edited; every change creates a new one.
type Version struct {
	ID          int64     `json:"id"`
	EffectiveAt time.Time `json:"effectiveAt"`
	CreatedByID int64     `json:"createdById"`
	CreatedBy   string    `json:"createdBy"`
	Reason      string    `json:"reason"`
	Defaults    Defaults  `json:"defaults"`
	Rows        []Row     `json:"rows"` // rows with at least one non-blank field, sorted

	defIn, defOut decimal.Decimal
	byKey         map[string]*parsedRow
	byModel       map[string]*parsedRow // first provider (in Providers order) with the model
}

// parsedRow holds a row's values as decimals (nil = blank).
type parsedRow struct {
	row  Row
	vals [NumFields]*decimal.Decimal
}

// Rate sources: where a resolved rate came from.
const (
	FromRow     = "set"     // the model's own row
	FromDefault = "default" // the default input/output rate
	FromInput   = "input"   // cache read/write fell back to the input rate
	FromOutput  = "output"  // reasoning fell back to the output rate
	FromNone    = "none"    // per-request / per-tool-call: no charge
)

// Rate is a model's effective rates in one version, every fallback applied.
type Rate struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
	// Matched is the row that applied ("" when only defaults apply); it
	// differs from Model for a dated snapshot such as gpt-4o-2024-08-06.
	Matched string                     `json:"matched"`
	Values  [NumFields]decimal.Decimal `json:"-"`
	Sources [NumFields]string          `json:"sources"`
}

// Get returns the effective rate of field f.
func (r *Rate) Get(f Field) decimal.Decimal { return r.Values[f] }

// UsesDefaults reports whether the model has no input or no output rate of
// its own, so the default rate prices it: a model nobody priced yet.
func (r *Rate) UsesDefaults() bool {
	return r.Sources[FieldInput] == FromDefault || r.Sources[FieldOutput] == FromDefault
}

// newVersion builds the lookup indexes of a version whose fields are
// already validated and canonical.
func newVersion(v Version) (*Version, error) {
	var err error
	if v.defIn, err = decimal.NewFromString(v.Defaults.Input); err != nil {
		return nil, err
	}
	if v.defOut, err = decimal.NewFromString(v.Defaults.Output); err != nil {
		return nil, err
	}
	sortRows(v.Rows)
	v.byKey = make(map[string]*parsedRow, len(v.Rows))
	v.byModel = make(map[string]*parsedRow, len(v.Rows))
	for _, r := range v.Rows {
		p := &parsedRow{row: r}
		for f := Field(0); f < NumFields; f++ {
			if s := r.Get(f); s != "" {
				d, err := decimal.NewFromString(s)
				if err != nil {
					return nil, err
				}
				p.vals[f] = &d
			}
		}
		v.byKey[r.key()] = p
		if _, ok := v.byModel[r.Model]; !ok {
			v.byModel[r.Model] = p
		}
	}
	return &v, nil
}

// sortRows orders rows by provider (display order) then model name.
func sortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := providerRank(rows[i].Provider), providerRank(rows[j].Provider)
		if a != b {
			return a < b
		}
		return rows[i].Model < rows[j].Model
	})
}

// snapshotSuffix matches the suffix that names a dated or numbered
// snapshot of a model, priced as the model itself: a date, "-2024-08-06"
// or "-20250805" (OpenAI, Anthropic); OpenAI's older month and day
// "-0613" (gpt-4-0613, gpt-3.5-turbo-0125: four digits that read as a
// month and a day, [01]x[0-3]x, so not a context size such as Groq's
// llama3-70b-8192 nor Mistral's year and month, mistral-large-2407); Gemini's
// stable version "-001" (gemini-2.0-flash-001: three digits starting with
// 0); and Vertex AI's "@20251001" (claude-haiku-4-5@20251001). SnapshotGlobs
// says the same for SQL.
var snapshotSuffix = regexp.MustCompile(`^(-(\d{4}-\d{2}-\d{2}|\d{8}|[01]\d[0-3]\d|0\d\d)|@\d{8})$`)

// IsSnapshotOf reports whether model is base or one of base's snapshots
// ("gpt-4o-2024-08-06", "gpt-4o-20240806", "gpt-4-0613",
// "gemini-2.0-flash-001", "claude-haiku-4-5@20251001"; snapshotSuffix):
// the names that a row, or a member's per-model limit, for base covers.
func IsSnapshotOf(model, base string) bool {
	rest, ok := strings.CutPrefix(model, base)
	return ok && (rest == "" || snapshotSuffix.MatchString(rest))
}

// SnapshotGlobs returns SQLite GLOB patterns matching exactly base's
// snapshots (not base itself): IsSnapshotOf for a query.
func SnapshotGlobs(base string) []string {
	quoted := strings.NewReplacer("*", "[*]", "?", "[?]", "[", "[[]").Replace(base)
	d := "[0-9]"
	return []string{
		quoted + "-" + strings.Repeat(d, 4) + "-" + d + d + "-" + d + d,
		quoted + "-" + strings.Repeat(d, 8),
		quoted + "-[01]" + d + "[0-3]" + d,
		quoted + "-0" + d + d,
		quoted + "@" + strings.Repeat(d, 8),
	}
}

// find returns the row that applies to provider/model, if any. provider ""
// matches any provider (the first in display order). A snapshot
// ("gpt-4o-2024-08-06", "gemini-2.0-flash-001": snapshotSuffix) without a
// row of its own uses its base model's row.
func (v *Version) find(provider, model string) *parsedRow {
	look := func(m string) *parsedRow {
		if provider == "" {
			return v.byModel[m]
		}
		return v.byKey[provider+"\x00"+m]
	}
	if p := look(model); p != nil {
		return p
	}
	// Strip one snapshot suffix, trying each '-' and '@' from the right.
	for j := len(model) - 1; j > 0; j-- {
		if (model[j] == '-' || model[j] == '@') && snapshotSuffix.MatchString(model[j:]) {
			if p := look(model[:j]); p != nil {
				return p
			}
		}
	}
	return nil
}

// Resolve returns the effective rates of provider/model in this version:
// the model's own fields where set; otherwise input and output take the
// defaults, cache read and cache write the (effective) input rate, reasoning
// the (effective) output rate, and per-request / per-tool-call charges zero.
// A model with no row uses the defaults. provider "" matches any provider.
func (v *Version) Resolve(provider, model string) Rate {
	r := Rate{Provider: provider, Model: model}
	p := v.find(provider, model)
	var vals [NumFields]*decimal.Decimal
	if p != nil {
		vals = p.vals
		r.Matched = p.row.Model
		if r.Provider == "" {
			r.Provider = p.row.Provider
		}
	}
	set := func(f Field, fallback decimal.Decimal, src string) {
		if vals[f] != nil {
			r.Values[f], r.Sources[f] = *vals[f], FromRow
			return
		}
		r.Values[f], r.Sources[f] = fallback, src
	}
	set(FieldInput, v.defIn, FromDefault)
	set(FieldOutput, v.defOut, FromDefault)
	set(FieldCacheRead, r.Values[FieldInput], FromInput)
	set(FieldCacheWrite, r.Values[FieldInput], FromInput)
	set(FieldReasoning, r.Values[FieldOutput], FromOutput)
	set(FieldPerRequest, decimal.Zero, FromNone)
	set(FieldPerToolCall, decimal.Zero, FromNone)
	return r
}

// Row returns the stored row of provider/model (exact match) and whether
// there is one.
func (v *Version) Row(provider, model string) (Row, bool) {
	p, ok := v.byKey[provider+"\x00"+model]
	if !ok {
		return Row{Provider: provider, Model: model}, false
	}
	return p.row, true
}
