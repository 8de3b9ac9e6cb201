package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// historyIDs pages through History (3 rows a page) and returns every id.
func historyIDs(t *testing.T, e *env, ctx context.Context, f Filter) []int64 {
	t.Helper()
	f.Limit = 3
	var ids []int64
	for {
		p, err := e.s.History(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.Next == 0 {
			return ids
		}
		f.Before = p.Next
	}
}

// idsWhere lists transfer ids matching a condition, newest first: the
// brute-force answer History must give.
func idsWhere(t *testing.T, e *env, cond string, args ...any) []int64 {
	t.Helper()
	rows, err := e.db.Read().Query("SELECT id FROM ledger_transfers WHERE "+cond+" ORDER BY id DESC", args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func accountID(t *testing.T, e *env, code string) int64 {
	t.Helper()
	var id int64
	if err := e.db.Read().QueryRow("SELECT id FROM ledger_accounts WHERE code = ?", code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAccountHistoryAcrossTheWatermark checks an account's history, a
// member's own history and a filtered one against a full scan, whether the
// debit index holds every transfer, none of the recent ones, or stops
// halfway (so pages cross from the unindexed tail into the index).
func TestAccountHistoryAcrossTheWatermark(t *testing.T) {
	for _, c := range []struct {
		name          string
		before, after time.Duration // indexEvery for the first and second half
		wantTail      bool
	}{
		{"indexed every batch", 0, 0, false},
		{"never indexed after the start", -1, -1, true},
		{"indexed halfway", 0, -1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			codes := []string{"user:1", "user:2", "user:3", "dept:1"}
			e.ensure(t, codes...)
			for _, code := range codes {
				e.fund(t, code, "100")
			}
			rng := rand.New(rand.NewPCG(7, 9))
			e.s.indexEvery.Store(int64(c.before))
			for i := range 120 {
				if i == 60 {
					e.s.indexEvery.Store(int64(c.after))
				}
				from := codes[rng.IntN(len(codes))]
				uid := int64(rng.IntN(3) + 1)
				var err error
				switch rng.IntN(4) {
				case 0, 1:
					_, err = e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprint("u", i), Op: OpUsage, From: from, To: AccountUsage,
						Amount: d("0.25"), Dims: Dims{UserID: uid}})
				case 2:
					to := codes[(slices.Index(codes, from)+1+rng.IntN(len(codes)-1))%len(codes)]
					_, err = e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprint("g", i), Op: OpGrant, From: from, To: to, Amount: d("0.5")})
				case 3:
					var h Transfer
					h, err = e.s.Hold(adminCtx, HoldRequest{ID: fmt.Sprint("h", i), From: from, Amount: d("1"), Dims: Dims{UserID: uid}})
					if err == nil {
						_, err = e.s.Post(adminCtx, PostRequest{ID: fmt.Sprint("p", i), HoldID: h.RequestID, Amount: d("0.75")})
					}
				}
				if err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
			}
			var through, last int64
			if err := e.db.Read().QueryRow("SELECT debits_through, (SELECT MAX(id) FROM ledger_transfers) FROM ledger_index_state").Scan(&through, &last); err != nil {
				t.Fatal(err)
			}
			if tail := through < last; tail != c.wantTail {
				t.Fatalf("index through %d, last transfer %d: want an unindexed tail %v", through, last, c.wantTail)
			}
			e.verify(t)
			for _, code := range codes {
				id := accountID(t, e, code)
				want := idsWhere(t, e, "debit_id = ? OR credit_id = ?", id, id)
				if got := historyIDs(t, e, adminCtx, Filter{Account: code}); !slices.Equal(got, want) {
					t.Errorf("%s: history %v\nwant %v", code, got, want)
				}
				// Usage is every posted transfer into sys:usage: posted holds too.
				want = idsWhere(t, e, "(debit_id = ? OR credit_id = ?) AND kind IN ('posted','post') AND credit_id = ?", id, id, accountID(t, e, AccountUsage))
				if got := historyIDs(t, e, adminCtx, Filter{Account: code, Ops: []string{OpUsage}}); !slices.Equal(got, want) {
					t.Errorf("%s usage: history %v\nwant %v", code, got, want)
				}
			}
			for uid := int64(1); uid <= 3; uid++ {
				wallet := accountID(t, e, UserAccount(uid))
				want := idsWhere(t, e, "user_id = ? OR debit_id = ? OR credit_id = ?", uid, wallet, wallet)
				if got := historyIDs(t, e, memberCtx(uid), Filter{}); !slices.Equal(got, want) {
					t.Errorf("member %d: own history %v\nwant %v", uid, got, want)
				}
			}
		})
	}
}

// TestFailedIndexUpdateIsUndone: when bringing the debit index up to date
// fails, the batch's transfers still commit, the failure is undone, the
// history still shows them, and a later batch catches up.
func TestFailedIndexUpdateIsUndone(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1")
	e.fund(t, "user:1", "10")
	e.s.indexEvery.Store(0)
	wallet := accountID(t, e, "user:1")
	var next int64
	if err := e.db.Read().QueryRow("SELECT MAX(id) + 1 FROM ledger_transfers").Scan(&next); err != nil {
		t.Fatal(err)
	}
	// A stray entry for the next transfer makes the bulk insert conflict.
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO ledger_debit_index(account_id, transfer_id) VALUES (?, ?)", wallet, next)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tr, err := e.s.Transfer(adminCtx, TransferRequest{ID: "spend", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("1")})
	if err != nil || tr.ID != next {
		t.Fatalf("transfer = %+v, %v (want id %d)", tr, err, next)
	}
	if e.s.indexFailures.Load() == 0 {
		t.Fatal("the conflicting index update did not fail")
	}
	if err := e.s.Verify(context.Background()); err == nil || !strings.Contains(err.Error(), "debit index") {
		t.Fatalf("Verify = %v, want the stray entry reported", err)
	}
	if got := historyIDs(t, e, adminCtx, Filter{Account: "user:1"}); len(got) != 2 || got[0] != next {
		t.Fatalf("history = %v, want the transfer %d first", got, next)
	}
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM ledger_debit_index WHERE transfer_id = ?", next)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "spend2", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("1")}); err != nil {
		t.Fatal(err)
	}
	e.verify(t)
	if n := count(t, e.db.Read(), "SELECT COUNT(*) FROM ledger_debit_index WHERE account_id = ?", wallet); n != 2 {
		t.Fatalf("%d index entries for the wallet, want 2 (spend, spend2)", n)
	}
}

// TestVerifyFindsABrokenDebitIndex: a missing or a wrong index entry is an
// invariant Verify reports.
func TestVerifyFindsABrokenDebitIndex(t *testing.T) {
	for name, tamper := range map[string]string{
		"missing": "DELETE FROM ledger_debit_index WHERE transfer_id = (SELECT MAX(transfer_id) FROM ledger_debit_index)",
		"wrong":   "UPDATE ledger_debit_index SET account_id = account_id + 1 WHERE transfer_id = (SELECT MAX(transfer_id) FROM ledger_debit_index)",
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.s.indexEvery.Store(0)
			e.ensure(t, "user:1")
			e.fund(t, "user:1", "10")
			e.verify(t)
			if err := e.db.Write(context.Background(), func(tx *sql.Tx) error { _, err := tx.Exec(tamper); return err }); err != nil {
				t.Fatal(err)
			}
			if err := e.s.Verify(context.Background()); err == nil || !strings.Contains(err.Error(), "debit index") {
				t.Fatalf("Verify = %v, want the debit index reported", err)
			}
		})
	}
}

// TestSeen: a request id is seen once a transfer with it is committed, and
// only by a signed-in caller.
func TestSeen(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1")
	e.fund(t, "user:1", "1")
	if seen, err := e.s.Seen(adminCtx, "spend-1"); err != nil || seen {
		t.Fatalf("before: %v, %v", seen, err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "spend-1", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("0.5")}); err != nil {
		t.Fatal(err)
	}
	if seen, err := e.s.Seen(memberCtx(2), "spend-1"); err != nil || !seen {
		t.Fatalf("after: %v, %v", seen, err)
	}
	if _, err := e.s.Seen(context.Background(), "spend-1"); err == nil {
		t.Fatal("no actor: no error")
	}
}

// TestLightBatchesIndexFirst: once the debit index is due, a durable batch
// (a posting or transfer a caller waits for) leaves it to the next light
// batch (a hold), which brings it up to date, its own hold included.
func TestLightBatchesIndexFirst(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:1")
	e.fund(t, "user:1", "10")
	// Due for a light batch an hour after the last indexing, for a durable
	// one after two. The transfer's own batch (on the writer goroutine, the
	// only one that may touch indexedAt) dates the last indexing 90 minutes
	// back: due for a light batch, half an hour short for a durable one,
	// however slow the machine (a sleep past a short interval failed under
	// load when the batch came late enough to be due for a durable one too).
	e.s.indexEvery.Store(int64(time.Hour))
	backdate := func(context.Context, *sql.Tx, Transfer) error {
		e.s.indexedAt = time.Now().Add(-90 * time.Minute)
		return nil
	}
	through := func() int64 {
		var n int64
		if err := e.db.Read().QueryRow("SELECT debits_through FROM ledger_index_state").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tr, err := e.s.Transfer(adminCtx, TransferRequest{ID: "spend", Op: OpUsage, From: "user:1", To: AccountUsage, Amount: d("1"), Attach: backdate})
	if err != nil {
		t.Fatal(err)
	}
	if n := through(); n >= tr.ID {
		t.Fatalf("the durable batch indexed through %d (transfer %d): it should leave that to a light batch", n, tr.ID)
	}
	h, err := e.s.Hold(adminCtx, HoldRequest{ID: "hold", From: "user:1", Amount: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	if n := through(); n < h.ID {
		t.Fatalf("the hold's batch indexed through %d, want at least its own transfer %d", n, h.ID)
	}
	for _, id := range []int64{tr.ID, h.ID} {
		if n := count(t, e.db.Read(), "SELECT COUNT(*) FROM ledger_debit_index WHERE transfer_id = ?", id); n != 1 {
			t.Fatalf("%d index entries for transfer %d, want 1", n, id)
		}
	}
	e.verify(t)
}

// TestWhenTheDebitIndexIsDue: a light batch updates the debit index every
// interval, a durable one every indexLate intervals; every batch when the
// interval is 0, none when it is negative.
func TestWhenTheDebitIndexIsDue(t *testing.T) {
	const every = 100 * time.Millisecond
	for _, c := range []struct {
		name           string
		every, ago     time.Duration
		light, durable bool
	}{
		{"not due", every, every / 2, false, false},
		{"due", every, every + time.Millisecond, true, false},
		{"lagging", every, indexLate*every + time.Millisecond, true, true},
		{"every batch", 0, 0, true, true},
		{"never", -1, time.Hour, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Service{indexedAt: time.Now().Add(-c.ago)}
			s.indexEvery.Store(int64(c.every))
			if got := s.indexDue(true); got != c.light {
				t.Errorf("light batch: indexDue = %v, want %v", got, c.light)
			}
			if got := s.indexDue(false); got != c.durable {
				t.Errorf("durable batch: indexDue = %v, want %v", got, c.durable)
			}
		})
	}
}
