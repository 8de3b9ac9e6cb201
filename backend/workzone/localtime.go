package workzone

import "time"

// Layouts of LocalTime: a local date and time of day, to the minute or to
// the second.
const (
	Minutes = "2006-01-02 15:04"
	Seconds = "2006-01-02 15:04:05"
)

// offsetLayout is what LocalTime adds to a local time that occurs twice.
const offsetLayout = " -07:00"

// LocalTime is how Meterdesk prints an instant for people, in the PDFs and
// Markdown it writes, on the command line and (frontend/src/lib/dates.ts,
// localTime, tested against the same table) in the window: t's local date
// and time of day in loc (the workspace's zone; nil = UTC) by layout
// (Minutes or Seconds), "2026-10-25 01:59". A local time that occurs twice
// — the hour repeated when the clocks go back, in Europe/Berlin 02:00–02:59
// on 2026-10-25 — gets its UTC offset: "2026-10-25 02:30 +02:00" (before
// the change) and "2026-10-25 02:30 +01:00" (after it) are two different
// instants. Every other time, a spring-forward day's included, prints
// without one, as it always did. Machine-readable outputs (CSV, JSON) carry
// RFC 3339 instants instead.
func LocalTime(t time.Time, loc *time.Location, layout string) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if !Repeated(t) {
		return t.Format(layout)
	}
	return t.Format(layout + offsetLayout)
}

// Repeated reports whether t's local date and time of day (in t's own
// location) also names another instant: a time just before the clocks go
// back that comes round again after the change, or one just after it that
// was already passed before.
func Repeated(t time.Time) bool {
	_, off := t.Zone()
	start, _ := t.ZoneBounds() // the span t's offset holds in; zero: unbounded
	// The span's end as Offsets finds it (nextChange): ZoneBounds' own can
	// be at or before t on the last UTC day of a leap year
	// (golang/go#81583), and a change the clocks go back at just after it
	// was missed. No change more than a day away repeats t.
	end := nextChange(t.Location(), t, t.Add(24*time.Hour))
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
