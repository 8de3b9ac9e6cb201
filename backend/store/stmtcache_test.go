package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// seedKV creates a scratch table with n rows (k = "k<i>", v = i).
func seedKV(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE stmt_kv(k TEXT PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stmt_kv(k, v) VALUES (?, ?)`, fmt.Sprintf("k%d", i), i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

const qGet = `SELECT v FROM stmt_kv WHERE k = ?`

func TestQueryRowCachesOneStatementPerQuery(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 5)
	ctx := context.Background()
	before := db.rs.len()
	tests := []struct {
		key  string
		want int
		err  error
	}{
		{"k0", 0, nil}, {"k3", 3, nil}, {"k4", 4, nil}, {"nope", 0, sql.ErrNoRows},
	}
	for _, tc := range tests {
		var v int
		err := db.QueryRow(ctx, qGet, tc.key).Scan(&v)
		if !errors.Is(err, tc.err) || (err == nil && v != tc.want) {
			t.Errorf("QueryRow(%s) = %d, %v; want %d, %v", tc.key, v, err, tc.want, tc.err)
		}
	}
	if got := db.rs.len() - before; got != 1 {
		t.Errorf("cached statements added = %d, want 1 for one query text", got)
	}
	a, err := db.ReadStmt(ctx, qGet)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := db.ReadStmt(ctx, qGet)
	if a != b {
		t.Error("ReadStmt returned a different statement for the same query")
	}
	rows, err := db.Query(ctx, `SELECT k FROM stmt_kv WHERE v >= ? ORDER BY v`, 3)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if strings.Join(keys, ",") != "k3,k4" {
		t.Errorf("Query = %v, want [k3 k4]", keys)
	}
}

func TestCachedReadsSeeNewWrites(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 1)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := db.ExecTx(ctx, tx, `UPDATE stmt_kv SET v = ? WHERE k = 'k0'`, i*10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var v int
		if err := db.QueryRow(ctx, qGet, "k0").Scan(&v); err != nil || v != i*10 {
			t.Fatalf("after write %d: v = %d, %v; want %d", i, v, err, i*10)
		}
	}
}

func TestBadQueriesReportErrors(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	var v int
	if err := db.QueryRow(ctx, `SELECT v FROM no_such_table`).Scan(&v); err == nil {
		t.Error("QueryRow on a missing table: no error")
	}
	if _, err := db.Query(ctx, `SELEC 1`); err == nil {
		t.Error("Query with a syntax error: no error")
	}
	if _, err := db.ReadStmt(ctx, `SELECT nope FROM`); err == nil {
		t.Error("ReadStmt with a syntax error: no error")
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := db.ExecTx(ctx, tx, `INSERT INTO no_such_table VALUES (1)`)
		return err
	})
	if err == nil {
		t.Error("ExecTx on a missing table: no error")
	}
	if n := db.rs.len(); n != 0 {
		t.Errorf("failed prepares were cached: %d statements", n)
	}
}

// TestExecTxRunsInsideTheTransaction: the cached writer statement runs on
// the transaction's connection (a rollback undoes it, and it does not wait
// for the single writer connection the transaction holds).
func TestExecTxRunsInsideTheTransaction(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 0)
	ctx := context.Background()
	const ins = `INSERT INTO stmt_kv(k, v) VALUES (?, ?)`
	boom := errors.New("boom")
	for round := 0; round < 20; round++ { // the first rounds prepare in the background
		key := fmt.Sprintf("r%d", round)
		err := db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := db.ExecTx(ctx, tx, ins, key, round); err != nil {
				return err
			}
			var v int
			if err := db.QueryRowTx(ctx, tx, `SELECT v FROM stmt_kv WHERE k = ?`, key).Scan(&v); err != nil || v != round {
				return fmt.Errorf("read back in tx: %d, %v", v, err)
			}
			rows, err := db.QueryTx(ctx, tx, `SELECT count(*) FROM stmt_kv WHERE k = ?`, key)
			if err != nil {
				return err
			}
			defer rows.Close()
			if !rows.Next() {
				return errors.New("count: no row")
			}
			if round%2 == 1 {
				return boom // roll back the odd rounds
			}
			return nil
		})
		if round%2 == 1 && !errors.Is(err, boom) || round%2 == 0 && err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM stmt_kv WHERE k = ?`, key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := 1 - round%2; n != want {
			t.Fatalf("round %d: %d rows after commit/rollback, want %d", round, n, want)
		}
	}
	// Give the background prepare a chance, then check it was cached and used.
	for i := 0; i < 1000 && db.ws.len() == 0; i++ {
		_ = db.Write(ctx, func(tx *sql.Tx) error { return nil })
	}
	if _, ok := db.ws.get(ins); !ok {
		t.Error("the writer statement was never cached")
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := db.ExecTx(ctx, tx, ins, "cached", 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStatementCacheConcurrentUse(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 50)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				var v int
				k := (g + i) % 50
				if err := db.QueryRow(ctx, qGet, fmt.Sprintf("k%d", k)).Scan(&v); err != nil || v != k {
					errs <- fmt.Errorf("k%d = %d, %v", k, v, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := db.rs.len(); n != 1 {
		t.Errorf("%d cached statements, want 1", n)
	}
}

func TestCloseClosesCachedStatements(t *testing.T) {
	db, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := db.ReadStmt(ctx, `SELECT 1`)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var v int
	if err := st.QueryRowContext(ctx).Scan(&v); err == nil {
		t.Error("a cached statement still works after Close")
	}
	if _, err := db.ReadStmt(ctx, `SELECT 2`); err == nil {
		t.Error("ReadStmt after Close: no error")
	}
}

// TestStatementCacheIsBounded: generated query texts stop being cached at
// maxStmts and still run (unprepared); ReadStmt then says the cache is full.
func TestStatementCacheIsBounded(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for i := 0; i < maxStmts+20; i++ {
		var v int
		if err := db.QueryRow(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&v); err != nil || v != i {
			t.Fatalf("query %d: %d, %v", i, v, err)
		}
	}
	rows, err := db.Query(ctx, "SELECT 'past the bound'")
	if err != nil {
		t.Fatalf("Query past the bound: %v", err)
	}
	rows.Close()
	if n := db.rs.len(); n != maxStmts {
		t.Fatalf("%d statements cached, want the bound %d", n, maxStmts)
	}
	if _, err := db.ReadStmt(ctx, "SELECT 'one more'"); !errors.Is(err, errCacheFull) {
		t.Fatalf("ReadStmt past the bound: %v", err)
	}
	if _, err := db.ReadStmt(ctx, "SELECT 5"); err != nil {
		t.Fatalf("ReadStmt of a cached query past the bound: %v", err)
	}
}

// TestReadTxReadsOneSnapshot: every read of a ReadTx sees the database as
// of its first read, though a write commits between two of them (a plain
// read on the pool sees it at once), with the pool's cached statements;
// a write through it is refused and changes nothing.
func TestReadTxReadsOneSnapshot(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 2)
	ctx := context.Background()
	set := func(v int) {
		t.Helper()
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := db.ExecTx(ctx, tx, `UPDATE stmt_kv SET v = ? WHERE k IN ('k0','k1')`, v)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	before := db.rs.len()
	var first, second, sum, outside int
	err := db.ReadTx(ctx, func(q Prepared) error {
		if err := q.QueryRowContext(ctx, qGet, "k0").Scan(&first); err != nil {
			return err
		}
		set(50) // commits while the read transaction is open
		if err := db.QueryRow(ctx, qGet, "k0").Scan(&outside); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, qGet, "k1").Scan(&second); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT v FROM stmt_kv`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return err
			}
			sum += v
		}
		if _, err := q.ExecContext(ctx, `UPDATE stmt_kv SET v = 7`); err == nil {
			return errors.New("a write through a read transaction was not refused")
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if first != 0 || second != 1 || sum != 1 || outside != 50 {
		t.Fatalf("in the read transaction k0=%d k1=%d sum=%d (want 0, 1, 1: the first snapshot); outside k0=%d (want 50)", first, second, sum, outside)
	}
	if got := db.rs.len() - before; got != 2 { // qGet and the SELECT of every row
		t.Errorf("cached statements added = %d, want 2", got)
	}
	var v int
	if err := db.QueryRow(ctx, qGet, "k1").Scan(&v); err != nil || v != 50 {
		t.Fatalf("after the read transaction k1 = %d, %v; want 50", v, err)
	}
}

// TestQueryUnpreparedInReadTx: QueryUnprepared reads the ReadTx's snapshot
// as QueryContext does, and adds no statement to the cache however many
// texts it is given (team.ListAudit's merge, one text per count of
// actions); QueryContext caches each.
func TestQueryUnpreparedInReadTx(t *testing.T) {
	db, _ := openTemp(t)
	seedKV(t, db, 2)
	ctx := context.Background()
	before := db.ReadStmts()
	sum := 0
	err := db.ReadTx(ctx, func(q Prepared) error {
		var v int
		if err := q.QueryRowContext(ctx, qGet, "k0").Scan(&v); err != nil { // the snapshot starts
			return err
		}
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE stmt_kv SET v = 50`)
			return err
		}); err != nil {
			return err
		}
		for i := range 20 {
			rows, err := q.QueryUnprepared(ctx, fmt.Sprintf(`SELECT v + %d FROM stmt_kv WHERE k = ?`, i), "k1")
			if err != nil {
				return err
			}
			for rows.Next() {
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				sum += v - i
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum != 20 { // k1 is 1 in the snapshot, 50 after it
		t.Errorf("sum of k1 over 20 reads = %d, want 20 (the snapshot's 1 each)", sum)
	}
	if got := db.ReadStmts() - before; got != 1 { // qGet alone
		t.Errorf("cached statements added = %d, want 1 (qGet; none for the 20 unprepared texts)", got)
	}
}
