package statements

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"time"
)

// strictDecimal matches the only cells that may start with '-' or '+' and still
// be written as they are: a plain decimal number ("-12.500000000"). A
// spreadsheet reads such a cell as a number, never as a formula, so negative
// amounts stay numeric.
var strictDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Neutralise makes one cell safe to open in a spreadsheet (CSV/formula
// injection): a cell that begins with '=', '+', '-', '@', a tab or a carriage
// return is prefixed with a single quote, unless the whole cell is a strict
// decimal number (see strictDecimal), which is left numeric. Every other cell
// is returned unchanged.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if strictDecimal.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// CSVWriter writes RFC 4180 CSV (CRLF line ends, UTF-8, quoted where needed,
// no byte-order mark) with every cell neutralised by Neutralise. It streams:
// rows go straight to the underlying writer through a buffer.
type CSVWriter struct {
	w    *csv.Writer
	rows int64
	cell []string
}

// NewCSVWriter returns a CSVWriter on out.
func NewCSVWriter(out io.Writer) *CSVWriter {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	return &CSVWriter{w: w}
}

// Write writes one row.
func (c *CSVWriter) Write(cells ...string) error {
	c.cell = c.cell[:0]
	for _, s := range cells {
		c.cell = append(c.cell, Neutralise(s))
	}
	if err := c.w.Write(c.cell); err != nil {
		return fmt.Errorf("write csv row %d: %w", c.rows+1, err)
	}
	c.rows++
	return nil
}

// Rows is how many rows (including headers) were written.
func (c *CSVWriter) Rows() int64 { return c.rows }

// Flush writes any buffered data and reports the first write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("flush csv: %w", err)
	}
	return nil
}

// ISODate renders a date as ISO 8601 (YYYY-MM-DD) in UTC.
func ISODate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// ISOTime renders an instant as ISO 8601 / RFC 3339 in UTC with seconds.
func ISOTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
