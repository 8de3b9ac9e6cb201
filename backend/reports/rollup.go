package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// rollupChunk bounds how many ledger rows one catch-up transaction reads, so
// that the writer is never held for long.
const rollupChunk = 50000

// Refresh brings the daily roll-ups up to date with ledger_transfers. It is
// incremental (from the last transfer id it read) and is called before every
// aggregate query; it is cheap when nothing changed. Only moving transfers
// (kind posted or post) are rolled up, each on its calendar date in the
// workspace zone. When that zone is not the one the roll-ups were built in
// (the admin changed it), they are emptied and rebuilt from the start.
func (s *Service) Refresh(ctx context.Context) error {
	s.rollMu.Lock()
	defer s.rollMu.Unlock()
	r := s.db.Read()
	loc, err := workzone.Load(ctx, r)
	if err != nil {
		return fmt.Errorf("refresh reports: %w", err)
	}
	var last, max int64
	var zone string
	if err := r.QueryRowContext(ctx, "SELECT last_id, zone FROM report_rollup_state WHERE id = 1").Scan(&last, &zone); err != nil {
		return fmt.Errorf("refresh reports: %w", err)
	}
	if zone != loc.String() {
		err := s.db.Write(ctx, func(tx *sql.Tx) error {
			for _, q := range []string{"DELETE FROM report_daily", "DELETE FROM report_conversation_daily"} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "UPDATE report_rollup_state SET last_id = 0, zone = ? WHERE id = 1", loc.String())
			return err
		})
		if err != nil {
			return fmt.Errorf("refresh reports: rebuild in %s: %w", loc, err)
		}
		last = 0
	}
	if err := r.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM ledger_transfers").Scan(&max); err != nil {
		return fmt.Errorf("refresh reports: %w", err)
	}
	for last < max {
		hi := min(last+rollupChunk, max)
		err := s.db.Write(ctx, func(tx *sql.Tx) error {
			var cur int64
			var zone string
			if err := tx.QueryRowContext(ctx, "SELECT last_id, zone FROM report_rollup_state WHERE id = 1").Scan(&cur, &zone); err != nil {
				return err
			}
			if cur != last || zone != loc.String() {
				return fmt.Errorf("roll-up moved under us (%d in %s, want %d in %s)", cur, zone, last, loc)
			}
			return rollup(ctx, tx, last, hi, loc)
		})
		if err != nil {
			return fmt.Errorf("refresh reports: %w", err)
		}
		last = hi
	}
	return nil
}

func rollup(ctx context.Context, tx *sql.Tx, lo, hi int64, loc *time.Location) error {
	usage, err := accountID(ctx, tx, accountUsage)
	if err != nil {
		return err
	}
	var first, last sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT MIN(created_at), MAX(created_at) FROM ledger_transfers WHERE id > ? AND id <= ?",
		lo, hi).Scan(&first, &last); err != nil {
		return fmt.Errorf("roll up: read the chunk's times: %w", err)
	}
	day, dayArgs := "substr(created_at, 1, 10)", []any(nil)
	if first.Valid && last.Valid {
		if day, dayArgs, err = localDaySQL(loc, first.String, last.String); err != nil {
			return fmt.Errorf("roll up: %w", err)
		}
	}
	args := append(append([]any{}, dayArgs...), lo, hi)
	// The provider of a usage charge (credit sys:usage) is the name its
	// posting's meta holds (ProviderSQL); other transfers have none.
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_daily(day, op, debit_id, credit_id, user_id, department_id, model, provider, amount_minor, n)
		SELECT `+day+`, op, debit_id, credit_id, COALESCE(user_id, 0), COALESCE(department_id, 0), model,
			CASE WHEN credit_id = ? THEN `+ProviderSQL("meta")+` ELSE '' END,
			SUM(amount_minor), COUNT(*)
		FROM ledger_transfers
		WHERE id > ? AND id <= ? AND kind IN ('posted', 'post')
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
		ON CONFLICT(day, op, debit_id, credit_id, user_id, department_id, model, provider) DO UPDATE SET
			amount_minor = amount_minor + excluded.amount_minor, n = n + excluded.n`,
		append(append(append([]any{}, dayArgs...), usage), lo, hi)...); err != nil {
		return fmt.Errorf("roll up transfers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_conversation_daily(day, conversation_id, user_id, amount_minor, n)
		SELECT `+day+`, conversation_id, COALESCE(user_id, 0), SUM(amount_minor), COUNT(*)
		FROM ledger_transfers
		WHERE id > ? AND id <= ? AND kind IN ('posted', 'post') AND credit_id = ? AND conversation_id IS NOT NULL
		GROUP BY 1, 2, 3
		ON CONFLICT(day, conversation_id, user_id) DO UPDATE SET
			amount_minor = amount_minor + excluded.amount_minor, n = n + excluded.n`, append(args, usage)...); err != nil {
		return fmt.Errorf("roll up conversations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE report_rollup_state SET last_id = ? WHERE id = 1", hi); err != nil {
		return fmt.Errorf("roll up: %w", err)
	}
	return nil
}

// localDaySQL returns an SQL expression (and its arguments) for the
// calendar date in loc of a created_at between first and last: SQLite's
// date() shifted by the zone's UTC offset, with one CASE arm per DST change
// in between. In UTC it is the date part of created_at as stored.
func localDaySQL(loc *time.Location, first, last string) (string, []any, error) {
	from, err := time.Parse(time.RFC3339, first)
	if err != nil {
		return "", nil, fmt.Errorf("created_at %q: %w", first, err)
	}
	to, err := time.Parse(time.RFC3339, last)
	if err != nil {
		return "", nil, fmt.Errorf("created_at %q: %w", last, err)
	}
	offs := workzone.Offsets(loc, from, to)
	if len(offs) == 1 && offs[0].Seconds == 0 {
		return "substr(created_at, 1, 10)", nil, nil
	}
	shift := func(o workzone.Offset) string { return fmt.Sprintf("%+d seconds", o.Seconds) }
	if len(offs) == 1 {
		return "date(created_at, ?)", []any{shift(offs[0])}, nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("date(created_at, CASE")
	for _, o := range offs[:len(offs)-1] {
		b.WriteString(" WHEN created_at < ? THEN ?")
		args = append(args, store.FormatTime(o.Until), shift(o))
	}
	b.WriteString(" ELSE ? END)")
	return b.String(), append(args, shift(offs[len(offs)-1])), nil
}
