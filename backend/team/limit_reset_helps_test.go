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
