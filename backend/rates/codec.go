package rates

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/csvcell"

	"meterdesk/backend/money"
)

// Import/export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// CSV layout: a header, then one row per model; rates per token (per request
// / per tool call for the last two). The optional row with provider
// "default" and model "*" carries the default input and output rates.
var csvHeader = []string{"provider", "model", "input", "output", "cache_read", "cache_write", "reasoning", "per_request", "per_tool_call"}

// Pseudo provider/model of the CSV defaults row.
const (
	DefaultsProvider = "default"
	DefaultsModel    = "*"
)

// jsonFormat tags an exported JSON document.
const jsonFormat = "meterdesk-rates/1"

type jsonDoc struct {
	Format   string            `json:"format"`
	Unit     string            `json:"unit"`
	Defaults *jsonDefaults     `json:"defaults,omitempty"`
	Rates    []json.RawMessage `json:"rates"`
}

// jsonDefaults is the default rates as exported; numbers are accepted on
// import too, as in rows.
type jsonDefaults struct {
	Input  jsonText `json:"input"`
	Output jsonText `json:"output"`
}

// jsonRow is one rate row as exported; numbers are accepted on import too.
type jsonRow struct {
	Provider    string   `json:"provider"`
	Model       string   `json:"model"`
	Input       jsonText `json:"input"`
	Output      jsonText `json:"output"`
	CacheRead   jsonText `json:"cache_read"`
	CacheWrite  jsonText `json:"cache_write"`
	Reasoning   jsonText `json:"reasoning"`
	PerRequest  jsonText `json:"per_request"`
	PerToolCall jsonText `json:"per_tool_call"`
}

// jsonText is a rate written as a JSON string or a JSON number; either way
// the exact text is kept (a number is never turned into a float).
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonText(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("rate %s: want a decimal string", string(b))
		}
		*t = jsonText(n.String())
	}
	return nil
}

// parsed is an import file before validation.
type parsed struct {
	defaults *Defaults // nil: keep the current defaults
	rows     []Row
	nums     []int // row number of each row (CSV line, JSON entry)
	probs    []Problem
	unit     Unit
}

// Encode writes snap in format (csv or json), rates per token.
func Encode(snap Snapshot, format string) ([]byte, error) {
	var buf bytes.Buffer
	switch strings.ToLower(format) {
	case FormatCSV:
		w := csv.NewWriter(&buf)
		_ = w.Write(csvHeader)
		_ = w.Write([]string{DefaultsProvider, DefaultsModel, snap.Defaults.Input, snap.Defaults.Output, "", "", "", "", ""})
		for _, r := range snap.Rows {
			rec := []string{csvcell.Neutralise(r.Provider), csvcell.Neutralise(r.Model)}
			for f := Field(0); f < NumFields; f++ {
				rec = append(rec, r.Get(f))
			}
			_ = w.Write(rec)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, fmt.Errorf("write rates CSV: %w", err)
		}
	case FormatJSON:
		d := jsonDefaults{Input: jsonText(snap.Defaults.Input), Output: jsonText(snap.Defaults.Output)}
		doc := jsonDoc{Format: jsonFormat, Unit: string(PerToken), Defaults: &d, Rates: []json.RawMessage{}}
		for _, r := range snap.Rows {
			b, err := json.Marshal(jsonRow{r.Provider, r.Model, jsonText(r.Input), jsonText(r.Output),
				jsonText(r.CacheRead), jsonText(r.CacheWrite), jsonText(r.Reasoning), jsonText(r.PerRequest), jsonText(r.PerToolCall)})
			if err != nil {
				return nil, err
			}
			doc.Rates = append(doc.Rates, b)
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("write rates JSON: %w", err)
		}
	default:
		return nil, fmt.Errorf("unknown rates format %q (want csv or json)", format)
	}
	return buf.Bytes(), nil
}

// Decode reads a whole rate table in format and validates it: every bad row
// is reported in one *ValidationError. The returned snapshot's Defaults is
// nil-able through hasDefaults: false means the file had none.
func Decode(data []byte, format string) (snap Snapshot, hasDefaults bool, err error) {
	var p parsed
	switch strings.ToLower(format) {
	case FormatCSV:
		p = decodeCSV(data)
	case FormatJSON:
		p = decodeJSON(data)
	default:
		return Snapshot{}, false, fmt.Errorf("unknown rates format %q (want csv or json)", format)
	}
	if p.unit != "" && p.unit != PerToken {
		for i := range p.rows {
			for f := FieldInput; f <= FieldReasoning; f++ {
				v := p.rows[i].Get(f)
				if v == "" {
					continue
				}
				c, err := ParseOptional(v, p.unit)
				if err != nil {
					p.probs = append(p.probs, Problem{Row: p.nums[i], Provider: p.rows[i].Provider,
						Model: p.rows[i].Model, Message: money.Named(f.String(), err).Error()})
					c = "0" // reported; keep validating the rest
				}
				p.rows[i].Set(f, c)
			}
		}
		if p.defaults != nil { // in the file's unit too, like every row
			for _, d := range []struct {
				name string
				v    *string
			}{{"default input", &p.defaults.Input}, {"default output", &p.defaults.Output}} {
				if *d.v == "" {
					continue // reported by normalize
				}
				c, err := ParseOptional(*d.v, p.unit)
				if err != nil {
					p.probs = append(p.probs, Problem{Message: money.Named(d.name, err).Error()})
					c = "0"
				}
				*d.v = c
			}
		}
	}
	rows, probs := validateRowsAt(p.rows, p.nums)
	probs = append(p.probs, probs...)
	if p.defaults != nil {
		d, msgs := p.defaults.normalize()
		for _, m := range msgs {
			probs = append(probs, Problem{Message: m})
		}
		snap.Defaults, hasDefaults = d, true
	}
	if len(probs) > 0 {
		return Snapshot{}, false, &ValidationError{Problems: probs}
	}
	snap.Rows = rows
	return snap, hasDefaults, nil
}

func decodeCSV(data []byte) parsed {
	var p parsed
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		msg := "the file is empty: want the header " + strings.Join(csvHeader, ",")
		if !errors.Is(err, io.EOF) {
			msg = err.Error()
		}
		p.probs = append(p.probs, Problem{Row: 1, Message: msg})
		return p
	}
	if len(head) != len(csvHeader) || !equalFold(head, csvHeader) {
		p.probs = append(p.probs, Problem{Row: 1, Message: fmt.Sprintf("header has %d columns (%s); want exactly %d: %s",
			len(head), strings.Join(head, ","), len(csvHeader), strings.Join(csvHeader, ","))})
		return p
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			p.probs = append(p.probs, Problem{Row: line, Message: err.Error()})
			return p // a malformed quote: the rest of the file cannot be trusted
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(csvHeader) {
			what := "missing columns"
			if len(rec) > len(csvHeader) {
				what = "extra columns"
			}
			p.probs = append(p.probs, Problem{Row: line, Message: fmt.Sprintf("%s: %d columns, want %d", what, len(rec), len(csvHeader))})
			continue
		}
		if rec[0] == DefaultsProvider && rec[1] == DefaultsModel {
			if p.defaults != nil {
				p.probs = append(p.probs, Problem{Row: line, Message: "duplicate defaults row"})
				continue
			}
			if strings.Join(rec[4:], "") != "" {
				p.probs = append(p.probs, Problem{Row: line, Message: "the defaults row takes only input and output"})
			}
			p.defaults = &Defaults{Input: rec[2], Output: rec[3]}
			continue
		}
		row := Row{Provider: csvcell.Restore(rec[0]), Model: csvcell.Restore(rec[1])}
		for f := Field(0); f < NumFields; f++ {
			row.Set(f, rec[2+int(f)])
		}
		p.rows = append(p.rows, row)
		p.nums = append(p.nums, line)
	}
	return p
}

func decodeJSON(data []byte) parsed {
	var p parsed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc jsonDoc
	if err := dec.Decode(&doc); err != nil {
		p.probs = append(p.probs, Problem{Message: "not a rates JSON document: " + err.Error()})
		return p
	}
	if dec.More() {
		p.probs = append(p.probs, Problem{Message: "not a rates JSON document: trailing data after the object"})
		return p
	}
	if doc.Format != "" && doc.Format != jsonFormat {
		p.probs = append(p.probs, Problem{Message: fmt.Sprintf("format %q: want %q", doc.Format, jsonFormat)})
	}
	u, err := ParseUnit(doc.Unit)
	if err != nil {
		p.probs = append(p.probs, Problem{Message: err.Error()})
	}
	p.unit = u
	if doc.Defaults != nil {
		p.defaults = &Defaults{Input: string(doc.Defaults.Input), Output: string(doc.Defaults.Output)}
	}
	for i, raw := range doc.Rates {
		var jr jsonRow
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&jr); err != nil {
			p.probs = append(p.probs, Problem{Row: i + 1, Message: "bad rate entry: " + err.Error()})
			continue
		}
		p.nums = append(p.nums, i+1)
		p.rows = append(p.rows, Row{jr.Provider, jr.Model, string(jr.Input), string(jr.Output), string(jr.CacheRead),
			string(jr.CacheWrite), string(jr.Reasoning), string(jr.PerRequest), string(jr.PerToolCall)})
	}
	return p
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}

// Export writes the current whole table in format (admin or member: rates
// are not secret).
func (s *Service) Export(ctx context.Context, format string) ([]byte, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("export rates: %w", err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("export rates: %w", err)
	}
	return Encode(snap, format)
}

// Import replaces the whole rate table with the file's contents (admin only),
// all or nothing: any bad row fails the import with a *ValidationError naming
// every bad row, and nothing is written. A file without a defaults row keeps
// the current defaults.
func (s *Service) Import(ctx context.Context, format string, data []byte) (*Version, error) {
	a, err := s.ImportChange(ctx, format, data)
	return a.Version, err
}

// ImportChange is Import, saying whether the file changed anything: a
// file with the rates as they are makes no version (Unchanged, the version
// in force given), which the window says rather than "imported as version
// N" of the version it already showed.
func (s *Service) ImportChange(ctx context.Context, format string, data []byte) (Applied, error) {
	actor, err := access.RequireAdmin(ctx, "import rates")
	if err != nil {
		return Applied{}, err
	}
	snap, hasDefaults, err := Decode(data, format)
	if err != nil {
		return Applied{}, fmt.Errorf("import rates: %w", err)
	}
	if !hasDefaults {
		cur, err := s.Current(ctx)
		if err != nil {
			return Applied{}, err
		}
		snap.Defaults = cur.Defaults
	}
	return s.replaceValid(ctx, actor, snap, "import rates ("+strings.ToLower(format)+")")
}
