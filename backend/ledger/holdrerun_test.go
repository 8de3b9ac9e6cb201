package ledger

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/money"
)

// waitQueued waits until n requests are queued for the writer.
func waitQueued(t *testing.T, s *Service, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(s.queue) < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("%d requests queued, want %d", len(s.queue), n)
			return
		}
	}
}

// TestHoldBatchIsNeverRerun: a batch of holds is never rolled back and run
// again, not even when it cannot commit with the light (NORMAL) sync and so
// commits like any other batch: a fast transfer that fails after writing,
// the only request that makes the writer rerun a batch, never joins it. A
// hold's Reserve and Attach therefore run once, in the transaction that
// commits, and what chat keeps outside the transaction for them stays
// true: an overlapped send's promised hold (Reserve) ends when its hold is
// written (Attach). Before, such a batch took the failing transfer in as a
// late joiner and was rerun; the promise ended in the rolled-back run was
// gone in the rerun, so a hold queued before the promised one took its
// room, and the promised one, whose provider request had already gone out,
// was refused.
func TestHoldBatchIsNeverRerun(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1", "user:2", "user:3")
	e.fund(t, "user:2", "100")
	// A usage transfer from user:3 that overflows sys:usage once written
	// (as in TestFailedFastTransferRerunsBatchWithoutTrace).
	for _, g := range []TransferRequest{
		{ID: "g1", Op: OpGrant, From: AccountAdjust, To: "user:1", Amount: d("2000000000")},
		{ID: "g3", Op: OpGrant, From: AccountRefund, To: "user:3", Amount: d("2000000000")},
		{ID: "u1", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("2000000000")},
	} {
		if _, err := e.s.Transfer(adminCtx, g); err != nil {
			t.Fatal(err)
		}
	}
	e.s.lightOff.Store(true)
	retries := e.s.retries.Load()

	// The writer is held in a request of its own while B and then C queue.
	started, gate := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "x", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("1"),
			Guard: func(context.Context, *sql.Tx) error { close(started); <-gate; return nil }}); err != nil {
			t.Error(err)
		}
	})
	<-started
	// C is an overlapped send's hold: 60 promised until it is written,
	// as chat keeps it (Meter.holding): every other hold leaves it room.
	const c = 60_000_000_000 // 60 credits in minor units
	var promised atomic.Int64
	promised.Store(c)
	var bErr, cErr, fErr error
	wg.Go(func() {
		_, bErr = e.s.Hold(adminCtx, HoldRequest{ID: "b", From: "user:2", Amount: d("60"), Reserve: func() int64 { return promised.Load() }})
	})
	waitQueued(t, e.s, 1)
	var attaches atomic.Int32
	var once sync.Once
	wg.Go(func() {
		_, cErr = e.s.Hold(adminCtx, HoldRequest{ID: "c", From: "user:2", Amount: d("60"), Reserve: func() int64 { return 0 },
			Attach: func(context.Context, *sql.Tx, Transfer) error {
				attaches.Add(1)
				once.Do(func() {
					// A failing fast transfer queues while the holds' batch runs.
					wg.Go(func() {
						_, fErr = e.s.Transfer(adminCtx, TransferRequest{ID: "overflow", Op: OpUsage, From: "user:3",
							To: AccountUsage, Amount: d("1000000000")})
					})
					waitQueued(t, e.s, 1)
				})
				promised.Store(0) // written: the promise is kept
				return nil
			}})
	})
	waitQueued(t, e.s, 2)
	close(gate)
	wg.Wait()

	if cErr != nil || attaches.Load() != 1 {
		t.Fatalf("the promised hold: %v, its Attach ran %d times; want it taken, the Attach run once", cErr, attaches.Load())
	}
	if !errors.Is(bErr, ErrInsufficientFunds) || !strings.Contains(bErr.Error(), "promised to holds being taken") {
		t.Fatalf("the hold queued before it: %v; want it refused for the promised room", bErr)
	}
	if !errors.Is(fErr, money.ErrOverflow) {
		t.Fatalf("the overflowing transfer: %v, want money.ErrOverflow", fErr)
	}
	if got := e.s.retries.Load() - retries; got != 1 {
		t.Fatalf("%d batches rerun, want 1: the transfer's own batch, not the holds'", got)
	}
	e.wantBalance(t, "user:2", "99", "39")
	if n := count(t, e.db.Read(), `SELECT COUNT(*) FROM ledger_transfers WHERE request_id IN ('b', 'overflow')`); n != 0 {
		t.Fatalf("refused requests left %d rows", n)
	}
	e.verify(t)
}
