package team

import (
	"fmt"
	"time"
)

// Limit periods.
const (
	PeriodDay   = "day"
	PeriodMonth = "month"
)

// periodBounds returns the start and end (exclusive) of the day or month
// containing now, as local midnights in loc. Day arithmetic goes through
// time.Date, so a 23- or 25-hour day around a DST change is one day.
func periodBounds(now time.Time, loc *time.Location, period string) (time.Time, time.Time, error) {
	l := now.In(loc)
	switch period {
	case PeriodDay:
		start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		end := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
		return start, end, nil
	case PeriodMonth:
		start := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		end := time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
		return start, end, nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%w: period %q (want day or month)", ErrInvalid, period)
}

// monthKey names the month containing now in loc ("2026-03").
func monthKey(now time.Time, loc *time.Location) string { return now.In(loc).Format("2006-01") }
