package team

import (
	"strings"
	"testing"
	"time"
)

// TestLimitErrorSaysItsWays: the other ways past a limit's refusal the
// chat offers (LimitError.Ways: a lower Reasoning level, Reasoning off)
// are part of the limit's own words, after what may let it through and
// before the reset, in each sentence that offers a way now (a smaller
// output budget; no output token fits, said alone or beside a refusal for
// credits), for a person (Error) and the local API (APIMessage). They were
// spliced into the words by the chat after "may let it through", so that a
// change of these words could drop them silently; and where the whole
// limit leaves no room for one output token (Least over Amount), the words
// said the reset, which cannot help: they say an admin raising the limit.
func TestLimitErrorSaysItsWays(t *testing.T) {
	resets := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	ways := []Way{{Words: "a lower Reasoning level (at Reasoning low it may cost up to 3 credits)", API: "reasoning_effort low (it may then cost up to 3 credits)"}}
	for _, tc := range []struct {
		name            string
		used, requested string
		noOutput        bool
		least           string
		beside          bool
		words, api      string
	}{
		{name: "a smaller output budget", used: "1", requested: "10",
			words: "a smaller output budget (max tokens) may let it through, or " + ways[0].Words + ", or the limit resets 2026-11-24 00:00 (UTC)",
			api:   "A smaller max_tokens may let it through, or " + ways[0].API + "; otherwise retry after the limit resets at 2026-11-24T00:00:00Z."},
		{name: "no output token", used: "4.5", requested: "10", noOutput: true, least: "0.6",
			words: "a shorter prompt or less History may let it through, or " + ways[0].Words + ", or the limit resets 2026-11-24 00:00 (UTC)",
			api:   "A shorter prompt (fewer messages) may let it through, or " + ways[0].API + "; otherwise retry after the limit resets at 2026-11-24T00:00:00Z."},
		{name: "no output token, beside", used: "4.5", requested: "10", noOutput: true, beside: true,
			words: "a shorter prompt or less History may let it through, or " + ways[0].Words + ", or the limit resets 2026-11-24 00:00 (UTC)",
			api:   "A shorter prompt (fewer messages) may let it through, or " + ways[0].API + "; otherwise retry after the limit resets at 2026-11-24T00:00:00Z."},
		{name: "no output token in the whole limit", used: "0", requested: "10", noOutput: true, least: "5.01",
			words: "a shorter prompt or less History may let it through, or " + ways[0].Words + ", or an admin raising the limit; its reset does not " +
				"help: the whole limit is less than the prompt and one output token (5.01 credits)",
			api: "A shorter prompt (fewer messages) may let it through, or " + ways[0].API + ", or an admin raising the limit; its reset does not " +
				"help: the whole limit is less than the prompt and one output token (5.01 credits)."},
		{name: "no output token in the whole limit, beside", used: "0", requested: "10", noOutput: true, least: "5.01", beside: true,
			words: "may let it through, or " + ways[0].Words + ", or an admin raising the limit; its reset does not help",
			api:   "may let it through, or " + ways[0].API + ", or an admin raising the limit; its reset does not help"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &LimitError{Limit: LimitDaily, Period: PeriodDay, Amount: "5", Used: tc.used, Requested: tc.requested, Prompt: "0.5",
				ResetsAt: resets, RetryAt: resets, TimeZone: "UTC", NoOutput: tc.noOutput, Least: tc.least, Ways: ways}
			if tc.beside {
				e = e.Beside()
			}
			if msg := e.Error(); !strings.Contains(msg, tc.words) {
				t.Errorf("%q\nwant: %s", msg, tc.words)
			}
			if msg := e.APIMessage(); !strings.Contains(msg, tc.api) {
				t.Errorf("%q\nwant: %s", msg, tc.api)
			}
			if e.ResetHelps() != (tc.least != "5.01") {
				t.Errorf("ResetHelps %v with the least %q of a limit of 5", e.ResetHelps(), tc.least)
			}
		})
	}
}
