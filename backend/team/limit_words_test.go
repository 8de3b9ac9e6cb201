package team

import (
	"strings"
	"testing"
	"time"
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
