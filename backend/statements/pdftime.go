package statements

import "time"

// pdfTimeLayout is how a statement PDF prints a transaction's time.
const pdfTimeLayout = "2006-01-02 15:04"

// PDFTime is how a statement PDF prints an instant: its local date and time
// of day in loc (the workspace's zone; nil = UTC), "2026-10-25 01:59". A
// local time that occurs twice — the hour repeated when the clocks go back,
// in Europe/Berlin 02:00–02:59 on 2026-10-25 — gets its UTC offset, as the
// CSV's times always have: "2026-10-25 02:30 +02:00" (before the change)
// and "2026-10-25 02:30 +01:00" (after it) are two different instants.
// Every other time, a spring-forward day's included, prints without one.
func PDFTime(t time.Time, loc *time.Location) string {
	t = inZone(t, loc)
	if !repeated(t) {
		return t.Format(pdfTimeLayout)
	}
	return t.Format(pdfTimeLayout + " -07:00")
}

// repeated reports whether t's local date and time of day (to the minute
// printed) also names another instant: a time just before the clocks go
// back that comes round again after the change, or one just after it that
// was already passed before.
func repeated(t time.Time) bool {
	_, off := t.Zone()
	start, end := t.ZoneBounds() // the span t's offset holds in; zero: unbounded
	if !end.IsZero() {
		// After end the offset is next: the clocks go back by off-next, so
		// the local times from end-(off-next) up to end come round again
		// (end itself reads as end's local time minus the change).
		if _, next := end.Zone(); next < off && !t.Before(end.Add(-time.Duration(off-next)*time.Second)) {
			return true
		}
	}
	if !start.IsZero() {
		// Before start the offset was prev: the local times from start
		// until start+(prev-off) were already read before the change.
		if _, prev := start.Add(-time.Nanosecond).Zone(); prev > off && t.Before(start.Add(time.Duration(prev-off)*time.Second)) {
			return true
		}
	}
	return false
}
