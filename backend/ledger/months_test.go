package ledger

import (
	"testing"
	"time"
)

// TestAddMonthsKeepsToTheMonth: lot validity counts calendar months; a day
// the later month lacks becomes its last day (time.AddDate would carry
// Jan 31 + 1 month over to Mar 3, three days of extra validity).
func TestAddMonthsKeepsToTheMonth(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2026-01-31T23:30:00Z", 1, "2026-02-28T23:30:00Z"},
		{"2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00Z"}, // leap year
		{"2026-03-31T00:00:00Z", 1, "2026-04-30T00:00:00Z"},
		{"2026-08-31T12:00:00Z", 6, "2027-02-28T12:00:00Z"},
		{"2026-01-15T08:45:30.5Z", 1, "2026-02-15T08:45:30.5Z"},
		{"2026-11-30T00:00:00Z", 3, "2027-02-28T00:00:00Z"},
		{"2026-12-31T00:00:00Z", 12, "2027-12-31T00:00:00Z"},
	} {
		from, _ := time.Parse(time.RFC3339Nano, c.from)
		if got := addMonths(from, c.months).Format(time.RFC3339Nano); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}
