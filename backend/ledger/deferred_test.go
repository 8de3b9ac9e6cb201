package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// burst runs reqs concurrently (so that they share batches) and returns
// their results and errors in order.
func burst(e *env, reqs []TransferRequest) ([]Transfer, []error) {
	out, errs := make([]Transfer, len(reqs)), make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { out[i], errs[i] = e.s.Transfer(adminCtx, r) })
	}
	wg.Wait()
	return out, errs
}

// TestDeferredTransfersMatchTheirRows sends usage from a shared pool and from
// wallets concurrently: the transfers go through the deferred path (written
// by one flush per batch), every result's ID is the row of that request with
// its amount and accounts, and every balance equals its postings.
func TestDeferredTransfersMatchTheirRows(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "pool", "user:1", "user:2", "user:3")
	e.fund(t, "pool", "1000")
	for _, u := range []string{"user:1", "user:2", "user:3"} {
		e.fund(t, u, "100")
	}
	before := e.s.deferredCount.Load()
	var reqs []TransferRequest
	for i := range 120 {
		from := "pool"
		if i%2 == 1 {
			from = fmt.Sprintf("user:%d", i%3+1)
		}
		reqs = append(reqs, TransferRequest{ID: fmt.Sprintf("use-%d", i), Op: OpUsage, From: from, To: AccountUsage,
			Amount: d(fmt.Sprintf("0.%03d", i+1)), Dims: Dims{UserID: int64(i%3 + 1), Model: "m", Source: "api"}})
	}
	out, errs := burst(e, reqs)
	ids := map[int64]bool{}
	for i, tr := range out {
		if errs[i] != nil {
			t.Fatalf("%s: %v", reqs[i].ID, errs[i])
		}
		if tr.ID == 0 || ids[tr.ID] {
			t.Fatalf("%s: id %d is zero or given twice", reqs[i].ID, tr.ID)
		}
		ids[tr.ID] = true
		var req, from, amount string
		err := e.db.Read().QueryRow(`SELECT t.request_id, a.code, t.amount_minor FROM ledger_transfers t
			JOIN ledger_accounts a ON a.id = t.debit_id WHERE t.id = ?`, tr.ID).Scan(&req, &from, &amount)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := money.ToMinor(reqs[i].Amount)
		if req != reqs[i].ID || from != reqs[i].From || amount != strconv.FormatInt(want, 10) || tr.From != from {
			t.Fatalf("result %s has id %d, whose row is %s from %s amount %s", reqs[i].ID, tr.ID, req, from, amount)
		}
	}
	if got := e.s.deferredCount.Load() - before; got == 0 {
		t.Fatal("no transfer took the deferred path")
	}
	var sum int64
	for i := range 120 {
		sum += int64(i + 1)
	}
	if used := count(t, e.db.Read(), `SELECT SUM(amount_minor) / 1000000 FROM ledger_transfers WHERE request_id LIKE 'use-%'`); int64(used) != sum {
		t.Fatalf("used %d millicredits, want %d", used, sum)
	}
	e.verify(t)
}

// TestDeferredRetryReplaysCommittedTransfer retries a committed transfer in
// the same batch as new ones: the flush sees the id taken, the batch reruns
// with savepoints, the retry returns the first result (same content) or a
// conflict (other content), and the new transfers are committed once.
func TestDeferredRetryReplaysCommittedTransfer(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "pool")
	e.fund(t, "pool", "100")
	first, err := e.s.Transfer(adminCtx, TransferRequest{ID: "r1", Op: OpUsage, From: "pool", To: AccountUsage, Amount: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	retries := e.s.retries.Load()
	for round, amount := range []string{"1", "2"} {
		reqs := []TransferRequest{{ID: "r1", Op: OpUsage, From: "pool", To: AccountUsage, Amount: d(amount)}}
		for i := range 30 {
			reqs = append(reqs, TransferRequest{ID: fmt.Sprintf("n%d-%d", round, i), Op: OpUsage, From: "pool", To: AccountUsage, Amount: d("0.5")})
		}
		out, errs := burst(e, reqs)
		if amount == "1" && (errs[0] != nil || out[0].ID != first.ID) {
			t.Fatalf("same-content retry: got id %d, %v; want the first result %d", out[0].ID, errs[0], first.ID)
		}
		if amount == "2" && !errors.Is(errs[0], ErrIdempotencyConflict) {
			t.Fatalf("other-content retry: got %v, want ErrIdempotencyConflict", errs[0])
		}
		for i, err := range errs[1:] {
			if err != nil {
				t.Fatalf("%s: %v", reqs[i+1].ID, err)
			}
		}
	}
	if e.s.retries.Load() == retries {
		t.Fatal("no batch was rerun: the retried id never met the flush")
	}
	if got := count(t, e.db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id = 'r1'`); got != 1 {
		t.Fatalf("r1 stored %d times", got)
	}
	e.wantBalance(t, "pool", "69", "69") // 100 - 1 - 60 × 0.5
	e.verify(t)
}

// TestDeferredSameIDTwiceInOneBatch sends the same new request many times at
// once: one row, one result for all.
func TestDeferredSameIDTwiceInOneBatch(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "pool")
	e.fund(t, "pool", "10")
	reqs := make([]TransferRequest, 20)
	for i := range reqs {
		reqs[i] = TransferRequest{ID: "twice", Op: OpUsage, From: "pool", To: AccountUsage, Amount: d("1")}
	}
	out, errs := burst(e, reqs)
	for i := range reqs {
		if errs[i] != nil || out[i].ID != out[0].ID {
			t.Fatalf("request %d: id %d, %v (first got %d)", i, out[i].ID, errs[i], out[0].ID)
		}
	}
	e.wantBalance(t, "pool", "9", "9")
	e.verify(t)
}

// TestTransferForeignKeysCheckedAtCommit checks migration 0101: the foreign
// keys of ledger_transfers are deferred (a bad account id passes the INSERT
// and fails the COMMIT, writing nothing), on the connection that migrated
// and after a reopen, and the edited schema passes integrity_check.
func TestTransferForeignKeysCheckedAtCommit(t *testing.T) {
	e := newEnv(t)
	bad := func(db *store.DB) {
		t.Helper()
		inserted := false
		err := db.Write(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor, created_at)
				VALUES ('fk-bad', 'h', 'usage', 'posted', 999999, 999998, 1, '2026-01-01T00:00:00.000Z')`)
			inserted = err == nil
			return err
		})
		if !inserted || err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Fatalf("insert passed: %v; commit error: %v (want the insert to pass and the commit to fail on the foreign key)", inserted, err)
		}
		if n := count(t, db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id = 'fk-bad'`); n != 0 {
			t.Fatalf("%d rows written", n)
		}
	}
	bad(e.db)
	e.s.Close()
	e.db.Close()
	db, err := store.Open(context.Background(), e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad(db)
	var schema, check string
	if err := db.Read().QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'ledger_transfers'`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(schema, "DEFERRABLE INITIALLY DEFERRED"); n != 3 {
		t.Fatalf("ledger_transfers has %d deferred foreign keys, want 3:\n%s", n, schema)
	}
	if err := db.Read().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}
