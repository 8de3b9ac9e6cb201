package team

import (
	"context"
	"errors"
	"testing"

	"meterdesk/backend/ledger"
)

// TestNotificationsPage: the window's list reads page by page, newest
// first, where it stopped at the newest 200: each page continues below the
// last one's cursor, with no notification twice or left out, and the last
// says there is no next. Only what the actor may see is paged (a member:
// their own, not the pool's), and the unread only with unreadOnly. A
// negative cursor or limit is refused.
func TestNotificationsPage(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	e.raiseMany(250, userAccount(bob.ID), 0)
	e.raiseMany(200, ledger.AccountPool, 0) // admins only
	// The newest 20 of bob's are read.
	if err := e.svc.MarkRead(e.as(actorFor(bob)), nil); err != nil {
		t.Fatal(err)
	}
	e.raiseMany(30, userAccount(bob.ID), 0)

	pages := func(ctx context.Context, unreadOnly bool, limit int) (total int, sizes []int) {
		t.Helper()
		before, seen := int64(0), map[int64]bool{}
		for range 100 {
			p, err := e.svc.NotificationsPage(ctx, unreadOnly, before, limit)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(p.Items))
			for i, n := range p.Items {
				if seen[n.ID] || before != 0 && n.ID >= before || i > 0 && n.ID >= p.Items[i-1].ID {
					t.Fatalf("notification %d out of order or twice (before %d)", n.ID, before)
				}
				if unreadOnly && n.Read {
					t.Fatalf("notification %d is read", n.ID)
				}
				seen[n.ID] = true
			}
			if p.Next == 0 {
				return len(seen), sizes
			}
			if p.Next != p.Items[len(p.Items)-1].ID {
				t.Fatalf("next %d, the page ends at %d", p.Next, p.Items[len(p.Items)-1].ID)
			}
			before = p.Next
		}
		t.Fatal("never ended")
		return 0, nil
	}
	for _, c := range []struct {
		name       string
		ctx        context.Context
		unreadOnly bool
		limit      int
		total      int
		sizes      []int
	}{
		{"admin, pages of 200", e.adminCtx(), false, 0, 480, []int{200, 200, 80}},
		{"admin, unread, pages of 200", e.adminCtx(), true, 0, 230, []int{200, 30}},
		{"member, pages of 200", e.as(actorFor(bob)), false, 0, 280, []int{200, 80}},
		{"member, unread", e.as(actorFor(bob)), true, 0, 30, []int{30}},
		{"member, pages of 100", e.as(actorFor(bob)), false, 100, 280, []int{100, 100, 80}},
		{"member, exactly a page", e.as(actorFor(bob)), false, 280, 280, []int{280}},
		{"admin, a limit above 1000 (taken as 1000)", e.adminCtx(), false, 5000, 480, []int{480}},
	} {
		total, sizes := pages(c.ctx, c.unreadOnly, c.limit)
		if total != c.total || len(sizes) != len(c.sizes) {
			t.Errorf("%s: %d in pages %v, want %d in %v", c.name, total, sizes, c.total, c.sizes)
			continue
		}
		for i := range sizes {
			if sizes[i] != c.sizes[i] {
				t.Errorf("%s: pages %v, want %v", c.name, sizes, c.sizes)
			}
		}
	}
	for _, c := range []struct {
		before int64
		limit  int
	}{{-1, 0}, {0, -1}} {
		if _, err := e.svc.NotificationsPage(e.adminCtx(), false, c.before, c.limit); !errors.Is(err, ErrInvalid) {
			t.Errorf("before %d, limit %d: %v, want ErrInvalid", c.before, c.limit, err)
		}
	}
	if _, err := e.svc.NotificationsPage(context.Background(), false, 0, 0); err == nil {
		t.Error("nobody signed in: no error")
	}
}
