package core

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// BenchmarkOpenCatchUpAlerts measures what the start-up's catch-up of
// missed balance alerts (team.CatchUpAlerts) adds to every Open: a data
// folder of a team of 500 members who chat (each wallet given 150 credits
// from the pool, then charged, so each wallet's last transfer is a debit;
// every fifth charged below 100, its alert raised by the charge's check),
// with the default thresholds (100 and 10 credits, 20% and 10%, depleted).
// Open with the catch-up ("with") and without it ("without") alternate,
// each timed to the end of Open (Close not counted), and the means and
// their difference and ratio are reported. The folder is built once (a few
// seconds), only with -bench. METERDESK_BENCH_MEMBERS sets the team's size
// (10000: the folder takes some 3-4 minutes to build, one member at a time
// through the services; not in make bench's default run).
//
//	go test -run '^$' -bench OpenCatchUpAlerts -benchtime 40x ./backend/core/
//	METERDESK_BENCH_MEMBERS=10000 go test -run '^$' -bench OpenCatchUpAlerts -benchtime 10x -timeout 30m ./backend/core/
func BenchmarkOpenCatchUpAlerts(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	members := 500
	if v := os.Getenv("METERDESK_BENCH_MEMBERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("METERDESK_BENCH_MEMBERS=%q: not a number of members", v)
		}
		members = n
	}
	seedChattingTeam(b, dir, members)
	catchUp := startupCatchUp
	defer func() { startupCatchUp = catchUp }()
	open := func(with bool) time.Duration {
		startupCatchUp = catchUp
		if !with {
			startupCatchUp = func(*team.Service, context.Context) {}
		}
		start := time.Now()
		be, err := Open(ctx, Options{DataDir: dir})
		took := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if err := be.Close(); err != nil {
			b.Fatal(err)
		}
		return took
	}
	open(true) // warm the page cache and the catch-up's first raise, if any
	var with, without time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			with += open(true)
			without += open(false)
		} else {
			without += open(false)
			with += open(true)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(with.Microseconds())/n, "with-µs")
	b.ReportMetric(float64(without.Microseconds())/n, "without-µs")
	b.ReportMetric(float64((with-without).Microseconds())/n, "catchup-µs")
	b.ReportMetric(float64(with)/float64(without), "with/without")
}

// seedChattingTeam sets up a workspace in dir with n members, each with a
// wallet of 150 credits then charged (below 100 for every fifth), and the
// default alert thresholds.
func seedChattingTeam(tb testing.TB, dir string, n int) {
	tb.Helper()
	ctx := context.Background()
	be, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	defer be.Close()
	be.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := be.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		tb.Fatal(err)
	}
	alice := access.WithActor(ctx, admin)
	sys := access.WithActor(ctx, access.System)
	if _, err := be.Team.SetAlertSettings(alice, team.DefaultAlertSettings()); err != nil {
		tb.Fatal(err)
	}
	amount := decimal.RequireFromString
	if _, err := be.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool,
		Credits: amount(fmt.Sprint(200 * n)), Price: "0"}); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		m, err := be.Team.AddMember(alice, team.NewMember{Name: fmt.Sprintf("m%03d", i), Role: access.RoleMember,
			SecretKind: team.SecretPIN, Secret: "1234", Funding: team.FundWallet})
		if err != nil {
			tb.Fatal(err)
		}
		wallet := ledger.UserAccount(m.ID)
		if _, err := be.Ledger.Transfer(alice, ledger.TransferRequest{ID: fmt.Sprint("give-", i), Op: ledger.OpTransfer,
			From: ledger.AccountPool, To: wallet, Amount: amount("150")}); err != nil {
			tb.Fatal(err)
		}
		use := "7"
		if i%5 == 0 {
			use = "60"
		}
		if _, err := be.Ledger.Transfer(sys, ledger.TransferRequest{ID: fmt.Sprint("use-", i), Op: ledger.OpUsage, From: wallet,
			To: ledger.AccountUsage, Amount: amount(use), Dims: ledger.Dims{UserID: m.ID, Model: "m"}}); err != nil {
			tb.Fatal(err)
		}
		be.Team.AfterCharge(sys, wallet)
	}
}
