package reports

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
)

// truth sums usage straight from ledger_transfers, grouped by expr, over
// [from, to] (inclusive dates), optionally for one user.
func (f *fixture) truth(t *testing.T, expr, from, to string, user int64) map[string]string {
	t.Helper()
	end, _ := time.Parse(time.DateOnly, to)
	q := `SELECT ` + expr + `, SUM(amount_minor) FROM ledger_transfers WHERE kind IN ('posted','post') AND credit_id = ?
		AND created_at >= ? AND created_at < ?`
	args := []any{f.ids["sys:usage"], from, end.AddDate(0, 0, 1).Format(time.DateOnly)}
	if user != 0 {
		q += " AND user_id = ?"
		args = append(args, user)
	}
	rows, err := f.db.Read().QueryContext(f.ctx, q+" GROUP BY 1", args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k string
		var a int64
		if err := rows.Scan(&k, &a); err != nil {
			t.Fatal(err)
		}
		m[k] = money.MinorString(a)
	}
	return m
}

func (f *fixture) randomUsage(r *rand.Rand, n int, firstDay time.Time, days int) []tx {
	models := []string{"gpt-4o", "claude", "gemini", ""}
	var txs []tx
	for range n {
		at := firstDay.Add(time.Duration(r.IntN(days*24*60)) * time.Minute).Format("2006-01-02 15:04")
		txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 1 + r.Int64N(5*c), user: r.Int64N(3),
			dept: r.Int64N(2), model: models[r.IntN(len(models))], conv: 1 + r.Int64N(40), at: at})
	}
	return txs
}

// TestDashboardCacheMatchesLedger: the dashboard's aggregates (read through
// the day cache) equal SQL sums over the ledger, before and after new
// transfers land on days already cached, for admins and members.
func TestDashboardCacheMatchesLedger(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewPCG(7, 8))
	first := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	f.add(t, f.randomUsage(r, 400, first, 48)...)
	rg := Range{From: "2025-02-20", To: "2025-03-20"}
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	check := func(round string) {
		for _, who := range []struct {
			ctx  context.Context
			user int64
		}{{f.ctx, 0}, {ann, 1}} {
			d, err := f.svc.Dashboard(who.ctx, rg, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range []struct {
				name, expr string
				pts        []Point
			}{
				{"day", "substr(created_at, 1, 10)", d.ByDay},
				{"model", "model", d.ByModel},
				{"member", "COALESCE(user_id, 0)", d.ByMember},
				{"department", "COALESCE(department_id, 0)", d.ByDepartment},
			} {
				want := f.truth(t, g.expr, rg.From, rg.To, who.user)
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
			all := f.truth(t, "'all'", rg.From, rg.To, who.user)
			if d.Total != all["all"] {
				t.Errorf("%s, user %d: total %s, ledger %s", round, who.user, d.Total, all["all"])
			}
			convs := f.truth(t, "conversation_id", rg.From, rg.To, who.user)
			for _, p := range d.Conversations {
				if convs[p.Key] != p.Amount {
					t.Errorf("%s, user %d: conversation %s = %s, ledger %s", round, who.user, p.Key, p.Amount, convs[p.Key])
				}
			}
		}
	}
	check("first read")
	check("cached")
	// New usage on days the cache holds (and one new day) must show at once.
	f.add(t, f.randomUsage(r, 30, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 20)...)
	f.add(t, tx{op: "usage", from: "pool", to: "sys:usage", amount: 7 * c, user: 1, model: "o1", conv: 3, at: "2025-03-20 23:59"})
	check("after new transfers")
}
