package metering

import (
	"context"
	"testing"

	"meterdesk/backend/rates"
)

// BenchmarkPriceMessage measures pricing one message (resolve the model's
// rates in a loaded version, seven lines, exact decimal arithmetic).
func BenchmarkPriceMessage(b *testing.B) {
	svc, ctx := newRates(b, nil)
	v, err := svc.Apply(ctx, rates.Change{Rows: []rates.Row{
		{Provider: "openai", Model: "o3", Input: "0.000002", CacheRead: "0.0000005", Output: "0.000008", PerRequest: "0.001", PerToolCall: "0.0001"},
	}})
	if err != nil {
		b.Fatal(err)
	}
	u := FromOpenAI(12_345, 4_096, 2_048, 1_024, 14_393)
	u.ToolCalls = 2
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Price(v, "openai", "o3", u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCurrentAndPrice adds the rate-version lookup a send does
// (Current reads the latest version id from SQLite; the version is cached).
func BenchmarkCurrentAndPrice(b *testing.B) {
	svc, ctx := newRates(b, nil)
	u := FromOpenAI(1000, 0, 500, 0, 1500)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := svc.Current(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Price(v, "openai", "gpt-4o", u); err != nil {
			b.Fatal(err)
		}
	}
	_ = ctx
}
