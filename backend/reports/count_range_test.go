package reports

import (
	"fmt"
	"strings"
	"testing"
)

// TestDatedCountReadsItsRangeOnly: the count of a filter with dates (the
// CSV export's progress bar, and the export's id range) reads the index
// of its other terms over the range's ids only. A usage filter read the
// whole of ledger_transfers_credit (every charge of the ledger, about a
// second at 1M transfers, docs/benchmarks.md) and checked the dates per
// row. The plan of span's statement is bounded by id, and the count, its
// page and its export are the same as the unbounded read's, ids out of
// date order (a clock set back) included.
func TestDatedCountReadsItsRangeOnly(t *testing.T) {
	f := newFixture(t)
	u := func(model, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: 1, user: 1, model: model, provider: provider, conv: 1, at: at}
	}
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u("gpt-4o", "Lab", "2025-03-02 10:00"),
		u("gpt-4o", "OpenAI", "2025-03-03 10:00"),
		u("gpt-4o", "Lab", "2025-03-05 10:00"),
		u("gpt-4o", "Lab", "2025-03-03 12:00"), // the clock set back: a later id, an earlier day
		u("o3", "Lab", "2025-03-04 10:00"),
		tx{op: "transfer", from: "pool", to: "user:1", amount: c, user: 1, at: "2025-03-04 11:00"},
		u("gpt-4o", "Lab", "2025-03-02 23:00"),
		u("gpt-4o", "Lab", "2025-03-06 10:00"),
	)
	filters := []Filter{
		{Types: []string{TypeUsage}, Model: "gpt-4o", Provider: "Lab", From: "2025-03-03", To: "2025-03-05"},
		{Types: []string{TypeUsage}, From: "2025-03-03"},
		{Types: []string{TypeUsage}, To: "2025-03-03"},
		{Types: []string{TypeUsage, TypeTransfer}, From: "2025-03-04", To: "2025-03-04"},
		{Types: []string{TypeUsage}, From: "2025-04-01", To: "2025-04-30"}, // nothing in it
	}
	for _, fl := range filters {
		name := fmt.Sprintf("%v %s %s %s-%s", fl.Types, fl.Model, fl.Provider, fl.From, fl.To)
		var counts [2]int64
		var pages, exports [2]string
		for i, bound := range []bool{false, true} {
			func() {
				defer func(v bool) { boundSpanByID = v }(boundSpanByID)
				boundSpanByID = bound
				n, err := f.svc.Count(f.ctx, fl)
				if err != nil {
					t.Fatal(name, err)
				}
				p, err := f.svc.History(f.ctx, fl)
				if err != nil {
					t.Fatal(name, err)
				}
				var ids []string
				err = f.svc.Each(f.ctx, fl, func(r Row) error { ids = append(ids, fmt.Sprint(r.ID)); return nil })
				if err != nil {
					t.Fatal(name, err)
				}
				counts[i], exports[i] = n, strings.Join(ids, ",")
				for _, r := range p.Items {
					pages[i] += fmt.Sprint(r.ID, ",")
				}
			}()
		}
		if counts[0] != counts[1] || pages[0] != pages[1] || exports[0] != exports[1] || counts[1] != int64(strings.Count(pages[1], ",")) {
			t.Errorf("%s: unbounded count %d, page %s, export %s; bounded %d, %s, %s", name, counts[0], pages[0], exports[0], counts[1], pages[1], exports[1])
		}
		// The statement's plan: bounded by id, not to the index's ends.
		q, err := f.svc.compile(f.ctx, fl, Scope{All: true})
		if err != nil {
			t.Fatal(err)
		}
		stmt, args, found, err := f.svc.spanStmt(f.ctx, q, true)
		if err != nil {
			t.Fatal(name, err)
		}
		if !found {
			if counts[1] != 0 {
				t.Errorf("%s: nothing to read, but %d rows", name, counts[1])
			}
			continue
		}
		plan := explain(t, f, stmt, args)
		if !strings.Contains(plan, "id>?") || strings.Contains(plan, "(credit_id=?)") {
			t.Errorf("%s: the count's plan is not bounded by id:\n%s", name, plan)
		}
	}
}

// explain returns SQLite's query plan of stmt, one step a line.
func explain(t *testing.T, f *fixture, stmt string, args []any) string {
	t.Helper()
	rows, err := f.db.Read().QueryContext(f.ctx, "EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
