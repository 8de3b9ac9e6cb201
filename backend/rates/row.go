package rates

import (
	"fmt"
	"strings"

	"meterdesk/backend/money"
)

// Field is one rate column of a Row.
type Field int

// The rate fields, in CSV column order.
const (
	FieldInput Field = iota
	FieldOutput
	FieldCacheRead
	FieldCacheWrite
	FieldReasoning
	FieldPerRequest
	FieldPerToolCall
	NumFields
)

// fieldNames are the CSV/CLI names of the fields.
var fieldNames = [NumFields]string{"input", "output", "cache_read", "cache_write", "reasoning", "per_request", "per_tool_call"}

// String returns the field's CSV name ("cache_read").
func (f Field) String() string {
	if f < 0 || f >= NumFields {
		return fmt.Sprintf("field(%d)", int(f))
	}
	return fieldNames[f]
}

// PerToken reports whether the field is a per-token rate (the unit
// conversions apply); per-request and per-tool-call charges are per unit.
func (f Field) PerToken() bool { return f <= FieldReasoning }

// ParseField reads a field's CSV name (also accepting dashes).
func ParseField(s string) (Field, error) {
	t := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	for i, n := range fieldNames {
		if n == t {
			return Field(i), nil
		}
	}
	return 0, fmt.Errorf("unknown rate field %q (want one of %s)", s, strings.Join(fieldNames[:], ", "))
}

// Row is one model's rates as the admin set them, in credits per token
// (per request / per tool call for those two). "" means blank: the default
// applies (see Version.Resolve).
type Row struct {
	Provider    string `json:"provider"`
	Model       string `json:"model"`
	Input       string `json:"input"`
	Output      string `json:"output"`
	CacheRead   string `json:"cacheRead"`
	CacheWrite  string `json:"cacheWrite"`
	Reasoning   string `json:"reasoning"`
	PerRequest  string `json:"perRequest"`
	PerToolCall string `json:"perToolCall"`
}

// ptr returns the address of field f in r.
func (r *Row) ptr(f Field) *string {
	switch f {
	case FieldInput:
		return &r.Input
	case FieldOutput:
		return &r.Output
	case FieldCacheRead:
		return &r.CacheRead
	case FieldCacheWrite:
		return &r.CacheWrite
	case FieldReasoning:
		return &r.Reasoning
	case FieldPerRequest:
		return &r.PerRequest
	case FieldPerToolCall:
		return &r.PerToolCall
	}
	panic(fmt.Sprintf("rates: bad field %d", f))
}

// Get returns field f ("" = blank).
func (r Row) Get(f Field) string { return *r.ptr(f) }

// Set stores v in field f.
func (r *Row) Set(f Field, v string) { *r.ptr(f) = v }

// Blank reports whether every rate field is blank.
func (r Row) Blank() bool {
	for f := Field(0); f < NumFields; f++ {
		if r.Get(f) != "" {
			return false
		}
	}
	return true
}

// key identifies a row by provider and model.
func (r Row) key() string { return r.Provider + "\x00" + r.Model }

// normalize validates r and returns it with every field canonical (values
// given per token). Each problem is reported separately.
func (r Row) normalize() (Row, []string) {
	var probs []string
	if err := CheckProvider(r.Provider); err != nil {
		probs = append(probs, err.Error())
	}
	if err := CheckModel(r.Model); err != nil {
		probs = append(probs, err.Error())
	}
	out := r
	for f := Field(0); f < NumFields; f++ {
		v, err := ParseOptional(r.Get(f), PerToken)
		if err != nil {
			probs = append(probs, money.Named(f.String(), err).Error())
			continue
		}
		out.Set(f, v)
	}
	return out, probs
}

// Defaults are the rates for blank input and output fields. Cached input and
// cache writes fall back to the input rate, reasoning to the output rate;
// per-request and per-tool-call charges default to zero.
type Defaults struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

// FactoryDefaults is 1 credit per token for input and output.
var FactoryDefaults = Defaults{Input: "1", Output: "1"}

// normalize validates d (both fields required) and makes it canonical.
func (d Defaults) normalize() (Defaults, []string) {
	var probs []string
	out := d
	for _, x := range []struct {
		name string
		v    *string
	}{{"default input", &out.Input}, {"default output", &out.Output}} {
		if strings.TrimSpace(*x.v) == "" {
			probs = append(probs, x.name+": must not be blank")
			continue
		}
		v, err := ParseOptional(*x.v, PerToken)
		if err != nil {
			probs = append(probs, money.Named(x.name, err).Error())
			continue
		}
		*x.v = v
	}
	return out, probs
}

// Problem is one invalid row of an import or change.
type Problem struct {
	Row      int    `json:"row"` // 1-based line (CSV, including the header) or item number
	Provider string `json:"provider,omitempty"`
	Model    string `json:"model,omitempty"`
	Message  string `json:"message"`
}

// String renders the problem for people: `row 3 (openai/gpt-4o): input -1 is negative`.
func (p Problem) String() string {
	var b strings.Builder
	if p.Row > 0 {
		fmt.Fprintf(&b, "row %d", p.Row)
	}
	if p.Provider != "" || p.Model != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "(%s/%s)", p.Provider, p.Model)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found; nothing was applied.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	noun := "problem"
	if len(parts) != 1 {
		noun = "problems"
	}
	return fmt.Sprintf("invalid rates (%d %s, nothing applied): %s", len(parts), noun, strings.Join(parts, "; "))
}

// ErrInvalid is matched (errors.Is) by every *ValidationError.
var ErrInvalid = fmt.Errorf("invalid rates")

// Reason makes a ValidationError a refusal said in words (inputerr.Reason):
// its own text, every bad row named, without the operations around it
// ("import rates: "). app.FormatError sends it as a refusal, so that the
// window tells it from a failure of the save or of its check (a busy
// database, a lost connection), which Save would not refuse.
func (e *ValidationError) Reason() string { return e.Error() }

// Is lets errors.Is(err, ErrInvalid) match a ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }
