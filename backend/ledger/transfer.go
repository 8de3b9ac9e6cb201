package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// transferInput is the canonical, hashed content of one transfer leg.
type transferInput struct {
	Op     string `json:"op"`
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
	Dims   Dims   `json:"dims"`
	Meta   string `json:"meta"`
	UpTo   bool   `json:"upTo,omitempty"` // omitted when false: the hashes of other transfers are unchanged
	// Asked is TransferRequest.Asked, canonical; omitted when empty (the
	// hashes of other transfers are unchanged).
	Asked string `json:"asked,omitempty"`
}

// hashed is the content the request's idempotency hash covers: with
// Asked, what the caller asked instead of the amount, UpTo and meta, which
// may differ between its attempts (TransferRequest.Asked).
func (in transferInput) hashed() transferInput {
	if in.Asked != "" {
		in.Amount, in.Meta, in.UpTo = 0, "", false
	}
	return in
}

// Transfer moves an exact amount between two accounts, posted immediately.
// Ops: usage (to sys:usage, any signed-in actor), transfer (admin, or a
// member moving from their own wallet), refund, adjustment, grant (admin).
// A retry with the same ID and content returns the first result.
func (s *Service) Transfer(ctx context.Context, req TransferRequest) (Transfer, error) {
	if !req.Audited && (isCorrection(req.Op) || req.Op == OpTransfer && !isSystem(ctx)) {
		req.Attach = auditCorrection(ctx, s.now, req.Attach)
	}
	ts, err := s.transfer(ctx, req.ID, "transfer", []TransferRequest{req})
	if errors.Is(err, ErrInsufficientFunds) {
		// Said to a person (a move, a grant): which account is short and
		// by how much; the request's random id would only be noise.
		return Transfer{}, err
	}
	if err != nil {
		return Transfer{}, fmt.Errorf("transfer %s: %w", req.ID, err)
	}
	if !req.Unhooked {
		s.moved(ctx, ts)
	}
	return ts[0], nil
}

// TransferMany commits several legs atomically under one idempotency id:
// all are written or none. The legs' own ID fields are ignored; the legs are
// stored as legs 0..n-1 of id.
func (s *Service) TransferMany(ctx context.Context, id string, legs []TransferRequest) ([]Transfer, error) {
	if len(legs) == 0 || len(legs) > 1000 {
		return nil, fmt.Errorf("transfer %s: %w", id, inputerr.New(ErrInvalidRequest, "need 1-1000 legs"))
	}
	ts, err := s.transfer(ctx, id, "many", legs)
	if err != nil {
		return nil, fmt.Errorf("transfer %s: %w", id, err)
	}
	hooked := make([]Transfer, 0, len(ts))
	for i, t := range ts {
		if i >= len(legs) || !legs[i].Unhooked {
			hooked = append(hooked, t)
		}
	}
	s.moved(ctx, hooked)
	return ts, nil
}

// validateLeg checks a leg without touching the database and returns its
// canonical input.
func validateLeg(ctx context.Context, l TransferRequest) (transferInput, error) {
	in := transferInput{Op: l.Op, From: l.From, To: l.To, Dims: l.Dims, UpTo: l.UpTo}
	if !slices.Contains([]string{OpUsage, OpTransfer, OpRefund, OpAdjustment, OpGrant}, l.Op) {
		return in, inputerr.New(ErrInvalidRequest, "op %q (want usage, transfer, refund, adjustment or grant)", l.Op)
	}
	if l.UpTo && l.Op != OpUsage {
		return in, inputerr.New(ErrInvalidRequest, "only a usage transfer may move less than its amount (up to), not a %s", l.Op)
	}
	fromKind, err := kindOf(l.From)
	if err != nil {
		return in, err
	}
	toKind, err := kindOf(l.To)
	if err != nil {
		return in, err
	}
	if l.From == l.To {
		return in, inputerr.New(ErrInvalidRequest, "from and to are the same account %s", l.From)
	}
	// A usage transfer of nothing is a free model's metered charge (a local
	// server priced 0, whose reply outlived its hold), as a zero posting of
	// a hold is: the metered flow writes its charge record in Attach. A
	// usage typed in by hand (no Attach), and any other transfer, moves
	// something.
	if in.Amount, err = checkAmount(l.Amount, l.Op == OpUsage && l.Attach != nil); err != nil {
		return in, err
	}
	if err := checkDims(l.Dims); err != nil {
		return in, err
	}
	if in.Meta, err = canonicalMeta(l.Meta); err != nil {
		return in, err
	}
	if len(l.Asked) > 0 {
		if in.Asked, err = canonicalMeta(l.Asked); err != nil {
			return in, fmt.Errorf("asked: %w", err)
		}
	}
	switch l.Op {
	case OpUsage:
		if l.To != AccountUsage || fromKind == "system" {
			return in, inputerr.New(ErrInvalidRequest, "usage goes from a pool, department or user account to sys:usage")
		}
		a, err := access.Current(ctx)
		if err != nil {
			return in, err
		}
		// A member's usage is written by the metered flow (a chat, the
		// local API) under their own name and a model, which their limits
		// and reports count; it is never typed in for another account.
		if !a.IsAdmin() && (a.UserID == 0 || l.Dims.UserID != a.UserID || l.Dims.Model == "") {
			return in, fmt.Errorf("%w: usage is charged by a chat or the local API under the member's own name and a model (an admin corrects usage with a refund or an adjustment)", access.ErrForbidden)
		}
	case OpTransfer:
		if fromKind == "system" || toKind == "system" {
			return in, inputerr.New(ErrInvalidRequest, "transfer moves credits between pool, department and user accounts")
		}
		a, err := access.Current(ctx)
		if err != nil {
			return in, err
		}
		if l.From != UserAccount(a.UserID) || a.UserID == 0 {
			if _, err := access.RequireAdmin(ctx, "transfer from "+l.From); err != nil {
				return in, err
			}
		}
	default: // refund, adjustment, grant: an admin's corrections
		for _, code := range []string{l.From, l.To} {
			if code == AccountUsage || code == AccountTopUp || code == AccountExpiry {
				return in, inputerr.New(ErrInvalidRequest, "a %s cannot move credits to or from %s (usage, top-ups and expiry "+
					"have their own operations; use sys:adjust or sys:refund)", l.Op, code)
			}
		}
		if _, err := access.RequireAdmin(ctx, l.Op); err != nil {
			return in, err
		}
	}
	return in, nil
}

func (s *Service) transfer(ctx context.Context, id, kind string, legs []TransferRequest) ([]Transfer, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	inputs := make([]transferInput, len(legs))
	for i, l := range legs {
		in, err := validateLeg(ctx, l)
		if err != nil {
			if len(legs) > 1 {
				return nil, fmt.Errorf("leg %d: %w", i, err)
			}
			return nil, err
		}
		if in.Asked != "" && kind != "transfer" {
			return nil, inputerr.In(fmt.Sprintf("leg %d", i), inputerr.New(ErrInvalidRequest, "Asked is for a single transfer"))
		}
		inputs[i] = in
	}
	var hash string
	if kind == "transfer" {
		hash = requestHash(ctx, kind, inputs[0].hashed())
	} else {
		hash = requestHash(ctx, kind, inputs)
	}
	var out []Transfer
	run := s.submit
	gives := make([]bool, len(legs)) // a member's give from their own wallet: checkOwnCredits
	for i, l := range legs {
		gives[i] = memberGive(ctx, l.Op, l.From)
	}
	fast := len(legs) == 1 && legs[0].Before == nil && legs[0].Guard == nil && legs[0].Cap == nil && legs[0].Attach == nil &&
		!s.checksOpen(legs[0].To) && !gives[0]
	if fast {
		run = s.submitFast
	}
	err := run(ctx, func(w *wtx) error {
		if !w.sp { // fast job without its savepoint yet
			out = make([]Transfer, 1)
			done, err := w.fastTransfer(id, hash, inputs[0], &out[0])
			if done {
				return err
			}
			if err := w.savepoint(); err != nil { // nothing written yet
				return err
			}
		}
		prev, found, err := w.replay(id, hash)
		if found || err != nil {
			out = prev
			return err
		}
		out = make([]Transfer, 0, len(legs))
		for i, l := range legs {
			t, err := w.transferLeg(id, i, hash, inputs[i], l, gives[i])
			if err != nil {
				if len(legs) > 1 {
					return fmt.Errorf("leg %d: %w", i, err)
				}
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// transferLeg writes one validated leg inside the write transaction; give
// says it is a member's give from their own wallet (memberGive), which
// moves at most what can move (checkOwnCredits).
func (w *wtx) transferLeg(id string, leg int, hash string, in transferInput, l TransferRequest, give bool) (Transfer, error) {
	if l.Before != nil {
		if err := l.Before(w.ctx, w.tx); err != nil {
			return Transfer{}, err
		}
	}
	if err := w.s.checkGive(w.ctx, w.tx, in); err != nil {
		return Transfer{}, err
	}
	if err := w.s.checkOpen(w.ctx, w.tx, in.To, in.Amount); err != nil {
		return Transfer{}, err
	}
	from, err := w.debitAccount(in.From)
	if err != nil {
		return Transfer{}, err
	}
	to, err := w.account(in.To)
	if err != nil {
		return Transfer{}, err
	}
	check := from.checkDebit
	if give {
		check = from.checkOwnCredits
	}
	if err := check(in.Amount); err != nil {
		room := from.room() // UpTo: usage only, never a give
		if !in.UpTo || room <= 0 {
			return Transfer{}, err
		}
		in.Amount = room // less than asked: what the policy allows (UpTo)
	}
	at := w.s.now() // the leg's CreatedAt, which Cap decides for
	if l.Cap != nil {
		allowed, err := l.Cap(w.ctx, w.tx, at, money.FromMinor(in.Amount))
		if err != nil {
			return Transfer{}, err
		}
		n, err := money.ToMinor(allowed)
		switch {
		case err != nil || n < 0 || n > in.Amount:
			return Transfer{}, inputerr.New(ErrInvalidRequest, "the cap of %s allows %s", money.MinorString(in.Amount), allowed.String())
		case n < in.Amount && (!in.UpTo || n == 0):
			return Transfer{}, inputerr.New(ErrInvalidRequest, "the cap of %s allows %s, which needs UpTo and more than nothing",
				money.MinorString(in.Amount), allowed.String())
		}
		in.Amount = n
	}
	if l.Guard != nil {
		if err := l.Guard(w.ctx, w.tx); err != nil {
			return Transfer{}, err
		}
	}
	t, err := w.post(&row{requestID: id, leg: leg, hash: hash, op: in.Op, kind: KindPosted,
		from: from, to: to, amount: in.Amount, dims: in.Dims, meta: in.Meta, at: at})
	if err != nil {
		return t, err
	}
	if l.Attach != nil {
		if err := l.Attach(w.ctx, w.tx, t); err != nil {
			return t, err
		}
	}
	return t, nil
}

// debitAccount loads an account about to be debited, first voiding its
// expired holds and expiring its expired lots so that the policy check sees
// the current available balance.
func (w *wtx) debitAccount(code string) (*account, error) {
	a, err := w.account(code)
	if err != nil || a.system() {
		return a, err
	}
	if a.pending == 0 && (a.lotExp == "" || a.lotExp > store.FormatTime(w.s.now())) {
		return a, nil // no holds that could have expired, no expired lots
	}
	changed, err := w.refresh(a)
	if err != nil || !changed {
		return a, err
	}
	return w.account(code)
}

// fastTransfer is the common case of a single hook-free transfer leg, run
// without a savepoint: the debit account needs no refresh (no open holds,
// no expired lot), the policy allows the debit, and the request id is new
// (detected by the insert itself instead of a look-up first). Into a system
// account (usage) it is usually deferred: applied in memory and written by
// the batch's flush (deferred.go). done=false means it wrote nothing and the
// caller takes the general path (savepoint, idempotency look-up, refresh,
// the same checks again), which also produces the right error or replayed
// result. After the row is written, a failure makes the writer roll back and
// rerun the whole batch with savepoints. The result goes to dst.
func (w *wtx) fastTransfer(id, hash string, in transferInput, dst *Transfer) (bool, error) {
	from, err := w.account(in.From)
	if err != nil || (!from.system() && (from.pending != 0 || (from.lotExp != "" && from.lotExp <= store.FormatTime(w.s.now())))) {
		return false, nil
	}
	to, err := w.account(in.To)
	if err != nil || from.checkDebit(in.Amount) != nil {
		return false, nil
	}
	if w.canDefer(id, from, to, in.Amount) {
		w.deferTransfer(id, hash, in, from, to, dst)
		return true, nil
	}
	if err := w.flush(); err != nil { // keep ids in the order transfers apply
		return true, err
	}
	t, err := w.post(&row{requestID: id, hash: hash, op: in.Op, kind: KindPosted,
		from: from, to: to, amount: in.Amount, dims: in.Dims, meta: in.Meta})
	if errors.Is(err, errDuplicate) { // a retry (or a conflict): nothing written
		w.dirty = false
		return false, nil
	}
	// post kept from's and to's balances up to date; lots it could not follow
	// (several lots consumed, lots added) drop the account from the cache.
	if from.stale {
		delete(w.s.cache, from.code)
	}
	if !to.system() {
		delete(w.s.cache, to.code)
	}
	*dst = t
	return true, err
}
