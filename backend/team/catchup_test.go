package team

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"meterdesk/backend/store"
)

// TestMissedAlertsPicksWhatEachAccountsCheckPicks: the start-up's one
// statement (missedAlerts, its SQL filter then missedCrossing) lists
// exactly the accounts the check of each account on its own
// (alertsMayChange with catchUp) picks, at the edges of every kind of
// threshold: accounts whose last debit took the balance from one minor
// unit below, at or above a threshold to one below, at or above it, with
// references that make percent thresholds round up, down or to zero
// (33.33% of 6 minor units is 2, its floor 1), an absolute and depleted
// threshold; and an account whose crossing was raised after its debit.
func TestMissedAlertsPicksWhatEachAccountsCheckPicks(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.topUp("pool", "1")
	set := AlertSettings{Absolute: []string{"100", "10"}, Percent: []string{"33.33", "20", "10"}, Depleted: true}
	if _, err := e.svc.SetAlertSettings(e.adminCtx(), set); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var pool int64
	if err := e.db.Read().QueryRow("SELECT id FROM ledger_accounts WHERE code = 'pool'").Scan(&pool); err != nil {
		t.Fatal(err)
	}
	at := store.FormatTime(e.clock.Now())
	n := 0
	// account adds a wallet with no member (never ended) funded by ref
	// minor units (none when 0) whose last transfer debited it from
	// before to balance.
	account := func(ref, before, balance int64) string {
		n++
		code := fmt.Sprintf("user:%d", 90000+n)
		err := e.db.Write(ctx, func(tx *sql.Tx) error {
			res, err := tx.Exec(`INSERT INTO ledger_accounts (code, kind, policy, balance_minor, created_at)
				VALUES (?, 'user', 'overdraft', ?, ?)`, code, balance, at)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			leg := func(op string, debit, credit, amount int64) (int64, error) {
				res, err := tx.Exec(`INSERT INTO ledger_transfers (request_id, input_hash, op, kind, debit_id, credit_id, amount_minor, created_at)
					VALUES (?, '', ?, 'posted', ?, ?, ?, ?)`, fmt.Sprintf("syn-%s-%s", code, op), op, debit, credit, amount, at)
				if err != nil {
					return 0, err
				}
				return res.LastInsertId()
			}
			if ref > 0 {
				if _, err := leg("transfer", pool, id, ref); err != nil {
					return err
				}
			}
			last, err := leg("adjustment", id, pool, before-balance)
			if err != nil {
				return err
			}
			_, err = tx.Exec("UPDATE ledger_accounts SET last_transfer_id = ? WHERE id = ?", last, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	var codes []string
	for _, ref := range []int64{0, 3, 6, 7, 150e9, 2000e9, 2000e9 + 1} {
		for _, th := range thresholds(set, ref) {
			for _, bal := range []int64{th.minor - 1, th.minor, th.minor + 1} {
				for _, before := range []int64{th.minor - 1, th.minor, th.minor + 1, th.minor + 2} {
					if before > bal {
						codes = append(codes, account(ref, before, bal))
					}
				}
			}
		}
	}
	// Its crossing raised after its debit (by the hook, or an earlier start).
	raised := account(150e9, 150e9, 90e9)
	if _, err := e.db.Writer().ExecContext(ctx, "INSERT INTO alert_state (account, threshold, crossed_at) VALUES (?, 'abs:100', ?)",
		raised, store.FormatTimeNano(e.clock.Now().Add(1))); err != nil {
		t.Fatal(err)
	}
	codes = append(codes, raised)

	var want []string
	for _, c := range codes {
		if e.svc.alertsMayChange(ctx, e.db.Read(), set, c, true) {
			want = append(want, c)
		}
	}
	got := e.svc.missedAlerts(ctx, set)
	if !slices.Equal(got, want) {
		t.Fatalf("missedAlerts lists %d accounts, the check of each %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	if len(want) < 20 || len(want) == len(codes) || slices.Contains(want, raised) {
		t.Fatalf("the grid should have crossings to raise and others not (%d of %d), the raised one not", len(want), len(codes))
	}
}
