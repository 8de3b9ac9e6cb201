package team

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// postMixedUsage posts a seeded mix of a member's usage over n steps of a
// few hours each from start: direct usage, holds posted for part of what
// they held, holds voided, and refunds beside usage, across models
// (a dated snapshot among them) and at odd minutes.
func postMixedUsage(t *testing.T, e *env, m Member, seed int64, n int, start time.Time) {
	t.Helper()
	r := rand.New(rand.NewSource(seed))
	models := []string{"gpt-4o", "gpt-4o-2024-08-06", "claude-sonnet", "deepseek-chat"}
	at := start
	ctx := e.as(actorFor(m))
	for i := range n {
		at = at.Add(time.Duration(r.Intn(5*3600)) * time.Second).Add(time.Duration(r.Intn(1000)) * time.Millisecond)
		e.clock.Set(at)
		model := models[r.Intn(len(models))]
		amount := d(fmt.Sprintf("%d.%03d", r.Intn(5), r.Intn(1000)+1))
		switch r.Intn(4) {
		case 0:
			if err := e.use(m, "pool", model, amount.String()); err != nil {
				t.Fatal(err)
			}
		case 1:
			h, err := e.led.Hold(ctx, ledger.HoldRequest{ID: fmt.Sprintf("qh-%d-%d", seed, i), From: "pool", Amount: amount,
				Dims: ledger.Dims{UserID: m.ID, Model: model}})
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Set(at.Add(time.Duration(r.Intn(120)) * time.Second))
			if _, err := e.led.Post(ctx, ledger.PostRequest{ID: fmt.Sprintf("qp-%d-%d", seed, i), HoldID: h.RequestID,
				Amount: amount.Div(d("2")).Round(9)}); err != nil {
				t.Fatal(err)
			}
		case 2:
			h, err := e.led.Hold(ctx, ledger.HoldRequest{ID: fmt.Sprintf("qv-%d-%d", seed, i), From: "pool", Amount: amount,
				Dims: ledger.Dims{UserID: m.ID, Model: model}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.led.Void(ctx, fmt.Sprintf("qvv-%d-%d", seed, i), h.RequestID); err != nil {
				t.Fatal(err)
			}
		case 3:
			if err := e.use(m, "pool", model, amount.String()); err != nil {
				t.Fatal(err)
			}
			// A refund (from sys:refund: corrections never touch sys:usage)
			// carries the member's id but is no usage.
			if _, err := e.led.Transfer(e.adminCtx(), ledger.TransferRequest{ID: fmt.Sprintf("qr-%d-%d", seed, i), Op: ledger.OpRefund,
				From: ledger.AccountRefund, To: "pool", Amount: amount.Div(d("4")).Round(9), Dims: ledger.Dims{UserID: m.ID, Model: model}}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSpentFromQuartersEqualsTheTransfers: a limit's usage summed from
// team_usage_quarters equals the sum over the ledger's transfers, for days
// and months in zones with whole, half and quarter hour offsets and across
// DST changes (Lord Howe's is half an hour), per model (snapshots counted)
// and in all, with refunds, partly posted and voided holds. (Nothing the
// ledger allows debits sys:usage today; the trigger would count it as a
// reversal, as spentExactly does.)
func TestSpentFromQuartersEqualsTheTransfers(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	e.setup("UTC")
	e.topUp("pool", "100000")
	bob, carol := e.addMember("bob", nil), e.addMember("carol", nil)
	postMixedUsage(t, e, bob, 1, 300, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	postMixedUsage(t, e, carol, 2, 100, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC))
	q := e.db.Read()
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns",
		"Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham"}
	checked := 0
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for now := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC); now.Before(time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)); now = now.Add(61 * time.Hour) {
			for _, period := range []string{PeriodDay, PeriodMonth} {
				start, end, err := periodBounds(now, loc, period)
				if err != nil {
					t.Fatal(err)
				}
				if !onQuarter(start) || !onQuarter(end) {
					t.Fatalf("%s %s period %v – %v is not on quarter hours", zone, period, start, end)
				}
				for _, m := range []Member{bob, carol} {
					for _, model := range []string{"", "gpt-4o", "claude-sonnet"} {
						got, _, err := spent(context.Background(), q, m.ID, model, start, end)
						if err != nil {
							t.Fatal(err)
						}
						modelCond, modelArgs := "", []any{}
						if model != "" {
							modelCond = " AND (t.model = ? OR t.model GLOB ? OR t.model GLOB ?)"
							modelArgs = []any{model, model + "-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]", model + "-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"}
						}
						want, err := spentExactly(context.Background(), q, m.ID, modelCond, modelArgs, start, end)
						if err != nil {
							t.Fatal(err)
						}
						if got != want {
							t.Fatalf("%s %s %s model %q at %v: quarters %d, transfers %d", m.Name, zone, period, model, now, got, want)
						}
						if want != 0 {
							checked++
						}
					}
				}
			}
			// A limit check sums the day and the month in one statement
			// (spentIn): each sum is the exact one.
			day, month := bounds(t, now, loc, PeriodDay), bounds(t, now, loc, PeriodMonth)
			for _, m := range []Member{bob, carol} {
				for _, model := range []string{"", "gpt-4o", "claude-sonnet"} {
					got, _, err := spentIn(context.Background(), q, m.ID, model, []period{day, month})
					if err != nil {
						t.Fatal(err)
					}
					cond, args := modelFilter(model)
					for i, p := range []period{day, month} {
						want, err := spentExactly(context.Background(), q, m.ID, cond, args, p.start, p.end)
						if err != nil {
							t.Fatal(err)
						}
						if got[i] != want {
							t.Fatalf("%s %s model %q at %v, day and month together: period %d sums %d, transfers %d", m.Name, zone, model, now, i, got[i], want)
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d non-zero sums compared", checked)
	}
}

// bounds is periodBounds' current period of kind at now in loc.
func bounds(t *testing.T, now time.Time, loc *time.Location, kind string) period {
	t.Helper()
	start, end, err := periodBounds(now, loc, kind)
	if err != nil {
		t.Fatal(err)
	}
	return period{start, end}
}

// TestUsageQuartersMigrationCountsEarlierUsage: a database from before
// migration 0700 gets its quarters from the usage already posted.
func TestUsageQuartersMigrationCountsEarlierUsage(t *testing.T) {
	e := newEnv(t)
	e.setup("UTC")
	e.topUp("pool", "10000")
	bob := e.addMember("bob", nil)
	postMixedUsage(t, e, bob, 3, 60, time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC))
	snapshot := func(db *store.DB) string {
		rows, err := db.Read().Query(`SELECT user_id, quarter, model, used_minor FROM team_usage_quarters ORDER BY 1, 2, 3`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var u, n int64
			var qtr, model string
			if err := rows.Scan(&u, &qtr, &model, &n); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%d %s %q %d\n", u, qtr, model, n)
		}
		return b.String()
	}
	live := snapshot(e.db)
	if strings.Count(live, "\n") < 10 {
		t.Fatalf("too few quarters: %q", live)
	}
	db := e.reopenAfter(`DROP TRIGGER team_usage_quarters_count`, `DROP TABLE team_usage_quarters`,
		`DELETE FROM schema_migrations WHERE version = 700`)
	defer db.Close()
	if got := snapshot(db); got != live {
		t.Fatalf("after the migration:\n%s\nwant (kept by the trigger):\n%s", got, live)
	}
}

// TestLimitQueriesDoNotScanTheMembersTransfers: the limit checks read the
// quarters and the pending holds by their indexes, never every transfer of
// the member (which made each send slower than the one before).
func TestLimitQueriesDoNotScanTheMembersTransfers(t *testing.T) {
	e := newEnv(t)
	e.setup("UTC")
	var plan []string
	explain := func(query string, args ...any) {
		lines, err := e.db.QueryPlan(context.Background(), query, args...)
		if err != nil {
			t.Fatal(err)
		}
		plan = append(plan, lines...)
	}
	// The statements a check runs: a day and a month, with and without a
	// model filter.
	day := period{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	month := period{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	for _, model := range []string{"", "gpt-4o"} {
		query, args, quarters := spentQuery(1, model, []period{day, month})
		if !quarters {
			t.Fatal("a day and a month in UTC are not on quarter hours")
		}
		explain(query, args...)
	}
	all := strings.Join(plan, "\n")
	for _, want := range []string{"SEARCH t USING PRIMARY KEY (user_id=? AND quarter>? AND quarter<?)", "SCAN h USING INDEX ledger_holds_pending"} {
		if !strings.Contains(all, want) {
			t.Errorf("plan lacks %q:\n%s", want, all)
		}
	}
	// Each pending hold's transfer is found by its id, not by walking the
	// member's transfers.
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN t") || strings.HasPrefix(line, "SEARCH t") && strings.Contains(line, "ledger_transfers") && !strings.Contains(line, "id=?") {
			t.Errorf("a limit query walks the member's transfers: %s\n%s", line, all)
		}
	}
}

// TestUsageAtMidnightCountsOnTheNewDay: a period is [start, end): usage
// recorded at the last instant of a day counts on that day, usage recorded
// at midnight on the next, summed from the quarter hours (spentIn) and from
// the transfers (spentExactly) alike.
func TestUsageAtMidnightCountsOnTheNewDay(t *testing.T) {
	e := newEnv(t)
	midnight := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	e.clock.Set(midnight.Add(-time.Hour))
	e.setup("UTC")
	e.topUp("pool", "100")
	bob := e.addMember("bob", nil)
	for _, u := range []struct {
		at     time.Time
		amount string
	}{{midnight.Add(-time.Millisecond), "1"}, {midnight, "2"}, {midnight.Add(24*time.Hour - time.Millisecond), "4"}} {
		e.clock.Set(u.at)
		if err := e.use(bob, "pool", "gpt-4o", u.amount); err != nil {
			t.Fatal(err)
		}
	}
	q := e.db.Read()
	cond, args := modelFilter("")
	for _, c := range []struct {
		day  time.Time
		want string
	}{{midnight.Add(-time.Hour), "1"}, {midnight, "6"}, {midnight.Add(24 * time.Hour), "0"}} {
		p := bounds(t, c.day, time.UTC, PeriodDay)
		got, _, err := spentIn(context.Background(), q, bob.ID, "", []period{p})
		if err != nil {
			t.Fatal(err)
		}
		exact, err := spentExactly(context.Background(), q, bob.ID, cond, args, p.start, p.end)
		if err != nil {
			t.Fatal(err)
		}
		if money.MinorString(got[0]) != c.want || money.MinorString(exact) != c.want {
			t.Errorf("day of %v: quarters %s, transfers %s; want %s", c.day, money.MinorString(got[0]), money.MinorString(exact), c.want)
		}
	}
}
