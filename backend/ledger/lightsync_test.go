package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
)

// syncLevel reads PRAGMA synchronous inside a write transaction (0 OFF,
// 1 NORMAL, 2 FULL, 3 EXTRA).
func syncLevel(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&n)
	return n, err
}

// TestOnlyHoldAndVoidBatchesCommitWithNormalSync checks the durability rule
// of group commit: holds and voids are split from the other requests of
// their batch and commit with synchronous=NORMAL, every transfer or post
// commits with FULL, and the writer connection is FULL again afterwards.
func TestOnlyHoldAndVoidBatchesCommitWithNormalSync(t *testing.T) {
	e := newEnv(t)
	const users = 8
	for u := 1; u <= users; u++ {
		e.ensure(t, UserAccount(int64(u)))
		e.fund(t, UserAccount(int64(u)), "100")
	}

	// A hold alone: its batch is light (NORMAL).
	var seen int
	_, err := e.s.Hold(adminCtx, HoldRequest{ID: "h0", From: "user:1", Amount: d("1"),
		Guard: func(ctx context.Context, tx *sql.Tx) (err error) { seen, err = syncLevel(ctx, tx); return err }})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 1 {
		t.Fatalf("a batch of one hold ran with synchronous=%d, want 1 (NORMAL)", seen)
	}

	// Holds, voids, posts and transfers at once: whatever the batches are,
	// a transfer or post never commits with less than FULL.
	var mu sync.Mutex
	var bad []string
	// expect checks the synchronous level a request commits with: holds are
	// split from the rest of their batch (NORMAL, never held up by an
	// fsync); a transfer or post always commits with FULL.
	expect := func(want int, what string) Guard {
		return func(ctx context.Context, tx *sql.Tx) error {
			n, err := syncLevel(ctx, tx)
			if err == nil && n != want {
				mu.Lock()
				bad = append(bad, fmt.Sprintf("%s ran with synchronous=%d, want %d", what, n, want))
				mu.Unlock()
			}
			return err
		}
	}
	var wg sync.WaitGroup
	for u := 1; u <= users; u++ {
		from := UserAccount(int64(u))
		wg.Go(func() {
			for i := range 10 {
				id := fmt.Sprintf("%s-%d", from, i)
				if _, err := e.s.Hold(adminCtx, HoldRequest{ID: "h-" + id, From: from, Amount: d("1"), Guard: expect(1, "hold "+id)}); err != nil {
					t.Error(err)
					return
				}
				var err error
				if i%2 == 0 {
					_, err = e.s.Void(adminCtx, "v-"+id, "h-"+id)
				} else {
					_, err = e.s.Post(adminCtx, PostRequest{ID: "p-" + id, HoldID: "h-" + id, Amount: d("0.5"),
						Attach: func(ctx context.Context, tx *sql.Tx, _ Transfer) error { return expect(2, "post "+id)(ctx, tx) }})
				}
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "t-" + id, Op: OpUsage, From: from,
					To: AccountUsage, Amount: d("0.25"), Guard: expect(2, "transfer "+id)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, b := range bad {
		t.Error(b)
	}
	if e.s.lightCommits.Load() < 2 {
		t.Errorf("%d light commits, want at least the lone hold's and one more", e.s.lightCommits.Load())
	}
	var n int
	if err := e.db.Writer().QueryRow("PRAGMA synchronous").Scan(&n); err != nil || n != 2 {
		t.Fatalf("writer connection left with synchronous=%d (%v), want 2 (FULL)", n, err)
	}
	e.verify(t)
}
