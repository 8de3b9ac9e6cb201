// Package textcheck checks the texts people type into Meterdesk (names,
// titles, notes, prompts) before they are stored: valid UTF-8, and no control
// characters that would break a table in the terminal, a CSV or PDF export,
// or send escape sequences to a terminal. Each caller wraps the error with
// its own sentinel and the field's name.
package textcheck

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error of this package.
var ErrInvalid = errors.New("not plain text")

// Line checks a one-line text (a name, a title, a note): valid UTF-8 without
// control characters, newlines and tabs included.
func Line(s string) error { return check(s, false) }

// Lines checks a text of several lines (an address, a system prompt): as
// Line, but newlines, carriage returns and tabs are allowed.
func Lines(s string) error { return check(s, true) }

func check(s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: it is not valid UTF-8", ErrInvalid)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			if r == '\n' || r == '\r' || r == '\t' {
				return fmt.Errorf("%w: it must be one line (no line breaks or tabs)", ErrInvalid)
			}
			return fmt.Errorf("%w: it contains the control character U+%04X", ErrInvalid, r)
		}
	}
	return nil
}
