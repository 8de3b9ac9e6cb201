package team

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"meterdesk/backend/workzone"
)

// TestLimitPeriodsAcrossDSTAndMonthEnds: a daily or monthly limit's period
// is the local day or month in the workspace's zone, however long (23-,
// 25-, 23.5- and 24.5-hour days, +05:45, +14, a leap day): a posting at
// its first instant counts in it, one a millisecond before in the period
// before, one at a local time that happens twice (or right after a
// skipped hour) in it exactly once; the limit resets exactly at the next
// local midnight (a send refused a millisecond before passes at it), not
// 23 or 25 hours after the period began.
func TestLimitPeriodsAcrossDSTAndMonthEnds(t *testing.T) {
	for _, c := range []struct {
		zone, period, day string // day: the period's first local date
		hours             float64
		tricky            []string // postings inside the period, UTC
	}{
		{"America/New_York", PeriodDay, "2026-03-08", 23, []string{"2026-03-08T06:59:59.999Z", "2026-03-08T07:00:00Z"}}, // 01:59:59 EST, 03:00 EDT
		{"America/New_York", PeriodDay, "2026-11-01", 25, []string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"}},     // both 01:30s
		{"Europe/London", PeriodDay, "2026-03-29", 23, []string{"2026-03-29T00:59:59.999Z", "2026-03-29T01:00:00Z"}},
		{"Europe/London", PeriodDay, "2026-10-25", 25, []string{"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"}},
		{"Australia/Lord_Howe", PeriodDay, "2026-04-05", 24.5, []string{"2026-04-04T14:45:00Z", "2026-04-04T15:15:00Z"}}, // both 01:45s
		{"Australia/Lord_Howe", PeriodDay, "2026-10-04", 23.5, []string{"2026-10-03T15:29:59.999Z", "2026-10-03T15:30:00Z"}},
		{"Asia/Kathmandu", PeriodDay, "2026-03-08", 24, []string{"2026-03-08T06:15:00Z"}},
		{"Pacific/Kiritimati", PeriodDay, "2028-02-29", 24, []string{"2028-02-29T09:59:59.999Z"}},
		{"Pacific/Kiritimati", PeriodMonth, "2026-02-01", 28 * 24, []string{"2026-02-27T09:59:59.999Z"}},
		{"America/New_York", PeriodMonth, "2026-03-01", 31*24 - 1, []string{"2026-03-08T07:00:00Z"}},
		{"America/New_York", PeriodMonth, "2026-11-01", 30*24 + 1, []string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"}},
		{"Europe/London", PeriodMonth, "2028-02-01", 29 * 24, []string{"2028-02-29T23:59:59.999Z"}},
	} {
		t.Run(fmt.Sprintf("%s %s %s", c.zone, c.period, c.day), func(t *testing.T) {
			e := newEnv(t).setup(c.zone)
			loc, _ := workzone.Location(c.zone)
			bob := e.addMember("bob", nil)
			kind := LimitDaily
			if c.period == PeriodMonth {
				kind = LimitMonthly
			}
			if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: kind, Amount: "10"}); err != nil {
				t.Fatal(err)
			}
			label, _ := time.Parse(time.DateOnly, c.day)
			next := label.AddDate(0, 0, 1)
			if c.period == PeriodMonth {
				next = label.AddDate(0, 1, 0)
			}
			start, end := workzone.Midnight(label, loc), workzone.Midnight(next, loc)
			if got := end.Sub(start).Hours(); got != c.hours {
				t.Fatalf("the period is %v hours, want %v", got, c.hours)
			}
			e.clock.Set(start.Add(-48 * time.Hour)) // lots expire a year after the top-up
			e.topUp("pool", "1000")
			post := func(at time.Time, credits string) {
				t.Helper()
				e.clock.Set(at)
				if err := e.use(bob, "pool", "m", credits); err != nil {
					t.Fatalf("use %s at %s: %v", credits, at.UTC().Format(time.RFC3339Nano), err)
				}
			}
			post(start.Add(-time.Millisecond), "3") // the period before
			post(start, "2")
			for _, s := range c.tricky {
				at, _ := time.Parse(time.RFC3339Nano, s)
				if !workzone.Date(at, loc).Before(next) || workzone.Date(at, loc).Before(label) {
					t.Fatalf("%s is not in the period", s)
				}
				post(at, "1")
			}
			used := 2 + len(c.tricky)
			e.clock.Set(end.Add(-time.Millisecond))
			st, err := e.svc.Limits(e.adminCtx(), bob.ID)
			if err != nil || len(st) != 1 {
				t.Fatal(st, err)
			}
			if st[0].Used != fmt.Sprint(used) || !st[0].ResetsAt.Equal(end) {
				t.Errorf("at the period's last instant: used %s, resets %s; want %d, %s", st[0].Used,
					st[0].ResetsAt.UTC().Format(time.RFC3339), used, end.UTC().Format(time.RFC3339))
			}
			// A send that does not fit is refused until the reset, then passes.
			over := fmt.Sprint(10 - used + 1)
			var le *LimitError
			if err := e.hold(bob, "pool", "m", over); !errors.As(err, &le) || !le.ResetsAt.Equal(end) {
				t.Fatalf("a millisecond before the reset: %v, want a limit error resetting at %s", err, end.UTC().Format(time.RFC3339))
			}
			e.clock.Set(end)
			if err := e.hold(bob, "pool", "m", over); err != nil {
				t.Fatalf("at the reset (%s): %v", end.UTC().Format(time.RFC3339), err)
			}
			e.clock.Set(start.Add(-time.Millisecond))
			if st, err := e.svc.Limits(e.adminCtx(), bob.ID); err != nil || st[0].Used != "3" || !st[0].ResetsAt.Equal(start) {
				t.Errorf("the period before: %+v, %v; want 3 used, resetting at %s", st, err, start.UTC().Format(time.RFC3339))
			}
		})
	}
}
