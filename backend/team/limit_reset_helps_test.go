package team

import (
	"strings"
	"testing"
	"time"
)

// TestResetHelpsCountsEveryLimitItBreaks: a send broken by two limits is
// named by the one that leaves the least room (breaking), here the daily
// limit of 5 (0.5 left); the monthly limit of 0.55 it breaks too leaves
// more (all of it) but is, whole, less than the least the send may hold
// (0.6: its prompt and one output token). ResetHelps read the named
// limit's Amount only, so the words said "or the limit resets …" and the
// local API "otherwise retry after …", and after both resets the same
// send is refused again by the monthly limit, for ever. Now no reset is
// offered, and the limit that an admin must raise is named. At the exact
// boundary (the monthly limit 0.6, the least hold) its reset helps.
func TestResetHelpsCountsEveryLimitItBreaks(t *testing.T) {
	loc := time.UTC
	day := period{start: time.Date(2026, 11, 24, 0, 0, 0, 0, loc), end: time.Date(2026, 11, 25, 0, 0, 0, 0, loc)}
	month := period{start: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), end: time.Date(2026, 12, 1, 0, 0, 0, 0, loc)}
	for _, tc := range []struct {
		name    string
		monthly string // its whole amount
		minor   int64
		helps   bool
	}{
		{"the monthly limit under the least hold by one minor unit", "0.599999999", 599999999, false},
		{"the monthly limit under the least hold", "0.55", 550000000, false},
		{"the monthly limit the least hold exactly", "0.6", 600000000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			apply := []limitUse{
				{limitRow: limitRow{Limit: Limit{Kind: LimitDaily, Period: PeriodDay, Amount: "5"}, minor: 5_000_000_000}, period: day, used: 4_500_000_000},
				{limitRow: limitRow{Limit: Limit{Kind: LimitMonthly, Period: PeriodMonth, Amount: tc.monthly}, minor: tc.minor}, period: month},
			}
			le := breaking(apply, 10_000_000_000, loc)
			if le == nil || le.Limit != LimitDaily {
				t.Fatalf("breaking named %+v; want the daily limit (the least room)", le)
			}
			le.Prompt, le.NoOutput, le.Least = "0.5", true, "0.6"
			if le.ResetHelps() != tc.helps {
				t.Errorf("ResetHelps %v; want %v (the monthly limit %s beside the least hold 0.6)", le.ResetHelps(), tc.helps, tc.monthly)
			}
			msg, api := le.Error(), le.APIMessage()
			if tc.helps {
				if !strings.Contains(msg, "or the limit resets") || !strings.Contains(api, "otherwise retry after") {
					t.Errorf("the reset not said where it helps: %q\n%q", msg, api)
				}
				return
			}
			if strings.Contains(msg, "resets") || strings.Contains(api, "retry after") {
				t.Errorf("a reset offered that cannot help (the monthly limit %s is less than 0.6): %q\n%q", tc.monthly, msg, api)
			}
			want := "or an admin raising the monthly limit of " + trimZeros(tc.monthly) + " credits; no reset helps: that whole limit is less than the prompt and one output token (0.60 credits)"
			if !strings.Contains(msg, want) {
				t.Errorf("%q\nwant: %s", msg, want)
			}
			apiWant := "or an admin raising the monthly spending limit of this API key's member"
			if !strings.Contains(api, apiWant) || !strings.Contains(api, "no reset helps: that whole limit is less than the prompt and one output token (0.6 credits).") {
				t.Errorf("%q\nwant: %s …", api, apiWant)
			}
		})
	}
}

// trimZeros is a limit's amount as the words give it (money.DisplayString:
// at least two places).
func trimZeros(s string) string {
	if s == "0.6" {
		return "0.60"
	}
	return s
}

// TestNoShorterPromptWhereTheThinkingBudgetIsOverTheRoom: not even one
// output token fits beside the prompt and the thinking budget, and the
// thinking budget with one output token beside the shortest prompt
// (Floor) is over what the limit leaves: the words offered "a shorter
// prompt or less History may let it through", which cannot. Now they
// offer the other ways, or, with none, the reset alone or an admin
// raising the limit. One minor unit of room more and the shorter prompt
// is offered again.
func TestNoShorterPromptWhereTheThinkingBudgetIsOverTheRoom(t *testing.T) {
	resets := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	way := Way{Words: "a lower Reasoning level with a smaller output budget", API: "a lower reasoning_effort with a smaller max_tokens"}
	for _, tc := range []struct {
		name       string
		floor      string
		least      string
		ways       []Way
		words, api string
	}{
		{"the floor one minor unit over", "0.500000001", "0.6", nil,
			"so no smaller output budget helps; it can be sent after the limit resets 2026-11-24 00:00 (UTC)",
			"so no smaller max_tokens helps. Retry after the limit resets at 2026-11-24T00:00:00Z."},
		{"the floor over, a way", "0.55", "0.6", []Way{way},
			"so no smaller output budget helps; a lower Reasoning level with a smaller output budget may let it through, or the limit resets 2026-11-24 00:00 (UTC)",
			"so no smaller max_tokens helps. A lower reasoning_effort with a smaller max_tokens may let it through; otherwise retry after the limit resets at 2026-11-24T00:00:00Z."},
		{"the floor over, the whole limit too small", "0.55", "5.5", nil,
			"so no smaller output budget helps; an admin raising the limit may let it through; its reset does not help: the whole limit is less than the prompt and one output token (5.50 credits)",
			"so no smaller max_tokens helps. An admin raising the limit may let it through; its reset does not help: the whole limit is less than the prompt and one output token (5.5 credits)."},
		{"the floor exactly what is left", "0.5", "0.6", nil,
			"so no smaller output budget helps; a shorter prompt or less History may let it through, or the limit resets",
			"so no smaller max_tokens helps. A shorter prompt (fewer messages) may let it through; otherwise retry after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &LimitError{Limit: LimitDaily, Period: PeriodDay, Amount: "5", Used: "4.5", Requested: "10", Prompt: "0.4",
				ResetsAt: resets, RetryAt: resets, TimeZone: "UTC", NoOutput: true, Least: tc.least, Floor: tc.floor, Ways: tc.ways}
			msg, api := e.Error(), e.APIMessage()
			if !strings.Contains(msg, tc.words) || !strings.Contains(api, tc.api) {
				t.Errorf("%q\n%q\nwant: %s\nand: %s", msg, api, tc.words, tc.api)
			}
			if tc.name != "the floor exactly what is left" && (strings.Contains(msg, "shorter prompt") || strings.Contains(api, "shorter prompt")) {
				t.Errorf("a shorter prompt offered where the thinking budget alone is over what is left: %q\n%q", msg, api)
			}
		})
	}
}
