package chat_test

import (
	"testing"
	"time"
)

// BenchmarkEstimateDraftMember: the composer's estimate (EstimateDraft) of
// a member's send, wired to the real team service as backend/core wires it
// (benchTeam: a pool-funded member with a daily and a monthly limit), in a
// conversation of a few turns: the plan, the rate version, the pricing and
// the team's pre-flight (funding, the payer's balance, the limits and the
// usage they count). It reports the p50 of one estimate. Compare two
// builds by running their test binaries alternately (docs/benchmarks.md).
//
//	go test -run '^$' -bench EstimateDraftMember -benchtime 2000x ./backend/chat/
func BenchmarkEstimateDraftMember(b *testing.B) {
	e, _ := benchEnv(b)
	bob := benchTeam(b, e)
	conv := e.conversationAs(bob, "openai", "gpt-4o", "You are a helpful assistant.")
	for range 3 { // a few answered turns, charged against bob's limits
		if _, err := metered(bob, e, conv.ID); err != nil {
			b.Fatal(err)
		}
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		est, err := e.svc.EstimateDraft(bob, conv.ID, "", "", "And what about the next one?", 0, "", nil)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		if est.Blocked {
			b.Fatalf("estimate blocked: %v", est.Warnings)
		}
	}
	b.StopTimer()
	p50, _ := percentiles(times)
	b.ReportMetric(us(p50), "p50-µs")
}
