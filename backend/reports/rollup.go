package reports

import (
	"context"
	"database/sql"
	"fmt"
)

// rollupChunk bounds how many ledger rows one catch-up transaction reads, so
// that the writer is never held for long.
const rollupChunk = 50000

// Refresh brings the daily roll-ups up to date with ledger_transfers. It is
// incremental (from the last transfer id it read) and is called before every
// aggregate query; it is cheap when nothing changed. Only moving transfers
// (kind posted or post) are rolled up.
func (s *Service) Refresh(ctx context.Context) error {
	s.rollMu.Lock()
	defer s.rollMu.Unlock()
	var last, max int64
	r := s.db.Read()
	if err := r.QueryRowContext(ctx, "SELECT last_id FROM report_rollup_state WHERE id = 1").Scan(&last); err != nil {
		return fmt.Errorf("refresh reports: %w", err)
	}
	if err := r.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM ledger_transfers").Scan(&max); err != nil {
		return fmt.Errorf("refresh reports: %w", err)
	}
	for last < max {
		hi := min(last+rollupChunk, max)
		err := s.db.Write(ctx, func(tx *sql.Tx) error {
			var cur int64
			if err := tx.QueryRowContext(ctx, "SELECT last_id FROM report_rollup_state WHERE id = 1").Scan(&cur); err != nil {
				return err
			}
			if cur != last {
				return fmt.Errorf("roll-up moved under us (%d, want %d)", cur, last)
			}
			return rollup(ctx, tx, last, hi)
		})
		if err != nil {
			return fmt.Errorf("refresh reports: %w", err)
		}
		last = hi
	}
	return nil
}

func rollup(ctx context.Context, tx *sql.Tx, lo, hi int64) error {
	usage, err := accountID(ctx, tx, accountUsage)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_daily(day, op, debit_id, credit_id, user_id, department_id, model, amount_minor, n)
		SELECT substr(created_at, 1, 10), op, debit_id, credit_id, COALESCE(user_id, 0), COALESCE(department_id, 0), model,
			SUM(amount_minor), COUNT(*)
		FROM ledger_transfers
		WHERE id > ? AND id <= ? AND kind IN ('posted', 'post')
		GROUP BY 1, 2, 3, 4, 5, 6, 7
		ON CONFLICT(day, op, debit_id, credit_id, user_id, department_id, model) DO UPDATE SET
			amount_minor = amount_minor + excluded.amount_minor, n = n + excluded.n`, lo, hi); err != nil {
		return fmt.Errorf("roll up transfers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_conversation_daily(day, conversation_id, user_id, amount_minor, n)
		SELECT substr(created_at, 1, 10), conversation_id, COALESCE(user_id, 0), SUM(amount_minor), COUNT(*)
		FROM ledger_transfers
		WHERE id > ? AND id <= ? AND kind IN ('posted', 'post') AND credit_id = ? AND conversation_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT(day, conversation_id, user_id) DO UPDATE SET
			amount_minor = amount_minor + excluded.amount_minor, n = n + excluded.n`, lo, hi, usage); err != nil {
		return fmt.Errorf("roll up conversations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE report_rollup_state SET last_id = ? WHERE id = 1", hi); err != nil {
		return fmt.Errorf("roll up: %w", err)
	}
	return nil
}
