package metering

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
)

// newRates opens a real database and returns the rate service and an admin context.
func newRates(t testing.TB, clock func() time.Time) (*rates.Service, context.Context) {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return rates.New(db, nil, clock), access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "Ada", Role: access.RoleAdmin})
}

func per1K(t *testing.T, s string) string {
	t.Helper()
	d, err := rates.ParseRateIn(s, rates.Per1K)
	if err != nil {
		t.Fatal(err)
	}
	return rates.Canonical(d)
}

func TestPriceHandComputed(t *testing.T) {
	svc, ctx := newRates(t, nil)
	v, err := svc.Apply(ctx, rates.Change{Rows: []rates.Row{
		{Provider: rates.OpenAI, Model: "gpt-4-turbo", Input: "10", Output: "10"},
		{Provider: rates.OpenAI, Model: "gpt-3.5-turbo", Input: per1K(t, "0.001"), Output: per1K(t, "0.002")},
		{Provider: rates.OpenAI, Model: "o3", Input: "0.002", CacheRead: "0.001", Output: "0.008", Reasoning: "0.01", PerRequest: "0.01", PerToolCall: "0.02"},
		{Provider: rates.DeepSeek, Model: "deepseek-reasoner", Input: "0.00000027", CacheRead: "0.00000007", Output: "0.0000011"},
		{Provider: rates.Anthropic, Model: "claude-opus-4-1-20250805", Input: "0.000003", CacheRead: "0.0000003", CacheWrite: "0.00000375", Output: "0.000015"},
		{Provider: rates.Gemini, Model: "gemini-2.5-flash", Input: "0.0000003", Output: "0.0000025"},
		{Provider: rates.Local, Model: "tiny", Input: "0.0000000001", Output: "0.0000000001"},
		{Provider: rates.Local, Model: "free", Input: "0", Output: "0"},
		{Provider: rates.Local, Model: "huge", Input: "1000000000"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		kind   string
		qty    int64
		amount string
	}
	for _, tc := range []struct {
		name, provider, model string
		u                     Usage
		total                 string
		lines                 []line
	}{
		{"gpt-4-turbo at 10 credits per token", "openai", "gpt-4-turbo", Usage{Input: 100, Output: 50, Requests: 1}, "1500",
			[]line{{"input", 100, "1000"}, {"output", 50, "500"}}},
		{"blank rate is 1 credit per token", "openai", "gpt-4o", Usage{Input: 7, Output: 3, Requests: 1}, "10",
			[]line{{"input", 7, "7"}, {"output", 3, "3"}}},
		{"1,000 in + 500 out at 0.001/0.002 per 1K", "openai", "gpt-3.5-turbo", Usage{Input: 1000, Output: 500, Requests: 1}, "0.002",
			[]line{{"input", 1000, "0.001"}, {"output", 500, "0.001"}}},
		{"openai cached and reasoning", "openai", "o3", FromOpenAI(1000, 400, 300, 200, 1300), "4.41",
			[]line{{"input", 600, "1.2"}, {"cache_read", 400, "0.4"}, {"output", 100, "0.8"}, {"reasoning", 200, "2"}, {"per_request", 1, "0.01"}}},
		{"tool calls", "openai", "o3", Usage{Requests: 1, ToolCalls: 3}, "0.07",
			[]line{{"per_request", 1, "0.01"}, {"per_tool_call", 3, "0.06"}}},
		{"deepseek cache hit/miss, reasoning at output rate", "deepseek", "deepseek-reasoner", FromDeepSeek(300, 700, 500, 200), "0.00076",
			[]line{{"input", 700, "0.000189"}, {"cache_read", 300, "0.000021"}, {"output", 300, "0.00033"}, {"reasoning", 200, "0.00022"}}},
		{"anthropic cache read and write", "anthropic", "claude-opus-4-1-20250805", FromAnthropic(100, 2000, 500, 300), "0.007275",
			[]line{{"input", 100, "0.0003"}, {"cache_read", 2000, "0.0006"}, {"cache_write", 500, "0.001875"}, {"output", 300, "0.0045"}}},
		{"gemini cached at input rate, thoughts at output rate", "gemini", "gemini-2.5-flash", FromGemini(1200, 200, 400, 600), "0.00286",
			[]line{{"input", 1000, "0.0003"}, {"cache_read", 200, "0.00006"}, {"output", 400, "0.001"}, {"reasoning", 600, "0.0015"}}},
		// Gemini through its OpenAI-compatible endpoint: thoughts only in
		// total_tokens (1016 - 20 - 424 = 572), charged at the reasoning rate.
		{"thoughts counted only in total_tokens", "gemini", "gemini-2.5-flash", FromOpenAI(20, 0, 424, 0, 1016), "0.002496",
			[]line{{"input", 20, "0.000006"}, {"output", 424, "0.00106"}, {"reasoning", 572, "0.00143"}}},
		{"each line rounded half away from zero", "local", "tiny", Usage{Input: 5, Output: 5}, "0.000000002",
			[]line{{"input", 5, "0.000000001"}, {"output", 5, "0.000000001"}}},
		{"line rounding down to zero", "local", "tiny", Usage{Input: 4}, "0",
			[]line{{"input", 4, "0"}}},
		{"free local model", "local", "free", Usage{Input: 5000, Output: 5000, Requests: 1}, "0",
			[]line{{"input", 5000, "0"}, {"output", 5000, "0"}}},
		{"any provider", "", "gpt-4-turbo", Usage{Input: 1}, "10", []line{{"input", 1, "10"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Price(v, tc.provider, tc.model, tc.u)
			if err != nil {
				t.Fatal(err)
			}
			if b.Total != tc.total || b.RateVersion != v.ID || b.Amount().String() != tc.total || money.MinorString(b.TotalMinor) != tc.total {
				t.Fatalf("total %s (version %d), want %s (version %d)", b.Total, b.RateVersion, tc.total, v.ID)
			}
			if len(b.Lines) != len(tc.lines) {
				t.Fatalf("lines %+v, want %+v", b.Lines, tc.lines)
			}
			for i, l := range tc.lines {
				if g := b.Lines[i]; g.Kind != l.kind || g.Quantity != l.qty || g.Amount != l.amount {
					t.Errorf("line %d = %+v, want %+v", i, g, l)
				}
			}
			if b.Free() != (tc.total == "0") {
				t.Errorf("Free() = %v", b.Free())
			}
		})
	}
	b, _ := Price(v, "deepseek", "deepseek-reasoner", FromDeepSeek(0, 5, 20, 10))
	if b.Lines[2].RateSource != rates.FromOutput || b.Lines[0].RateSource != rates.FromRow {
		t.Errorf("rate sources = %+v", b.Lines)
	}

	// InputReported and ReasoningHidden qualify an estimate: on an exact
	// usage they are not carried into the breakdown.
	for _, tc := range []struct {
		u                      Usage
		inputReported, rHidden bool
	}{
		{Usage{Input: 1, Requests: 1, InputReported: true, ReasoningHidden: true}, false, false},
		{Usage{Input: 1, Requests: 1, Estimated: true, InputReported: true}, true, false},
		{Usage{Input: 1, Requests: 1, Estimated: true, ReasoningHidden: true}, false, true},
	} {
		b, err := Price(v, "openai", "gpt-4o", tc.u)
		if err != nil || b.Estimated != tc.u.Estimated || b.InputReported != tc.inputReported || b.ReasoningHidden != tc.rHidden {
			t.Errorf("Price(%+v) = %+v, %v; want inputReported=%v reasoningHidden=%v", tc.u, b, err, tc.inputReported, tc.rHidden)
		}
	}

	// Bad input.
	if _, err := Price(v, "openai", "o3", Usage{Input: -1}); !errors.Is(err, ErrNegativeUsage) {
		t.Errorf("negative usage: %v", err)
	}
	if _, err := Price(nil, "openai", "o3", Usage{Input: 1}); !errors.Is(err, ErrNoRates) {
		t.Errorf("nil version: %v", err)
	}
	if _, err := Price(v, "local", "huge", Usage{Input: 10_000_000_000}); !errors.Is(err, money.ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
}

func TestBreakdownJSON(t *testing.T) {
	svc, ctx := newRates(t, nil)
	v, err := svc.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Price(v, "openai", "gpt-4o", Usage{Input: 2, Output: 1, Requests: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(b)
	// Keys in sorted order (the field order): the ledger keeps such meta as it is.
	want := `{"estimated":false,"lines":[{"amount":"2","kind":"input","quantity":2,"rate":"1","rateSource":"default"},{"amount":"1","kind":"output","quantity":1,"rate":"1","rateSource":"default"}],"model":"gpt-4o","provider":"openai","rateVersion":1,"total":"3","totalMinor":3000000000}`
	if string(got) != want {
		t.Fatalf("breakdown JSON:\n%s\nwant\n%s", got, want)
	}
}

// A charge keeps its rate version: after the rates change, the version it
// recorded still prices the same usage to the same breakdown.
func TestChargeKeepsItsRateVersion(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	svc, ctx := newRates(t, clock)
	if _, err := svc.Apply(ctx, rates.Change{Rows: []rates.Row{{Provider: "openai", Model: "gpt-4o", Input: "2", Output: "4"}}}); err != nil {
		t.Fatal(err)
	}
	sentAt := now
	u := FromOpenAI(100, 20, 50, 0, 150)
	v, err := svc.VersionAt(ctx, sentAt)
	if err != nil {
		t.Fatal(err)
	}
	charge, err := Price(v, "openai", "gpt-4o", u)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := json.Marshal(charge)

	now = now.Add(time.Hour)
	if _, err := svc.Apply(ctx, rates.Change{Rows: []rates.Row{{Provider: "openai", Model: "gpt-4o", Input: "3", Output: "9"}}}); err != nil {
		t.Fatal(err)
	}
	cur, err := svc.Current(ctx)
	if err != nil || cur.ID == charge.RateVersion {
		t.Fatalf("the change made no new version: %d, %v", cur.ID, err)
	}
	var back Breakdown
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	old, err := svc.Version(ctx, back.RateVersion)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Price(old, "openai", "gpt-4o", u)
	if err != nil {
		t.Fatal(err)
	}
	if again.Total != charge.Total || again.Total != "400" {
		t.Fatalf("re-priced with version %d: %s, charged %s (want 400 = 80*2 + 20*2 + 50*4)", back.RateVersion, again.Total, charge.Total)
	}
	atSend, _ := svc.VersionAt(ctx, sentAt)
	if atSend.ID != back.RateVersion {
		t.Fatalf("VersionAt(sent) = %d, recorded %d", atSend.ID, back.RateVersion)
	}
	now2, _ := Price(cur, "openai", "gpt-4o", u)
	if now2.Total == charge.Total {
		t.Fatal("the new rates price the same: the test proves nothing")
	}
}
