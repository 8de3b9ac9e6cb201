package workzone

import (
	"testing"
	"time"
)

// walkZones are the zones the DST walk probes: 23- and 25-hour days
// (America/New_York, Europe/London), a 30-minute change
// (Australia/Lord_Howe), offsets off the hour (Asia/Kathmandu +05:45,
// Pacific/Chatham +12:45/+13:45), the far east (Pacific/Kiritimati +14),
// the far west (Pacific/Pago_Pago -11), and zones whose clocks change at
// midnight itself (America/Santiago and America/Havana skip it,
// Asia/Beirut repeats the hour before it, Atlantic/Azores changes at
// 00:00 / 01:00).
var walkZones = []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
	"Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Santiago", "America/Havana",
	"Asia/Beirut", "Atlantic/Azores", "Europe/Berlin", "Australia/Sydney"}

// TestMidnightIsTheDaysFirstInstant walks every day of 2026–2028 (a leap
// day included) in every walk zone: Midnight(d) is the first instant
// whose local date is d (the instant just before is on the day before),
// so a day is exactly [Midnight(d), Midnight(d+1)) whatever its length
// (23, 23.5, 24, 24.5 or 25 hours), and Date maps every instant of it back
// to d. Limits, statements, the usage report's days and the date filters
// all rest on this.
func TestMidnightIsTheDaysFirstInstant(t *testing.T) {
	for _, zone := range walkZones {
		loc, err := Location(zone)
		if err != nil {
			t.Fatal(err)
		}
		lengths := map[time.Duration]int{}
		for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2029; d = d.AddDate(0, 0, 1) {
			start, end := Midnight(d, loc), Midnight(d.AddDate(0, 0, 1), loc)
			if got := Date(start, loc); !got.Equal(d) {
				t.Fatalf("%s %s: Midnight %s is on %s", zone, d.Format(time.DateOnly), start.Format(time.RFC3339), got.Format(time.DateOnly))
			}
			if got := Date(start.Add(-time.Nanosecond), loc); !got.Equal(d.AddDate(0, 0, -1)) {
				t.Fatalf("%s %s: the instant before Midnight %s is on %s, not the day before", zone, d.Format(time.DateOnly),
					start.Format(time.RFC3339), got.Format(time.DateOnly))
			}
			if got := Date(end.Add(-time.Nanosecond), loc); !got.Equal(d) {
				t.Fatalf("%s %s: the day's last instant is on %s", zone, d.Format(time.DateOnly), got.Format(time.DateOnly))
			}
			if start.UTC().Minute()%15 != 0 || start.Second() != 0 || start.Nanosecond() != 0 {
				t.Fatalf("%s %s: Midnight %s is not on a UTC quarter hour (the limits' usage table needs it)", zone,
					d.Format(time.DateOnly), start.UTC().Format(time.RFC3339))
			}
			lengths[end.Sub(start)]++
		}
		if zone == "UTC" || zone == "Asia/Kathmandu" || zone == "Pacific/Kiritimati" {
			if len(lengths) != 1 || lengths[24*time.Hour] != 1096 {
				t.Errorf("%s: day lengths %v, want 1096 days of 24h", zone, lengths)
			}
		}
	}
}

// TestDSTDaysAndMonths: the named DST days have the length their clocks
// give them, and a month ending on one ends at the next month's local
// midnight; ParseStart/ParseEnd (the date filters of the history, the
// audit log's --since/--until) bound those days the same way.
func TestDSTDaysAndMonths(t *testing.T) {
	for _, c := range []struct {
		zone, day string
		hours     float64
		start     string // the day's first instant, UTC
	}{
		{"America/New_York", "2026-03-08", 23, "2026-03-08T05:00:00Z"},
		{"America/New_York", "2026-11-01", 25, "2026-11-01T04:00:00Z"},
		{"Europe/London", "2026-03-29", 23, "2026-03-29T00:00:00Z"},
		{"Europe/London", "2026-10-25", 25, "2026-10-24T23:00:00Z"},
		{"Australia/Lord_Howe", "2026-04-05", 24.5, "2026-04-04T13:00:00Z"},
		{"Australia/Lord_Howe", "2026-10-04", 23.5, "2026-10-03T13:30:00Z"},
		{"Asia/Kathmandu", "2026-03-08", 24, "2026-03-07T18:15:00Z"},
		{"Pacific/Kiritimati", "2028-02-29", 24, "2028-02-28T10:00:00Z"},
		{"Pacific/Kiritimati", "2026-01-01", 24, "2025-12-31T10:00:00Z"},
		{"America/Santiago", "2026-09-06", 23, "2026-09-06T04:00:00Z"}, // 00:00 skipped: begins 01:00 -03
		{"Asia/Beirut", "2026-10-24", 25, "2026-10-23T21:00:00Z"},      // back at 00:00: its 23:00–23:59 happen twice
	} {
		loc, _ := Location(c.zone)
		d, _ := time.Parse(time.DateOnly, c.day)
		start, err1 := ParseStart(c.day, loc)
		end, err2 := ParseEnd(c.day, loc)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !start.Equal(Midnight(d, loc)) || !end.Equal(Midnight(d.AddDate(0, 0, 1), loc)) {
			t.Errorf("%s %s: ParseStart/End [%s, %s) are not the day's midnights", c.zone, c.day, start, end)
		}
		if got := start.UTC().Format(time.RFC3339); got != c.start {
			t.Errorf("%s %s: starts %s, want %s", c.zone, c.day, got, c.start)
		}
		if got := end.Sub(start).Hours(); got != c.hours {
			t.Errorf("%s %s: %v hours, want %v", c.zone, c.day, got, c.hours)
		}
	}
}
