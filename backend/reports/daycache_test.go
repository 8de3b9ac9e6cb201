package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
)

// usageRow is one usage transfer as truth reads it.
type usageRow struct {
	at                      time.Time
	model, provider         string // provider: the posting's meta, as stored
	user, dept, conv, minor int64
}

// truth sums usage straight from ledger_transfers, grouped by key, over the
// dates [from, to] (inclusive) in the workspace zone, optionally for one
// user. The date of each transfer is computed here, in Go, from its instant
// (an oracle independent of the roll-ups' SQL).
func (f *fixture) truth(t *testing.T, key func(usageRow, string) string, from, to string, user int64) map[string]string {
	t.Helper()
	loc, err := f.svc.Zone(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.db.Read().QueryContext(f.ctx, `SELECT created_at, model, meta, COALESCE(user_id, 0), COALESCE(department_id, 0),
		COALESCE(conversation_id, 0), amount_minor FROM ledger_transfers WHERE kind IN ('posted','post') AND credit_id = ?`, f.ids["sys:usage"])
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sums := map[string]int64{}
	for rows.Next() {
		var r usageRow
		var at, meta string
		if err := rows.Scan(&at, &r.model, &meta, &r.user, &r.dept, &r.conv, &r.minor); err != nil {
			t.Fatal(err)
		}
		var m struct{ Provider string }
		if err := json.Unmarshal([]byte(meta), &m); err != nil {
			t.Fatal(err)
		}
		r.provider = m.Provider
		if r.at, err = time.Parse(time.RFC3339, at); err != nil {
			t.Fatal(err)
		}
		day := r.at.In(loc).Format(time.DateOnly)
		if day < from || day > to || (user != 0 && r.user != user) {
			continue
		}
		sums[key(r, day)] += r.minor
	}
	m := map[string]string{}
	for k, v := range sums {
		m[k] = money.MinorString(v)
	}
	return m
}

func (f *fixture) randomUsage(r *rand.Rand, n int, firstDay time.Time, days int) []tx {
	models := []string{"gpt-4o", "claude", "gemini", ""}
	// gpt-4o at OpenAI and at a local server (Lab), one provider since
	// removed, and charges that name none.
	provs := []string{"OpenAI", "Lab", "Gone", ""}
	var txs []tx
	for range n {
		at := firstDay.Add(time.Duration(r.IntN(days*24*60)) * time.Minute).Format("2006-01-02 15:04")
		txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 1 + r.Int64N(5*c), user: r.Int64N(3),
			dept: r.Int64N(2), model: models[r.IntN(len(models))], provider: provs[r.IntN(len(provs))], conv: 1 + r.Int64N(40), at: at})
	}
	return txs
}

// TestDashboardCacheMatchesLedger: the dashboard's aggregates (read through
// the day cache) equal sums over the ledger, before and after new transfers
// land on days already cached, for admins and members, with days counted in
// the workspace zone: UTC, one with a DST change inside the range
// (America/Los_Angeles, 2025-03-09), a half-hour offset (Asia/Kolkata) and
// a half-hour DST change (Australia/Lord_Howe, 2025-04-06).
func TestDashboardCacheMatchesLedger(t *testing.T) {
	for _, zone := range []string{"UTC", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe"} {
		t.Run(zone, func(t *testing.T) {
			f := newFixture(t)
			f.setZone(t, zone)
			r := rand.New(rand.NewPCG(7, 8))
			first := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
			f.add(t, f.randomUsage(r, 400, first, 72)...)
			rg := Range{From: "2025-02-20", To: "2025-04-10"}
			f.checkDashboard(t, "first read", rg)
			f.checkDashboard(t, "cached", rg)
			// New usage on days the cache holds (and one new day) must show at once.
			f.add(t, f.randomUsage(r, 30, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 20)...)
			f.add(t, tx{op: "usage", from: "pool", to: "sys:usage", amount: 7 * c, user: 1, model: "o1", conv: 3, at: "2025-03-20 23:59"})
			f.checkDashboard(t, "after new transfers", rg)
		})
	}
}

// TestZoneChangeRebuildsRollups: when the admin changes the workspace zone,
// the next dashboard's days are dates in the new zone (the roll-ups are
// rebuilt), and the totals over the whole history do not change.
func TestZoneChangeRebuildsRollups(t *testing.T) {
	f := newFixture(t)
	f.add(t, tx{op: "usage", from: "pool", to: "sys:usage", amount: 3 * c, user: 1, model: "m", conv: 1, at: "2025-03-10 02:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 5 * c, user: 1, model: "m", conv: 1, at: "2025-03-10 20:00"})
	rg := Range{From: "2025-03-09", To: "2025-03-10"}
	byDay := func() map[string]string {
		d, err := f.svc.Dashboard(f.ctx, rg, 0)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, p := range d.ByDay {
			m[p.Key] = p.Amount
		}
		if d.Total != "8" {
			t.Errorf("total %s, want 8", d.Total)
		}
		return m
	}
	if got := fmt.Sprint(byDay()); got != "map[2025-03-09:0 2025-03-10:8]" {
		t.Errorf("UTC days: %s", got)
	}
	f.setZone(t, "America/New_York") // 02:00Z on the 10th is 22:00 on the 9th (EDT)
	if got := fmt.Sprint(byDay()); got != "map[2025-03-09:3 2025-03-10:5]" {
		t.Errorf("New York days: %s", got)
	}
	f.checkDashboard(t, "after the change", rg)
	f.setZone(t, "UTC")
	if got := fmt.Sprint(byDay()); got != "map[2025-03-09:0 2025-03-10:8]" {
		t.Errorf("back in UTC: %s", got)
	}
}

// TestHistoryDatesInWorkspaceZone: the history's from/to dates are dates in
// the workspace zone, both inclusive.
func TestHistoryDatesInWorkspaceZone(t *testing.T) {
	f := newFixture(t)
	f.add(t, tx{op: "usage", from: "pool", to: "sys:usage", amount: 1 * c, user: 1, model: "a", at: "2025-11-30 23:30"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, model: "b", at: "2025-12-01 07:59"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 4 * c, user: 1, model: "c", at: "2025-12-01 08:00"})
	models := func(from, to string) string {
		p, err := f.svc.History(f.ctx, Filter{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Items {
			out = append(out, r.Model)
		}
		return fmt.Sprint(out)
	}
	for _, c := range []struct{ zone, from, to, want string }{
		{"UTC", "2025-12-01", "2025-12-01", "[c b]"},
		{"UTC", "2025-11-30", "2025-11-30", "[a]"},
		{"America/Los_Angeles", "2025-11-30", "2025-11-30", "[b a]"}, // PST: 07:59Z is 23:59 on the 30th
		{"America/Los_Angeles", "2025-12-01", "2025-12-01", "[c]"},
		{"America/Los_Angeles", "", "2025-11-29", "[]"},
		{"Asia/Tokyo", "2025-12-01", "", "[c b a]"},
	} {
		f.setZone(t, c.zone)
		if got := models(c.from, c.to); got != c.want {
			t.Errorf("%s %s..%s: %s, want %s", c.zone, c.from, c.to, got, c.want)
		}
	}
}

// modelKeyOf is a usage row's by-model key as the fixture's providers
// read (OpenAI and Lab are configured, Gone is not): the model and the
// provider its posting names, "gpt-4o · Lab".
func modelKeyOf(r usageRow, _ string) string {
	p := r.provider
	switch p {
	case "":
		if r.model == "" {
			return "(no model)"
		}
		p = "provider unknown"
	case "Gone":
		p = "Gone (since removed)"
	}
	m := r.model
	if m == "" {
		m = "(no model)"
	}
	return m + " · " + p
}

// checkDashboard compares the dashboard of rg with truth, for an admin and
// for member 1.
func (f *fixture) checkDashboard(t *testing.T, round string, rg Range) {
	t.Helper()
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	for _, who := range []struct {
		ctx  context.Context
		user int64
	}{{f.ctx, 0}, {ann, 1}} {
		d, err := f.svc.Dashboard(who.ctx, rg, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []struct {
			name string
			key  func(usageRow, string) string
			pts  []Point
		}{
			{"day", func(_ usageRow, day string) string { return day }, d.ByDay},
			{"model", modelKeyOf, d.ByModel},
			{"member", func(r usageRow, _ string) string { return fmt.Sprint(r.user) }, d.ByMember},
			{"department", func(r usageRow, _ string) string { return fmt.Sprint(r.dept) }, d.ByDepartment},
		} {
			want := f.truth(t, g.key, rg.From, rg.To, who.user)
			got := map[string]string{}
			for _, p := range g.pts {
				if p.Amount != "0" {
					got[p.Key] = p.Amount
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, user %d, by %s:\n got %v\nwant %v", round, who.user, g.name, got, want)
			}
		}
		all := f.truth(t, func(usageRow, string) string { return "all" }, rg.From, rg.To, who.user)
		if d.Total != all["all"] {
			t.Errorf("%s, user %d: total %s, ledger %s", round, who.user, d.Total, all["all"])
		}
		convs := f.truth(t, func(r usageRow, _ string) string { return fmt.Sprint(r.conv) }, rg.From, rg.To, who.user)
		for _, p := range d.Conversations {
			if convs[p.Key] != p.Amount {
				t.Errorf("%s, user %d: conversation %s = %s, ledger %s", round, who.user, p.Key, p.Amount, convs[p.Key])
			}
		}
	}
}

// TestDashboardTodayInWorkspaceZone: the dashboard says which zone its
// dates are in and what today is there (the page's default range ends on
// it).
func TestDashboardTodayInWorkspaceZone(t *testing.T) {
	f := newFixture(t) // the clock says 2025-03-20 12:00 UTC
	rg := Range{From: "2025-03-01", To: "2025-03-20"}
	for _, c := range []struct{ zone, today string }{
		{"UTC", "2025-03-20"},
		{"Pacific/Kiritimati", "2025-03-21"}, // UTC+14
		{"Pacific/Pago_Pago", "2025-03-20"},  // UTC-11: 01:00
		{"Pacific/Honolulu", "2025-03-20"},   // UTC-10: 02:00
	} {
		f.setZone(t, c.zone)
		d, err := f.svc.Dashboard(f.ctx, rg, 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.TimeZone != c.zone || d.Today != c.today {
			t.Errorf("%s: zone %q today %q, want %q", c.zone, d.TimeZone, d.Today, c.today)
		}
	}
}
