package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestProviderFilterWithNoChargesFindsNone: a filter by a provider with
// no charges to read (a member's own removed provider over days it has
// none, a provider now never charged) finds none, for a member and an
// admin, with and without dates, in every read of it: the Usage page's
// Transactions (History, Count, Each: its CSV) and a Credits history
// (`credits history --provider`, ledger.History through ProviderCond).
// Earlier a member's walks and a date range's index read, forced by
// INDEXED BY, failed on the condition "0": "SQL logic error: no query
// solution".
func TestProviderFilterWithNoChargesFindsNone(t *testing.T) {
	f := newFixture(t)
	u := func(user int64, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: 1, user: user, model: "gpt-4o", provider: provider, conv: 1, at: at}
	}
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u(1, "Mine", "2025-03-02 10:00"),
		u(2, "Lab", "2025-03-04 10:00"), // the range below has transfers, none at Mine
		u(1, "Lab", "2025-03-04 11:00"),
	)
	led := ledger.New(f.db, f.rec, func() time.Time { return now })
	led.SetProviderCond(f.svc.ProviderCond)
	ann := access.WithActor(f.ctx, access.Actor{UserID: 1, Name: "ann", Role: access.RoleMember})
	admin := access.WithActor(f.ctx, access.Actor{UserID: 9, Name: "ada", Role: access.RoleAdmin})
	day := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}
	for _, who := range []string{"ann", "admin"} {
		ctx := ann
		if who == "admin" {
			ctx = admin
		}
		for _, c := range []struct {
			provider string
			from, to string
			want     int
		}{
			{"Mine (since removed)", "2025-03-04", "2025-03-05", 0},
			{"Mine (since removed)", "2025-03-04", "", 0},
			{"Mine (since removed)", "", "2025-03-01", 0},
			{"Mine (since removed)", "2025-03-02", "2025-03-02", 1},
			{"Mine (since removed)", "", "", 1},
			{"OpenAI", "", "", 0},
			{"OpenAI", "2025-03-04", "2025-03-05", 0},
			{"OpenAI", "2025-03-01", "", 0},
		} {
			name := fmt.Sprintf("%s %q %s..%s", who, c.provider, c.from, c.to)
			rf := Filter{Provider: c.provider, From: c.from, To: c.to}
			if p, err := f.svc.History(ctx, rf); err != nil || len(p.Items) != c.want {
				t.Errorf("%s: History: %d rows, %v; want %d", name, len(p.Items), err, c.want)
			}
			if n, err := f.svc.Count(ctx, rf); err != nil || n != int64(c.want) {
				t.Errorf("%s: Count: %d, %v; want %d", name, n, err, c.want)
			}
			rows := 0
			if err := f.svc.Each(ctx, rf, func(Row) error { rows++; return nil }); err != nil || rows != c.want {
				t.Errorf("%s: Each: %d rows, %v; want %d", name, rows, err, c.want)
			}
			lf := ledger.Filter{Provider: c.provider, From: day(c.from), To: day(c.to)}
			if !lf.To.IsZero() {
				lf.To = lf.To.AddDate(0, 0, 1)
			}
			if p, err := led.History(context.WithoutCancel(ctx), lf); err != nil || len(p.Items) != c.want {
				t.Errorf("%s: ledger History: %d rows, %v; want %d", name, len(p.Items), err, c.want)
			}
		}
	}
}

// TestCreditsHistoryRefusesAnEmptyRangeFirst: a Credits history by provider
// with an empty or inverted date range is refused before the provider's
// rule catches the usage roll-ups up: nothing written (the roll-up state
// and the daily rows are as they were).
func TestCreditsHistoryRefusesAnEmptyRangeFirst(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 1, user: 1, model: "gpt-4o", provider: "Lab", conv: 1, at: "2025-03-02 10:00"},
	)
	led := ledger.New(f.db, f.rec, func() time.Time { return now })
	led.SetProviderCond(f.svc.ProviderCond)
	state := func() string {
		var last, daily int64
		if err := f.db.Read().QueryRow("SELECT (SELECT last_id FROM report_rollup_state WHERE id = 1), (SELECT COUNT(*) FROM report_daily)").Scan(&last, &daily); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(last, " ", daily)
	}
	before := state()
	mar := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, who := range []context.Context{access.WithActor(f.ctx, access.Actor{UserID: 1, Name: "ann", Role: access.RoleMember}),
		access.WithActor(f.ctx, access.Actor{UserID: 9, Name: "ada", Role: access.RoleAdmin})} {
		for _, r := range [][2]time.Time{{mar(3), mar(3)}, {mar(4), mar(2)}} {
			_, err := led.History(who, ledger.Filter{Provider: "Lab", From: r[0], To: r[1]})
			if !errors.Is(err, ledger.ErrInvalidRequest) || !strings.Contains(err.Error(), "is empty") {
				t.Errorf("%v..%v: %v; want the empty range refused", r[0], r[1], err)
			}
			if got := state(); got != before {
				t.Fatalf("%v..%v: roll-ups %s, were %s: written", r[0], r[1], got, before)
			}
		}
	}
	// The same filter with a range finds the charge (and catches up).
	if p, err := led.History(f.ctx, ledger.Filter{Provider: "Lab", From: mar(2), To: mar(3)}); err != nil || len(p.Items) != 1 {
		t.Fatalf("2 March: %d rows, %v", len(p.Items), err)
	}
	if state() == before {
		t.Fatal("the roll-ups were not caught up by a read: the test shows nothing")
	}
}
