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
// control characters, newlines and tabs included, and without the bidi
// embedding, override and isolate controls (U+202A-202E, U+2066-2069),
// with which a name can show its characters in another order than they
// are ("cheap\u202e" or a spoofed "gpt-4o-mini" in a model list).
// Right-to-left text itself, and the marks U+200E/U+200F, are fine.
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
		if !multiline && (r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069) {
			return fmt.Errorf("%w: it contains the bidi control U+%04X, which would show it in another order", ErrInvalid, r)
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
