package ledger

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// never is the stored expiry of lots that never expire.
const never = "9999-12-31T23:59:59.999Z"

// row is one transfer to write.
type row struct {
	requestID string
	leg       int
	hash      string
	op        string
	kind      string
	from, to  *account
	amount    int64
	holdID    int64
	dims      Dims
	meta      string
	lotExpiry string    // expiry of lots created when from is a system account ("" = never)
	expiresAt string    // holds: when the hold expires
	release   int64     // a posting: the hold's reservation on from, released by the same update
	at        time.Time // when it is recorded (created_at); zero = now
}

// piece is part of a moved amount with the expiry of the lot it came from.
type piece struct {
	amount  int64
	expires string
}

// errDuplicate: a transfer row with this request id and leg exists already
// (record wrote nothing).
var errDuplicate = errors.New("duplicate request id")

// record inserts the transfer row and returns it; it does not touch balances.
// An existing (request_id, leg) fails with errDuplicate and writes nothing.
func (w *wtx) record(r *row) (Transfer, error) {
	now := r.at
	if now.IsZero() {
		now = w.s.now()
	}
	res, err := w.exec(`INSERT INTO ledger_transfers(request_id, leg, input_hash, op, kind, debit_id, credit_id,
		amount_minor, hold_id, user_id, department_id, model, source, conversation_id, meta, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(request_id, leg) DO NOTHING`,
		r.requestID, r.leg, r.hash, r.op, r.kind, r.from.id, r.to.id, r.amount, nullInt(r.holdID),
		nullInt(r.dims.UserID), nullInt(r.dims.DepartmentID), r.dims.Model, r.dims.Source,
		nullInt(r.dims.ConversationID), r.meta, store.FormatTime(now))
	if err != nil {
		return Transfer{}, fmt.Errorf("write transfer: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return Transfer{}, fmt.Errorf("write transfer %s leg %d: %w", r.requestID, r.leg, errDuplicate)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Transfer{}, fmt.Errorf("write transfer: %w", err)
	}
	t := Transfer{
		ID: id, RequestID: r.requestID, Leg: r.leg, Op: r.op, Kind: r.kind,
		From: r.from.code, To: r.to.code, Amount: money.FromMinor(r.amount), HoldID: r.holdID,
		DebtRepaid: money.Zero, Dims: r.dims, Meta: []byte(r.meta), CreatedAt: now,
	}
	return t, nil
}

// post writes a transfer that moves money (kind posted or post): the row,
// both balances, the lots, the last-transfer pointers and lifetime usage.
// Policy checks are the caller's job.
func (w *wtx) post(r *row) (Transfer, error) {
	t, err := w.record(r)
	if err != nil {
		return t, err
	}
	var pieces []piece
	if r.from.system() {
		exp := r.lotExpiry
		if exp == "" {
			exp = never
		}
		pieces = []piece{{r.amount, exp}}
	} else if pieces, err = w.consumeLots(r.from, r.amount); err != nil {
		return t, err
	}
	used := int64(0)
	if r.to.code == AccountUsage {
		used = r.amount
	}
	if err := w.moveBalance(r.from, r.to, r.amount, used, r.release, t.ID); err != nil {
		return t, err
	}
	if !r.to.system() {
		repaid, err := w.addLots(r.to, pieces)
		if err != nil {
			return t, err
		}
		if repaid > 0 {
			if _, err := w.exec(`UPDATE ledger_transfers SET debt_repaid_minor = ? WHERE id = ?`, repaid, t.ID); err != nil {
				return t, fmt.Errorf("record repaid debt: %w", err)
			}
			t.DebtRepaid = money.FromMinor(repaid)
		}
	}
	r.from.balance -= r.amount
	r.to.balance += r.amount
	w.moved = true
	return t, nil
}

// moveBalance moves amount from one balance to the other in one statement
// (adds used to from's lifetime usage and releases a posted hold's
// reservation on from), failing with money.ErrOverflow when either balance
// would leave ±money.MaxMinor. The update is relative, so system accounts
// need not be loaded first.
func (w *wtx) moveBalance(from, to *account, amount, used, release, transferID int64) error {
	res, err := w.exec(`UPDATE ledger_accounts SET
		balance_minor = balance_minor + CASE id WHEN ?1 THEN -?3 ELSE ?3 END,
		used_minor = used_minor + CASE id WHEN ?1 THEN ?4 ELSE 0 END,
		pending_minor = pending_minor - CASE id WHEN ?1 THEN ?8 ELSE 0 END,
		last_transfer_id = ?5
		WHERE id IN (?1, ?2) AND balance_minor + CASE id WHEN ?1 THEN -?3 ELSE ?3 END BETWEEN ?6 AND ?7`,
		from.id, to.id, amount, used, transferID, -money.MaxMinor, money.MaxMinor, release)
	if err != nil {
		return fmt.Errorf("move %s from %s to %s: %w", money.MinorString(amount), from.code, to.code, err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		return fmt.Errorf("move %s from %s to %s: balance %w", money.MinorString(amount), from.code, to.code, money.ErrOverflow)
	}
	return nil
}

// consumeLots takes amount from a's lots, earliest expiry first. The part
// not covered by lots (a goes or is negative) is returned as a piece that
// never expires.
func (w *wtx) consumeLots(a *account, amount int64) ([]piece, error) {
	if amount == 0 || a.lotExp == "" {
		return []piece{{amount, never}}, nil
	}
	// Fast jobs know the earliest lot (loaded or cached with the account):
	// when it more than covers the amount, a plain guarded update does.
	if !w.sp && a.lotID != 0 && a.lotRem > amount {
		res, err := w.exec(`UPDATE ledger_lots SET remaining_minor = remaining_minor - ?1 WHERE id = ?2 AND remaining_minor > ?1`,
			amount, a.lotID)
		if err != nil {
			return nil, fmt.Errorf("consume lot of %s: %w", a.code, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			a.lotRem -= amount
			return []piece{{amount, a.lotExp}}, nil
		}
	}
	a.stale = true // the earliest lot may shrink, go or change
	// Common case in one statement: the earliest lot more than covers the amount.
	var exp string
	err := w.queryRow(`UPDATE ledger_lots SET remaining_minor = remaining_minor - ?1
		WHERE id = (SELECT id FROM ledger_lots WHERE account_id = ?2 ORDER BY expires_at LIMIT 1) AND remaining_minor > ?1
		RETURNING expires_at`, amount, a.id).Scan(&exp)
	if err == nil {
		return []piece{{amount, exp}}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("consume lot of %s: %w", a.code, err)
	}
	var out []piece
	left := amount
	for left > 0 {
		var id, rem int64
		err := w.queryRow(`SELECT id, expires_at, remaining_minor FROM ledger_lots
			WHERE account_id = ? ORDER BY expires_at LIMIT 1`, a.id).Scan(&id, &exp, &rem)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read lots of %s: %w", a.code, err)
		}
		take := min(rem, left)
		if take == rem {
			_, err = w.exec(`DELETE FROM ledger_lots WHERE id = ?`, id)
		} else {
			_, err = w.exec(`UPDATE ledger_lots SET remaining_minor = remaining_minor - ? WHERE id = ?`, take, id)
		}
		if err != nil {
			return nil, fmt.Errorf("consume lot of %s: %w", a.code, err)
		}
		out = append(out, piece{take, exp})
		left -= take
	}
	if left > 0 {
		out = append(out, piece{left, never})
	}
	return out, nil
}

// addLots credits pieces to a's lots. While a's balance (before the credit)
// is negative, the pieces first pay that debt (earliest expiry first) and
// create no lot; it returns how much debt was repaid.
func (w *wtx) addLots(a *account, pieces []piece) (int64, error) {
	debt := int64(0)
	if a.balance < 0 {
		debt = -a.balance
	}
	repaid := int64(0)
	for _, p := range pieces {
		amt := p.amount
		if debt > 0 {
			pay := min(debt, amt)
			debt -= pay
			repaid += pay
			amt -= pay
		}
		if amt == 0 {
			continue
		}
		if _, err := w.exec(`INSERT INTO ledger_lots(account_id, expires_at, remaining_minor) VALUES (?,?,?)
			ON CONFLICT(account_id, expires_at) DO UPDATE SET remaining_minor = remaining_minor + excluded.remaining_minor`,
			a.id, p.expires, amt); err != nil {
			return 0, fmt.Errorf("add lot to %s: %w", a.code, err)
		}
	}
	return repaid, nil
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
