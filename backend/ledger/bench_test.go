//go:build unix

package ledger

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"database/sql"

	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

// Reproduce: go test -run '^$' -bench . -benchmem ./backend/ledger

// BenchmarkSettledTransfers measures durable (synchronous=FULL) settled
// usage transfers per second with 1 and with 64 concurrent writers.
func BenchmarkSettledTransfers(b *testing.B) {
	for _, c := range []struct {
		name              string
		writers, accounts int
	}{
		{"writers=1", 1, 1},
		{"writers=64", 64, 64},            // 64 wallets: every transfer touches its own account's index pages
		{"writers=64,shared-pool", 64, 1}, // the workspace pool paying for everyone
	} {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(b)
			for a := range c.accounts {
				code := UserAccount(int64(a + 1))
				e.ensure(b, code)
				e.fund(b, code, strconv.Itoa(64_000_000/c.accounts)) // 64 million credits in all
			}
			c0, j0 := e.s.commits.Load(), e.s.jobs.Load()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start, cpu0 := time.Now(), processCPU()
			for w := range c.writers {
				from := UserAccount(int64(w%c.accounts + 1))
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						_, err := e.s.Transfer(adminCtx, TransferRequest{ID: fmt.Sprintf("b%d", i), Op: OpUsage,
							From: from, To: AccountUsage, Amount: d("0.0000025"), Dims: Dims{Model: "bench", Source: "api"}})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "transfers/s")
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/transfer")
			b.ReportMetric(float64(e.s.jobs.Load()-j0)/float64(e.s.commits.Load()-c0), "reqs/commit")
		})
	}
}

const fixtureTransfers = 1_000_000

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// fixture builds, once per process, a database with 1,000,000 transfers
// among 1,000 user accounts through a bulk SQL insert used only here, with
// materialised balances and lots recomputed to match.
func fixture(b *testing.B) *env {
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "meterdesk-ledger-1m-")
		if fixtureErr != nil {
			return
		}
		ctx := context.Background()
		db, err := store.Open(ctx, fixtureDir)
		if err != nil {
			fixtureErr = err
			return
		}
		defer db.Close()
		fixtureErr = db.Write(ctx, func(tx *sql.Tx) error {
			stmts := []string{
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1000)
				 INSERT INTO ledger_accounts(code, kind, policy, created_at) SELECT 'user:'||i, 'user', 'blocked', '2026-01-01T00:00:00.000Z' FROM n`,
				fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < %d)
				 INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor, user_id, model, source, created_at)
				 SELECT 'bulk-'||i, 'bulk', CASE WHEN i %% 10 = 0 THEN 'topup' ELSE 'usage' END, 'posted',
				   CASE WHEN i %% 10 = 0 THEN (SELECT id FROM ledger_accounts WHERE code='sys:topup') ELSE (SELECT id FROM ledger_accounts WHERE code='user:'||(i %% 1000 + 1)) END,
				   CASE WHEN i %% 10 = 0 THEN (SELECT id FROM ledger_accounts WHERE code='user:'||(i %% 1000 + 1)) ELSE (SELECT id FROM ledger_accounts WHERE code='sys:usage') END,
				   CASE WHEN i %% 10 = 0 THEN 100000000000 ELSE 2500 END, i %% 1000 + 1, 'bench', 'api',
				   strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', '2026-01-01', '+'||(i/100)||' seconds')
				 FROM n`, fixtureTransfers),
				`CREATE TEMP TABLE fixture_sums AS SELECT id, SUM(amount) AS balance, MAX(tid) AS last FROM (
				   SELECT credit_id AS id, amount_minor AS amount, id AS tid FROM ledger_transfers
				   UNION ALL SELECT debit_id, -amount_minor, id FROM ledger_transfers) GROUP BY id`,
				`UPDATE ledger_accounts SET balance_minor = s.balance, last_transfer_id = s.last FROM fixture_sums s WHERE s.id = ledger_accounts.id`,
				indexDebitsSQL, // as the writer would have, in the background
				markIndexedSQL,
				`INSERT INTO ledger_lots(account_id, expires_at, remaining_minor)
				   SELECT id, '` + never + `', balance_minor FROM ledger_accounts WHERE kind != 'system' AND balance_minor > 0`,
			}
			for _, q := range stmts {
				if _, err := tx.Exec(q); err != nil {
					return fmt.Errorf("build fixture: %w", err)
				}
			}
			return nil
		})
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	db, err := store.Open(context.Background(), fixtureDir)
	if err != nil {
		b.Fatal(err)
	}
	e := &env{db: db, clk: newClock(), rec: &events.Recorder{}, dir: fixtureDir}
	e.s = New(db, e.rec, e.clk.Now)
	b.Cleanup(func() { e.s.Close(); db.Close() })
	return e
}

// BenchmarkBalanceAt1M measures one Balance read with 1,000,000 transfers in the database.
func BenchmarkBalanceAt1M(b *testing.B) {
	e := fixture(b)
	ctx := adminCtx
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := e.s.Balance(ctx, UserAccount(int64(i%1000+1))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryAt1M measures one history page (50 rows) with 1,000,000
// transfers in the database: unfiltered, by account, by op and date, by
// op (top-ups, a tenth of the transfers; usage; refunds, of which there are none).
func BenchmarkHistoryAt1M(b *testing.B) {
	e := fixture(b)
	hour := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	for name, f := range map[string]Filter{
		"all":     {},
		"account": {Account: "user:500"},
		"op+date": {Ops: []string{OpTopUp}, From: hour, To: hour.Add(time.Hour)},
		"op":      {Ops: []string{OpTopUp}},
		"usage":   {Ops: []string{OpUsage}},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p, err := e.s.History(adminCtx, f)
				if err != nil || len(p.Items) == 0 {
					b.Fatal(len(p.Items), err)
				}
			}
		})
	}
	// An op with no transfer at all: the first page is empty, and finding
	// that out is what costs (a scan of every transfer without an index).
	b.Run("op-none", func(b *testing.B) {
		for b.Loop() {
			p, err := e.s.History(adminCtx, Filter{Ops: []string{OpRefund}})
			if err != nil || len(p.Items) != 0 {
				b.Fatal(len(p.Items), err)
			}
		}
	})
}

// processCPU is the user+system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}
