package reports

import (
	"database/sql"
	"slices"
	"testing"
)

// seedBulk writes n usage-heavy ledger entries spread evenly over the 365
// days before now, in time order, with one recursive-CTE insert (the
// ledger's schema): 40 members, 6 departments, 5 models, and conversations
// of 50 consecutive messages (a conversation is a burst, as in real use);
// each usage entry has a posting's meta as backend/chat writes it (about
// 300 bytes), naming its provider: gpt-4o at OpenAI and at a local server.
func (f *fixture) seedBulk(b testing.TB, n int) {
	err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
				user_id, department_id, model, source, conversation_id, meta, created_at)
			SELECT 'b' || i, 'h', CASE WHEN i % 50 = 0 THEN 'transfer' ELSE 'usage' END, 'posted',
				(SELECT id FROM ledger_accounts WHERE code = 'pool'),
				CASE WHEN i % 50 = 0 THEN (SELECT id FROM ledger_accounts WHERE code = 'dept:1')
				     ELSE (SELECT id FROM ledger_accounts WHERE code = 'sys:usage') END,
				1 + (i * 7919) % 3000000000, 1 + (i / 50) % 40, 1 + (i / 50) % 6,
				CASE i % 5 WHEN 0 THEN 'gpt-4o' WHEN 1 THEN 'claude' WHEN 2 THEN 'deepseek' WHEN 3 THEN 'gemini' ELSE 'local' END,
				'ui', 1 + i / 50,
				CASE WHEN i % 50 = 0 THEN '{}' ELSE '{"breakdown":{"inputCredits":"0.0012","lines":[{"kind":"input","rate":"0.000001","tokens":1200},'
					|| '{"kind":"output","rate":"0.000004","tokens":350}],"model":"gpt-4o","outputCredits":"0.0014","rateVersion":3,'
					|| '"total":"0.0026"},"capped":false,"estimated":false,"price":"0.0026","provider":"'
					|| CASE i % 10 WHEN 0 THEN 'Lab' ELSE 'OpenAI' END || '","rateVersion":3,"usage":{"input":1200,"output":350}}' END,
				strftime('%Y-%m-%dT%H:%M:%fZ', '2025-03-20', '-' || (365 * 86400 - (i * 365 * 86400) / ?) || ' seconds')
			FROM s`, n, n)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDashboard1M measures the dashboard (all charts, top
// conversations, forecast, anomalies) for a 30-day range over 1,000,000
// ledger entries, after the roll-ups have caught up once:
//   - warm: nothing changed since the last dashboard (day cache valid);
//   - one-new-transfer: one usage entry lands today before each dashboard
//     (the roll-up catches up one row and today's day is re-read; the insert
//     itself is not timed);
//   - cold: the day cache is dropped before each dashboard (every day of the
//     range and its 28-day baseline is read from the roll-up tables).
func BenchmarkDashboard1M(b *testing.B) {
	f := newFixture(b)
	f.seedBulk(b, 1_000_000)
	if err := f.svc.Refresh(f.ctx); err != nil {
		b.Fatal(err)
	}
	r := Range{From: "2025-02-19", To: "2025-03-20"}
	run := func(b *testing.B, before func(i int)) {
		for i := 0; i < b.N; i++ {
			if before != nil {
				b.StopTimer()
				before(i)
				b.StartTimer()
			}
			d, err := f.svc.Dashboard(f.ctx, r, 0)
			if err != nil || d.Total == "0" {
				b.Fatal(err, d.Total)
			}
		}
	}
	b.Run("warm", func(b *testing.B) { run(b, nil) })
	added := 0
	b.Run("one-new-transfer", func(b *testing.B) {
		run(b, func(int) {
			added++
			err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
					user_id, department_id, model, source, conversation_id, created_at)
					VALUES ('new' || ?, 'h', 'usage', 'posted', ?, ?, 5000000000, 1, 1, 'gpt-4o', 'ui', 1, '2025-03-20T11:00:00.000Z')`,
					added, f.ids["pool"], f.ids["sys:usage"])
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("cold", func(b *testing.B) {
		run(b, func(int) {
			f.svc.cache.mu.Lock()
			f.svc.cache.days = nil
			f.svc.cache.mu.Unlock()
		})
	})
}

// BenchmarkRollupCatchUp1M measures the one-off roll-up of 1,000,000
// entries (a year), with days in UTC (the date part of created_at) and in
// a zone with two DST changes in that year (date() shifted by the offset,
// one CASE arm per change).
func BenchmarkRollupCatchUp1M(b *testing.B) {
	for _, zone := range []string{"UTC", "America/Los_Angeles"} {
		b.Run("zone="+zone, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := newFixture(b)
				f.setZone(b, zone)
				f.seedBulk(b, 1_000_000)
				b.StartTimer()
				if err := f.svc.Refresh(f.ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDrillDown1M measures the Usage page's drill-down of the bar
// "gpt-4o · Lab" (a 30-day range, usage: the first page, what the window
// reads)
// over 1,000,000 ledger entries, after the roll-ups have caught up:
// model-only is the read before the provider filter (every provider's
// gpt-4o), model-provider the read now (ProviderCond: the roll-ups'
// stored names, then the charges' meta per row), run one after the other
// in the same run; provider-cond is the rule's own cost.
func BenchmarkDrillDown1M(b *testing.B) {
	f := newFixture(b)
	f.seedBulk(b, 1_000_000)
	if err := f.svc.Refresh(f.ctx); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		provider string
	}{{"model-only", ""}, {"model-provider", "Lab"}, {"model-only", ""}, {"model-provider", "Lab"}, {"model-only", ""}, {"model-provider", "Lab"}} {
		fl := Filter{Types: []string{TypeUsage}, Model: "gpt-4o", Provider: c.provider, From: "2025-02-19", To: "2025-03-20"}
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				p, err := f.svc.History(f.ctx, fl)
				if err != nil || len(p.Items) == 0 {
					b.Fatal(err, len(p.Items))
				}
			}
		})
	}
	b.Run("provider-cond", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := f.svc.ProviderCond(f.ctx, "t", "Lab"); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Count of the drill-down's filter (the CSV export's progress): the
	// read to the credit index's ends (before) and bounded by the range's
	// ids (after, boundSpanByID), alternated.
	fl := Filter{Types: []string{TypeUsage}, Model: "gpt-4o", Provider: "Lab", From: "2025-02-19", To: "2025-03-20"}
	var counts []int64
	for _, bound := range []bool{false, true, false, true, false, true} {
		name := "count-before"
		if bound {
			name = "count-after"
		}
		b.Run(name, func(b *testing.B) {
			defer func(v bool) { boundSpanByID = v }(boundSpanByID)
			boundSpanByID = bound
			for i := 0; i < b.N; i++ {
				n, err := f.svc.Count(f.ctx, fl)
				if err != nil || n == 0 {
					b.Fatal(err, n)
				}
				counts = append(counts, n)
			}
		})
	}
	if slices.Min(counts) != slices.Max(counts) {
		b.Fatalf("counts differ: %v", counts)
	}
}
