package ledger

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"meterdesk/backend/money"
)

// TestFailedFastTransferRerunsBatchWithoutTrace drives a hook-free transfer
// (the savepoint-free fast path) into a failure after its row is written
// (sys:usage would overflow) while other transfers share its batch: the
// batch must be rerun with savepoints, the failing request must leave
// nothing, and every other request must be committed exactly once.
func TestFailedFastTransferRerunsBatchWithoutTrace(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1", "user:2", "user:3")
	for _, g := range []TransferRequest{
		{ID: "g1", Op: OpGrant, From: AccountAdjust, To: "user:1", Amount: d("2000000000")},
		{ID: "g2", Op: OpGrant, From: AccountRefund, To: "user:2", Amount: d("2000000000")},
		{ID: "u1", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("2000000000")},
	} {
		if _, err := e.s.Transfer(adminCtx, g); err != nil {
			t.Fatal(err)
		}
	}
	e.fund(t, "user:3", "100")
	retries := e.s.retries.Load()

	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, n+1)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprintf("ok-%d", i), Op: OpUsage,
				From: "user:3", To: AccountUsage, Amount: d("0.5")})
		})
	}
	wg.Go(func() {
		_, errs[n] = e.s.Transfer(adminCtx, TransferRequest{ID: "overflow", Op: OpUsage,
			From: "user:2", To: AccountUsage, Amount: d("1000000000")})
	})
	wg.Wait()

	for i, err := range errs[:n] {
		if err != nil {
			t.Errorf("transfer ok-%d: %v", i, err)
		}
	}
	if !errors.Is(errs[n], money.ErrOverflow) {
		t.Fatalf("overflowing transfer: got %v, want money.ErrOverflow", errs[n])
	}
	if e.s.retries.Load() == retries {
		t.Fatal("the failed fast transfer did not make the writer rerun its batch")
	}
	if got := count(t, e.db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id = 'overflow'`); got != 0 {
		t.Fatalf("rejected transfer left %d rows", got)
	}
	if got := count(t, e.db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id LIKE 'ok-%'`); got != n {
		t.Fatalf("%d accepted transfers stored, want %d", got, n)
	}
	e.wantBalance(t, "user:2", "2000000000", "2000000000")
	e.wantBalance(t, "user:3", "80", "80")
	e.verify(t)
}
