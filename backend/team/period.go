package team

import (
	"time"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/workzone"
)

// Limit periods.
const (
	PeriodDay   = "day"
	PeriodMonth = "month"
)

// periodBounds returns the start and end (exclusive) of the day or month
// containing now, as local midnights in loc: each is workzone.Midnight of
// a date label, so a 23- or 25-hour day around a DST change is one day.
func periodBounds(now time.Time, loc *time.Location, period string) (time.Time, time.Time, error) {
	l := now.In(loc)
	// Date labels at noon UTC, so that adding a day or a month never lands
	// on another date; workzone.Midnight finds where each begins in loc.
	label := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	switch period {
	case PeriodDay:
		return workzone.Midnight(label(l.Year(), l.Month(), l.Day()), loc),
			workzone.Midnight(label(l.Year(), l.Month(), l.Day()+1), loc), nil
	case PeriodMonth:
		return workzone.Midnight(label(l.Year(), l.Month(), 1), loc),
			workzone.Midnight(label(l.Year(), l.Month()+1, 1), loc), nil
	}
	return time.Time{}, time.Time{}, inputerr.New(ErrInvalid, "period %q (want day or month)", period)
}

// monthKey names the month containing now in loc ("2026-03").
func monthKey(now time.Time, loc *time.Location) string { return now.In(loc).Format("2006-01") }
