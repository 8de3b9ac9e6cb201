package statements

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// isStrictDecimal reports whether s matches ^-?[0-9]+(\.[0-9]+)?$: the only
// cells that may start with '-' and still be written as they are. A
// spreadsheet reads such a cell as a number, never as a formula, so negative
// amounts stay numeric.
func isStrictDecimal(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > i+1 && j == len(s)
}

// needsNeutralising reports whether Neutralise prefixes s.
func needsNeutralising(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return !isStrictDecimal(s)
	}
	return false
}

// Neutralise makes one cell safe to open in a spreadsheet (CSV/formula
// injection): a cell that begins with '=', '+', '-', '@', a tab or a carriage
// return is prefixed with a single quote, unless the whole cell is a strict
// decimal number (see isStrictDecimal), which is left numeric. Every other
// cell is returned unchanged.
func Neutralise(s string) string {
	if needsNeutralising(s) {
		return "'" + s
	}
	return s
}

// csvFlushAt is how many buffered bytes trigger a write to the output.
const csvFlushAt = 64 << 10

// CSVWriter writes RFC 4180 CSV (CRLF line ends, UTF-8, quoted where needed,
// no byte-order mark) with every text cell neutralised by Neutralise. The
// output is byte for byte what encoding/csv (UseCRLF) writes for the
// neutralised cells (tested), but cells are appended into one reused buffer,
// so that writing a row allocates nothing. It streams: the buffer goes to the
// underlying writer every csvFlushAt bytes.
//
// Rows are written either whole with Write, or cell by cell with Text, Int,
// IntOrEmpty, Minor and Time followed by End.
type CSVWriter struct {
	out   io.Writer
	buf   []byte
	rows  int64
	inRow bool // a cell of the current row has been written
	err   error
}

// NewCSVWriter returns a CSVWriter on out.
func NewCSVWriter(out io.Writer) *CSVWriter {
	return &CSVWriter{out: out, buf: make([]byte, 0, csvFlushAt+4096)}
}

// Write writes one row of text cells.
func (c *CSVWriter) Write(cells ...string) error {
	for _, s := range cells {
		c.Text(s)
	}
	return c.End()
}

func (c *CSVWriter) sep() {
	if c.inRow {
		c.buf = append(c.buf, ',')
	}
	c.inRow = true
}

// Text appends a text cell, neutralised (Neutralise) and quoted as
// encoding/csv would quote it.
func (c *CSVWriter) Text(s string) {
	c.sep()
	quote := false
	if needsNeutralising(s) {
		// A leading quote is never a space and never `\.`.
		quote = strings.ContainsAny(s, "\n\r\",")
		if !quote {
			c.buf = append(c.buf, '\'')
			c.buf = append(c.buf, s...)
			return
		}
		c.buf = append(c.buf, '"', '\'')
	} else {
		if !fieldNeedsQuotes(s) {
			c.buf = append(c.buf, s...)
			return
		}
		c.buf = append(c.buf, '"')
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, "\"\r\n")
		if i < 0 {
			i = len(s)
		}
		c.buf = append(c.buf, s[:i]...)
		s = s[i:]
		if len(s) > 0 {
			switch s[0] {
			case '"':
				c.buf = append(c.buf, '"', '"')
			case '\n':
				c.buf = append(c.buf, '\r', '\n')
			} // a '\r' is dropped, as encoding/csv does with UseCRLF
			s = s[1:]
		}
	}
	c.buf = append(c.buf, '"')
}

// fieldNeedsQuotes is encoding/csv's rule for a comma-separated field.
func fieldNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r', '"', ',':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// Int appends an integer cell (never quoted or neutralised: digits and '-').
func (c *CSVWriter) Int(n int64) {
	c.sep()
	c.buf = strconv.AppendInt(c.buf, n, 10)
}

// IntOrEmpty appends an id cell: empty for 0.
func (c *CSVWriter) IntOrEmpty(n int64) {
	c.sep()
	if n != 0 {
		c.buf = strconv.AppendInt(c.buf, n, 10)
	}
}

// Minor appends an amount in minor units as the exact decimal string
// money.MinorString gives (a strict decimal: never neutralised).
func (c *CSVWriter) Minor(n int64) {
	c.sep()
	c.buf = appendMinor(c.buf, n)
}

// Time appends an instant as ISO 8601 in UTC with seconds (as ISOTime).
func (c *CSVWriter) Time(t time.Time) {
	c.sep()
	c.buf = t.UTC().AppendFormat(c.buf, time.RFC3339)
}

// End ends the current row and writes the buffer out when it is full.
func (c *CSVWriter) End() error {
	c.buf = append(c.buf, '\r', '\n')
	c.inRow = false
	c.rows++
	if len(c.buf) >= csvFlushAt {
		c.flushBuf()
	}
	if c.err != nil {
		return fmt.Errorf("write csv row %d: %w", c.rows, c.err)
	}
	return nil
}

func (c *CSVWriter) flushBuf() {
	if c.err == nil && len(c.buf) > 0 {
		_, c.err = c.out.Write(c.buf)
	}
	c.buf = c.buf[:0]
}

// Rows is how many rows (including headers) were written.
func (c *CSVWriter) Rows() int64 { return c.rows }

// Flush writes any buffered data and reports the first write error.
func (c *CSVWriter) Flush() error {
	c.flushBuf()
	if c.err != nil {
		return fmt.Errorf("flush csv: %w", c.err)
	}
	return nil
}

// ISODate renders a date as ISO 8601 (YYYY-MM-DD) in UTC.
func ISODate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// ISOTime renders an instant as ISO 8601 / RFC 3339 in UTC with seconds.
func ISOTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
