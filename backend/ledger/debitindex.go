package ledger

import (
	"fmt"
	"math"
	"time"
)

// The debit index. An account's history needs its transfers by account on
// both sides. The credit side keeps an ordinary index on ledger_transfers
// ((credit_id, id)): almost every transfer credits one of a few accounts
// (sys:usage above all), so its inserts land on the same page. The debit
// side is spread over every paying account, and an index on
// ledger_transfers(debit_id, id) dirtied one page per paying account in
// every commit: with 64 wallets spending at once that insert, the page's
// WAL frame and its checkpoint were a third of the writer's time.
//
// So the debit side lives in ledger_debit_index (migration 0102), which the
// writer fills in bulk, in key order, inside an ordinary batch's
// transaction, at most every indexEvery: one page per account per interval
// instead of per commit. A light batch (holds and voids, which a chat's
// provider request overlaps) takes the update when it is due; a durable
// batch (a posting a caller waits for after its stream) only once the index
// lags by indexLate intervals, so that a workload without holds is still
// indexed. ledger_index_state.debits_through says how far it
// goes; a reader walks the index up to there and the few newer transfers in
// ledger_transfers (accountArms), in one query and so one snapshot. Both
// tables change only in the writer's transactions, so no reader ever sees
// one without the other, and Verify checks that they agree.

// indexEvery is how often the writer brings the debit index up to date when
// holds are being taken (durable batches alone: every indexLate intervals).
// At 30,000 transfers a second a reader walks at most ~3,000 newer rows
// (~6,000 without holds).
const indexEvery = 100 * time.Millisecond

// indexLate is, in multiples of indexEvery, how far the debit index may lag
// before a durable batch brings it up to date (no light batch came first).
const indexLate = 2

const (
	indexDebitsSQL = `INSERT INTO ledger_debit_index(account_id, transfer_id)
		SELECT debit_id, id FROM ledger_transfers
		WHERE id > (SELECT debits_through FROM ledger_index_state WHERE id = 1)
		ORDER BY debit_id, id`
	markIndexedSQL = `UPDATE ledger_index_state
		SET debits_through = max(debits_through, COALESCE((SELECT MAX(id) FROM ledger_transfers), 0)) WHERE id = 1`
)

// indexDue reports whether this batch, light (holds and voids) or durable,
// should bring the debit index up to date (the writer goroutine only): a
// light one every indexEvery, a durable one every indexLate intervals.
// indexEvery < 0 never (tests of the unindexed tail), 0 every batch.
func (s *Service) indexDue(light bool) bool {
	every := time.Duration(s.indexEvery.Load())
	if !light {
		every *= indexLate
	}
	return every >= 0 && time.Since(s.indexedAt) >= every
}

// indexDebits adds every transfer past the watermark to the debit index
// and moves the watermark, in a savepoint of the batch's transaction,
// after the batch's own writes. A failure is undone and left for the next
// batch (readers still see every transfer, through the tail); only a
// failure to undo it is returned, and then the batch must not commit.
func (w *wtx) indexDebits() error {
	w.s.indexedAt = time.Now()
	if _, err := w.exec("SAVEPOINT debit_index"); err != nil {
		return nil // nothing was written
	}
	_, err := w.exec(indexDebitsSQL)
	if err == nil {
		_, err = w.exec(markIndexedSQL)
	}
	if err != nil {
		w.s.indexFailures.Add(1)
		if _, rerr := w.exec("ROLLBACK TO debit_index"); rerr != nil {
			return fmt.Errorf("ledger: undo a failed debit-index update: %w", rerr)
		}
	}
	if _, err := w.exec("RELEASE debit_index"); err != nil {
		return fmt.Errorf("ledger: release the debit-index savepoint: %w", err)
	}
	return nil
}

// Walk bounds the index walks that find an account's or a member's
// transfers (accountArms, MemberWalk): ids above After and below Before (0:
// no bound), newest first unless Asc, each walk stopping after Limit rows
// (0: every row). The SQL of a walk does not depend on the bounds' values,
// only their args do, so one prepared statement serves every chunk of a
// long read.
type Walk struct {
	After, Before int64
	Asc           bool
	Limit         int
}

// bounds returns the SQL of w's id bounds on col (" AND col > ? AND col <
// ?"), their args, and the ORDER BY and LIMIT of one walk with theirs.
func (w Walk) bounds(col string) (where string, args []any, tail string, tailArgs []any) {
	before := w.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	where, args = " AND "+col+" > ? AND "+col+" < ?", []any{w.After, before}
	tail = " ORDER BY " + col + " DESC"
	if w.Asc {
		tail = " ORDER BY " + col
	}
	if w.Limit > 0 {
		tail += " LIMIT ?"
		tailArgs = append(tailArgs, w.Limit)
	}
	return where, args, tail, tailArgs
}

// accountArms returns the index walks that find an account's transfers,
// each filtered by cond (with condArgs) and bounded by w, for "t.id IN (arm
// UNION ALL arm ...)": its debits in ledger_debit_index up to the
// watermark, its newer debits in ledger_transfers, and its credits through
// (credit_id, id). acct is the SQL of the account id, with acctArgs. The
// walks are disjoint (no transfer has the same account on both sides).
func accountArms(acct string, acctArgs []any, cond string, condArgs []any, w Walk) ([]string, []any) {
	var args []any
	seek, seekArgs, xTail, tailArgs := w.bounds("x.transfer_id")
	args = append(append(append(append(args, acctArgs...), seekArgs...), condArgs...), tailArgs...)
	ids, idArgs, tTail, _ := w.bounds("t.id")
	// The tail's one lower bound is the larger of the watermark and w's:
	// with two, SQLite seeks on one and reads every id above the other.
	newer := " AND t.id < ?"
	newerArgs := idArgs[1:] // w.Before (or none: the largest id)
	arms := []string{
		`SELECT id FROM (SELECT t.id FROM ledger_debit_index x CROSS JOIN ledger_transfers t
			WHERE x.account_id = ` + acct + seek + ` AND t.id = x.transfer_id AND ` + cond + xTail + `)`,
		`SELECT id FROM (SELECT t.id FROM ledger_transfers t NOT INDEXED
			WHERE t.id > max(?, (SELECT debits_through FROM ledger_index_state WHERE id = 1))` + newer + ` AND t.debit_id = ` + acct + ` AND ` + cond + tTail + `)`,
		`SELECT id FROM (SELECT t.id FROM ledger_transfers t INDEXED BY ledger_transfers_credit
			WHERE t.credit_id = ` + acct + ids + ` AND ` + cond + tTail + `)`,
	}
	args = append(append(append(append(append(args, w.After), newerArgs...), acctArgs...), condArgs...), tailArgs...)
	args = append(append(append(append(args, acctArgs...), idArgs...), condArgs...), tailArgs...)
	return arms, args
}
