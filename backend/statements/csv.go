package statements

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"meterdesk/backend/csvcell"
)

// csvFlushAt is how many buffered bytes trigger a write to the output.
const csvFlushAt = 64 << 10

// CSVWriter writes RFC 4180 CSV (CRLF line ends, UTF-8, quoted where needed,
// no byte-order mark) with every text cell neutralised by csvcell.Neutralise. The
// output is byte for byte what encoding/csv (UseCRLF) writes for the
// neutralised cells (tested), but cells are appended into one reused buffer,
// so that writing a row allocates nothing. It streams: the buffer goes to the
// underlying writer every csvFlushAt bytes.
//
// Rows are written either whole with Write, or cell by cell with Text, Int,
// IntOrEmpty, Minor and Time followed by End.
type CSVWriter struct {
	out   io.Writer
	loc   *time.Location // Time's zone; nil = UTC
	buf   []byte
	rows  int64
	inRow bool // a cell of the current row has been written
	err   error
}

// NewCSVWriter returns a CSVWriter on out.
func NewCSVWriter(out io.Writer) *CSVWriter {
	return &CSVWriter{out: out, buf: make([]byte, 0, csvFlushAt+4096)}
}

// InZone makes Time write instants in loc (the workspace's time zone) and
// returns c.
func (c *CSVWriter) InZone(loc *time.Location) *CSVWriter {
	c.loc = loc
	return c
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

// Text appends a text cell, neutralised (csvcell.Neutralise) and quoted as
// encoding/csv would quote it.
func (c *CSVWriter) Text(s string) {
	c.sep()
	quote := false
	if csvcell.NeedsNeutralising(s) {
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

// Time appends an instant as ISO 8601 with seconds, in the writer's zone
// (see InZone and ISOTime).
func (c *CSVWriter) Time(t time.Time) {
	c.sep()
	c.buf = inZone(t, c.loc).AppendFormat(c.buf, time.RFC3339)
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

// ISOTime renders an instant as ISO 8601 / RFC 3339 with seconds in loc
// (the workspace's time zone; nil = UTC), with its offset: a person reads the
// local time of day, a program the exact instant.
func ISOTime(t time.Time, loc *time.Location) string {
	return inZone(t, loc).Format(time.RFC3339)
}

func inZone(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t.UTC()
	}
	return t.In(loc)
}
