package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestLoneRequestRunsWithoutASavepoint checks the solo rule of group
// commit: a batch's only request runs without a savepoint of its own (the
// transaction is its savepoint), a lone request that fails after writing
// leaves nothing, and requests that share a batch still fail one by one.
func TestLoneRequestRunsWithoutASavepoint(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1")
	e.fund(t, "user:1", "100")

	// No savepoint is open inside a lone hold (RELEASE of the job's
	// savepoint fails), and the hold commits.
	var release error
	_, err := e.s.Hold(adminCtx, HoldRequest{ID: "h-solo", From: "user:1", Amount: d("1"),
		Guard: func(ctx context.Context, tx *sql.Tx) error {
			_, release = tx.ExecContext(ctx, "RELEASE job")
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if release == nil {
		t.Fatal("a lone request ran inside a savepoint")
	}
	e.wantBalance(t, "user:1", "100", "99")

	// A lone hold that fails after its rows are written: the transaction is
	// rolled back, the error is the request's own.
	snap := e.snapshot(t)
	rejected := errors.New("message row rejected")
	_, err = e.s.Hold(adminCtx, HoldRequest{ID: "h-fail", From: "user:1", Amount: d("1"),
		Attach: func(context.Context, *sql.Tx, Transfer) error { return rejected }})
	if !errors.Is(err, rejected) {
		t.Fatalf("failed attach: err = %v, want %v", err, rejected)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a lone request that failed after writing left rows behind")
	}
	// Its id is free: nothing of it was committed.
	if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "h-fail", From: "user:1", Amount: d("1")}); err != nil {
		t.Fatalf("the id of a rolled-back request: %v", err)
	}
	e.wantBalance(t, "user:1", "100", "98")

	// Many at once (batches of several): every other hold fails after
	// writing; exactly the others are kept.
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := HoldRequest{ID: fmt.Sprintf("c-%d", i), From: "user:1", Amount: d("1")}
			if i%2 == 1 {
				req.Attach = func(context.Context, *sql.Tx, Transfer) error { return rejected }
			}
			_, errs[i] = e.s.Hold(adminCtx, req)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i%2 == 1) != errors.Is(err, rejected) || (i%2 == 0 && err != nil) {
			t.Errorf("hold c-%d: %v", i, err)
		}
		want := 1 - i%2
		if got := count(t, e.db.Read(), `SELECT count(*) FROM ledger_transfers WHERE request_id = ?`, fmt.Sprintf("c-%d", i)); got != want {
			t.Errorf("hold c-%d: %d rows, want %d", i, got, want)
		}
	}
	e.wantBalance(t, "user:1", "100", fmt.Sprint(98-n/2))
	e.verify(t)
}
