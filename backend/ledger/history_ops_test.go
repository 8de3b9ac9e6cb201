package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHistoryByOpPagesLikeAScan checks the op filter's index walks (opArms)
// against the whole history filtered in Go: for every op combination, page
// by page, the same transfers in the same order, for an admin and with
// the other filters that combine with it.
func TestHistoryByOpPagesLikeAScan(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	e.fund(t, "pool", "1000")
	e.fund(t, "user:2", "50")
	e.fund(t, "user:3", "50")
	for i := range 30 {
		user := int64(2 + i%2)
		acct := UserAccount(user)
		switch i % 5 {
		case 0:
			e.fund(t, "pool", "5")
		case 1:
			if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprint("g", i), Op: OpGrant, From: "pool", To: acct,
				Amount: d("3"), Dims: Dims{UserID: user}}); err != nil {
				t.Fatal(err)
			}
		case 2:
			h := fmt.Sprint("h", i)
			if _, err := e.s.Hold(memberCtx(user), HoldRequest{ID: h, From: acct, Amount: d("1"), Dims: Dims{UserID: user, Model: "m"}}); err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 {
				if _, err := e.s.Void(memberCtx(user), fmt.Sprint("v", i), h); err != nil {
					t.Fatal(err)
				}
			} else if _, err := e.s.Post(memberCtx(user), PostRequest{ID: fmt.Sprint("p", i), HoldID: h, Amount: d("0.5")}); err != nil {
				t.Fatal(err)
			}
		case 3:
			if _, err := e.s.Transfer(systemCtx, TransferRequest{ID: fmt.Sprint("u", i), Op: OpUsage, From: acct, To: AccountUsage,
				Amount: d("0.25"), Dims: Dims{UserID: user, Model: "m"}}); err != nil {
				t.Fatal(err)
			}
		case 4:
			if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprint("a", i), Op: OpAdjustment, From: acct, To: "pool",
				Amount: d("0.1"), Dims: Dims{UserID: user}}); err != nil {
				t.Fatal(err)
			}
		}
		e.clk.Advance(time.Minute)
	}
	pages := func(f Filter) []int64 {
		t.Helper()
		var ids []int64
		for {
			p, err := e.s.History(adminCtx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range p.Items {
				ids = append(ids, tr.ID)
			}
			if p.Next == 0 {
				return ids
			}
			f.Before = p.Next
		}
	}
	all, err := e.s.History(adminCtx, Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	matches := func(tr Transfer, ops []string, user int64) bool {
		if user != 0 && tr.UserID != user {
			return false
		}
		for _, op := range ops {
			if op == OpUsage && (tr.Kind == KindPosted || tr.Kind == KindPost) && tr.To == AccountUsage || op == tr.Op {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		ops  []string
		user int64
	}{
		{ops: []string{OpTopUp}},
		{ops: []string{OpGrant}},
		{ops: []string{OpUsage}}, // the scan
		{ops: []string{OpAdjustment, OpTopUp}},
		{ops: []string{OpUsage, OpGrant}}, // the scan
		{ops: []string{OpAdjustment, OpGrant}, user: 2},
		{ops: []string{OpRefund}},
		{ops: []string{OpTopUp, OpTopUp}},
		{ops: []string{OpGrant, OpUsage}, user: 3}, // the scan
		{ops: []string{OpPost}},                    // the scan
		{ops: []string{OpVoid, OpGrant}},           // the scan
		{ops: []string{OpHold, OpUsage}, user: 2},  // the scan
	} {
		name := strings.Join(c.ops, ",") + fmt.Sprint(" user ", c.user)
		var want []int64
		for _, tr := range all.Items {
			if matches(tr, c.ops, c.user) {
				want = append(want, tr.ID)
			}
		}
		for _, limit := range []int{1, 2, 7, 50} {
			got := pages(Filter{Ops: c.ops, UserID: c.user, Limit: limit})
			if !slices.Equal(got, want) {
				t.Errorf("%s, pages of %d: %v, want %v", name, limit, got, want)
			}
		}
	}
}

// TestHistoryByRareOpWalksItsIndex keeps the op filter's arms on their
// indexes: the partial index's WHERE term must be repeated word for word, or
// SQLite scans every transfer.
func TestHistoryByRareOpWalksItsIndex(t *testing.T) {
	e := newEnv(t)
	// cond as History builds it for --op topup,grant --member 2 --before 99.
	cond := "1 AND (t.op IN (?,?)) AND t.user_id = ? AND t.id < ?"
	arms, args, ok := opArms([]string{OpTopUp, OpGrant}, cond, []any{OpTopUp, OpGrant, int64(2), int64(99)}, 51)
	if !ok || len(arms) != 2 {
		t.Fatalf("opArms = %d arms, %v", len(arms), ok)
	}
	plan, err := e.db.QueryPlan(context.Background(), "SELECT t.id FROM ledger_transfers t WHERE t.id IN ("+strings.Join(arms, " UNION ALL ")+")", args...)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if n := strings.Count(text, "INDEX ledger_transfers_rare_op (op=? AND id<?)"); n != 2 {
		t.Errorf("plan walks the op index %d times, want 2:\n%s", n, text)
	}
	if strings.Contains(text, "SCAN t") {
		t.Errorf("plan scans the transfers:\n%s", text)
	}
	for _, ops := range [][]string{{OpPost}, {OpGrant, OpHold}, {OpVoid}, {OpUsage}, {OpTopUp, OpUsage}, nil} {
		if _, _, ok := opArms(ops, "1", nil, 2); ok {
			t.Errorf("opArms(%v) walks indexes; want the scan", ops)
		}
	}
}
