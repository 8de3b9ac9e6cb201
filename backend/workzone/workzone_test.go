package workzone

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/store"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDateAndMidnight(t *testing.T) {
	for _, c := range []struct {
		zone, instant, date, midnight string
	}{
		{"UTC", "2025-12-01T00:00:00Z", "2025-12-01", "2025-12-01T00:00:00Z"},
		{"America/Los_Angeles", "2025-12-01T07:59:59Z", "2025-11-30", "2025-11-30T08:00:00Z"},
		{"America/Los_Angeles", "2025-12-01T08:00:00Z", "2025-12-01", "2025-12-01T08:00:00Z"},
		{"America/Los_Angeles", "2025-03-09T12:00:00Z", "2025-03-09", "2025-03-09T08:00:00Z"}, // DST starts at 02:00 local
		{"America/Los_Angeles", "2025-03-10T06:59:59Z", "2025-03-09", "2025-03-09T08:00:00Z"}, // a 23-hour day
		{"Asia/Kolkata", "2025-06-30T18:29:00Z", "2025-06-30", "2025-06-29T18:30:00Z"},
		{"Asia/Kolkata", "2025-06-30T18:30:00Z", "2025-07-01", "2025-06-30T18:30:00Z"},
		{"Pacific/Kiritimati", "2025-06-30T10:00:00Z", "2025-07-01", "2025-06-30T10:00:00Z"}, // UTC+14
		// Days whose midnight DST skips (clocks forward at 00:00): the day
		// begins at the change, 01:00 local, not 23:00 the evening before.
		{"America/Santiago", "2026-09-06T04:30:00Z", "2026-09-06", "2026-09-06T04:00:00Z"}, // 01:30 -03
		{"America/Santiago", "2026-09-06T03:30:00Z", "2026-09-05", "2026-09-05T04:00:00Z"}, // 23:30 -04
		{"Atlantic/Azores", "2026-03-29T12:00:00Z", "2026-03-29", "2026-03-29T01:00:00Z"},
		{"America/Havana", "2026-03-08T12:00:00Z", "2026-03-08", "2026-03-08T05:00:00Z"},
		{"America/Asuncion", "2023-10-01T12:00:00Z", "2023-10-01", "2023-10-01T04:00:00Z"}, // a month's first day
	} {
		loc := mustLoad(t, c.zone)
		at, _ := time.Parse(time.RFC3339, c.instant)
		d := Date(at, loc)
		if d.Format(time.DateOnly) != c.date || d.Location() != time.UTC || d.Hour() != 0 {
			t.Errorf("%s %s: date %s, want %s as a UTC label", c.zone, c.instant, d, c.date)
		}
		if m := Midnight(d, loc).UTC().Format(time.RFC3339); m != c.midnight {
			t.Errorf("%s %s: midnight %s, want %s", c.zone, c.date, m, c.midnight)
		}
	}
}

func TestOffsets(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	show := func(offs []Offset) string {
		s := ""
		for _, o := range offs {
			until := "-"
			if !o.Until.IsZero() {
				until = o.Until.UTC().Format(time.RFC3339)
			}
			s += fmt.Sprintf("[%d until %s]", o.Seconds, until)
		}
		return s
	}
	for _, c := range []struct{ zone, from, to, want string }{
		{"UTC", "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "[0 until -]"},
		{"Asia/Kolkata", "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "[19800 until -]"},
		{"America/Los_Angeles", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", "[-28800 until -]"},
		{"America/Los_Angeles", "2025-02-01T00:00:00Z", "2025-12-01T00:00:00Z",
			"[-28800 until 2025-03-09T10:00:00Z][-25200 until 2025-11-02T09:00:00Z][-28800 until -]"},
		// An instant exactly at the change belongs to the new offset.
		{"America/Los_Angeles", "2025-03-09T10:00:00Z", "2025-03-09T10:00:00Z", "[-25200 until -]"},
		{"Australia/Lord_Howe", "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z", "[39600 until 2025-04-05T15:00:00Z][37800 until -]"},
	} {
		if got := show(Offsets(mustLoad(t, c.zone), at(c.from), at(c.to))); got != c.want {
			t.Errorf("%s %s..%s:\n got %s\nwant %s", c.zone, c.from, c.to, got, c.want)
		}
	}
}

func TestParseStartAndEnd(t *testing.T) {
	la := mustLoad(t, "America/Los_Angeles")
	for _, c := range []struct{ in, start, end string }{
		{"", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
		{"  ", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
		{"2025-12-01", "2025-12-01T08:00:00Z", "2025-12-02T08:00:00Z"}, // the end includes the day
		{"2025-07-01", "2025-07-01T07:00:00Z", "2025-07-02T07:00:00Z"},
		{"2025-11-02", "2025-11-02T07:00:00Z", "2025-11-03T08:00:00Z"}, // a 25-hour day (DST ends)
		{"2025-12-01T10:00:00Z", "2025-12-01T10:00:00Z", "2025-12-01T10:00:00Z"},
		{"2025-12-01T10:00:00+01:00", "2025-12-01T09:00:00Z", "2025-12-01T09:00:00Z"},
	} {
		start, err1 := ParseStart(c.in, la)
		end, err2 := ParseEnd(c.in, la)
		if err1 != nil || err2 != nil || start.UTC().Format(time.RFC3339) != c.start || end.UTC().Format(time.RFC3339) != c.end {
			t.Errorf("%q: start %s (%v), end %s (%v); want %s, %s", c.in,
				start.UTC().Format(time.RFC3339), err1, end.UTC().Format(time.RFC3339), err2, c.start, c.end)
		}
	}
	for _, bad := range []string{"yesterday", "2025-13-01", "2025-02-30", "01/12/2025", "2025-12-01 10:00"} {
		if _, err := ParseStart(bad, la); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseStart(%q): %v, want ErrBadDate", bad, err)
		}
		if _, err := ParseEnd(bad, la); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseEnd(%q): %v, want ErrBadDate", bad, err)
		}
	}
}

func TestLoad(t *testing.T) {
	t.Setenv("TZ", "Europe/Berlin")
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		set, want string
		bad       bool
	}{
		{"", "Europe/Berlin", false}, // none set: the operating system's (TZ)
		{"Asia/Tokyo", "Asia/Tokyo", false},
		{"Not/AZone", "", true},
	} {
		if c.set != "" {
			if err := db.SetSetting(ctx, Key, c.set); err != nil {
				t.Fatal(err)
			}
		}
		loc, err := Load(ctx, db.Read())
		if c.bad {
			if err == nil {
				t.Errorf("%q: no error", c.set)
			}
			continue
		}
		if err != nil || loc.String() != c.want {
			t.Errorf("%q: %v, %v; want %s", c.set, loc, err, c.want)
		}
	}
}

// A range that ends before it starts is refused naming the bounds as typed
// (never the UTC instants they map to); a one-day range and open ends pass.
func TestParseRangeSaysTheDatesAsTyped(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"2026-11-25", "2026-11-22", "invalid date range: 2026-11-22 is before 2026-11-25"},
		{"2026-11-25", "2026-11-24", "invalid date range: 2026-11-24 is before 2026-11-25"},
		{"2026-11-25", "2026-11-24T10:00:00Z", "invalid date range: 2026-11-24T10:00:00Z is before 2026-11-25"},
		{"2026-11-25T00:00:00+01:00", "2026-11-25T00:00:00+01:00", "invalid date range: 2026-11-25T00:00:00+01:00 is not after 2026-11-25T00:00:00+01:00 (an RFC 3339 end is excluded)"},
		{"2026-11-25", "2026-11-25", ""},
		{"2026-11-25", "", ""},
		{"", "2026-11-22", ""},
	} {
		_, _, err := ParseRange(c.from, c.to, berlin)
		if c.want == "" && err != nil || c.want != "" && (err == nil || err.Error() != c.want || !errors.Is(err, ErrBadRange)) {
			t.Errorf("%s to %s: %v, want %q", c.from, c.to, err, c.want)
		}
	}
	// Named (ParseRangeAs, NameRange), each bound is said after its flag or
	// field: the words named neither, so which was which was a guess.
	kind := errors.New("another kind")
	for _, c := range []struct {
		name      string
		err       func() error
		kind      error
		text, why string
	}{
		{"flags", func() error {
			_, _, err := ParseRangeAs("2026-11-30", "2026-11-01", "--from", "--to", berlin)
			return err
		}, ErrBadRange, "invalid date range: --to 2026-11-01 is before --from 2026-11-30", "--to 2026-11-01 is before --from 2026-11-30"},
		{"fields, not after", func() error {
			_, _, err := ParseRangeAs("2026-11-25T00:00:00Z", "2026-11-25T00:00:00Z", "From", "To", berlin)
			return err
		}, ErrBadRange, "invalid date range: To 2026-11-25T00:00:00Z is not after From 2026-11-25T00:00:00Z (an RFC 3339 end is excluded)",
			"To 2026-11-25T00:00:00Z is not after From 2026-11-25T00:00:00Z (an RFC 3339 end is excluded)"},
		{"named after, wrapped", func() error {
			return NameRange(fmt.Errorf("usage report: %w", &RangeError{Kind: kind, From: "2026-11-30", To: "2026-11-01"}), "--from", "--to")
		}, kind, "another kind: --to 2026-11-01 is before --from 2026-11-30", "--to 2026-11-01 is before --from 2026-11-30"},
		// The caller's names replace the ones it had: backend/reports names
		// its bounds as the window's fields, the CLI as its flags.
		{"named again", func() error {
			return NameRange(fmt.Errorf("usage report: %w", &RangeError{Kind: ErrBadRange, From: "2026-11-30", To: "2026-11-01",
				FromName: "From", ToName: "To"}), "--from", "--to")
		}, ErrBadRange, "invalid date range: --to 2026-11-01 is before --from 2026-11-30", "--to 2026-11-01 is before --from 2026-11-30"},
	} {
		err := c.err()
		var re *RangeError
		if !errors.Is(err, c.kind) || !errors.As(err, &re) || err.Error() != c.text || re.Reason() != c.why {
			t.Errorf("%s: %v, want %q (%q)", c.name, err, c.text, c.why)
		}
	}
	if err := NameRange(ErrBadDate, "a", "b"); err != ErrBadDate {
		t.Errorf("NameRange of another error: %v", err)
	}
	if _, _, err := ParseRange("2026-13-01", "", berlin); !errors.Is(err, ErrBadDate) || !strings.HasPrefix(err.Error(), "from: ") {
		t.Errorf("bad from: %v", err)
	}
	// ParseRangeAs names a bound as the caller's flag or field is called.
	if _, _, err := ParseRangeAs("x", "", "--since", "--until", berlin); !errors.Is(err, ErrBadDate) ||
		err.Error() != `--since: not a date: "x": want YYYY-MM-DD or RFC 3339` {
		t.Errorf("bad --since: %v", err)
	}
	if _, _, err := ParseRangeAs("", "soon", "--since", "--until", berlin); !errors.Is(err, ErrBadDate) || !strings.HasPrefix(err.Error(), "--until: ") {
		t.Errorf("bad --until: %v", err)
	}
}

// TestAtPlacesAWallTimeOnADate: At is the one rule for "this time of day
// on this date in the zone" (lot expiry, Midnight). A repeated time is the
// first of the two (time.Date gives the second east of UTC), a skipped one
// the instant after the change it would have been, and a change earlier
// that day or on another day does not move it.
func TestAtPlacesAWallTimeOnADate(t *testing.T) {
	for _, c := range []struct {
		zone, date, clock string
		want              string // RFC 3339
	}{
		{"Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T02:30:00+02:00"},       // repeated: the first
		{"Australia/Lord_Howe", "2027-04-04", "01:45", "2027-04-04T01:45:00+11:00"}, // repeated (half an hour)
		{"America/New_York", "2026-11-01", "01:30", "2026-11-01T01:30:00-04:00"},    // repeated, west of UTC
		{"Europe/Berlin", "2026-10-25", "12:00", "2026-10-25T12:00:00+01:00"},       // after the change that day
		{"Europe/Berlin", "2026-03-29", "12:00", "2026-03-29T12:00:00+02:00"},
		{"America/New_York", "2026-03-08", "02:30", "2026-03-08T03:30:00-04:00"}, // skipped: an hour on
		{"Australia/Sydney", "2028-10-01", "02:30", "2028-10-01T03:30:00+11:00"},
		{"Australia/Sydney", "2028-10-15", "02:30", "2028-10-15T02:30:00+11:00"}, // the change was on the 1st
		{"Pacific/Easter", "2029-09-02", "22:00", "2029-09-02T22:00:00-05:00"},
		{"America/Santiago", "2026-09-06", "00:00", "2026-09-06T01:00:00-03:00"}, // skipped midnight: the change
		{"Pacific/Kiritimati", "2026-02-28", "10:00", "2026-02-28T10:00:00+14:00"},
		{"UTC", "2026-02-28", "23:59", "2026-02-28T23:59:00Z"},
	} {
		t.Run(c.zone+" "+c.date+" "+c.clock, func(t *testing.T) {
			loc, err := Location(c.zone)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := time.Parse(time.DateOnly, c.date)
			hm, _ := time.Parse("15:04", c.clock)
			got := At(d, time.Duration(hm.Hour())*time.Hour+time.Duration(hm.Minute())*time.Minute, loc)
			if s := got.Format(time.RFC3339); s != c.want {
				t.Errorf("got %s, want %s", s, c.want)
			}
		})
	}
}
