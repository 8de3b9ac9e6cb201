package statements

import (
	"testing"
	"time"

	"meterdesk/backend/money"
	"meterdesk/backend/reports"
	"meterdesk/backend/workzone"
)

// TestDSTWalkMonthsAndDays posts usage every 37 minutes across the DST
// changes and month ends of 2026 (and the leap day of 2028), plus at both
// New York 01:30s of 1 November 2026 and either side of its skipped hour
// on 8 March, and reads them in six workspace zones (23- and 25-hour days,
// a 30-minute change, +05:45, +14). For each zone: every posting is
// counted in exactly the month and day its local time names (Go's own
// t.In(loc) decides, independently of the SQL); a statement's closing
// balance is the next month's opening balance and the ledger's balance
// at the instant the month ends; the usage report's days add up to the
// month's statement usage.
func TestDSTWalkMonthsAndDays(t *testing.T) {
	e := newEnv(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	es := []entry{{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("1000000"), price: 1, at: at("2025-12-01T00:00:00Z")}}
	i := 0
	add := func(t time.Time) {
		i++
		es = append(es, entry{op: "usage", from: "pool", to: "sys:usage", amount: int64(100 + i%97), model: "m", user: 1, at: t})
	}
	for _, span := range [][2]string{
		{"2025-12-30T00:00:00Z", "2026-02-03T00:00:00Z"}, // new year, Jan 31 → Feb 1 (Kiritimati's is the day before in UTC)
		{"2026-02-26T00:00:00Z", "2026-04-07T00:00:00Z"}, // Feb → Mar, New York's and London's spring-forward, Lord Howe's fall-back
		{"2026-09-29T00:00:00Z", "2026-11-03T00:00:00Z"}, // Lord Howe's spring-forward, London's and New York's fall-back
		{"2028-02-27T00:00:00Z", "2028-03-02T00:00:00Z"}, // the leap day
	} {
		for t := at(span[0]); t.Before(at(span[1])); t = t.Add(37 * time.Minute) {
			add(t)
		}
	}
	for _, s := range []string{
		"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", // New York's two 01:30s
		"2026-11-01T03:59:59.999Z", "2026-11-01T04:00:00Z", // its midnight
		"2026-03-08T06:59:59.999Z", "2026-03-08T07:00:00Z", // 01:59:59.999 EST, 03:00 EDT
		"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", // London's two 01:30s
		"2026-04-04T14:45:00Z", "2026-04-04T15:15:00Z", // Lord Howe's two 01:45s
		"2026-01-31T09:59:59.999Z", "2026-01-31T10:00:00Z", // Kiritimati's Feb 1 midnight
		"2026-02-28T18:14:59.999Z", "2026-02-28T18:15:00Z", // Kathmandu's Mar 1 midnight
		"2028-02-28T10:00:00Z", "2028-02-29T10:00:00Z", "2028-02-29T23:59:59.999Z", // Kiritimati's and UTC's leap day
	} {
		add(at(s))
	}
	e.insert(t, es)
	months := []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-09", "2026-10", "2026-11", "2028-02", "2028-03"}
	for _, zone := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Kiritimati", "UTC"} {
		t.Run(zone, func(t *testing.T) {
			e.setZone(t, zone)
			loc, _ := workzone.Location(zone)
			// What Go's calendar says, posting by posting.
			byMonth, byDay := map[string]int64{}, map[string]int64{}
			balanceAt := func(instant time.Time) int64 {
				var b int64
				for _, x := range es {
					if x.at.Before(instant) {
						if x.to == "pool" {
							b += x.amount
						} else {
							b -= x.amount
						}
					}
				}
				return b
			}
			for _, x := range es[1:] {
				l := x.at.In(loc)
				byMonth[l.Format("2006-01")] += x.amount
				byDay[l.Format(time.DateOnly)] += x.amount
			}
			for _, m := range months {
				st, err := e.st.Build(e.ctx, Request{Month: m})
				if err != nil {
					t.Fatal(err)
				}
				first, next, _ := ParseMonth(m)
				start, end := workzone.Midnight(first, loc), workzone.Midnight(next, loc)
				if st.Usage != money.MinorString(byMonth[m]) {
					t.Errorf("%s: usage %s, want %s (the postings whose local month it is)", m, st.Usage, money.MinorString(byMonth[m]))
				}
				if want := money.MinorString(balanceAt(start)); st.Opening != want {
					t.Errorf("%s: opening %s, want the ledger's balance at %s: %s", m, st.Opening, start.UTC().Format(time.RFC3339), want)
				}
				if want := money.MinorString(balanceAt(end)); st.Closing != want {
					t.Errorf("%s: closing %s, want the ledger's balance at %s: %s", m, st.Closing, end.UTC().Format(time.RFC3339), want)
				}
				nextMonth := next.Format("2006-01")
				if after, err := e.st.Build(e.ctx, Request{Month: nextMonth}); err != nil || after.Opening != st.Closing {
					t.Errorf("%s closes at %s; %s opens at %s (%v)", m, st.Closing, nextMonth, after.Opening, err)
				}
				// The usage report's days: each day's postings, adding up to the month's usage.
				last := next.AddDate(0, 0, -1)
				pts, total, err := e.rep.UsageBy(e.ctx, reports.Range{From: first.Format(time.DateOnly), To: last.Format(time.DateOnly)}, reports.ByDay, 0)
				if err != nil {
					t.Fatal(err)
				}
				if total != st.Usage {
					t.Errorf("%s: the days add up to %s, the statement's usage is %s", m, total, st.Usage)
				}
				if len(pts) != last.Day() {
					t.Errorf("%s: %d days, want %d", m, len(pts), last.Day())
				}
				for _, p := range pts {
					if want := money.MinorString(byDay[p.Key]); p.Amount != want {
						t.Errorf("%s: %s used %s, want %s", zone, p.Key, p.Amount, want)
					}
				}
			}
		})
	}
}
