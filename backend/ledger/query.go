package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// canRead checks who may read an account: a user wallet its owner or an
// admin, system accounts admins, the pool anyone signed in (whose sends it
// may pay), a department's account an admin or a member of it now (the
// installed ReadCheck: the ledger does not know who is in which
// department; with none, admins only).
func (s *Service) canRead(ctx context.Context, code string) error {
	kind, err := kindOf(code)
	if err != nil {
		return err
	}
	switch kind {
	case "user":
		_, err = access.RequireSelfOrAdmin(ctx, userOf(code), "read "+code)
	case "system":
		_, err = access.RequireAdmin(ctx, "read "+code)
	case "dept":
		var a access.Actor
		if a, err = access.Current(ctx); err != nil || a.IsAdmin() {
			break
		}
		in := false
		if b := s.readCheck.Load(); b != nil && a.UserID > 0 {
			if in, err = b.fn(ctx, a.UserID, code); err != nil {
				return fmt.Errorf("read %s: %w", code, err)
			}
		}
		if !in {
			err = fmt.Errorf("read %s: %w (a member reads their own department's credits only)", code, access.ErrForbidden)
		}
	default:
		_, err = access.Current(ctx)
	}
	return err
}

// ReadCheck reports whether member userID is in the department whose
// account is code (dept:N) now, so may read its balance, overdraft and
// lots.
type ReadCheck func(ctx context.Context, userID int64, code string) (bool, error)

// readCheckBox holds the installed ReadCheck (atomic.Pointer needs a type).
type readCheckBox struct{ fn ReadCheck }

// SetReadCheck installs the check of whether a member may read a
// department's account (Balance, Available, Spendable, Movable); core wires
// the team's. nil removes it: then only admins read departments' accounts.
func (s *Service) SetReadCheck(fn ReadCheck) {
	if fn == nil {
		s.readCheck.Store(nil)
		return
	}
	s.readCheck.Store(&readCheckBox{fn})
}

// ProviderCond is the SQL condition, on the transfers aliased alias, of the
// usage charges at the provider of a name as the usage reports name it
// (reports.Service.ProviderCond: "Lab", "Lab (since removed)", "provider
// unknown"), or an error that refuses the name.
type ProviderCond func(ctx context.Context, alias, name string) (string, []any, error)

// providerCondBox holds the installed ProviderCond.
type providerCondBox struct{ fn ProviderCond }

// SetProviderCond installs the rule of History's Filter.Provider; core
// wires the reports' (one rule with the Usage page's transactions and their
// CSV). Without one a filter by provider is refused.
func (s *Service) SetProviderCond(fn ProviderCond) {
	if fn == nil {
		s.providerCond.Store(nil)
		return
	}
	s.providerCond.Store(&providerCondBox{fn})
}

// Available returns an account's available amount (balance less pending
// holds), what Balance(code).Available is, with one prepared query: for
// the hot paths (a send's pre-flight, the gateway's remaining-credits
// header) that need nothing else.
func (s *Service) Available(ctx context.Context, code string) (decimal.Decimal, error) {
	if err := s.canRead(ctx, code); err != nil {
		return decimal.Zero, fmt.Errorf("available of %s: %w", code, err)
	}
	var avail int64
	err := s.db.QueryRow(ctx, `SELECT balance_minor - pending_minor FROM ledger_accounts WHERE code = ?`, code).Scan(&avail)
	if errors.Is(err, sql.ErrNoRows) {
		return decimal.Zero, fmt.Errorf("available of %s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return decimal.Zero, fmt.Errorf("available of %s: %w", code, err)
	}
	return money.FromMinor(avail), nil
}

// Spendable returns how much more an account may be debited now without
// leaving its policy's floor (available less a minimum, plus an overdraft
// limit), with one prepared query. bounded is false for an unlimited
// account (system accounts), whose amount is then zero.
func (s *Service) Spendable(ctx context.Context, code string) (amount decimal.Decimal, bounded bool, err error) {
	if err := s.canRead(ctx, code); err != nil {
		return decimal.Zero, false, fmt.Errorf("spendable of %s: %w", code, err)
	}
	a := &account{code: code}
	var policy string
	err = s.db.QueryRow(ctx, `SELECT balance_minor, pending_minor, policy, limit_minor FROM ledger_accounts WHERE code = ?`, code).
		Scan(&a.balance, &a.pending, &policy, &a.limit)
	if errors.Is(err, sql.ErrNoRows) {
		return decimal.Zero, false, fmt.Errorf("spendable of %s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return decimal.Zero, false, fmt.Errorf("spendable of %s: %w", code, err)
	}
	minor, bounded := SpendableMinor(a.balance, a.pending, policy, a.limit)
	if !bounded {
		return decimal.Zero, false, nil
	}
	return money.FromMinor(minor), true, nil
}

// SpendableMinor is Spendable of an account row read elsewhere (its
// ledger_accounts balance_minor, pending_minor, policy and limit_minor, in
// minor units), for a caller that reads it in the same statement as other
// things (team.Service.FundingPrecheck).
func SpendableMinor(balance, pending int64, policy string, limit int64) (minor int64, bounded bool) {
	a := &account{balance: balance, pending: pending, policy: PolicyKind(policy), limit: limit}
	floor, bounded := a.floor()
	if !bounded {
		return 0, false
	}
	return a.available() - floor, true
}

// Movable returns what of its own credits may leave an account now
// (Balance.Movable: the available balance above its policy's floor, never
// below zero), with one prepared query.
func (s *Service) Movable(ctx context.Context, code string) (decimal.Decimal, error) {
	if err := s.canRead(ctx, code); err != nil {
		return decimal.Zero, fmt.Errorf("movable of %s: %w", code, err)
	}
	a := &account{code: code}
	var policy string
	err := s.db.QueryRow(ctx, `SELECT balance_minor, pending_minor, policy, limit_minor FROM ledger_accounts WHERE code = ?`, code).
		Scan(&a.balance, &a.pending, &policy, &a.limit)
	if errors.Is(err, sql.ErrNoRows) {
		return decimal.Zero, fmt.Errorf("movable of %s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return decimal.Zero, fmt.Errorf("movable of %s: %w", code, err)
	}
	a.policy = PolicyKind(policy)
	return money.FromMinor(a.movable()), nil
}

// Seen reports whether a request id has been used by a committed transfer
// (any kind, any leg), with one prepared query: chat asks before it lets a
// provider request overlap a hold, since a hold with a used id is refused.
func (s *Service) Seen(ctx context.Context, requestID string) (bool, error) {
	if _, err := access.Current(ctx); err != nil {
		return false, fmt.Errorf("seen %s: %w", requestID, err)
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_transfers WHERE request_id = ? AND leg = 0`, requestID).Scan(&n); err != nil {
		return false, fmt.Errorf("seen %s: %w", requestID, err)
	}
	return n > 0, nil
}

// HoldStatusOrphaned is HoldStatus's answer for a pending hold whose
// process is no longer running (a crash): it will be voided at the next
// start or when it expires, and nothing is streaming for it.
const HoldStatusOrphaned = "orphaned"

// HoldStatus returns the status of the hold taken with request id
// (pending, posted or voided, or HoldStatusOrphaned for a pending hold
// left by a process that is gone), or "" when no hold has that id.
func (s *Service) HoldStatus(ctx context.Context, requestID string) (string, error) {
	if _, err := access.Current(ctx); err != nil {
		return "", fmt.Errorf("hold status of %s: %w", requestID, err)
	}
	var status, inst string
	var pid int
	err := s.db.Read().QueryRowContext(ctx, `SELECT h.status, h.owner_pid, h.owner_instance FROM ledger_transfers t
		JOIN ledger_holds h ON h.transfer_id = t.id WHERE t.request_id = ? AND t.leg = 0`, requestID).Scan(&status, &pid, &inst)
	// A hold of another process that is gone. (One with this process's pid
	// but another instance is another Service here: those a previous
	// process with the same pid left were voided when this one started.)
	if err == nil && status == "pending" && inst != s.instance && pid != s.pid && !pidAlive(pid) {
		status = HoldStatusOrphaned
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("hold status of %s: %w", requestID, err)
	}
	return status, nil
}

// HeldElsewhere reports whether a pending hold whose ledger_holds row has
// this owner_pid, owner_instance and expires_at is still held by another
// ledger Service (another process that is running, or another Service in
// this one): not this Service's, not expired, and not orphaned as
// HoldStatus tells (a process that is gone). backend/chat asks it of the
// holds of the replies streaming in a conversation, inside a send's hold
// transaction, to refuse a second send from another process.
func (s *Service) HeldElsewhere(pid int, instance, expiresAt string) bool {
	if instance == s.instance || expiresAt <= store.FormatTime(s.now()) {
		return false
	}
	return pid == s.pid || pidAlive(pid)
}

// Balance returns an account's balance, pending and available amounts,
// lifetime usage, last transfer, policy and lots. The last transfer names
// who spent what on which model, so a member sees it only on their own
// wallet: the pool's and departments' are shared by others (as their
// histories are, which a member also sees only in part).
func (s *Service) Balance(ctx context.Context, code string) (Balance, error) {
	if err := s.canRead(ctx, code); err != nil {
		return Balance{}, fmt.Errorf("balance of %s: %w", code, err)
	}
	a, _ := access.FromContext(ctx)
	showLast := a.IsAdmin() || (a.UserID != 0 && code == UserAccount(a.UserID))
	db := s.db.Read()
	var id, bal, pend, used, last, limit int64
	var policy string
	err := db.QueryRowContext(ctx, `SELECT id, balance_minor, pending_minor, used_minor, COALESCE(last_transfer_id,0),
		policy, limit_minor FROM ledger_accounts WHERE code = ?`, code).Scan(&id, &bal, &pend, &used, &last, &policy, &limit)
	if errors.Is(err, sql.ErrNoRows) {
		return Balance{}, fmt.Errorf("balance of %s: %w", code, ErrUnknownAccount)
	}
	if err != nil {
		return Balance{}, fmt.Errorf("balance of %s: %w", code, err)
	}
	acct := account{code: code, balance: bal, pending: pend, policy: PolicyKind(policy), limit: limit}
	b := Balance{Account: code, Balance: money.FromMinor(bal), Pending: money.FromMinor(pend),
		Available: money.FromMinor(bal - pend), Movable: money.FromMinor(acct.movable()), LifetimeUsed: money.FromMinor(used), Policy: policyOf(policy, limit), Lots: []Lot{}}
	if last != 0 && showLast {
		rows, err := db.QueryContext(ctx, selectTransfers+` WHERE t.id = ?`, last)
		if err != nil {
			return Balance{}, fmt.Errorf("balance of %s: %w", code, err)
		}
		ts, err := scanTransfers(rows)
		if err != nil {
			return Balance{}, fmt.Errorf("balance of %s: %w", code, err)
		}
		if len(ts) == 1 {
			b.LastTransfer = &ts[0]
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT expires_at, remaining_minor FROM ledger_lots WHERE account_id = ? ORDER BY expires_at LIMIT 100`, id)
	if err != nil {
		return Balance{}, fmt.Errorf("lots of %s: %w", code, err)
	}
	defer rows.Close()
	b.Lots = []Lot{} // an empty list in JSON, never null
	for rows.Next() {
		var exp string
		var rem int64
		if err := rows.Scan(&exp, &rem); err != nil {
			return Balance{}, fmt.Errorf("lots of %s: %w", code, err)
		}
		l := Lot{Amount: money.FromMinor(rem)}
		if exp != never {
			e := store.ParseTime(exp)
			l.ExpiresAt = &e
		}
		b.Lots = append(b.Lots, l)
	}
	return b, rows.Err()
}

// ErrOthersHistory is History's refusal of a member asking for another
// member's transfers (access.ErrForbidden). `credits history --member`
// gives it for a member who names anyone but themselves, one that does
// not exist included, so the answer does not tell which members exist.
var ErrOthersHistory = fmt.Errorf("history: %w (members see only their own transfers)", access.ErrForbidden)

// History returns one page of transfers, newest first. Admins see every
// transfer; a member sees only transfers on their own wallet or made for
// them (the filter is narrowed to their user id).
func (s *Service) History(ctx context.Context, f Filter) (Page, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	if f.Limit < 0 || f.Before < 0 {
		return Page{}, fmt.Errorf("history: %w", inputerr.New(ErrInvalidRequest, "a limit and a cursor are positive (0 = the default)"))
	}
	// An empty or inverted date range is refused before anything else
	// (a filter by provider catches the usage roll-ups up): nothing written.
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return Page{}, fmt.Errorf("history: %w", inputerr.New(ErrInvalidRequest, "date range from %s to %s is empty", store.FormatTime(f.From), store.FormatTime(f.To)))
	}
	// A member asking for another member's transfers is refused, as the
	// reports refuse it, rather than shown an empty list as if that member
	// had none: what a member sees is their own in any case (below).
	if !a.IsAdmin() && f.UserID != 0 && f.UserID != a.UserID {
		return Page{}, ErrOthersHistory
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	var where []string
	var args []any
	var acctID int64
	if f.Account != "" {
		if _, err := kindOf(f.Account); err != nil {
			return Page{}, fmt.Errorf("history: %w", err)
		}
		// A member may name only an account they may read (their wallet,
		// the pool, their department's credits: canRead, as Balance), and
		// is refused any other before it is looked up, so that an account
		// that does not exist and another member's read the same: what a
		// member is told never says which accounts exist.
		if !a.IsAdmin() {
			if err := s.canRead(ctx, f.Account); err != nil {
				return Page{}, fmt.Errorf("history: %w", err)
			}
		}
		err := s.db.Read().QueryRowContext(ctx, `SELECT id FROM ledger_accounts WHERE code = ?`, f.Account).Scan(&acctID)
		if errors.Is(err, sql.ErrNoRows) {
			return Page{}, fmt.Errorf("history: %w: %q", ErrUnknownAccount, f.Account)
		}
		if err != nil {
			return Page{}, fmt.Errorf("history: %w", err)
		}
	}
	// A member sees transfers on their own wallet or made for them: their
	// user id or their wallet on either side (MemberActivity). On another
	// account (the pool, their department's credits) those are the ones
	// between it and their wallet too (a grant, a transfer they made),
	// which the user id alone left out.
	ownScope := false
	if !a.IsAdmin() {
		if f.Account != "" && f.Account != UserAccount(a.UserID) {
			cond, condArgs := MemberActivity("t", a.UserID)
			where = append(where, cond)
			args = append(args, condArgs...)
		} else if f.Account == "" {
			ownScope = true
		}
	}
	if len(f.Ops) > 0 {
		// "usage" is what reports call usage: every moving transfer into
		// sys:usage, a direct usage transfer or a posted hold (op post, how
		// chat and API charges are stored). The other ops match as stored.
		var ph []string
		var opArgs []any
		wantUsage := false
		for _, op := range f.Ops {
			if !slices.Contains(Ops, op) {
				return Page{}, fmt.Errorf("history: %w", inputerr.New(ErrInvalidRequest, "op %q (want one of %s)", op, strings.Join(Ops, ", ")))
			}
			if op == OpUsage {
				wantUsage = true
				continue
			}
			ph = append(ph, "?")
			opArgs = append(opArgs, op)
		}
		var or []string
		if wantUsage {
			or = append(or, "(t.kind IN ('"+KindPosted+"','"+KindPost+"') AND t.credit_id = (SELECT id FROM ledger_accounts WHERE code = ?))")
			args = append(args, AccountUsage)
		}
		if len(ph) > 0 {
			or = append(or, "t.op IN ("+strings.Join(ph, ",")+")")
			args = append(args, opArgs...)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if f.UserID != 0 {
		where = append(where, "t.user_id = ?")
		args = append(args, f.UserID)
	}
	if f.DepartmentID != 0 {
		where = append(where, "t.department_id = ?")
		args = append(args, f.DepartmentID)
	}
	if f.Model != "" {
		cond, condArgs := ModelCond("t", f.Model)
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if strings.TrimSpace(f.Provider) != "" {
		box := s.providerCond.Load()
		if box == nil {
			return Page{}, fmt.Errorf("history: %w", inputerr.New(ErrInvalidRequest, "a filter by provider is not available here"))
		}
		cond, condArgs, err := box.fn(ctx, "t", f.Provider)
		if err != nil {
			return Page{}, fmt.Errorf("history: %w", err)
		}
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if !f.From.IsZero() {
		where = append(where, "t.created_at >= ?")
		args = append(args, store.FormatTime(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "t.created_at < ?")
		args = append(args, store.FormatTime(f.To))
	}
	dated := acctID == 0 && (!f.From.IsZero() || !f.To.IsZero())
	if f.Before > 0 && dated {
		// Date-range pages walk the created_at index newest first; the
		// cursor is the (created_at, id) of the last row shown.
		where = append(where, "(t.created_at, t.id) < ((SELECT created_at FROM ledger_transfers WHERE id = ?), ?)")
		args = append(args, f.Before, f.Before)
	} else if f.Before > 0 {
		where = append(where, "t.id < ?")
		args = append(args, f.Before)
	}
	if ownScope && dated {
		// A date range walks the created_at index (below) and filters.
		cond, condArgs := MemberActivity("t", a.UserID)
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	q := selectTransfers
	cond := strings.Join(append([]string{"1"}, where...), " AND ")
	if acctID != 0 || (ownScope && !dated) {
		// Index walks, newest first, each stopping after a page: the
		// account's debits and credits (accountArms), and for a member's own
		// history also the transfers made for them (user_id).
		var arms []string
		var armArgs []any
		w := Walk{Before: f.Before, Limit: f.Limit + 1}
		if acctID != 0 {
			arms, armArgs = accountArms("?", []any{acctID}, cond, args, w)
		} else {
			arms, armArgs = MemberWalk(a.UserID, cond, args, w)
		}
		q += " WHERE t.id IN (" + strings.Join(arms, " UNION ALL ") + ")"
		args = armArgs
	} else if arms, armArgs, ok := opArms(f.Ops, cond, args, f.Limit+1); ok && !dated && !ownScope {
		// Ops that are few among many transfers: index walks per op, each
		// stopping after a page, instead of a scan of every transfer.
		q += " WHERE t.id IN (" + strings.Join(arms, " UNION ALL ") + ")"
		args = armArgs
	} else if len(where) > 0 {
		if dated {
			// A date range walks the created_at index (newest first, stopping
			// after a page), not the whole table backwards by id.
			q = strings.Replace(q, "FROM ledger_transfers t", "FROM ledger_transfers t INDEXED BY ledger_transfers_created", 1)
		}
		q += " WHERE " + cond
	}
	if dated {
		q += " ORDER BY t.created_at DESC, t.id DESC LIMIT ?"
	} else {
		q += " ORDER BY t.id DESC LIMIT ?"
	}
	args = append(args, f.Limit+1)
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	items, err := scanTransfers(rows)
	if err != nil {
		return Page{}, fmt.Errorf("history: %w", err)
	}
	p := Page{Items: items}
	if len(items) > f.Limit {
		p.Items = items[:f.Limit]
		p.Next = p.Items[f.Limit-1].ID
	}
	if p.Items == nil {
		p.Items = []Transfer{}
	}
	return p, nil
}

// Verify audits the whole ledger and returns every broken invariant: the
// sum over all accounts is zero; each materialised balance equals the sum
// of its postings; each pending amount equals its open holds; each
// non-system account's lots add up to max(balance, 0); the debit index
// holds exactly the transfers up to its watermark (debitindex.go).
func (s *Service) Verify(ctx context.Context) error {
	db := s.db.Read()
	var errs []error
	var sum int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(SUM(balance_minor),0) FROM ledger_accounts`).Scan(&sum); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if sum != 0 {
		errs = append(errs, fmt.Errorf("sum over all accounts is %s, not 0", money.MinorString(sum)))
	}
	var unindexed, misindexed int64
	if err := db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM ledger_transfers WHERE id <= s.debits_through) - (SELECT COUNT(*) FROM ledger_debit_index),
		(SELECT COUNT(*) FROM ledger_debit_index x LEFT JOIN ledger_transfers t ON t.id = x.transfer_id
			WHERE x.transfer_id > s.debits_through OR t.debit_id IS NOT x.account_id)
		FROM ledger_index_state s WHERE s.id = 1`).Scan(&unindexed, &misindexed); err != nil {
		return fmt.Errorf("verify: debit index: %w", err)
	}
	if unindexed != 0 || misindexed != 0 {
		errs = append(errs, fmt.Errorf("debit index: %d transfers missing, %d entries wrong", unindexed, misindexed))
	}
	// Postings straight from ledger_transfers, one pass per side.
	rows, err := db.QueryContext(ctx, `SELECT a.code, a.kind, a.balance_minor, a.pending_minor,
		COALESCE(cr.total, 0) - COALESCE(dr.total, 0),
		COALESCE((SELECT SUM(amount_minor) FROM ledger_holds WHERE debit_id = a.id AND status = 'pending'),0),
		COALESCE((SELECT SUM(remaining_minor) FROM ledger_lots WHERE account_id = a.id),0)
		FROM ledger_accounts a
		LEFT JOIN (SELECT credit_id AS id, SUM(amount_minor) AS total FROM ledger_transfers
			WHERE kind IN ('posted','post') GROUP BY credit_id) cr ON cr.id = a.id
		LEFT JOIN (SELECT debit_id AS id, SUM(amount_minor) AS total FROM ledger_transfers
			WHERE kind IN ('posted','post') GROUP BY debit_id) dr ON dr.id = a.id
		ORDER BY a.id`)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, kind string
		var bal, pend, postings, holds, lots int64
		if err := rows.Scan(&code, &kind, &bal, &pend, &postings, &holds, &lots); err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		if bal != postings {
			errs = append(errs, fmt.Errorf("%s: balance %s but postings sum to %s", code, money.MinorString(bal), money.MinorString(postings)))
		}
		if pend != holds {
			errs = append(errs, fmt.Errorf("%s: pending %s but open holds sum to %s", code, money.MinorString(pend), money.MinorString(holds)))
		}
		if kind != "system" && lots != max(bal, 0) {
			errs = append(errs, fmt.Errorf("%s: lots sum to %s but balance is %s", code, money.MinorString(lots), money.MinorString(bal)))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	return errors.Join(errs...)
}

// rareOpsTerm is the WHERE term of the partial index ledger_transfers_rare_op
// (migration 0720), word for word: a query uses the index only if it
// repeats the term.
const rareOpsTerm = "t.op NOT IN ('hold', 'post', 'void', 'usage')"

// opArms returns the index walks for a history filtered by ops that are few
// among many transfers (top-ups, grants, transfers, refunds, expiries,
// adjustments), for "t.id IN (arm UNION ALL arm ...)": per op, the partial
// index (op, id), filtered by cond (with condArgs, which include the ops'
// own filter) and stopping after limit rows. ok is false when an op is
// usage, a hold, a post or a void: those are nearly all transfers, and the
// scan newest first finds a page of them at once (measured: faster than the
// walk of sys:usage's credits, docs/benchmarks.md).
func opArms(ops []string, cond string, condArgs []any, limit int) (arms []string, args []any, ok bool) {
	if len(ops) == 0 {
		return nil, nil, false
	}
	for _, op := range ops {
		switch op {
		case OpUsage, OpHold, OpPost, OpVoid:
			return nil, nil, false
		}
		arms = append(arms, `SELECT id FROM (SELECT t.id FROM ledger_transfers t INDEXED BY ledger_transfers_rare_op
			WHERE t.op = ? AND `+rareOpsTerm+` AND `+cond+` ORDER BY t.id DESC LIMIT ?)`)
		args = append(append(append(args, op), condArgs...), limit)
	}
	return arms, args, true
}

// NoModel, as a history's model filter, is the transfers stored with no
// model: what the usage reports' "(no model)" bar and "(no model) · Lab"
// sum (a charge with no model, a top-up, a move). It reads as the bar's
// name, so that the Usage page's Model field and `credits history --model`
// take the bar's words; no model is named so (models are providers'
// identifiers).
const NoModel = "(no model)"

// ModelCond is the one rule of a history's model filter (this History,
// backend/reports' History, Count and CSV export, `credits history
// --model`): the SQL condition, on the transfers aliased t, of the
// transfers of model, or of those with no model for NoModel. model is not
// "" (no filter).
func ModelCond(t, model string) (string, []any) {
	if model == NoModel {
		model = ""
	}
	return t + ".model = ?", []any{model}
}

// MemberActivity is the one rule for what a member's own account activity
// is, as SQL on the ledger_transfers alias t: a transfer made for them
// (user_id: their sends, API requests and top-ups) or one on their wallet,
// either side (credits given to it, moved back from it, expired in it,
// refunds and adjustments to it), whoever made it. Their own history here
// (Settings → Credits → History, `credits history`) and the Usage page's
// Transactions (backend/reports' History, Each and Count, for a member or a
// member an admin filters by) both use it.
//
// No index holds the wallet's debits in ledger_transfers, so a query
// filtered by this OR reads every transfer of its range in id order (a
// page newest first stops after a page of theirs). That is the cheaper read
// when the member holds a large share of the transfers (a small team) or
// when another index already narrows the rows (a date range's created_at
// index); for a member with a small share use MemberWalk, the same rule as
// index walks. backend/reports chooses per read by sampling the share
// (its plan; docs/benchmarks.md, "A member's transactions").
func MemberActivity(t string, userID int64) (string, []any) {
	wallet := UserAccount(userID)
	return "(" + t + ".user_id = ? OR " + t + ".debit_id = (SELECT id FROM ledger_accounts WHERE code = ?) OR " +
		t + ".credit_id = (SELECT id FROM ledger_accounts WHERE code = ?))", []any{userID, wallet, wallet}
}

// MemberWalk returns MemberActivity's rule as index walks, for "t.id IN (arm
// UNION ALL arm ...)" or a UNION of them: the wallet's debits and credits
// (accountArms) and the transfers made for the member, through (user_id,
// id). Each walk is filtered by cond (SQL on the alias t, with condArgs) and
// bounded by w. The walks are disjoint (the user_id walk leaves out what is
// on the wallet, found by the others), so a count may add them up. A member's page
// costs a page's rows per walk, and a count or export their transfers,
// however many others there are (no index holds the wallet's debits in
// ledger_transfers, so the OR of MemberActivity reads every transfer).
func MemberWalk(userID int64, cond string, condArgs []any, w Walk) ([]string, []any) {
	wallet := "(SELECT id FROM ledger_accounts WHERE code = ?)"
	arms, args := accountArms(wallet, []any{UserAccount(userID)}, cond, condArgs, w)
	ids, idArgs, tail, tailArgs := w.bounds("t.id")
	// IS NOT: a member without a wallet has NULL for it.
	arms = append(arms, `SELECT id FROM (SELECT t.id FROM ledger_transfers t INDEXED BY ledger_transfers_user
		WHERE t.user_id = ?`+ids+` AND t.debit_id IS NOT `+wallet+` AND t.credit_id IS NOT `+wallet+` AND `+cond+tail+`)`)
	args = append(append(append(append(append(args, userID), idArgs...), UserAccount(userID), UserAccount(userID)), condArgs...), tailArgs...)
	return arms, args
}
