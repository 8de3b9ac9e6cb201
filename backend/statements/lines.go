package statements

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// Entry is one transaction on a statement: signed from the point of view of
// the statement's accounts (credits in are positive), with the running
// balance after it.
type Entry struct {
	ID             int64
	Time           time.Time
	Category       string // topup|usage|refund|in|out|adjustment|expiry
	Counterparty   string // the other account's code
	MemberID       int64  // the member the transfer is attributed to (0: none)
	Member         string // the member's name (backend/people: "bob (removed)")
	DepartmentID   int64  // the department (cost centre) it is attributed to (0: none)
	Department     string // the department's name (backend/people: "Eng (archived)")
	Model          string
	Source         string
	ConversationID int64
	Amount         int64 // signed minor units
	Balance        int64 // running balance after this entry, minor units
	Meta           string
}

// Note is the transaction's note: what was typed with a top-up (`credits
// topup --note "PO 4711"`) or a transfer between accounts, kept as "note" in
// the transfer's meta; "" when it has none.
func (e Entry) Note() string {
	if !strings.Contains(e.Meta, `"note"`) {
		return "" // usage charges: no decoding per row
	}
	var m struct {
		Note string `json:"note"`
	}
	if json.Unmarshal([]byte(e.Meta), &m) != nil {
		return ""
	}
	return strings.TrimSpace(m.Note)
}

// categoryNames are how categories read on a statement.
var categoryNames = map[string]string{
	"topup": "Top-up", "usage": "Usage", "refund": "Refund", "in": "Transfer in",
	"out": "Transfer out", "adjustment": "Adjustment", "expiry": "Expiry",
}

// lineChunk is how many statement lines are read per query.
const lineChunk = 2000

// EachEntry streams the statement's transactions, oldest first, with running
// balances, reading lineChunk rows at a time (memory stays flat).
func (s *Service) EachEntry(ctx context.Context, st *Statement, fn func(Entry) error) error {
	usage, expiry, err := s.accountIDs(ctx)
	if err != nil {
		return err
	}
	q := st.q
	cat := fmt.Sprintf(categorySQL, q.inDebit, q.inCredit)
	sel := `SELECT t.id, t.created_at, ` + cat + `,
		CASE WHEN ` + q.inCredit + ` THEN t.amount_minor ELSE -t.amount_minor END,
		CASE WHEN ` + q.inCredit + ` THEN da.code ELSE ca.code END,
		COALESCE(t.user_id, 0), COALESCE((SELECT md_member_label(name, display_name, status) FROM users WHERE id = t.user_id), ''),
		COALESCE(t.department_id, 0), COALESCE((SELECT md_department_label(name, archived) FROM departments WHERE id = t.department_id), ''),
		t.model, t.source, COALESCE(t.conversation_id, 0), t.meta
		FROM ledger_transfers t CROSS JOIN ledger_accounts da ON da.id = t.debit_id
		CROSS JOIN ledger_accounts ca ON ca.id = t.credit_id
		WHERE t.kind IN ('posted','post') AND (` + q.inDebit + `) <> (` + q.inCredit + `)
		AND +t.created_at >= ? AND +t.created_at < ? AND t.id > ? AND t.id <= ? ORDER BY t.id LIMIT ?`
	balance := st.values["opening"]
	from, to := store.FormatTime(st.start), store.FormatTime(st.end)
	// The month's id range (by the date index), then the primary key in
	// chunks: ledger_transfers stays the outer loop (CROSS JOIN) and no chunk
	// sorts the rest of the month.
	var lo, hi sql.NullInt64
	if err := s.db.Read().QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM ledger_transfers WHERE created_at >= ? AND created_at < ?",
		from, to).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("statement lines: %w", err)
	}
	if !lo.Valid {
		return nil
	}
	after := lo.Int64 - 1
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		args := []any{usage, expiry}
		args = append(args, q.args...)
		args = append(args, q.args...)
		args = append(args, q.args...)
		args = append(args, q.both()...)
		args = append(args, from, to, after, hi.Int64, lineChunk)
		rows, err := s.db.Read().QueryContext(ctx, sel, args...)
		if err != nil {
			return fmt.Errorf("statement lines: %w", err)
		}
		batch := make([]Entry, 0, lineChunk)
		for rows.Next() {
			var e Entry
			var created string
			if err := rows.Scan(&e.ID, &created, &e.Category, &e.Amount, &e.Counterparty, &e.MemberID, &e.Member, &e.DepartmentID, &e.Department,
				&e.Model, &e.Source, &e.ConversationID, &e.Meta); err != nil {
				rows.Close()
				return fmt.Errorf("statement lines: %w", err)
			}
			e.Time = store.ParseTime(created)
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("statement lines: %w", err)
		}
		for i := range batch {
			if balance, err = money.AddMinor(balance, batch[i].Amount); err != nil {
				return fmt.Errorf("running balance: %w", err)
			}
			batch[i].Balance = balance
			if err := fn(batch[i]); err != nil {
				return err
			}
		}
		if len(batch) < lineChunk {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// eachAttributedUsage streams, oldest first, the usage charges of the month
// attributed to a member or department statement's scope (its user_id or
// department_id), whoever paid: a pool-funded member's messages are charged
// to the pool, yet they belong in that member's per-message breakdown.
func (s *Service) eachAttributedUsage(ctx context.Context, st *Statement, fn func(Entry) error) error {
	usage, _, err := s.accountIDs(ctx)
	if err != nil {
		return err
	}
	q := `SELECT t.id, t.created_at, -t.amount_minor,
		COALESCE(t.user_id, 0), COALESCE((SELECT md_member_label(name, display_name, status) FROM users WHERE id = t.user_id), ''),
		COALESCE(t.department_id, 0), COALESCE((SELECT md_department_label(name, archived) FROM departments WHERE id = t.department_id), ''),
		t.model, t.source, COALESCE(t.conversation_id, 0), t.meta
		FROM ledger_transfers t
		WHERE t.kind IN ('posted','post') AND t.credit_id = ? AND ` + st.q.attributed + `
		AND t.created_at >= ? AND t.created_at < ? ORDER BY t.id`
	rows, err := s.db.Read().QueryContext(ctx, q, usage, st.q.attrArg, store.FormatTime(st.start), store.FormatTime(st.end))
	if err != nil {
		return fmt.Errorf("attributed usage lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := Entry{Category: "usage"}
		var created string
		if err := rows.Scan(&e.ID, &created, &e.Amount, &e.MemberID, &e.Member, &e.DepartmentID, &e.Department, &e.Model, &e.Source,
			&e.ConversationID, &e.Meta); err != nil {
			return fmt.Errorf("attributed usage lines: %w", err)
		}
		e.Time = store.ParseTime(created)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
