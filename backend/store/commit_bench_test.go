package store

import (
	"context"
	"database/sql"
	"sort"
	"testing"
	"time"
)

// BenchmarkDurableCommitFloor measures the least a durable write costs on
// this machine: one write transaction (BEGIN IMMEDIATE, one small INSERT,
// COMMIT with synchronous=FULL, so one WAL fsync) through the same DSN and
// database/sql path as the ledger's writer. It is the floor under any
// design that makes a chat's charge durable before the send returns (see
// docs/benchmarks.md, "Twelfth session"). The idle variants sleep before
// each commit, as the writer does between the sends of a paced chat; the
// sleep is not timed.
func BenchmarkDurableCommitFloor(b *testing.B) {
	for _, idle := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond} {
		b.Run("idle="+idle.String(), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Writer().ExecContext(ctx, `CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, request TEXT, amount INTEGER)`); err != nil {
				b.Fatal(err)
			}
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if idle > 0 {
					b.StopTimer()
					time.Sleep(idle)
					b.StartTimer()
				}
				start := time.Now()
				err := db.Write(ctx, func(tx *sql.Tx) error {
					_, err := db.ExecTx(ctx, tx, `INSERT INTO bench_floor (request, amount) VALUES (?, ?)`, "post:bench-0123456789", 12345)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "commit-p50-µs")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "commit-p99-µs")
		})
	}
}
