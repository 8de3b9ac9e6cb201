package team

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

func TestLimitValidation(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	for name, l := range map[string]Limit{
		"unknown kind":     {UserID: bob.ID, Kind: "weekly", Amount: "1"},
		"negative":         {UserID: bob.ID, Kind: LimitDaily, Amount: "-1"},
		"too precise":      {UserID: bob.ID, Kind: LimitDaily, Amount: "0.0000000001"},
		"not a number":     {UserID: bob.ID, Kind: LimitDaily, Amount: "ten"},
		"exponent":         {UserID: bob.ID, Kind: LimitDaily, Amount: "1e3"},
		"model no name":    {UserID: bob.ID, Kind: LimitModel, Amount: "1"},
		"model bad period": {UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Period: "week", Amount: "1"},
		"unknown member":   {UserID: 999, Kind: LimitDaily, Amount: "1"},
	} {
		t.Run(name, func(t *testing.T) {
			before := dump(t, e.db)
			if _, err := e.svc.SetLimit(e.adminCtx(), l); err == nil {
				t.Fatal("accepted")
			}
			if dump(t, e.db) != before {
				t.Fatal("a rejected limit wrote")
			}
		})
	}
}

// TestLimitBoundaries: a send that reaches the limit exactly passes; one
// minor unit more is refused with the limit and its reset time. A model's
// limit covers its dated snapshots (priced by its rate row too), and not a
// model whose name merely starts the same.
func TestLimitBoundaries(t *testing.T) {
	for _, c := range []struct {
		kind, model, period string
	}{
		{LimitDaily, "", PeriodDay},
		{LimitMonthly, "", PeriodMonth},
		{LimitModel, "gpt-4o", PeriodDay},
		{LimitModel, "gpt-4o", PeriodMonth},
	} {
		t.Run(c.kind+c.period, func(t *testing.T) {
			e := newEnv(t).setup("Europe/Berlin")
			bob := e.addMember("bob", nil)
			e.topUp("pool", "1000")
			l := Limit{UserID: bob.ID, Kind: c.kind, Model: c.model, Amount: "10"}
			if c.kind == LimitModel {
				l.Period = c.period // a daily or monthly limit's period is its kind's
			}
			if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
				t.Fatal(err)
			}
			if err := e.use(bob, "pool", "gpt-4o-2024-08-06", "6"); err != nil {
				t.Fatal(err)
			}
			if err := e.hold(bob, "pool", "gpt-4o-20240806", "3"); err != nil {
				t.Fatal(err)
			}
			// 6 used + 3 held + 1 = 10: exactly at the limit.
			if err := e.hold(bob, "pool", "gpt-4o", "1"); err != nil {
				t.Fatalf("hold reaching the limit exactly: %v", err)
			}
			err := e.hold(bob, "pool", "gpt-4o-2024-11-20", "0.000000001")
			var le *LimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrLimitExceeded) {
				t.Fatalf("over the limit: %v", err)
			}
			if le.Limit != c.kind || le.Amount != "10" || le.Used != "10" || le.TimeZone != "Europe/Berlin" {
				t.Fatalf("limit error %+v", le)
			}
			loc, _ := time.LoadLocation("Europe/Berlin")
			_, end, _ := periodBounds(e.clock.Now(), loc, c.period)
			if !le.ResetsAt.Equal(end) {
				t.Fatalf("resets at %v, want %v", le.ResetsAt, end)
			}
			if c.kind == LimitModel {
				// Another model is not limited by a model limit.
				if err := e.hold(bob, "pool", "gpt-4o-mini", "5"); err != nil {
					t.Fatalf("other model: %v", err)
				}
			}
			// Nothing was written by the refused hold: pending is 4 (+5 for the other model).
			st, err := e.svc.Limits(e.as(actorFor(bob)), bob.ID)
			if err != nil || len(st) != 1 {
				t.Fatal(st, err)
			}
			if st[0].Used != "6" || st[0].Pending != "4" || st[0].Remaining != "0" {
				t.Fatalf("status %+v", st[0])
			}
		})
	}
}

func TestLimitRefusesDisabledMember(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "100")
	if _, err := e.svc.DisableMember(e.adminCtx(), bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.hold(bob, "pool", "m", "1"); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled member hold: %v", err)
	}
}

// TestLimitConcurrentHolds: many goroutines take holds at once through the
// guard; the total held never exceeds the limit.
func TestLimitConcurrentHolds(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "10000")
	if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "20"}); err != nil {
		t.Fatal(err)
	}
	const n = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := e.hold(bob, "pool", "m", "1.5")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrLimitExceeded):
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 13 || refused != n-13 { // 13 x 1.5 = 19.5 <= 20 < 21
		t.Fatalf("ok=%d refused=%d, want 13 and %d", ok, refused, n-13)
	}
	var pending int64
	if err := e.db.Read().QueryRow("SELECT pending_minor FROM ledger_accounts WHERE code = 'pool'").Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if money.MinorString(pending) != "19.5" {
		t.Fatalf("pending %s, want 19.5", money.MinorString(pending))
	}
}

// TestLimitResets: usage counts until local midnight (day) or the first of
// the month, in the workspace's zone, across DST changes.
func TestLimitResets(t *testing.T) {
	for _, c := range []struct {
		name, zone, period string
		use                time.Time // when the usage is posted (UTC)
		resets             time.Time // expected reset instant (UTC)
	}{
		{"Berlin spring-forward day (23h)", "Europe/Berlin", PeriodDay,
			time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC)},
		{"Berlin month across DST", "Europe/Berlin", PeriodMonth,
			time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC)},
		{"New York fall-back day (25h)", "America/New_York", PeriodDay,
			time.Date(2026, 11, 1, 4, 30, 0, 0, time.UTC), time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC)},
		{"New York month", "America/New_York", PeriodMonth,
			time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC)},
		{"Auckland spring-forward day", "Pacific/Auckland", PeriodDay,
			time.Date(2026, 9, 26, 12, 30, 0, 0, time.UTC), time.Date(2026, 9, 27, 11, 0, 0, 0, time.UTC)},
		{"Auckland month (UTC still in previous month)", "Pacific/Auckland", PeriodMonth,
			time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 11, 0, 0, 0, time.UTC)},
		{"UTC day", "UTC", PeriodDay,
			time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC)},
		{"UTC month (leap February)", "UTC", PeriodMonth,
			time.Date(2028, 2, 29, 23, 59, 0, 0, time.UTC), time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.clock.Set(c.use.Add(-time.Hour))
			e.setup(c.zone)
			bob := e.addMember("bob", nil)
			e.topUp("pool", "1000")
			kind := LimitDaily
			if c.period == PeriodMonth {
				kind = LimitMonthly
			}
			if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: kind, Amount: "10"}); err != nil {
				t.Fatal(err)
			}
			e.clock.Set(c.use)
			if err := e.use(bob, "pool", "m", "8"); err != nil {
				t.Fatal(err)
			}
			// One millisecond before the reset the usage still counts.
			e.clock.Set(c.resets.Add(-time.Millisecond))
			err := e.hold(bob, "pool", "m", "3")
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("before the reset: %v", err)
			}
			if !le.ResetsAt.Equal(c.resets) {
				t.Fatalf("ResetsAt %v, want %v", le.ResetsAt.UTC(), c.resets)
			}
			if le.ResetsAt.Location().String() != c.zone {
				t.Fatalf("ResetsAt zone %v", le.ResetsAt.Location())
			}
			// At the reset the old usage no longer counts.
			e.clock.Set(c.resets)
			if err := e.hold(bob, "pool", "m", "3"); err != nil {
				t.Fatalf("after the reset: %v", err)
			}
		})
	}
}

func TestLimitErrorMessage(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	le := &LimitError{Limit: LimitDaily, Amount: "10", Used: "9.5", Requested: "1", ResetsAt: time.Date(2026, 3, 30, 0, 0, 0, 0, loc), TimeZone: "Europe/Berlin"}
	for _, c := range []struct {
		le   LimitError
		want string
	}{
		{*le, "this send may cost up to 1.00 credits, more than the 0.50 left of the daily limit of 10.00 credits (used 9.50); " +
			"a smaller output budget (max tokens) may let it through, or the limit resets 2026-03-30 00:00 (Europe/Berlin)"},
		{LimitError{Limit: LimitDaily, Amount: "10", Used: "10", Requested: "1", ResetsAt: le.ResetsAt, TimeZone: "Europe/Berlin"},
			"daily limit of 10.00 credits reached (used 10.00); it resets 2026-03-30 00:00 (Europe/Berlin)"},
		// A limit of 0 (an admin's block): no reset helps, an admin can
		// raise it; of a model too, with another limit resetting later,
		// and with the send's least hold known (the chat's).
		// It refuses paid sends: a free model's holds nothing and passes
		// while nothing is used in the period ("no send fits it" was not
		// true); once something is, no send fits, a free one neither.
		{LimitError{Limit: LimitDaily, Amount: "0", Used: "0", Requested: "1", ResetsAt: le.ResetsAt, TimeZone: "Europe/Berlin"},
			"daily limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)"},
		{LimitError{Limit: LimitModel, Model: "gpt-4o", Amount: "0", Used: "0", Requested: "1", ResetsAt: le.ResetsAt,
			RetryAt: le.ResetsAt.AddDate(0, 1, 0), TimeZone: "Europe/Berlin"},
			"limit for gpt-4o is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)"},
		{LimitError{Limit: LimitMonthly, Amount: "0", Used: "0", Requested: "1", Prompt: "0.5", Least: "0.6", Floor: "0.1",
			ResetsAt: le.ResetsAt, TimeZone: "Europe/Berlin"},
			"monthly limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)"},
		{LimitError{Limit: LimitDaily, Amount: "0", Used: "1", Requested: "0", ResetsAt: le.ResetsAt, TimeZone: "Europe/Berlin"},
			"daily limit is 0 credits, so no send fits it until an admin raises it (its reset does not help)"},
		// Nothing used, but one send's worst case is more than the limit:
		// not "reached"; and a zone named once.
		{LimitError{Limit: LimitModel, Model: "gpt-4o", Amount: "0.5", Used: "0", Requested: "0.6154",
			ResetsAt: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), TimeZone: "UTC"},
			"this send may cost up to 0.6154 credits, more than the 0.50 left of the limit for gpt-4o of 0.50 credits (used 0.00); " +
				"a smaller output budget (max tokens) may let it through, or the limit resets 2026-11-23 00:00 (UTC)"},
	} {
		if got := c.le.Error(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
	_ = context.Background()
}

// TestAZeroLimitIsNamedAndNeverResets: a send refused by a limit of 0 and
// by another limit as tight (reached) is refused in the 0 limit's words,
// though the other resets later: no reset lets it through (ResetHelps
// false), only an admin raising it does.
func TestAZeroLimitIsNamedAndNeverResets(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC))
	e.setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "1000")
	if err := e.use(bob, "pool", "m", "10"); err != nil {
		t.Fatal(err)
	}
	for _, l := range []Limit{{UserID: bob.ID, Kind: LimitMonthly, Amount: "10"}, {UserID: bob.ID, Kind: LimitDaily, Amount: "0"}} {
		if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
			t.Fatal(err)
		}
	}
	var le *LimitError
	if err := e.hold(bob, "pool", "m", "1"); !errors.As(err, &le) {
		t.Fatalf("hold: %v", err)
	}
	if le.Limit != LimitDaily || le.ResetHelps() ||
		le.Error() != "daily limit is 0 credits, so no send fits it until an admin raises it (its reset does not help)" {
		t.Fatalf("refused by %s (ResetHelps %v): %q", le.Limit, le.ResetHelps(), le.Error())
	}
}

// TestLimitErrorAPIMessage: the local API's words for a limit's refusal
// (the gateway's 429): which limit of the key's member, with its amount,
// period and use, whether it is reached or only this request's worst case
// would cross it (max_tokens, the API's field, not the window's "output
// budget"), and when it resets (RFC 3339, and the workspace's time when
// its zone is not UTC); nothing of the window's ("send") and no wrapping
// context.
func TestLimitErrorAPIMessage(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	berlin := time.Date(2026, 3, 30, 0, 0, 0, 0, loc)
	utc := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	etc, _ := time.LoadLocation("Etc/UTC")
	for _, c := range []struct {
		le   LimitError
		want string
	}{
		{LimitError{Limit: LimitDaily, Amount: "10", Used: "9.5", Requested: "1", ResetsAt: berlin, TimeZone: "Europe/Berlin"},
			"This request may cost up to 1 credit, more than the 0.5 left of the daily spending limit of this API key's member " +
				"(10 credits a day, 9.5 used). A smaller max_tokens may let it through; otherwise retry after the limit resets " +
				"at 2026-03-29T22:00:00Z (Mon 30 Mar 2026 00:00 CEST, time zone Europe/Berlin)."},
		{LimitError{Limit: LimitMonthly, Period: PeriodMonth, Amount: "10", Used: "10", Requested: "1", ResetsAt: utc, TimeZone: "UTC"},
			"The monthly spending limit of this API key's member (10 credits a month, 10 used) is reached. " +
				"It resets at 2026-11-23T00:00:00Z; retry then."},
		{LimitError{Limit: LimitModel, Model: "gpt-4o", Period: PeriodDay, Amount: "0.5", Used: "0.5", Requested: "0.6154",
			ResetsAt: utc, TimeZone: "UTC"},
			"The spending limit for gpt-4o of this API key's member (0.5 credits a day, 0.5 used) is reached. " +
				"It resets at 2026-11-23T00:00:00Z; retry then."},
		{LimitError{Limit: LimitDaily, Amount: "10", Used: "10", Requested: "1", ResetsAt: utc.In(etc), TimeZone: "Etc/UTC"},
			"The daily spending limit of this API key's member (10 credits a day, 10 used) is reached. " +
				"It resets at 2026-11-23T00:00:00Z; retry then."},
		{LimitError{Limit: LimitDaily, Amount: "0", Used: "0", Requested: "1", ResetsAt: utc, TimeZone: "UTC"},
			"The daily spending limit of this API key's member (0 credits a day, 0 used) is 0, so no paid request fits it until an admin " +
				"raises it; its reset does not help."},
		{LimitError{Limit: LimitDaily, Amount: "0", Used: "0.5", Requested: "0", ResetsAt: utc, TimeZone: "UTC"},
			"The daily spending limit of this API key's member (0 credits a day, 0.5 used) is 0, so no request fits it until an admin " +
				"raises it; its reset does not help."},
		{LimitError{Limit: LimitModel, Model: "gpt-4o", Amount: "0.5", Used: "0", Requested: "0.6154", ResetsAt: utc, TimeZone: "UTC"},
			"This request may cost up to 0.6154 credits, more than the 0.5 left of the spending limit for gpt-4o of this API key's " +
				"member (0.5 credits a month, 0 used). A smaller max_tokens may let it through; otherwise retry after the limit " +
				"resets at 2026-11-23T00:00:00Z."},
	} {
		got := c.le.APIMessage()
		if got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
		for _, window := range []string{"send", "output budget", "max tokens", "Settings", "meterdesk "} {
			if strings.Contains(got, window) {
				t.Errorf("%q speaks of %q", got, window)
			}
		}
	}
}

// TestPrecheckLimitsAgreesWithTheGuard: the read-only check says what the
// hold's Guard would, reserves nothing, and says whether a limit applies.
func TestPrecheckLimitsAgreesWithTheGuard(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", nil)
	e.topUp("pool", "1000")
	if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Period: PeriodDay, Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(bob, "pool", "gpt-4o", "6"); err != nil {
		t.Fatal(err)
	}
	ctx := e.as(actorFor(bob))
	for _, c := range []struct {
		user          int64
		model, amount string
		limited, over bool
	}{
		{bob.ID, "gpt-4o", "4", true, false},  // 6 + 4 = 10: at the limit
		{bob.ID, "gpt-4o", "4.5", true, true}, // over it
		{bob.ID, "claude", "500", false, false},
		{carol.ID, "gpt-4o", "500", false, false},
	} {
		limited, err := e.svc.PrecheckLimits(ctx, c.user, c.model, d(c.amount))
		if limited != c.limited || errors.Is(err, ErrLimitExceeded) != c.over || (err != nil && !c.over) {
			t.Errorf("precheck %d %s %s = %v, %v", c.user, c.model, c.amount, limited, err)
		}
		m := bob
		if c.user == carol.ID {
			m = carol
		}
		if gerr := e.hold(m, "pool", c.model, c.amount); errors.Is(gerr, ErrLimitExceeded) != c.over {
			t.Errorf("guard %d %s %s = %v, the precheck said over=%v", c.user, c.model, c.amount, gerr, c.over)
		}
	}
	if _, err := e.svc.DisableMember(e.adminCtx(), carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PrecheckLimits(ctx, carol.ID, "gpt-4o", d("1")); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled member precheck: %v", err)
	}
}

// TestPeriodBoundsWhereMidnightIsSkipped: in America/Santiago the clocks go
// from 00:00 -04 to 01:00 -03 on 2026-09-06, so Sep 5 ends, and Sep 6 and
// the day's limits begin, at 04:00 UTC; before, the period started at
// 03:00 UTC (23:00 of Sep 5), counting Sep 5's last hour on Sep 6 and
// showing a reset time already in the past.
func TestPeriodBoundsWhereMidnightIsSkipped(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct {
		now, period, start, end string
	}{
		{"2026-09-06T03:40:00Z", PeriodDay, "2026-09-05T04:00:00Z", "2026-09-06T04:00:00Z"},
		{"2026-09-06T04:30:00Z", PeriodDay, "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z"},
		{"2026-09-06T04:30:00Z", PeriodMonth, "2026-09-01T04:00:00Z", "2026-10-01T03:00:00Z"},
	} {
		start, end, err := periodBounds(at(c.now), loc, c.period)
		if err != nil || !start.Equal(at(c.start)) || !end.Equal(at(c.end)) {
			t.Errorf("%s %s: [%s, %s) %v; want [%s, %s)", c.now, c.period, start.UTC().Format(time.RFC3339),
				end.UTC().Format(time.RFC3339), err, c.start, c.end)
		}
	}
}

// TestSetLimitBelowWhatIsUsed: a limit set at or below what the member has
// already used in its period (sends in flight counted) comes back with a
// note that their sends are refused until it resets; one above it, or a
// limit of 0 on nothing used, has none.
func TestSetLimitBelowWhatIsUsed(t *testing.T) {
	e := newEnv(t).setup("Europe/Berlin")
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", nil)
	e.topUp("pool", "1000")
	if err := e.use(bob, "pool", "gpt-4o", "15"); err != nil {
		t.Fatal(err)
	}
	if err := e.hold(bob, "pool", "gpt-4o", "5"); err != nil { // a send in flight
		t.Fatal(err)
	}
	// 2026-06-15 12:00 UTC: Monday in Berlin (CEST).
	for _, c := range []struct {
		l    Limit
		want string
	}{
		{Limit{UserID: bob.ID, Kind: LimitMonthly, Amount: "10"},
			"bob has already used 20.00 credits this month (the limit is 10.00): their sends are refused until it resets 2026-07-01 00:00 (Europe/Berlin)"},
		{Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "20"},
			"bob has already used 20.00 credits today (the limit is 20.00): their sends are refused until it resets 2026-06-16 00:00 (Europe/Berlin)"},
		{Limit{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Period: PeriodDay, Amount: "0"},
			"bob has already used 20.00 credits on gpt-4o today (the limit is 0.00): their sends to gpt-4o are refused until an admin raises it (its reset does not help a limit of 0)"},
		{Limit{UserID: bob.ID, Kind: LimitMonthly, Amount: "20.5"}, ""},
		{Limit{UserID: bob.ID, Kind: LimitModel, Model: "o3", Amount: "1"}, ""},
		{Limit{UserID: carol.ID, Kind: LimitDaily, Amount: "0"}, ""},
	} {
		got, err := e.svc.SetLimit(e.adminCtx(), c.l)
		if err != nil || got.Note != c.want {
			t.Errorf("%s %s %s: note %q, %v\nwant %q", c.l.Kind, c.l.Model, c.l.Amount, got.Note, err, c.want)
		}
	}
	// The note is the answer's, not the limit's: neither stored nor logged.
	ls, err := e.svc.Limits(e.adminCtx(), bob.ID)
	if err != nil || len(ls) != 4 {
		t.Fatalf("bob's limits: %+v, %v; want the 4 set above", ls, err)
	}
	for _, l := range ls {
		if l.Note != "" {
			t.Fatalf("limits list carries a note: %+v", l)
		}
	}
	// What each leaves: never below 0, also where bob is over the limit
	// (15 used and 5 held on gpt-4o).
	for _, w := range []struct{ key, used, pending, remaining string }{
		{"daily", "15", "5", "0"}, {"monthly", "15", "5", "0.5"}, {"model gpt-4o", "15", "5", "0"}, {"model o3", "0", "0", "1"},
	} {
		found := false
		for _, l := range ls {
			if strings.TrimSpace(l.Kind+" "+l.Model) != w.key {
				continue
			}
			found = true
			if l.Used != w.used || l.Pending != w.pending || l.Remaining != w.remaining {
				t.Errorf("%s: used %s pending %s remaining %s, want %s, %s, %s", w.key, l.Used, l.Pending, l.Remaining, w.used, w.pending, w.remaining)
			}
		}
		if !found {
			t.Errorf("no %s limit in %+v", w.key, ls)
		}
	}
	for model, want := range map[string]string{"gpt-4o": "0", "o3": "0"} {
		if left, limited, err := e.svc.LimitsLeft(e.adminCtx(), bob.ID, model); err != nil || !limited || left.String() != want {
			t.Errorf("LimitsLeft(%s) = %s, %v, %v; want %s (the daily limit is used up)", model, left, limited, err, want)
		}
	}
	var logged, set int
	if err := e.db.Read().QueryRow("SELECT count(*), count(*) FILTER (WHERE after_json LIKE '%note%') FROM audit_log WHERE action LIKE 'limit.%'").Scan(&set, &logged); err != nil || set == 0 {
		t.Fatalf("the limits' audit entries: %d, %v", set, err)
	}
	if logged != 0 {
		t.Fatalf("%d audit entries carry the note", logged)
	}
}

// TestPostedHoldCountsOnce: a hold counts against the limits while it is
// pending and, once posted, only what it posted counts, as usage: the
// hold is no longer pending (counted twice, a member would be refused early).
func TestPostedHoldCountsOnce(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "100")
	if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	ctx := e.as(actorFor(bob))
	if _, err := e.led.Hold(ctx, ledger.HoldRequest{ID: "send-1", From: "pool", Amount: d("4"),
		Dims: ledger.Dims{UserID: bob.ID, Model: "gpt-4o"}, Guard: e.svc.LimitGuard(bob.ID, "gpt-4o", d("4"))}); err != nil {
		t.Fatal(err)
	}
	check := func(used, pending, left string) {
		t.Helper()
		ls, err := e.svc.Limits(ctx, bob.ID)
		if err != nil || len(ls) != 1 || ls[0].Used != used || ls[0].Pending != pending || ls[0].Remaining != left {
			t.Fatalf("limits %+v, %v; want used %s pending %s remaining %s", ls, err, used, pending, left)
		}
		if l, _, err := e.svc.LimitsLeft(ctx, bob.ID, "gpt-4o"); err != nil || l.String() != left {
			t.Fatalf("LimitsLeft = %s, %v; want %s", l, err, left)
		}
	}
	check("0", "4", "6")
	if _, err := e.led.Post(ctx, ledger.PostRequest{ID: "post-1", HoldID: "send-1", Amount: d("3")}); err != nil {
		t.Fatal(err)
	}
	check("3", "0", "7")
	if err := e.hold(bob, "pool", "gpt-4o", "7"); err != nil {
		t.Fatalf("a hold of the 7 left: %v", err)
	}
}

// TestLimitRoom: the room a charge with no hold (chat's reply that outlived
// its hold) has under a member's limits, by the guard's rule: want when it
// fits, else the least room any limit on the model leaves (never below
// 0), with that limit's error. The periods are those around the instant
// the charge is recorded at, not the service's clock: in Berlin, 22:30 UTC
// on June 15 is already June 16, and 22:30 UTC on June 30 is July. A
// member with no limits, or no longer active, is not refused.
func TestLimitRoom(t *testing.T) {
	e := newEnv(t).setup("Europe/Berlin") // the clock: 2026-06-15 12:00 UTC, 14:00 in Berlin
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", nil)
	dave := e.addMember("dave", nil)
	e.topUp("pool", "1000")
	for _, l := range []Limit{
		{UserID: bob.ID, Kind: LimitDaily, Amount: "10"},
		{UserID: bob.ID, Kind: LimitMonthly, Amount: "25"},
		{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Period: PeriodDay, Amount: "8"},
		{UserID: dave.ID, Kind: LimitDaily, Amount: "0"},
	} {
		if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set(time.Date(2026, 6, 14, 12, 0, 0, 0, time.UTC)) // the day before: counts in June only
	if err := e.use(bob, "pool", "claude", "12"); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
	if err := e.use(bob, "pool", "gpt-4o-2024-08-06", "6"); err != nil {
		t.Fatal(err)
	}
	if err := e.hold(bob, "pool", "gpt-4o", "1"); err != nil { // pending, counted in every period
		t.Fatal(err)
	}
	noon := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		user  int64
		model string
		at    time.Time
		want  string
		fit   string
		limit string // the limit refusing want ("" = it fits)
		used  string // that limit's used + pending
	}{
		{"fits", bob.ID, "claude", noon, "2", "2", "", ""},
		{"exactly the daily room", bob.ID, "claude", noon, "3", "3", "", ""},
		{"one minor unit more: the daily room", bob.ID, "claude", noon, "3.000000001", "3", LimitDaily, "7"},
		{"past the daily limit: its room", bob.ID, "claude", noon, "5", "3", LimitDaily, "7"},
		{"the model's limit is tighter", bob.ID, "gpt-4o", noon, "2", "1", LimitModel, "7"},
		{"a dated snapshot counts under its model's limit", bob.ID, "gpt-4o-2024-11-20", noon, "2", "1", LimitModel, "7"},
		{"late on the same Berlin day", bob.ID, "claude", time.Date(2026, 6, 15, 21, 30, 0, 0, time.UTC), "5", "3", LimitDaily, "7"},
		{"after Berlin's midnight: the new day's room", bob.ID, "claude", time.Date(2026, 6, 15, 22, 30, 0, 0, time.UTC), "5", "5", "", ""},
		{"the new day, the model's new room", bob.ID, "gpt-4o", time.Date(2026, 6, 15, 22, 30, 0, 0, time.UTC), "5", "5", "", ""},
		{"the new day, still June: the month's room is the least", bob.ID, "gpt-4o", time.Date(2026, 6, 15, 22, 30, 0, 0, time.UTC), "9", "6", LimitMonthly, "19"},
		{"June's room on its last day", bob.ID, "claude", time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC), "20", "6", LimitMonthly, "19"},
		{"July in Berlin: the new month's room", bob.ID, "claude", time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "20", "9", LimitDaily, "1"},
		{"a limit of 0: nothing", dave.ID, "claude", noon, "1", "0", LimitDaily, "0"},
		{"nothing asked", bob.ID, "gpt-4o", noon, "0", "0", "", ""},
		{"no limits", carol.ID, "gpt-4o", noon, "500", "500", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var fit decimal.Decimal
			var lerr error
			if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
				fit, lerr = e.svc.LimitRoom(c.user, c.model)(context.Background(), tx, c.at, d(c.want))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var le *LimitError
			switch {
			case !fit.Equal(d(c.fit)):
				t.Fatalf("room %s, want %s (%v)", fit, c.fit, lerr)
			case c.limit == "" && lerr != nil:
				t.Fatalf("fits, but %v", lerr)
			case c.limit != "" && (!errors.As(lerr, &le) || !errors.Is(lerr, ErrLimitExceeded) || le.Limit != c.limit ||
				le.Used != c.used || le.Requested != c.want):
				t.Fatalf("%v (%+v), want the %s limit with %s used", lerr, le, c.limit, c.used)
			}
			if le != nil {
				loc, _ := time.LoadLocation("Europe/Berlin")
				period := PeriodDay
				if le.Limit == LimitMonthly {
					period = PeriodMonth
				}
				if _, end, _ := periodBounds(c.at, loc, period); !le.ResetsAt.Equal(end) {
					t.Fatalf("resets at %v, want %v (the period around %v)", le.ResetsAt, end, c.at)
				}
			}
		})
	}
	if _, err := e.svc.DisableMember(e.adminCtx(), bob.ID); err != nil {
		t.Fatal(err)
	}
	var fit decimal.Decimal
	var lerr error
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		fit, lerr = e.svc.LimitRoom(bob.ID, "claude")(context.Background(), tx, noon, d("2"))
		return nil
	}); err != nil || lerr != nil || !fit.Equal(d("2")) {
		t.Fatalf("a disabled member's room: %s, %v, %v; want 2 (what was delivered is owed)", fit, lerr, err)
	}
}

// TestModelLimitCoversEverySnapshotForm: a model's limit counts each
// snapshot name its rate row prices (rates.IsSnapshotOf): Gemini's
// "-001", OpenAI's "-0613", Vertex AI's "@20251001", in the sums of the
// database (SnapshotGlobs) as in the pending holds; not another model
// whose name starts the same (gemini-2.0-flash-lite-001).
func TestModelLimitCoversEverySnapshotForm(t *testing.T) {
	e := newEnv(t).setup("Europe/Berlin")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "1000")
	if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitModel, Model: "gemini-2.0-flash", Period: PeriodDay, Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(bob, "pool", "gemini-2.0-flash-001", "4"); err != nil {
		t.Fatal(err)
	}
	if err := e.use(bob, "pool", "gemini-2.0-flash-0613", "2"); err != nil {
		t.Fatal(err)
	}
	if err := e.hold(bob, "pool", "gemini-2.0-flash@20251001", "3"); err != nil {
		t.Fatal(err)
	}
	if err := e.use(bob, "pool", "gemini-2.0-flash-lite-001", "50"); err != nil { // another model
		t.Fatal(err)
	}
	// 4 + 2 used + 3 held + 1 = 10: exactly at the limit.
	if err := e.hold(bob, "pool", "gemini-2.0-flash", "1"); err != nil {
		t.Fatalf("hold reaching the limit exactly: %v", err)
	}
	var le *LimitError
	if err := e.hold(bob, "pool", "gemini-2.0-flash-002", "0.000000001"); !errors.As(err, &le) || le.Used != "10" {
		t.Fatalf("over the limit: %v", err)
	}
}

// TestTheTightestLimitIsReported: a send over several limits is refused
// with the one that leaves the least room, whatever the order of the
// limits: its room is what a smaller output budget must fit in (a review
// found the daily limit's room named, and that budget refused by the
// monthly limit). A prompt over several of them can be sent after the
// last of their resets.
func TestTheTightestLimitIsReported(t *testing.T) {
	july := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) // the month's reset; the day's is 16 June
	for _, c := range []struct {
		name           string
		daily, monthly string
		want, prompt   string
		limit, left    string
		sendable       time.Time // zero: ResetsAt
		retry          time.Time // RetryAt; zero: ResetsAt
		says, apiSays  string    // in Error and APIMessage ("": not checked)
	}{
		{"the monthly leaves less", "1", "0.5", "0.8", "0.016", LimitMonthly, "0.5", time.Time{}, time.Time{}, "", ""},
		{"the daily leaves less, the monthly not broken", "0.5", "2", "1.5", "0.016", LimitDaily, "0.5", time.Time{}, time.Time{}, "", ""},
		{"both broken, the prompt fits: a retry waits for the month", "1", "2", "4", "0.016", LimitDaily, "1", time.Time{}, july, "", ""},
		{"prompt over the daily only: the day's reset", "0.01", "0.02", "1", "0.016", LimitDaily, "0.01", time.Time{}, july,
			"it can be sent with a smaller output budget (max tokens) after the limit resets 2026-06-16 00:00 (UTC), " +
				"and as it is after 2026-07-01 00:00 (UTC), when the other limits it is over reset too",
			"A smaller max_tokens may let it through at 2026-06-16T00:00:00Z; otherwise retry after 2026-07-01T00:00:00Z, " +
				"when the other limits it is over reset too."},
		{"prompt over both: the month's reset", "0.01", "0.02", "1", "0.03", LimitDaily, "0.01", july, july, "", ""},
		{"equal room: the one that resets last", "0.5", "0.5", "1", "0.016", LimitMonthly, "0.5", time.Time{}, time.Time{}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			bob := e.addMember("bob", nil)
			for _, l := range []Limit{{UserID: bob.ID, Kind: LimitDaily, Amount: c.daily}, {UserID: bob.ID, Kind: LimitMonthly, Amount: c.monthly}} {
				if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
					t.Fatal(err)
				}
			}
			_, err := e.svc.PrecheckLimits(e.as(actorFor(bob)), bob.ID, "gpt-4o", d(c.want))
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("precheck: %v, want a *LimitError", err)
			}
			if left, _ := le.Left(); le.Limit != c.limit || left.String() != c.left {
				t.Fatalf("reported the %s limit with %s left, want the %s with %s", le.Limit, left, c.limit, c.left)
			}
			le.Prompt = c.prompt
			want := c.sendable
			if want.IsZero() {
				want = le.ResetsAt
			}
			if got := le.sendableAt(); !got.Equal(want) {
				t.Errorf("sendable at %s, want %s", got, want)
			}
			retry := c.retry
			if retry.IsZero() {
				retry = le.ResetsAt
			}
			if got := le.RetryAt; !got.Equal(retry) {
				t.Errorf("retry at %s, want %s", got, retry)
			}
			if later := retry.After(le.ResetsAt); later != strings.Contains(le.APIMessage(), "2026-07-01T00:00:00Z, when the other limits it is over reset too") {
				t.Errorf("API message %q: says the month's reset = %v, want %v", le.APIMessage(), !later, later)
			}
			if !c.sendable.IsZero() && !strings.Contains(le.Error(), "it can be sent after 2026-07-01 00:00 (UTC), when the other limits it is over reset too") {
				t.Errorf("message %q does not say the month's reset", le.Error())
			}
			// The window's and the CLI's JSON say RetryAt as "retryAt",
			// beside the named limit's "resetsAt".
			b, err := json.Marshal(le)
			if err != nil || !strings.Contains(string(b), `"retryAt":"`+retry.Format(time.RFC3339)+`"`) ||
				!strings.Contains(string(b), `"resetsAt":"`+le.ResetsAt.Format(time.RFC3339)+`"`) {
				t.Errorf("JSON %s (%v): want resetsAt %s, retryAt %s", b, err, le.ResetsAt, retry)
			}
			// A prompt over some limits only: a smaller budget passes once
			// they reset, the send as it is at RetryAt; both said.
			if c.says != "" && (!strings.Contains(le.Error(), c.says) || !strings.Contains(le.APIMessage(), c.apiSays)) {
				t.Errorf("message %q\nAPI %q\nwant %q and %q", le.Error(), le.APIMessage(), c.says, c.apiSays)
			}
		})
	}
}

// TestLimitsLeft: the least room of the limits that apply to a model, which
// a refusal's largest fitting output budget must fit beside the credits
// (chat's Call.room): none applies, one, the tightest of several, a model
// limit on another model left out; what is held counts; another member
// may not read it.
func TestLimitsLeft(t *testing.T) {
	for _, c := range []struct {
		name    string
		limits  []Limit // UserID filled in
		held    string  // a pending hold of bob's on gpt-4o first ("": none)
		left    string
		limited bool
	}{
		{"no limits", nil, "", "0", false},
		{"a model limit on another model", []Limit{{Kind: LimitModel, Model: "claude-sonnet-4", Amount: "1"}}, "", "0", false},
		{"one limit", []Limit{{Kind: LimitDaily, Amount: "3"}}, "", "3", true},
		{"the tightest of three", []Limit{{Kind: LimitDaily, Amount: "3"}, {Kind: LimitMonthly, Amount: "2.5"},
			{Kind: LimitModel, Model: "gpt-4o", Amount: "4"}}, "", "2.5", true},
		{"a hold counts", []Limit{{Kind: LimitDaily, Amount: "3"}}, "1.25", "1.75", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			bob := e.addMember("bob", nil)
			for _, l := range c.limits {
				l.UserID = bob.ID
				if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
					t.Fatal(err)
				}
			}
			if c.held != "" {
				e.topUp("pool", "10")
				if err := e.hold(bob, "pool", "gpt-4o", c.held); err != nil {
					t.Fatal(err)
				}
			}
			left, limited, err := e.svc.LimitsLeft(e.as(actorFor(bob)), bob.ID, "gpt-4o")
			if err != nil || left.String() != c.left || limited != c.limited {
				t.Errorf("left %s limited %v (%v), want %s %v", left, limited, err, c.left, c.limited)
			}
			carol := e.addMember("carol", nil)
			if _, _, err := e.svc.LimitsLeft(e.as(actorFor(carol)), bob.ID, "gpt-4o"); err == nil {
				t.Errorf("carol read bob's limits")
			}
		})
	}
}

// TestLimitPeriodGoesWithAModelLimit: a period given with a daily or
// monthly limit is refused (team.ErrInvalid, in words the CLI and the
// window show as they are), nothing written or audited, even the kind's
// own period; it was dropped, so "monthly, per day" saved a monthly limit
// and said nothing. A model limit takes day or month, month when none is
// given; daily and monthly without one are per day and per month.
func TestLimitPeriodGoesWithAModelLimit(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	for _, c := range []struct {
		kind, model, period string
		want                string // the period stored, or the refusal's reason
		ok                  bool
	}{
		{LimitDaily, "", "month", `period "month" goes with a model limit (a daily limit is per day)`, false},
		{LimitDaily, "", "day", `period "day" goes with a model limit (a daily limit is per day)`, false},
		{LimitMonthly, "", "day", `period "day" goes with a model limit (a monthly limit is per month)`, false},
		// No period at all: not said to go with a model limit, which refuses it too.
		{LimitMonthly, "", "week", `period "week" (want day or month, with a model limit alone: a monthly limit is per month)`, false},
		{LimitDaily, "", "Day", `period "Day" (want day or month, with a model limit alone: a daily limit is per day)`, false},
		{LimitModel, "gpt-4o", "week", `period "week" (want day or month)`, false},
		{LimitDaily, "", "", PeriodDay, true},
		{LimitMonthly, "", "", PeriodMonth, true},
		{LimitModel, "gpt-4o", "", PeriodMonth, true},
		{LimitModel, "o3", "day", PeriodDay, true},
	} {
		t.Run(c.kind+"/"+c.period, func(t *testing.T) {
			before := dump(t, e.db)
			got, err := e.svc.ChangeLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: c.kind, Model: c.model, Period: c.period, Amount: "5"})
			if c.ok {
				if err != nil || got.Period != c.want {
					t.Fatalf("got %+v, %v; want period %q", got, err, c.want)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || inputerr.Reason(err) != c.want {
				t.Fatalf("got %v (reason %q); want ErrInvalid and %q", err, inputerr.Reason(err), c.want)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused limit wrote (a limit or an audit entry)")
			}
		})
	}
}

// TestLimitsSayWhenSendsAreRefused: the Usage page's "Your spending limits"
// said of a limit of 0 "reached: sends are refused until it resets" (its
// own reading of used against amount), though no reset helps it. The words
// are Go's (LimitStatus.Reached): a limit of 0 waits for an admin, one
// whose use fills it for its reset, one that held sends fill (not used)
// or with room left says nothing.
func TestLimitsSayWhenSendsAreRefused(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC))
	e.setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "1000")
	if err := e.use(bob, "pool", "gpt-4o", "10"); err != nil {
		t.Fatal(err)
	}
	if err := e.hold(bob, "pool", "o3", "5"); err != nil { // a send in flight
		t.Fatal(err)
	}
	for _, l := range []Limit{
		{UserID: bob.ID, Kind: LimitDaily, Amount: "0"},
		{UserID: bob.ID, Kind: LimitMonthly, Amount: "10"},
		{UserID: bob.ID, Kind: LimitModel, Model: "o3", Amount: "5"},
		{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Amount: "20"},
	} {
		if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := e.svc.Limits(e.as(actorFor(bob)), bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range ls {
		got[l.Kind+" "+l.Model] = l.Reached
	}
	want := map[string]string{
		"daily ":       "a limit of 0: sends are refused until an admin raises it",
		"monthly ":     "reached: sends are refused until it resets",
		"model o3":     "", // held, not used: the send may cost less
		"model gpt-4o": "",
	}
	if len(got) != len(want) {
		t.Fatalf("limits %v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	// With nothing used (or held) in the period, a free model's send
	// (holding nothing) passes a limit of 0: the paid ones are refused.
	carol := e.addMember("carol", nil)
	if _, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: carol.ID, Kind: LimitDaily, Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	if ls, err := e.svc.Limits(e.as(actorFor(carol)), carol.ID); err != nil || len(ls) != 1 ||
		ls[0].Reached != "a limit of 0: paid sends are refused until an admin raises it" {
		t.Fatalf("carol's limit of 0, nothing used: %+v %v", ls, err)
	}
}

// TestLimitChangesTellTheWindow: setting, changing or removing a member's
// limit emits events.BalanceChanged, as the ledger does when credits move,
// so a window in this process (the member's Getting started, a refused
// send's banner, the Usage page's limits) reads what they may spend again;
// it emitted nothing, and a member's "Chat is paused: Your spending limit
// is 0" stayed after an admin raised it. A limit set as it was, a refused
// change and a removal of no limit emit nothing.
func TestLimitChangesTellTheWindow(t *testing.T) {
	e := newEnv(t)
	e.setup("UTC")
	bob := e.addMember("bob", nil)
	admin := e.adminCtx()
	for _, c := range []struct {
		name string
		do   func() error
		want int // BalanceChanged events emitted
	}{
		{"set", func() error {
			_, err := e.svc.ChangeLimit(admin, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "0"})
			return err
		}, 1},
		{"set as it was", func() error {
			_, err := e.svc.ChangeLimit(admin, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "0.00"})
			return err
		}, 0},
		{"raised", func() error {
			_, err := e.svc.ChangeLimit(admin, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "5"})
			return err
		}, 1},
		{"refused", func() error {
			if _, err := e.svc.ChangeLimit(admin, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "-1"}); err == nil {
				return errors.New("a negative limit was taken")
			}
			return nil
		}, 0},
		{"removed", func() error { return e.svc.RemoveLimit(admin, bob.ID, LimitDaily, "") }, 1},
		{"removed again", func() error {
			if err := e.svc.RemoveLimit(admin, bob.ID, LimitDaily, ""); !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("no limit to remove: %v", err)
			}
			return nil
		}, 0},
	} {
		before := e.rec.Count(events.BalanceChanged)
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := e.rec.Count(events.BalanceChanged) - before; got != c.want {
			t.Errorf("%s: %d balance:changed events, want %d", c.name, got, c.want)
		}
	}
}
