package team

import (
	"context"
	"testing"
	"time"

	"meterdesk/backend/access"
)

// BenchmarkFundingPrecheck: what a member's send reads before its hold,
// the one read (FundingPrecheck) and the three it replaced (Funding,
// PrecheckLimits, ledger.Spendable), alternated in one run, for a
// pool-funded member with a daily and a monthly limit (as the chat
// benchmark's chats=1,team). It reports the mean of each and their ratio,
// and the mean of the same one read in a read transaction (the estimate's
// fundingPrecheckSnapshot), with its ratio to the one read.
//
//	go test -run '^$' -bench FundingPrecheck -benchtime 2000x ./backend/team/
func BenchmarkFundingPrecheck(b *testing.B) {
	e := newEnvTB(b).setup("UTC")
	e.topUp("pool", "1000")
	bob := e.addMember("bob", nil)
	for _, l := range []Limit{{UserID: bob.ID, Kind: "daily", Amount: "100"}, {UserID: bob.ID, Kind: "monthly", Amount: "1000"}} {
		if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
			b.Fatal(err)
		}
	}
	ctx := e.as(actorFor(bob))
	sys := access.WithActor(context.Background(), access.System)
	amount := d("0.5")
	var one, three, snap time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := e.svc.FundingPrecheck(ctx, bob.ID, "gpt-4o", amount); err != nil {
			b.Fatal(err)
		}
		one += time.Since(start)
		start = time.Now()
		f, err := e.svc.Funding(ctx, bob.ID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.svc.PrecheckLimits(ctx, bob.ID, "gpt-4o", amount); err != nil {
			b.Fatal(err)
		}
		if _, _, err := e.led.Spendable(sys, f.PayerAccount); err != nil {
			b.Fatal(err)
		}
		three += time.Since(start)
		start = time.Now()
		if _, err := e.svc.fundingPrecheckSnapshot(ctx, bob.ID, "gpt-4o", amount); err != nil {
			b.Fatal(err)
		}
		snap += time.Since(start)
	}
	b.ReportMetric(float64(one.Microseconds())/float64(b.N), "one-read-µs")
	b.ReportMetric(float64(three.Microseconds())/float64(b.N), "three-reads-µs")
	b.ReportMetric(float64(one)/float64(three), "one/three")
	b.ReportMetric(float64(snap.Microseconds())/float64(b.N), "snapshot-µs")
	b.ReportMetric(float64(snap)/float64(one), "snapshot/one")
}
