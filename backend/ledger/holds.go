package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// holdInput is the canonical, hashed content of a hold.
type holdInput struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
	TTL    int64  `json:"ttlMs"`
	Dims   Dims   `json:"dims"`
	Meta   string `json:"meta"`
}

// resolveInput is the canonical, hashed content of a post or void.
type resolveInput struct {
	Hold   string `json:"hold"`
	Amount int64  `json:"amount"`
	Meta   string `json:"meta"`
	Asked  string `json:"asked,omitempty"` // PostRequest.Asked; omitted when empty (other hashes unchanged)
}

// hashed is the content a post's idempotency hash covers: with Asked, what
// the caller asked instead of the amount and meta (PostRequest.Asked).
func (in resolveInput) hashed() resolveInput {
	if in.Asked != "" {
		in.Amount, in.Meta = 0, ""
	}
	return in
}

// maxHoldTTL bounds HoldRequest.TTL.
const maxHoldTTL = 7 * 24 * time.Hour

// Hold reserves an amount on req.From (pending) before a provider call. It
// fails with ErrInsufficientFunds when the reservation would break From's
// policy. A zero amount is allowed and never blocked by the balance (free
// models). Holds to an account other than sys:usage need an admin.
func (s *Service) Hold(ctx context.Context, req HoldRequest) (Transfer, error) {
	t, err := s.hold(ctx, req)
	if err != nil {
		return Transfer{}, fmt.Errorf("hold %s: %w", req.ID, err)
	}
	return t, nil
}

func (s *Service) hold(ctx context.Context, req HoldRequest) (Transfer, error) {
	if err := checkID(req.ID); err != nil {
		return Transfer{}, err
	}
	if _, err := access.Current(ctx); err != nil {
		return Transfer{}, err
	}
	if req.To == "" {
		req.To = AccountUsage
	}
	if req.TTL == 0 {
		req.TTL = DefaultHoldTTL
	}
	if req.TTL < time.Second || req.TTL > maxHoldTTL {
		return Transfer{}, inputerr.New(ErrInvalidRequest, "hold TTL %s (want 1s to 7 days)", req.TTL)
	}
	fromKind, err := kindOf(req.From)
	if err != nil {
		return Transfer{}, err
	}
	if _, err := kindOf(req.To); err != nil {
		return Transfer{}, err
	}
	if fromKind == "system" || req.From == req.To {
		return Transfer{}, inputerr.New(ErrInvalidRequest, "a hold is taken on a pool, department or user account")
	}
	if req.To != AccountUsage {
		if _, err := access.RequireAdmin(ctx, "hold to "+req.To); err != nil {
			return Transfer{}, err
		}
	}
	in := holdInput{From: req.From, To: req.To, TTL: req.TTL.Milliseconds(), Dims: req.Dims}
	if in.Amount, err = checkAmount(req.Amount, true); err != nil {
		return Transfer{}, err
	}
	if err := checkDims(req.Dims); err != nil {
		return Transfer{}, err
	}
	if in.Meta, err = canonicalMeta(req.Meta); err != nil {
		return Transfer{}, err
	}
	hash := requestHash(ctx, "hold", in)
	var out Transfer
	err = s.submitLight(ctx, func(w *wtx) error {
		// The request id is checked by the insert itself (a new id is the
		// common case); a retry is recognised there, or, when a check fails
		// first, before the error is returned (orReplay), so a retry always
		// gets the first result or the conflict, as with a look-up first.
		from, err := w.debitAccount(in.From)
		if err != nil {
			return w.orReplay(req.ID, hash, &out, err)
		}
		to, err := w.account(in.To)
		if err != nil {
			return w.orReplay(req.ID, hash, &out, err)
		}
		if err := from.checkDebit(in.Amount); err != nil {
			return w.orReplay(req.ID, hash, &out, err)
		}
		if err := from.checkReserve(in.Amount, req.Reserve); err != nil {
			return w.orReplay(req.ID, hash, &out, err)
		}
		if req.Guard != nil {
			if err := req.Guard(w.ctx, w.tx); err != nil {
				return w.orReplay(req.ID, hash, &out, err)
			}
		}
		expires := w.s.now().Add(req.TTL)
		t, err := w.record(&row{requestID: req.ID, hash: hash, op: OpHold, kind: KindPending,
			from: from, to: to, amount: in.Amount, dims: in.Dims, meta: in.Meta})
		if errors.Is(err, errDuplicate) {
			return w.orReplay(req.ID, hash, &out, err)
		}
		if err != nil {
			return err
		}
		if _, err := w.exec(`INSERT INTO ledger_holds(transfer_id, debit_id, credit_id, amount_minor, status,
			expires_at, owner_pid, owner_instance) VALUES (?,?,?,?, 'pending', ?,?,?)`,
			t.ID, from.id, to.id, in.Amount, store.FormatTime(expires), w.s.pid, w.s.instance); err != nil {
			return fmt.Errorf("write hold: %w", err)
		}
		if _, err := w.exec(`UPDATE ledger_accounts SET pending_minor = pending_minor + ? WHERE id = ?`,
			in.Amount, from.id); err != nil {
			return fmt.Errorf("reserve on %s: %w", from.code, err)
		}
		w.moved = true
		t.ExpiresAt, t.Status = &expires, "pending"
		if req.Attach != nil {
			if err := req.Attach(w.ctx, w.tx, t); err != nil {
				return err
			}
		}
		out = t
		return nil
	})
	return out, err
}

// orReplay returns the first result of request id (same content: nil
// error, *out set) or ErrIdempotencyConflict (other content), or cause when
// the id is new. A job whose check failed, or whose insert found its id
// taken, calls it so that a retry behaves as if the id had been looked up
// first.
func (w *wtx) orReplay(id, hash string, out *Transfer, cause error) error {
	prev, found, err := w.replay(id, hash)
	if !found && err == nil {
		return cause
	}
	if len(prev) > 0 {
		*out = prev[0]
	}
	return err
}

// hold is a hold row with its pending transfer.
type hold struct {
	id       int64 // the pending transfer's row id
	request  string
	from, to string
	amount   int64
	status   string
	expires  string
	dims     Dims
}

func (w *wtx) loadHold(where string, arg any) (*hold, error) {
	h := &hold{}
	err := w.queryRow(`SELECT h.transfer_id, t.request_id, d.code, c.code, h.amount_minor, h.status, h.expires_at,
		COALESCE(t.user_id,0), COALESCE(t.department_id,0), t.model, t.source, COALESCE(t.conversation_id,0)
		FROM ledger_holds h JOIN ledger_transfers t ON t.id = h.transfer_id
		JOIN ledger_accounts d ON d.id = h.debit_id JOIN ledger_accounts c ON c.id = h.credit_id
		WHERE `+where, arg).Scan(&h.id, &h.request, &h.from, &h.to, &h.amount, &h.status, &h.expires,
		&h.dims.UserID, &h.dims.DepartmentID, &h.dims.Model, &h.dims.Source, &h.dims.ConversationID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %v", ErrUnknownHold, arg)
	}
	if err != nil {
		return nil, fmt.Errorf("load hold: %w", err)
	}
	return h, nil
}

// Post resolves a hold by posting req.Amount from the hold's account to its
// credit account and releasing the reservation. Zero is allowed. An amount
// above the hold (an overrun) is posted in full when the account's policy
// allows the extra, or always for the carry policy (the debt is carried as
// a negative balance); otherwise Post fails with ErrInsufficientFunds and
// the hold stays pending.
func (s *Service) Post(ctx context.Context, req PostRequest) (Transfer, error) {
	t, err := s.resolve(ctx, req.ID, req.HoldID, &req)
	if err != nil {
		return Transfer{}, fmt.Errorf("post %s (hold %s): %w", req.ID, req.HoldID, err)
	}
	return t, nil
}

// Void resolves a hold without a posting, releasing the whole reservation.
// Expired holds may still be voided.
func (s *Service) Void(ctx context.Context, id, holdID string) (Transfer, error) {
	t, err := s.resolve(ctx, id, holdID, nil)
	if err != nil {
		return Transfer{}, fmt.Errorf("void %s (hold %s): %w", id, holdID, err)
	}
	return t, nil
}

// resolve posts (p != nil) or voids (p == nil) a hold.
func (s *Service) resolve(ctx context.Context, id, holdID string, p *PostRequest) (Transfer, error) {
	if err := checkID(id); err != nil {
		return Transfer{}, err
	}
	if err := checkID(holdID); err != nil {
		return Transfer{}, fmt.Errorf("hold id: %w", err)
	}
	if _, err := access.Current(ctx); err != nil {
		return Transfer{}, err
	}
	in := resolveInput{Hold: holdID, Meta: "{}"}
	kind := "void"
	if p != nil {
		kind = "post"
		var err error
		if in.Amount, err = checkAmount(p.Amount, true); err != nil {
			return Transfer{}, err
		}
		if in.Meta, err = canonicalMeta(p.Meta); err != nil {
			return Transfer{}, err
		}
		if len(p.Asked) > 0 {
			if in.Asked, err = canonicalMeta(p.Asked); err != nil {
				return Transfer{}, fmt.Errorf("asked: %w", err)
			}
		}
	}
	hash := requestHash(ctx, kind, in.hashed())
	var out Transfer
	run := s.submit
	if p == nil {
		run = s.submitLight // a void
	}
	err := run(ctx, func(w *wtx) error {
		// As in a hold, the request id is checked by the insert itself (a
		// new id is the common case); a retry is recognised there, or, when
		// a check fails first, before the error is returned (orReplay).
		h, err := w.loadHold("t.request_id = ? AND t.leg = 0", holdID)
		if err != nil {
			return w.orReplay(id, hash, &out, err)
		}
		if h.status != "pending" {
			return w.orReplay(id, hash, &out, fmt.Errorf("%w: hold %s is %s", ErrHoldResolved, holdID, h.status))
		}
		if p == nil {
			out, err = w.voidHold(h, id, hash, in.Meta)
		} else if h.expires <= store.FormatTime(w.s.now()) {
			err = fmt.Errorf("%w: hold %s expired at %s", ErrHoldExpired, holdID, h.expires)
		} else {
			out, err = w.postHold(h, id, hash, in, p.Attach)
		}
		if err != nil && out.ID == 0 { // refused before its row was written (or the insert found the id)
			return w.orReplay(id, hash, &out, err)
		}
		return err
	})
	return out, err
}

// release removes a hold's reservation from its account.
func (w *wtx) release(h *hold, a *account) error {
	if _, err := w.exec(`UPDATE ledger_accounts SET pending_minor = pending_minor - ? WHERE id = ?`, h.amount, a.id); err != nil {
		return fmt.Errorf("release hold on %s: %w", a.code, err)
	}
	a.pending -= h.amount
	return nil
}

func (w *wtx) settle(h *hold, status string, by int64) error {
	res, err := w.exec(`UPDATE ledger_holds SET status = ?, resolved_by = ? WHERE transfer_id = ? AND status = 'pending'`,
		status, by, h.id)
	if err != nil {
		return fmt.Errorf("resolve hold: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("%w: hold %s", ErrHoldResolved, h.request)
	}
	return nil
}

func (w *wtx) postHold(h *hold, id, hash string, in resolveInput, attach Attach) (Transfer, error) {
	// Expired holds and lots are settled first (debitAccount) when the
	// posting is checked against the policy (an overrun) or when a lot has
	// expired; a posting within its hold is covered by its own reservation.
	from, err := w.account(h.from)
	if err == nil && ((in.Amount > h.amount && from.policy != PolicyCarry) || (from.lotExp != "" && from.lotExp <= store.FormatTime(w.s.now()))) {
		from, err = w.debitAccount(h.from)
	}
	if err != nil {
		return Transfer{}, err
	}
	to, err := w.account(h.to)
	if err != nil {
		return Transfer{}, err
	}
	from.pending -= h.amount // released by the posting's balance update (moveBalance)
	if in.Amount > h.amount && from.policy != PolicyCarry {
		if err := from.checkDebit(in.Amount); err != nil {
			return Transfer{}, fmt.Errorf("posting %s above the hold of %s: %w",
				money.MinorString(in.Amount), money.MinorString(h.amount), err)
		}
	}
	t, err := w.post(&row{requestID: id, hash: hash, op: OpPost, kind: KindPost, from: from, to: to,
		amount: in.Amount, holdID: h.id, dims: h.dims, meta: in.Meta, release: h.amount})
	if err != nil {
		return t, err
	}
	if err := w.settle(h, "posted", t.ID); err != nil {
		return t, err
	}
	if attach != nil {
		if err := attach(w.ctx, w.tx, t); err != nil {
			return t, err
		}
	}
	return t, nil
}

func (w *wtx) voidHold(h *hold, id, hash, meta string) (Transfer, error) {
	from, err := w.account(h.from)
	if err != nil {
		return Transfer{}, err
	}
	to, err := w.account(h.to)
	if err != nil {
		return Transfer{}, err
	}
	// The row first: a reused id is found before anything is written.
	t, err := w.record(&row{requestID: id, hash: hash, op: OpVoid, kind: KindVoid, from: from, to: to,
		amount: h.amount, holdID: h.id, dims: h.dims, meta: meta})
	if err != nil {
		return t, err
	}
	if err := w.release(h, from); err != nil {
		return t, err
	}
	w.moved = true
	return t, w.settle(h, "voided", t.ID)
}

// autoVoid voids a hold on the system's behalf (expired or orphaned).
func (w *wtx) autoVoid(holdTransferID int64, reason string) error {
	h, err := w.loadHold("h.transfer_id = ?", holdTransferID)
	if err != nil {
		return err
	}
	if h.status != "pending" {
		return nil
	}
	id := "void:auto:" + strconv.FormatInt(h.id, 10)
	_, err = w.voidHold(h, id, hashOf("auto-void", h.id), `{"reason":"`+reason+`"}`)
	return err
}

// refresh voids a's expired holds and expires its expired lots. It reports
// whether anything changed (a must then be reloaded).
func (w *wtx) refresh(a *account) (bool, error) {
	now := store.FormatTime(w.s.now())
	var ids []int64
	if a.pending > 0 { // only an account with open holds can have expired ones
		rows, err := w.query(`SELECT transfer_id FROM ledger_holds WHERE debit_id = ? AND status = 'pending' AND expires_at <= ?`, a.id, now)
		if err != nil {
			return false, fmt.Errorf("find expired holds of %s: %w", a.code, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return false, err
			}
			ids = append(ids, id)
		}
		rows.Close()
	}
	for _, id := range ids {
		if err := w.autoVoid(id, "expired"); err != nil {
			return false, err
		}
	}
	if len(ids) > 0 {
		var err error
		if a, err = w.account(a.code); err != nil {
			return false, err
		}
	}
	expired, err := w.expireAccount(a, now)
	return len(ids) > 0 || expired, err
}

// VoidStaleHolds voids every pending hold that has expired or was left by a
// process that is no longer running (a crash). backend/core runs it at
// start-up; it returns how many holds it voided.
func (s *Service) VoidStaleHolds(ctx context.Context) (int, error) {
	if _, err := access.RequireAdmin(ctx, "void stale holds"); err != nil {
		return 0, err
	}
	// Every process runs this as it starts: with no hold pending (the usual
	// case) it takes no write lock, so a command that only reads is not
	// kept waiting by another process's writes.
	var pending bool
	if err := s.db.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM ledger_holds WHERE status = 'pending')`).Scan(&pending); err != nil {
		return 0, fmt.Errorf("find pending holds: %w", err)
	}
	if !pending {
		return 0, nil
	}
	n := 0
	err := s.submit(ctx, func(w *wtx) error {
		n = 0
		rows, err := w.query(`SELECT transfer_id, expires_at, owner_pid, owner_instance FROM ledger_holds WHERE status = 'pending'`)
		if err != nil {
			return fmt.Errorf("find pending holds: %w", err)
		}
		type cand struct {
			id     int64
			reason string
		}
		var stale []cand
		now := store.FormatTime(w.s.now())
		for rows.Next() {
			var id int64
			var pid int
			var exp, inst string
			if err := rows.Scan(&id, &exp, &pid, &inst); err != nil {
				rows.Close()
				return err
			}
			switch {
			case exp <= now:
				stale = append(stale, cand{id, "expired"})
			case inst != w.s.instance && (pid == w.s.pid || !pidAlive(pid)):
				stale = append(stale, cand{id, "orphaned"})
			}
		}
		rows.Close()
		for _, c := range stale {
			if err := w.autoVoid(c.id, c.reason); err != nil {
				return err
			}
		}
		n = len(stale)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("void stale holds: %w", err)
	}
	return n, nil
}
