package team

import (
	"errors"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/inputerr"
)

// TestLimitErrorNamesWhenItCanBeSent: a limit's refusal says, in its own
// words and in the workspace's zone, when the send as it is can go
// (RetryTime), whichever of its sentences it is: reached, over with a
// prompt that fits, over with a prompt that does not, and with another
// limit it breaks resetting later. The window relies on it: its offer
// beside these words (chat.refusalOffer) no longer says that time a second
// time in another format ("it can be sent after 2026-11-24 00:00 (UTC)"
// beside "the limit resets 2026-11-24 00:00 (Etc/UTC)").
func TestLimitErrorNamesWhenItCanBeSent(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	resets := time.Date(2026, 11, 24, 0, 0, 0, 0, berlin)
	later := time.Date(2026, 12, 1, 0, 0, 0, 0, berlin)
	for _, tc := range []struct {
		name                    string
		used, requested, prompt string
		retryAt                 time.Time
		others                  []limitBound
	}{
		{name: "reached", used: "5", requested: "1"},
		{name: "reached, another limit resets later", used: "5", requested: "1", retryAt: later},
		{name: "over, the prompt fits", used: "1", requested: "10", prompt: "0.5"},
		{name: "over, the prompt fits, another limit resets later", used: "1", requested: "10", prompt: "0.5", retryAt: later},
		{name: "over, the prompt does not fit", used: "4.9", requested: "10", prompt: "0.5"},
		{name: "over, the prompt does not fit, another limit resets later", used: "4.9", requested: "10", prompt: "0.5", retryAt: later},
		{name: "over, the prompt over another limit too", used: "4.9", requested: "10", prompt: "0.5", retryAt: later,
			others: []limitBound{{room: 0, resetsAt: later}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &LimitError{Limit: LimitDaily, Period: PeriodDay, Amount: "5", Used: tc.used, Requested: tc.requested,
				Prompt: tc.prompt, ResetsAt: resets, RetryAt: tc.retryAt, TimeZone: "Europe/Berlin", others: tc.others}
			when := resetText(e.RetryTime().In(berlin), e.TimeZone)
			if msg := e.Error(); !strings.Contains(msg, when) {
				t.Errorf("%q\ndoes not say when it can be sent as it is (%s)", msg, when)
			}
		})
	}
}

// TestResetTextNamesTheZoneOnce: a limit's reset reads as the Usage page and
// Team → Limits write it (the local time to the minute, then the workspace's
// zone once), not "Tue 24 Nov 2026 00:00 UTC (Etc/UTC)", which named UTC
// twice; an hour the clocks repeat gets its offset, as workzone.LocalTime
// gives it.
func TestResetTextNamesTheZoneOnce(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	for _, c := range []struct {
		zone string
		at   time.Time
		want string
	}{
		{"Etc/UTC", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "2026-11-24 00:00 (Etc/UTC)"},
		{"UTC", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "2026-11-24 00:00 (UTC)"},
		{"Europe/Berlin", time.Date(2026, 6, 1, 0, 0, 0, 0, load("Europe/Berlin")), "2026-06-01 00:00 (Europe/Berlin)"},
		{"America/New_York", time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC), "2026-11-24 00:00 (America/New_York)"},
		// 02:30 comes twice in Berlin on 2026-10-25; this is the first.
		{"Europe/Berlin", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25 02:30 +02:00 (Europe/Berlin)"},
	} {
		at := c.at.In(load(c.zone))
		if got := resetText(at, c.zone); got != c.want {
			t.Errorf("resetText(%s, %s) = %q, want %q", c.at.Format(time.RFC3339), c.zone, got, c.want)
		}
		le := &LimitError{Limit: LimitDaily, Amount: "10", Used: "10", Requested: "1", ResetsAt: at, TimeZone: c.zone}
		if got := le.Error(); !strings.HasSuffix(got, "it resets "+c.want) || strings.Count(got, "UTC") > 1 {
			t.Errorf("%s: refusal %q does not end with %q naming the zone once", c.zone, got, c.want)
		}
	}
}

// TestRemoveMissingLimitSaysWhoHasNone: removing a limit the member does
// not have says so as the removal's success would name it ("Robert's limit
// for gpt-4o removed"): "Robert has no limit for gpt-4o", with no
// operation or member id around it ("remove the model limit of member 2:
// model limit: not found"), still ErrNotFound, and nothing is written or
// audited. A member who does not exist is still "member 99: not found".
func TestRemoveMissingLimitSaysWhoHasNone(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	carl := e.addMember("carl", nil)
	if _, err := e.svc.UpdateMember(ctx, bob.ID, MemberUpdate{DisplayName: "Robert", Role: bob.Role, Funding: bob.Funding, MinBalance: "0"}); err != nil {
		t.Fatal(err)
	}
	// A model limit for another model and a monthly one: neither is the one removed.
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitModel, Model: "claude", Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: carl.ID, Kind: LimitMonthly, Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	audited := func() (n int) {
		if err := e.db.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		user        int64
		kind, model string
		want        string
	}{
		{bob.ID, LimitModel, "gpt-4o", "Robert has no limit for gpt-4o"},
		{bob.ID, LimitDaily, "", "Robert has no daily limit"},
		{bob.ID, LimitMonthly, "", "Robert has no monthly limit"},
		{carl.ID, LimitDaily, "", "carl has no daily limit"},
		{carl.ID, LimitModel, "gpt-4o", "carl has no limit for gpt-4o"},
		{99, LimitDaily, "", "member 99: not found"},
	} {
		before := audited()
		err := e.svc.RemoveLimit(ctx, tc.user, tc.kind, tc.model)
		if !errors.Is(err, ErrNotFound) || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("remove %s %q of %d: %v; want ErrNotFound ending %q", tc.kind, tc.model, tc.user, err, tc.want)
		}
		if tc.user != 99 && (err.Error() != tc.want || inputerr.Reason(err) != tc.want) {
			t.Errorf("remove %s %q of %d: %q (reason %q); want %q alone", tc.kind, tc.model, tc.user, err, inputerr.Reason(err), tc.want)
		}
		if n := audited(); n != before {
			t.Errorf("remove %s %q of %d audited %d entries", tc.kind, tc.model, tc.user, n-before)
		}
	}
	// The limits there are still there.
	if ls, err := e.svc.Limits(ctx, bob.ID); err != nil || len(ls) != 1 {
		t.Errorf("bob's limits after: %+v, %v", ls, err)
	}
}

// TestRemoveLimitChecksTheKind: a removal of a limit of no kind there is
// (weekly), or of a model limit without a model, is refused as an invalid
// input in SetLimit's words, before anything is read, and nothing is
// written or audited. Before, it read "bob has no weekly limit" and "bob
// has no limit for ", as if bob could have had one.
func TestRemoveLimitChecksTheKind(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	audited := func() (n int) {
		if err := e.db.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		user        int64
		kind, model string
		reason      string
	}{
		{bob.ID, "weekly", "", `limit kind "weekly" (want daily, monthly or model)`},
		{bob.ID, "", "", `limit kind "" (want daily, monthly or model)`},
		{bob.ID, LimitModel, "", "a model limit needs a model name (at most 200 characters)"},
		{bob.ID, LimitModel, "   ", "a model limit needs a model name (at most 200 characters)"},
		{99, "weekly", "", `limit kind "weekly" (want daily, monthly or model)`},
	} {
		before := audited()
		err := e.svc.RemoveLimit(ctx, tc.user, tc.kind, tc.model)
		if !errors.Is(err, ErrInvalid) || inputerr.Reason(err) != tc.reason {
			t.Errorf("remove %q %q of %d: %v (reason %q); want ErrInvalid, %q", tc.kind, tc.model, tc.user, err, inputerr.Reason(err), tc.reason)
		}
		_, serr := e.svc.SetLimit(ctx, Limit{UserID: tc.user, Kind: tc.kind, Model: tc.model, Amount: "1"})
		if r := inputerr.Reason(serr); r != tc.reason {
			t.Errorf("set %q %q: reason %q, want the same words %q", tc.kind, tc.model, r, tc.reason)
		}
		if n := audited(); n != before {
			t.Errorf("remove %q %q of %d audited %d entries", tc.kind, tc.model, tc.user, n-before)
		}
	}
	// A model's name is trimmed as SetLimit trims it.
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RemoveLimit(ctx, bob.ID, LimitModel, " gpt-4o "); err != nil {
		t.Errorf("remove \" gpt-4o \": %v", err)
	}
	if ls, err := e.svc.Limits(ctx, bob.ID); err != nil || len(ls) != 1 || ls[0].Kind != LimitDaily {
		t.Errorf("bob's limits after: %+v, %v", ls, err)
	}
}
