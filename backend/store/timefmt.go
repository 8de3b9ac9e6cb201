package store

import "time"

// How times are stored in text columns: UTC, fixed width, so that text order
// is time order and range queries compare strings.
const (
	// TimeLayout is the created_at of the ledger, chat, gateway, reports and
	// statements tables (milliseconds).
	TimeLayout = "2006-01-02T15:04:05.000Z"
	// TimeLayoutNano is that of the team and rates tables (nanoseconds).
	TimeLayoutNano = "2006-01-02T15:04:05.000000000Z"
)

// FormatTime returns t as TimeLayout text.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// FormatTimeNano returns t as TimeLayoutNano text.
func FormatTimeNano(t time.Time) string { return t.UTC().Format(TimeLayoutNano) }

// ParseTimeNano reads TimeLayoutNano text (the team's and rates'
// columns); anything else gives the zero time. ParseTime cannot read it:
// its layout's three fractional digits refuse nine.
func ParseTimeNano(s string) time.Time {
	t, _ := time.Parse(TimeLayoutNano, s)
	return t
}

// ParseTime reads TimeLayout text; anything else gives the zero time (the
// columns are written by FormatTime only).
func ParseTime(s string) time.Time {
	t, _ := time.Parse(TimeLayout, s)
	return t
}
