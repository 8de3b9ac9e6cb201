package ledger

import (
	"errors"
	"fmt"
	"strings"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// Deferred transfers: the writer's cheapest path. A fast (hook-free,
// single-leg) transfer into a system account — usage, the bulk of all
// traffic — whose debit account is cached, has no open hold and no expired
// lot, and whose earliest lot more than covers the amount (or has no lots)
// is checked against the cached account and applied to it in memory only.
// Its row, its balance changes and its lot change are written later, by
// flush, together with those of every other deferred transfer of the batch:
// one multi-row INSERT and one UPDATE per account and per lot touched,
// instead of an INSERT and two UPDATEs per transfer.
//
// flush runs before anything else writes in the transaction (a job with a
// savepoint, a fast transfer that cannot be deferred) and before the commit,
// so transfer ids keep the order in which transfers were applied and every
// read in SQL sees them. If flush finds the database disagreeing with what
// was planned — a request id that exists already (a retry of a committed
// transfer), a balance that would leave ±money.MaxMinor — it fails with
// errRerunSafe: the writer rolls the transaction back and runs the batch
// again with a savepoint per job, where each request gets its own exact
// result or error.

// deferredRow is a transfer applied in memory whose writes wait for flush.
type deferredRow struct {
	r   row
	at  string    // created_at
	dst *Transfer // the caller's result; flush sets its ID
}

// errRerunSafe: the batch must be rolled back and run again with a
// savepoint per job (see flush).
var errRerunSafe = errors.New("ledger: deferred writes did not apply; rerun the batch with savepoints")

// insertChunks are the row counts of the prepared multi-row INSERTs flush
// uses, largest first (any count is a sum of them).
var insertChunks = []int{64, 16, 4, 1}

// insertSQL holds the multi-row INSERT text for each chunk size. OR FAIL
// and the table's deferred foreign keys (migration 0101) spare SQLite a
// statement journal: a failing row leaves the earlier ones written, and
// flush then rolls the whole transaction back anyway.
var insertSQL = func() map[int]string {
	m := map[int]string{}
	const cols = `INSERT OR FAIL INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id,
		amount_minor, user_id, department_id, model, source, conversation_id, meta, created_at) VALUES `
	const tuple = "(?,?,?,'posted',?,?,?,?,?,?,?,?,?,?)"
	for _, n := range insertChunks {
		m[n] = cols + strings.TrimSuffix(strings.Repeat(tuple+",", n), ",") + " ON CONFLICT(request_id, leg) DO NOTHING"
	}
	return m
}()

// canDefer reports whether a validated fast transfer may be deferred (see
// the file comment). from and to were just loaded through w.account.
func (w *wtx) canDefer(id string, from, to *account, amount int64) bool {
	if w.sp || !to.system() || from.system() || w.s.cache[from.code] != from {
		return false
	}
	if from.lotExp != "" && (from.lotID == 0 || from.lotRem <= amount) {
		return false // the earliest lot may run out: consumeLots must see the lots
	}
	if _, dup := w.deferredIDs[id]; dup {
		return false // the same id twice in one batch: the general path replays or refuses it
	}
	return true
}

// deferTransfer applies a fast transfer to the cached debit account and
// queues its writes for flush. dst receives the result (its ID at flush).
func (w *wtx) deferTransfer(id, hash string, in transferInput, from, to *account, dst *Transfer) {
	now := w.s.now()
	from.balance -= in.Amount
	if from.lotID != 0 {
		from.lotRem -= in.Amount
	}
	*dst = Transfer{
		RequestID: id, Op: in.Op, Kind: KindPosted, From: from.code, To: to.code,
		Amount: money.FromMinor(in.Amount), DebtRepaid: money.Zero, Dims: in.Dims,
		Meta: []byte(in.Meta), CreatedAt: now,
	}
	w.deferred = append(w.deferred, deferredRow{
		r: row{requestID: id, hash: hash, op: in.Op, kind: KindPosted, from: from, to: to,
			amount: in.Amount, dims: in.Dims, meta: in.Meta},
		at: store.FormatTime(now), dst: dst,
	})
	if w.deferredIDs == nil {
		w.deferredIDs = map[string]struct{}{}
	}
	w.deferredIDs[id] = struct{}{}
	w.moved = true
	w.s.deferredCount.Add(1)
}

// accountDelta is what flush adds to one account.
type accountDelta struct {
	balance, used, last int64
}

// flush writes every deferred transfer (see the file comment). It does not
// count as a write of the job that happens to be running (w.dirty is kept):
// the rows belong to jobs that already succeeded. Every failure is
// errRerunSafe (a partial flush must never be committed): the batch is rolled
// back and rerun with savepoints, where a lasting fault fails each job on
// its own.
func (w *wtx) flush() error {
	n := len(w.deferred)
	if n == 0 {
		return nil
	}
	dirty := w.dirty
	defer func() { w.dirty = dirty }()
	for done := 0; done < n; {
		size := 1
		for _, c := range insertChunks {
			if c <= n-done {
				size = c
				break
			}
		}
		if err := w.insertDeferred(w.deferred[done : done+size]); err != nil {
			return err
		}
		done += size
	}
	deltas := map[int64]*accountDelta{}
	var order []int64 // accounts in first-touched order, for a stable write order
	lots := map[int64]int64{}
	var lotOrder []int64
	add := func(id, amount, used, last int64) {
		d, ok := deltas[id]
		if !ok {
			d = &accountDelta{}
			deltas[id] = d
			order = append(order, id)
		}
		d.balance += amount
		d.used += used
		d.last = max(d.last, last)
	}
	for _, dr := range w.deferred {
		used := int64(0)
		if dr.r.to.code == AccountUsage {
			used = dr.r.amount
		}
		add(dr.r.from.id, -dr.r.amount, used, dr.dst.ID)
		add(dr.r.to.id, dr.r.amount, 0, dr.dst.ID)
		if lot := dr.r.from.lotID; lot != 0 {
			if _, ok := lots[lot]; !ok {
				lotOrder = append(lotOrder, lot)
			}
			lots[lot] += dr.r.amount
		}
	}
	for _, id := range order {
		d := deltas[id]
		res, err := w.exec(`UPDATE ledger_accounts SET balance_minor = balance_minor + ?1,
			used_minor = used_minor + ?2, last_transfer_id = ?3
			WHERE id = ?4 AND balance_minor + ?1 BETWEEN ?5 AND ?6`,
			d.balance, d.used, d.last, id, -money.MaxMinor, money.MaxMinor)
		if err != nil {
			return fmt.Errorf("%w: write balances: %v", errRerunSafe, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errRerunSafe // a balance would overflow: let the general path name the request
		}
	}
	for _, id := range lotOrder {
		res, err := w.exec(`UPDATE ledger_lots SET remaining_minor = remaining_minor - ?1 WHERE id = ?2 AND remaining_minor > ?1`,
			lots[id], id)
		if err != nil {
			return fmt.Errorf("%w: consume lots: %v", errRerunSafe, err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errRerunSafe
		}
	}
	w.deferred = w.deferred[:0]
	clear(w.deferredIDs)
	return nil
}

// insertDeferred writes one chunk of deferred rows with a single INSERT and
// sets their ids. A multi-row INSERT of a rowid table assigns consecutive
// ids in VALUES order; a row skipped by ON CONFLICT (an id committed
// earlier) makes the count fall short: errRerunSafe.
func (w *wtx) insertDeferred(rows []deferredRow) error {
	args := w.args[:0]
	for _, dr := range rows {
		r := &dr.r
		args = append(args, r.requestID, r.hash, r.op, r.from.id, r.to.id, r.amount,
			nullInt(r.dims.UserID), nullInt(r.dims.DepartmentID), r.dims.Model, r.dims.Source,
			nullInt(r.dims.ConversationID), r.meta, dr.at)
	}
	w.args = args
	res, err := w.exec(insertSQL[len(rows)], args...)
	if err != nil {
		return fmt.Errorf("%w: write transfers: %v", errRerunSafe, err)
	}
	if k, err := res.RowsAffected(); err != nil || k != int64(len(rows)) {
		return errRerunSafe
	}
	last, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("%w: write transfers: %v", errRerunSafe, err)
	}
	for i, dr := range rows {
		dr.dst.ID = last - int64(len(rows)-1-i)
	}
	return nil
}
