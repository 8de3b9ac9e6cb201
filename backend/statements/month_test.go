package statements

import (
	"errors"
	"testing"

	"meterdesk/backend/inputerr"
)

// TestMonthRefusalIsTyped: a month refused is a refused input (inputerr)
// of kind ErrBadMonth (the CLI's exit 2) in its own words, the text as
// before (the CLI's, byte for byte), about the Request's field "month",
// which the window's Statements page marks; its reason is its text, which
// the window shows without the "statement: " around it.
func TestMonthRefusalIsTyped(t *testing.T) {
	for _, tc := range []struct{ month, text string }{
		{"2025-13", `invalid month "2025-13": want YYYY-MM, e.g. 2025-03`},
		{"", `invalid month "": want YYYY-MM, e.g. 2025-03`},
		{"1999-12", `invalid month "1999-12": year out of range`},
	} {
		_, _, err := ParseMonth(tc.month)
		if !errors.Is(err, ErrBadMonth) || err.Error() != tc.text {
			t.Errorf("%q: %v\nwant ErrBadMonth %q", tc.month, err, tc.text)
		}
		if r, f := inputerr.Reason(err), inputerr.Field(err); r != tc.text || f != "month" {
			t.Errorf("%q: reason %q about %q, want %q about month", tc.month, r, f, tc.text)
		}
	}
}
