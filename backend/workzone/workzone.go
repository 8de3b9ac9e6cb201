// Package workzone reads the workspace's time zone: the one IANA zone in
// which Meterdesk counts days and months. Limits reset at its midnights,
// the usage dashboard's days and the history's date filter are its dates,
// and a statement month runs from its first of the month to the next.
//
// Instants stay UTC everywhere they are stored; only the mapping between an
// instant and a calendar date goes through the zone. A date is carried as a
// "date label": midnight UTC of that calendar date, so that date arithmetic
// (AddDate, Sub) never meets a DST change.
package workzone

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Key is the settings key that holds the workspace's IANA zone name.
const Key = "workspace.timezone"

// Queryer is what *sql.DB and *sql.Tx share for a single-row read.
type Queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// OS returns the IANA name of the operating system's zone (TZ, then
// /etc/localtime), or "UTC" when it cannot be determined.
func OS() string {
	if tz := os.Getenv("TZ"); tz != "" {
		if _, err := time.LoadLocation(strings.TrimPrefix(tz, ":")); err == nil {
			return strings.TrimPrefix(tz, ":")
		}
	}
	if n := time.Local.String(); n != "Local" && n != "" {
		return n
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if _, after, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, err := time.LoadLocation(after); err == nil {
				return after
			}
		}
	}
	return "UTC"
}

// Load reads the workspace zone (the operating system's when none is set).
func Load(ctx context.Context, q Queryer) (*time.Location, error) {
	var name string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", Key).Scan(&name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read the time zone: %w", err)
	}
	return Named(name)
}

// Named is the zone of the setting's value name, as Load reads it: the
// operating system's when it is empty (no zone set).
func Named(name string) (*time.Location, error) {
	if name == "" {
		name = OS()
	}
	return Location(name)
}

// locations caches loaded zones by name: time.LoadLocation reads the zone
// file on every call, and a dashboard asks several times.
var locations sync.Map // string -> *time.Location

// Location loads the IANA zone name (once per process).
func Location(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	locations.Store(name, loc)
	return loc, nil
}

// Date returns the calendar date of t in loc, as a date label (midnight UTC
// of that date).
func Date(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Midnight returns the instant at which the date label d (its year, month
// and day) begins in loc: At(d, 0, loc). On a day whose midnight a DST
// change skips (America/Santiago, Atlantic/Azores, America/Havana,
// America/Asuncion move their clocks forward at 00:00), that is the change
// itself, the day's first instant (01:00 local), never 23:00 of the day
// before, which is where time.Date puts a local time that does not exist.
func Midnight(d time.Time, loc *time.Location) time.Time {
	return At(d, 0, loc)
}

// At returns the instant at which the date label d (its year, month and
// day) reads clock (the time of day, from 00:00) in loc. It is the one rule
// by which Meterdesk places a wall time on a date, without time.Date's
// guesses: the wall time is read with the UTC offset in force before any
// change near it (the offset at the wall time less 26 hours, whatever the
// zone); when that reading shows the wall time, it is the instant, so a
// time the clocks repeat is the first of the two (Europe/Berlin 02:30 on
// 2026-10-25 is 02:30 +02:00; time.Date gives the second east of UTC). If
// the offset changed earlier that day, the reading with the offset after
// the change is the instant. A time the clocks skip is the instant after
// the change it would have been with the offset before it, as much later
// as the clocks jumped (New York 02:30 on 2026-03-08 is 03:30 EDT, a
// skipped midnight the change itself).
func At(d time.Time, clock time.Duration, loc *time.Location) time.Time {
	y, m, day := d.Date()
	wall := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Add(clock) // the reading, as if in UTC
	offset := func(t time.Time) time.Duration {
		_, s := t.In(loc).Zone()
		return time.Duration(s) * time.Second
	}
	t := wall.Add(-offset(wall.Add(-26 * time.Hour)))
	if t.Add(offset(t)).Equal(wall) {
		return t.In(loc)
	}
	u := wall.Add(-offset(t)) // with the offset in force at the wall time
	if u.Add(offset(u)).Equal(wall) {
		return u.In(loc)
	}
	// Skipped: u is before the jump, with the offset before it.
	return wall.Add(-offset(u)).In(loc)
}

// Offset is one stretch of time over which loc keeps one UTC offset.
type Offset struct {
	Until   time.Time // the stretch ends here (exclusive); zero for the last one
	Seconds int       // offset east of UTC
}

// Offsets returns loc's UTC offsets over [from, to], in order: one entry
// when no DST change (or other zone change) falls inside, more otherwise.
// The last entry's Until is zero.
func Offsets(loc *time.Location, from, to time.Time) []Offset {
	var out []Offset
	t := from
	for {
		_, off := t.In(loc).Zone()
		end := nextChange(loc, t, to)
		if n := len(out); n > 0 && out[n-1].Seconds == off {
			out = out[:n-1] // same offset, new name: one stretch
		}
		if end.IsZero() || end.After(to) {
			return append(out, Offset{Seconds: off})
		}
		out = append(out, Offset{Until: end, Seconds: off})
		t = end
	}
}

// nextChange is when loc's zone next changes after t (zero: never),
// looked for no further than to (a change after to may be returned as is).
// time.ZoneBounds gives it, except where Go reads a zone's later changes
// from the rule at the end of its zone file (Go's own zone data, which a
// binary embeds for Windows, and the slim files macOS ships): there, on
// the last UTC day of a leap year, its end can be at or before t
// (golang/go#81583), and walking on from it never ends. Such an end is not
// trusted: the next change is searched for a day at a time by the offset
// itself (which stays right), then pinned to the second.
func nextChange(loc *time.Location, t, to time.Time) time.Time {
	_, end := t.In(loc).ZoneBounds()
	if end.IsZero() || end.After(t) {
		return end
	}
	name, off := t.In(loc).Zone()
	same := func(u time.Time) bool {
		n, o := u.In(loc).Zone()
		return n == name && o == off
	}
	lo := t
	for {
		hi := lo.Add(24 * time.Hour)
		if !same(hi) {
			for hi.Sub(lo) > time.Second { // lo: same as t; hi: changed
				mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
				if !mid.After(lo) {
					break
				}
				if same(mid) {
					lo = mid
				} else {
					hi = mid
				}
			}
			return hi
		}
		if hi.After(to) {
			return hi // no change up to to: a bound past it, as ZoneBounds gives
		}
		lo = hi
	}
}

// ErrBadDate is returned by ParseStart and ParseEnd for text that is
// neither a date nor an RFC 3339 instant.
var ErrBadDate = errors.New("not a date")

// ErrBadRange is returned by ParseRange for a range that ends before it
// starts (a *RangeError); the message names the bounds as they were typed,
// as the usage report does ("invalid date range: 2026-11-22 is before
// 2026-11-25"), and the flags or fields they were typed in when the caller
// names them ("--to 2026-11-22 is before --from 2026-11-25").
var ErrBadRange = errors.New("invalid date range")

// RangeError is a date range that ends before it starts, the one refusal
// of it for every caller (ParseRangeAs; backend/reports' ranges): its two
// bounds as typed, and the names of the flags or fields they were typed in
// when the caller gave them (the CLI's "--from" and "--to", the window's
// "From" and "To"; NameRange), so that the words say which bound is which.
// errors.Is matches Kind (ErrBadRange, or the caller's own kind).
type RangeError struct {
	Kind             error
	From, To         string
	FromName, ToName string // "" = not named
	// NotAfter: an RFC 3339 end equal to the start, which selects nothing
	// (the end is excluded), rather than one before it.
	NotAfter bool
}

// Error is Kind's words, then Reason: "invalid date range: --to
// 2026-11-01 is before --from 2026-11-30".
func (e *RangeError) Error() string { return e.Kind.Error() + ": " + e.Reason() }

// Reason is the refusal in words, each bound after its name when named:
// "--to 2026-11-01 is before --from 2026-11-30", "To 2026-11-01 is before
// From 2026-11-30", "2026-11-01 is before 2026-11-30".
func (e *RangeError) Reason() string {
	named := func(name, v string) string {
		if name == "" {
			return v
		}
		return name + " " + v
	}
	if e.NotAfter {
		return named(e.ToName, e.To) + " is not after " + named(e.FromName, e.From) + " (an RFC 3339 end is excluded)"
	}
	return named(e.ToName, e.To) + " is before " + named(e.FromName, e.From)
}

// Is matches Kind.
func (e *RangeError) Is(target error) bool { return target == e.Kind }

// NameRange is err with the bounds of the *RangeError it holds named fromName
// and toName (the flags or fields they were typed in), as that error
// alone, the caller's words (the CLI's command, the window's form) saying
// what was refused; the caller's names replace any the error had (backend/
// reports names them as the window's From and To, the CLI as its flags);
// err as it is when it holds none.
func NameRange(err error, fromName, toName string) error {
	var re *RangeError
	if !errors.As(err, &re) {
		return err
	}
	named := *re
	named.FromName, named.ToName = fromName, toName
	return &named
}

// ParseRange reads a range as a person types it (ParseStart, ParseEnd) and
// refuses one that selects nothing because it ends before it starts (a
// *RangeError, its bounds not named). A bound it cannot read is named
// "from" or "to" (ParseRangeAs names them as the caller's fields or flags
// are called).
func ParseRange(from, to string, loc *time.Location) (start, end time.Time, err error) {
	return parseRange(from, to, "from", "to", false, loc)
}

// ParseRangeAs is ParseRange naming the bounds as fromName and toName, the
// flags or fields the person typed them in: one it cannot read ("--since:
// not a date: …"), and both in a range that ends before it starts ("--to
// 2026-11-01 is before --from 2026-11-30").
func ParseRangeAs(from, to, fromName, toName string, loc *time.Location) (start, end time.Time, err error) {
	return parseRange(from, to, fromName, toName, true, loc)
}

func parseRange(from, to, fromName, toName string, name bool, loc *time.Location) (start, end time.Time, err error) {
	if start, err = ParseStart(from, loc); err != nil {
		return start, end, fmt.Errorf("%s: %w", fromName, err)
	}
	if end, err = ParseEnd(to, loc); err != nil {
		return start, end, fmt.Errorf("%s: %w", toName, err)
	}
	if start.IsZero() || end.IsZero() || start.Before(end) {
		return start, end, nil
	}
	re := &RangeError{Kind: ErrBadRange, From: strings.TrimSpace(from), To: strings.TrimSpace(to)}
	if name {
		re.FromName, re.ToName = fromName, toName
	}
	if _, err := time.Parse(time.DateOnly, re.To); err != nil && end.Equal(start) {
		re.NotAfter = true
	}
	return time.Time{}, time.Time{}, re
}

// ParseStart reads the start of a date range as a person types it: "" is
// the zero time (no bound), YYYY-MM-DD is that date's midnight in loc, and
// an RFC 3339 instant is taken as it is.
func ParseStart(s string, loc *time.Location) (time.Time, error) {
	return parse(s, loc, 0)
}

// ParseEnd reads the end of a date range as a person types it, returning
// the exclusive end: "" is the zero time (no bound), YYYY-MM-DD is the last
// day included (the next day's midnight in loc), and an RFC 3339 instant is
// taken as it is (an exclusive end).
func ParseEnd(s string, loc *time.Location) (time.Time, error) {
	return parse(s, loc, 1)
}

func parse(s string, loc *time.Location, addDays int) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return Midnight(d.AddDate(0, 0, addDays), loc), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: %q: want YYYY-MM-DD or RFC 3339", ErrBadDate, s)
}
