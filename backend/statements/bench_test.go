package statements

import (
	"database/sql"
	"io"
	"runtime"
	"testing"

	"meterdesk/backend/reports"
)

// seedBulk writes n usage entries in March 2025 with one recursive-CTE
// insert (the ledger's schema), for benchmarks.
func (e *env) seedBulk(b testing.TB, n int) {
	err := e.db.Write(e.ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
				user_id, department_id, model, source, conversation_id, meta, created_at)
			SELECT 'b' || i, 'h', 'usage', 'posted', (SELECT id FROM ledger_accounts WHERE code = 'pool'),
				(SELECT id FROM ledger_accounts WHERE code = 'sys:usage'), 1 + (i * 7919) % 3000000000,
				1 + (i / 50) % 3, 1 + (i / 50) % 2, CASE i % 3 WHEN 0 THEN 'gpt-4o' WHEN 1 THEN 'claude' ELSE 'gemini' END,
				'ui', 1 + i / 50, '{"usage":{"input":1200,"output":300,"cacheRead":40,"reasoning":12,"toolCalls":1}}',
				strftime('%Y-%m-%dT%H:%M:%fZ', '2025-03-01', '+' || ((i * 2592000) / ?) || ' seconds')
			FROM s`, n, n+1)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// heapSampler records the peak live heap seen at progress callbacks.
type heapSampler struct{ peak uint64 }

func (h *heapSampler) progress(done, total int64) {
	if done%10000 != 0 {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.peak = max(h.peak, m.HeapAlloc)
}

// BenchmarkTransactionsCSV streams 10,000 and 100,000 history rows to CSV;
// peak-heap-MB must stay flat as rows grow (rows are streamed in chunks).
func BenchmarkTransactionsCSV(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(itoa(n), func(b *testing.B) {
			e := newEnv(b)
			e.seedBulk(b, n)
			h := &heapSampler{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := e.st.WriteTransactionsCSV(e.ctx, reports.Filter{}, io.Discard, h.progress); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(h.peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// BenchmarkStatementPDF renders a statement of 10,000 lines.
func BenchmarkStatementPDF10k(b *testing.B) {
	e := newEnv(b)
	e.seedBulk(b, 10_000)
	st, err := e.st.Build(e.ctx, Request{Month: "2025-03"})
	if err != nil || st.Lines != 10_000 {
		b.Fatal(err, st.Lines)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.st.WritePDF(e.ctx, st, io.Discard, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatementCSV writes statements of 10,000 and 100,000 lines;
// peak-heap-MB shows memory stays flat as lines grow.
func BenchmarkStatementCSV(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(itoa(n), func(b *testing.B) {
			e := newEnv(b)
			e.seedBulk(b, n)
			st, err := e.st.Build(e.ctx, Request{Month: "2025-03"})
			if err != nil {
				b.Fatal(err)
			}
			h := &heapSampler{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := e.st.WriteCSV(e.ctx, st, io.Discard, h.progress); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(h.peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func itoa(n int) string { return fmtInt(n) + "-rows" }

func fmtInt(n int) string {
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
