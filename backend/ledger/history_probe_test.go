package ledger

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestMemberHistoryOfAnAccountNotTheirs: a member naming an account they
// may not read is refused the same way whether it exists or not (another
// member's wallet, a wallet that does not exist, another department's
// credits, one that does not exist, a bookkeeping account), so the
// answer never tells which accounts exist; their own wallet, the pool and
// their department's credits list their own transfers. An admin is
// unchanged: an account that does not exist is unknown.
func TestMemberHistoryOfAnAccountNotTheirs(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3", "dept:1", "dept:2")
	e.fund(t, "pool", "100")
	e.s.SetReadCheck(func(_ context.Context, userID int64, code string) (bool, error) {
		return userID == 2 && code == "dept:1", nil
	})
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g", Op: OpGrant, From: "pool", To: "user:3", Amount: d("1"), Dims: Dims{UserID: 3}}); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, account := range []string{"user:3", "user:999", "dept:2", "dept:999", AccountUsage} {
		p, err := e.s.History(memberCtx(2), Filter{Account: account})
		if !errors.Is(err, access.ErrForbidden) || errors.Is(err, ErrUnknownAccount) || len(p.Items) != 0 {
			t.Errorf("member, %s: %d rows, %v; want refused for the role", account, len(p.Items), err)
			continue
		}
		texts = append(texts, err.Error())
	}
	// The same words, but for the account named.
	if len(texts) == 5 {
		if got := strings.Replace(texts[1], "user:999", "user:3", 1); got != texts[0] {
			t.Errorf("an existing and a missing wallet read differently: %q, %q", texts[0], texts[1])
		}
		if got := strings.Replace(texts[3], "dept:999", "dept:2", 1); got != texts[2] {
			t.Errorf("an existing and a missing department read differently: %q, %q", texts[2], texts[3])
		}
	}
	for _, account := range []string{"user:2", "pool", "dept:1"} {
		if _, err := e.s.History(memberCtx(2), Filter{Account: account}); err != nil {
			t.Errorf("member, own %s: %v", account, err)
		}
	}
	if _, err := e.s.History(adminCtx, Filter{Account: "user:999"}); !errors.Is(err, ErrUnknownAccount) {
		t.Errorf("admin, user:999: %v, want %v", err, ErrUnknownAccount)
	}
	if p, err := e.s.History(adminCtx, Filter{Account: "user:3"}); err != nil || len(p.Items) != 1 {
		t.Errorf("admin, user:3: %d rows, %v; want 1", len(p.Items), err)
	}
}
