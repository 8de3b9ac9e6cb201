package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOpenLargeDatabase measures opening (and closing) a ~200 MB
// database with nothing to migrate, built once in the benchmark's
// temporary folder (145,000 audit entries of 1 KB in one transaction, a
// few seconds; only with -bench, never in `go test`): "full" is the look
// every open made before (the whole file read by quick_check, then the
// open), "ordinary" the look every open makes now (header, schema and
// small tables; Inspect without Full). The two alternate three times in
// one run (docs/benchmarks.md, "Opening the database").
func BenchmarkOpenLargeDatabase(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log (at, actor_name, action, after_json)
			WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 145000)
			SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || x || ' seconds'), 'alice', 'bench', hex(randomblob(500)) FROM c`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("database: %d MB", st.Size()>>20)
	open := func(full bool) func(b *testing.B) {
		return func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Inspect(ctx, dir, InspectOptions{Full: full}); err != nil {
					b.Fatal(err)
				}
				db, err := OpenChecked(ctx, dir)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for range 3 {
		b.Run("full", open(true))
		b.Run("ordinary", open(false))
	}
}
