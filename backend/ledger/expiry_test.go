package ledger

import (
	"errors"
	"testing"
	"time"

	"meterdesk/backend/access"
)

// Lots follow credits: consumption takes the earliest-expiring lot first,
// and a transfer recreates the consumed lots at the receiver with the same
// expiries.
func TestLotsFollowCreditsEarliestFirst(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "dept:1", "user:2")
	if err := e.s.SetLotValidity(adminCtx, 12); err != nil {
		t.Fatal(err)
	}
	late := e.fund(t, "dept:1", "10").LotExpiresAt
	if err := e.s.SetLotValidity(adminCtx, 1); err != nil {
		t.Fatal(err)
	}
	early := e.fund(t, "dept:1", "3").LotExpiresAt
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g", Op: OpGrant, From: "dept:1", To: "user:2", Amount: d("5")}); err != nil {
		t.Fatal(err)
	}
	dept, user := e.balance(t, "dept:1"), e.balance(t, "user:2")
	if len(dept.Lots) != 1 || !dept.Lots[0].Amount.Equal(d("8")) || !dept.Lots[0].ExpiresAt.Equal(*late) {
		t.Fatalf("dept lots = %+v", dept.Lots)
	}
	if len(user.Lots) != 2 || !user.Lots[0].Amount.Equal(d("3")) || !user.Lots[0].ExpiresAt.Equal(*early) ||
		!user.Lots[1].Amount.Equal(d("2")) || !user.Lots[1].ExpiresAt.Equal(*late) {
		t.Fatalf("user lots = %+v", user.Lots)
	}
	e.verify(t)
}

func TestExpireLotsMovesRemaindersToTheSink(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	if err := e.s.SetLotValidity(adminCtx, 1); err != nil {
		t.Fatal(err)
	}
	e.fund(t, "user:2", "10")
	e.fund(t, "user:3", "4")
	if err := e.s.SetLotValidity(adminCtx, 0); err != nil {
		t.Fatal(err)
	}
	e.fund(t, "user:2", "1") // never expires
	if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("6")}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.s.ExpireLots(systemCtx); err != nil || n != 0 {
		t.Fatalf("nothing has expired yet: %d, %v", n, err)
	}
	// Just before the lots expire, user:3 holds 3 of its 4 credits.
	e.clk.Advance(31*24*time.Hour - time.Hour)
	if _, err := e.s.Hold(memberCtx(3), HoldRequest{ID: "h3", From: "user:3", Amount: d("3"), TTL: 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(2 * time.Hour)
	n, err := e.s.ExpireLots(systemCtx)
	if err != nil || n != 2 {
		t.Fatalf("ExpireLots = %d, %v; want 2 accounts", n, err)
	}
	e.wantBalance(t, "user:2", "1", "1")
	e.wantBalance(t, "user:3", "3", "0") // the held part waits for the hold
	e.wantBalance(t, AccountExpiry, "5", "5")
	page, err := e.s.History(adminCtx, Filter{Ops: []string{OpExpiry}})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("expiry history = %+v, %v", page, err)
	}
	// Posting the hold consumes 2 of the expired-but-held lot; the rest expires on the next run.
	if _, err := e.s.Post(memberCtx(3), PostRequest{ID: "p3", HoldID: "h3", Amount: d("2")}); err != nil {
		t.Fatal(err)
	}
	e.wantBalance(t, "user:3", "1", "1")
	if n, err := e.s.ExpireLots(systemCtx); err != nil || n != 1 {
		t.Fatalf("second ExpireLots = %d, %v", n, err)
	}
	e.wantBalance(t, "user:3", "0", "0")
	e.wantBalance(t, AccountExpiry, "6", "6")
	e.verify(t)
}

func TestHistoryFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2", "user:3")
	e.fund(t, "pool", "100")
	for i := range 7 {
		to := "user:2"
		if i%2 == 1 {
			to = "user:3"
		}
		if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g" + string(rune('a'+i)), Op: OpGrant, From: "pool", To: to,
			Amount: d("1"), Dims: Dims{UserID: userOf(to)}}); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(time.Hour)
	}
	start := e.clk.Now()
	if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("0.5"), Dims: Dims{UserID: 2, Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	var all []Transfer
	f := Filter{Limit: 3}
	for {
		p, err := e.s.History(adminCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.Next == 0 {
			break
		}
		f.Before = p.Next
	}
	if len(all) != 9 || all[0].RequestID != "u" {
		t.Fatalf("paged history has %d rows, first %+v", len(all), all[0])
	}
	for _, c := range []struct {
		name string
		ctx  any
		f    Filter
		want int
	}{
		{"account", adminCtx, Filter{Account: "user:2"}, 5},
		{"op", adminCtx, Filter{Ops: []string{OpGrant}}, 7},
		{"ops", adminCtx, Filter{Ops: []string{OpGrant, OpUsage}}, 8},
		{"date", adminCtx, Filter{From: start}, 1},
		{"date range", adminCtx, Filter{From: start.Add(-3 * time.Hour), To: start.Add(-time.Hour)}, 2},
		{"user", adminCtx, Filter{UserID: 3}, 3},
		{"member sees own only", memberCtx(2), Filter{}, 5},
	} {
		p, err := e.s.History(c.ctx.(interface {
			Value(any) any
			Deadline() (time.Time, bool)
			Done() <-chan struct{}
			Err() error
		}), c.f)
		if err != nil || len(p.Items) != c.want {
			t.Errorf("%s: %d rows, %v; want %d", c.name, len(p.Items), err, c.want)
		}
	}
	// A member naming another member is refused (as the reports refuse
	// it), not shown an empty page as if that member had no transfers.
	if p, err := e.s.History(memberCtx(2), Filter{UserID: 3}); !errors.Is(err, access.ErrForbidden) || len(p.Items) != 0 {
		t.Errorf("member cannot widen: %d rows, %v; want refused", len(p.Items), err)
	}
	if _, err := e.s.History(memberCtx(2), Filter{UserID: 2}); err != nil {
		t.Errorf("member naming themselves: %v", err)
	}
	// Paging inside a date range (walks the created_at index).
	f = Filter{From: start.Add(-3 * time.Hour), To: start.Add(-time.Hour), Limit: 1}
	p1, err := e.s.History(adminCtx, f)
	if err != nil || len(p1.Items) != 1 || p1.Next == 0 {
		t.Fatalf("dated page 1 = %+v, %v", p1, err)
	}
	f.Before = p1.Next
	p2, err := e.s.History(adminCtx, f)
	if err != nil || len(p2.Items) != 1 || p2.Next != 0 || p2.Items[0].ID >= p1.Items[0].ID {
		t.Fatalf("dated page 2 = %+v, %v (page 1 %+v)", p2, err, p1)
	}
	for name, f := range map[string]Filter{
		"bad op":          {Ops: []string{"steal"}},
		"unknown account": {Account: "user:9"},
		"empty range":     {From: start, To: start},
	} {
		if _, err := e.s.History(adminCtx, f); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
