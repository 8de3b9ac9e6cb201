package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/store"
)

// A member sees a department's notifications raised while they were in it:
// from the moment they joined (added to it, or moved into it) until the
// moment they left (moved to another department or to none). When a member
// was in which department is kept in member_department_history (migration
// 0711), one row per change, never updated: "from since on, user_id is in
// department_id (NULL: none)".

// recordDepartment notes in tx that member userID is in department dept
// (0: none) from at on. AddMember and UpdateMember call it, in the
// transaction that changes the member, whenever the department changes.
func recordDepartment(ctx context.Context, tx *sql.Tx, userID, dept int64, at time.Time) error {
	var d any
	if dept != 0 {
		d = dept
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO member_department_history(user_id, department_id, since) VALUES (?, ?, ?)",
		userID, d, store.FormatTimeNano(at)); err != nil {
		return fmt.Errorf("record member %d's department: %w", userID, err)
	}
	return nil
}

// departmentAt returns the department member userID was in at t (0: none):
// that of their latest history row at or before t.
func departmentAt(ctx context.Context, q queryer, userID int64, t time.Time) (int64, error) {
	var dept sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT department_id FROM member_department_history
		WHERE user_id = ? AND since <= ? ORDER BY since DESC, id DESC LIMIT 1`, userID, store.FormatTimeNano(t)).Scan(&dept)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("member %d's department at %s: %w", userID, store.FormatTimeNano(t), err)
	}
	return dept.Int64, nil
}

// deptWhenRaised is, in a query over notifications, the account of the
// department the member (its one argument) was in when the notification was
// raised ("dept:<id>"; NULL when in none or not yet recorded). It reads the
// member's history by its index (user_id, since), one seek per notification.
const deptWhenRaised = `(SELECT 'dept:' || h.department_id FROM member_department_history h
	WHERE h.user_id = ? AND h.since <= notifications.created_at ORDER BY h.since DESC, h.id DESC LIMIT 1)`
