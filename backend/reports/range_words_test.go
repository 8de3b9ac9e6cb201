package reports

import (
	"errors"
	"testing"
)

// TestRangeRefusalWords: a bound that is no date, a day that does not
// exist written as YYYY-MM-DD included, says it is not a date (`report usage
// --from 2026-11-31` read "from "2026-11-31" is not YYYY-MM-DD", which it
// is); an end before the start and a range too long keep their words.
func TestRangeRefusalWords(t *testing.T) {
	for _, c := range []struct {
		r    Range
		want string
	}{
		{Range{"2026-11-31", "2026-12-01"}, `invalid date range: from "2026-11-31" is not a date: want YYYY-MM-DD`},
		{Range{"2026-02-29", "2026-03-01"}, `invalid date range: from "2026-02-29" is not a date: want YYYY-MM-DD`},
		{Range{"2026-11-01", "2026-11-31"}, `invalid date range: to "2026-11-31" is not a date: want YYYY-MM-DD`},
		{Range{"March", "2026-11-30"}, `invalid date range: from "March" is not a date: want YYYY-MM-DD`},
		{Range{"2026-11-30", "2026-11-01"}, `invalid date range: To 2026-11-01 is before From 2026-11-30`},
		{Range{"2000-01-01", "2020-01-01"}, `invalid date range: longer than 3660 days`},
	} {
		_, _, err := c.r.parse()
		if !errors.Is(err, ErrBadRange) || err.Error() != c.want {
			t.Errorf("%+v: %v, want %q", c.r, err, c.want)
		}
	}
}
