package core

import (
	"context"
	"os"
	"strconv"
	"testing"

	"meterdesk/backend/access"
)

// BenchmarkCatchUpAlertsParts measures where the start-up's catch-up of
// missed balance alerts (team.CatchUpAlerts, one statement over every
// account) spends its time, on seedChattingTeam's folder: the statement's
// parts as statements of their own, each adding one part to the join of
// every account to its last debit, then the whole catch-up. The parts'
// SQL is written out here as team's alertAccountSelect and crossingFilter
// make it for the default thresholds (docs/benchmarks.md, "The start-up's
// alert catch-up"). METERDESK_BENCH_MEMBERS sets the team's size (500).
//
//	METERDESK_BENCH_MEMBERS=3000 go test -run '^$' -bench CatchUpAlertsParts -benchtime 20x -timeout 20m ./backend/core/
func BenchmarkCatchUpAlertsParts(b *testing.B) {
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
	be, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	where := ` WHERE (a.code = 'pool' OR a.code LIKE 'dept:%' OR a.code LIKE 'user:%')`
	join := ` JOIN ledger_transfers t ON t.id = a.last_transfer_id AND t.debit_id = a.id AND t.kind IN ('posted', 'post')`
	ref := `COALESCE(CASE WHEN a.code LIKE 'dept:%' THEN (SELECT budget_minor FROM departments
		WHERE id = CAST(substr(a.code, 6) AS INTEGER) AND budget_minor > 0) END,
		(SELECT amount_minor FROM ledger_transfers WHERE credit_id = a.id AND kind = 'posted'
			AND (op IN ('topup', 'grant') OR (op = 'transfer' AND a.code <> 'pool')) ORDER BY id DESC LIMIT 1), 0)`
	parts := []struct{ name, q string }{
		{"accounts", `SELECT count(*) FROM ledger_accounts a` + where},
		{"last-debit", `SELECT count(*) FROM ledger_accounts a` + join + where + ` AND t.amount_minor > 0`},
		{"absolute", `SELECT count(*) FROM ledger_accounts a` + join + where + ` AND t.amount_minor > 0 AND (
			(a.balance_minor < 10000 AND a.balance_minor + t.amount_minor >= 10000) OR
			(a.balance_minor < 1000 AND a.balance_minor + t.amount_minor >= 1000) OR
			(a.balance_minor <= 0 AND a.balance_minor + t.amount_minor > 0))`},
		{"reference", `SELECT sum(` + ref + `) FROM ledger_accounts a` + join + where + ` AND t.amount_minor > 0`},
		{"ended", `SELECT sum(CASE WHEN a.code LIKE 'user:%' THEN COALESCE((SELECT status = 'removed' FROM users
			WHERE id = CAST(substr(a.code, 6) AS INTEGER)), 0) ELSE 0 END) FROM ledger_accounts a` + join + where},
		{"fired", `SELECT count((SELECT group_concat(threshold || char(31) || crossed_at, char(30)) FROM alert_state
			WHERE account = a.code AND threshold NOT LIKE 'recharge%')) FROM ledger_accounts a` + join + where},
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				var n any
				if err := be.DB.Read().QueryRowContext(ctx, p.q).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	sys := access.WithActor(ctx, access.System)
	b.Run("catch-up", func(b *testing.B) {
		for b.Loop() {
			be.Team.CatchUpAlerts(sys)
		}
	})
}
