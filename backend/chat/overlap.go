package chat

import (
	"context"
	"errors"
	"sync"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// LimitPrechecker is the read-only form of Funder.LimitGuard, an optional
// part of a Funder (*team.Service implements it): nil means the member is
// active and amount fits every limit as of now, reserving nothing; limited
// says whether any limit applies to model.
type LimitPrechecker interface {
	PrecheckLimits(ctx context.Context, userID int64, model string, amount decimal.Decimal) (limited bool, err error)
}

// FundingPrechecker is the optional part of a Funder (*team.Service
// implements it) that reads, before a send's hold, what Funding,
// LimitPrechecker and the payer's ledger.Spendable read, together
// (team.Service.FundingPrecheck: the limit pre-check of amount, twice the
// hold, as roomFor makes it). BeginStream uses it in their place.
type FundingPrechecker interface {
	FundingPrecheck(ctx context.Context, userID int64, model string, amount decimal.Decimal) (team.FundingPrecheck, error)
}

// errHoldRefused stops a stream whose hold was refused (never returned).
var errHoldRefused = errors.New("chat: the hold was refused")

// BeginStream is Begin followed by Call.Stream, overlapped when that is
// safe: the provider request then starts while the hold is being written
// (~0.5 ms in the ledger's writer, more while other sends' postings are
// synced). It overlaps only when the hold cannot be refused (see roomFor):
// the payer can spend twice the hold under its policy (ledger.Spendable:
// available less a minimum balance, plus an overdraft) beyond every hold
// this process has in flight, the id is unused, and a member with a limit on this model
// has no other send being held. No text reaches onDelta before the hold is
// committed; should the hold be refused all the same (another process
// spent the credits in between), the request is cancelled before any text
// is delivered and the refusal is returned. Otherwise the hold comes first,
// exactly as in Begin, so a send the credits or limits cannot cover is
// refused before any provider request.
//
// err is Begin's error: there is no hold and nothing to settle. Otherwise
// the call holds its credits and res, serr are what Stream returned, for
// Call.Settle.
func (m *Meter) BeginStream(ctx context.Context, req MeterRequest, onDelta func(string) error) (c *Call, res providers.Result, serr, err error) {
	c, err = m.prepare(ctx, req, true)
	if err != nil {
		return nil, res, nil, err
	}
	if onDelta == nil {
		onDelta = func(string) error { return nil }
	}
	overlap, limited := m.roomFor(ctx, c)
	if !overlap {
		err := c.hold(ctx)
		m.holding.done(c, limited)
		if err != nil {
			return nil, res, nil, err
		}
		res, serr = c.Stream(ctx, onDelta)
		return c, res, serr, nil
	}
	m.overlapped.Add(1)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	held := make(chan struct{})
	var holdErr error
	go func() {
		beforeOverlappedHold()
		holdErr = c.hold(ctx)
		m.holding.done(c, limited)
		if holdErr != nil {
			cancel() // the provider request, before any text was delivered
		}
		close(held)
	}()
	res, serr = c.Stream(sctx, func(text string) error {
		<-held
		if holdErr != nil {
			return errHoldRefused
		}
		return onDelta(text)
	})
	<-held
	if holdErr != nil {
		return nil, providers.Result{}, nil, holdErr
	}
	return c, res, serr, nil
}

// roomFor registers c's hold as in flight (the caller calls
// m.holding.done after the hold) and reports whether the provider request
// may start before it is written, and whether a limit applies. Any doubt
// (an error, no pre-check, holds finishing while it looks) says no.
func (m *Meter) roomFor(ctx context.Context, c *Call) (overlap, limited bool) {
	sys := access.WithActor(context.WithoutCancel(ctx), access.System)
	ok := true
	switch {
	case c.pre != nil: // read with the payer (prepare)
		limited, ok = c.pre.Limited, c.pre.LimitErr == nil
	case c.guard != nil: // a member with a Funder: their limits
		pc, has := m.funder.(LimitPrechecker)
		var err error
		if has {
			limited, err = pc.PrecheckLimits(ctx, c.Dims.UserID, c.Req.Model, money.FromMinor(c.HoldMinor).Mul(decimal.NewFromInt(2)))
		}
		ok = has && err == nil
	}
	if ok && !c.Req.newID {
		if seen, err := m.led.Seen(sys, c.HoldID); err != nil || seen {
			ok = false // a retry: the hold replays or refuses it
		}
	}
	for i := range 2 {
		var gen, a int64
		if pre := c.pre; i == 0 && pre != nil && pre.Known {
			// The payer's spendable credits, read with the member (prepare).
			gen, a = c.preGen, pre.Spendable
			if !pre.Bounded {
				a = money.MaxMinor
			}
		} else {
			gen = m.holding.generation()
			room, bounded, err := m.led.Spendable(sys, c.Payer)
			if err != nil {
				break
			}
			if a, err = money.ToMinor(room); err != nil {
				break
			}
			if !bounded {
				a = money.MaxMinor
			}
		}
		if overlap, counted := m.holding.admit(c, a, limited, gen, ok); counted {
			return overlap, limited
		}
	}
	m.holding.add(c, limited)
	return false, limited
}

// beforeOverlappedHold runs before an overlapped send writes its hold
// (tests delay it to let other sends' holds go first).
var beforeOverlappedHold = func() {}

// holds is the sends of this process whose holds are being written. A send
// may overlap its provider request with its hold only if what the payer may
// spend, less every hold in flight, is at least twice its hold: then every
// one of those holds fits. Its hold is then promised: until it is written,
// every other hold of this Meter on the payer must leave it room
// (HoldRequest.Reserve, Call.reserve), so a send that did not overlap, and
// whose hold reaches the ledger's writer first, cannot take the credits an
// overlapped one counted on. A member's limits are the funder's to check,
// so there a send that did not overlap waits until the member's overlapped
// hold is written (Call.hold, waitForPromise) before its own limit check.
type holds struct {
	mu       sync.Mutex
	gen      int64                   // holds finished so far (an available amount read before may be stale)
	payer    map[string]int64        // payer code -> minor units held in flight
	user     map[int64]int           // member -> holds in flight under a limit
	id       map[string]int          // hold ids in flight
	promised map[string]int64        // payer code -> minor units of overlapped holds not yet written
	userWait map[int64]chan struct{} // member -> closed when their overlapped limited hold is written
}

func (h *holds) generation() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gen
}

// admit adds c's hold to those in flight and reports whether it may
// overlap: ok (nothing else speaks against it) and it fits with room to
// spare, given avail (what the payer may spend, less what is promised)
// read at generation gen. An overlapping hold is promised at once. counted
// is false (and nothing is added) when a hold finished since then: read
// again.
func (h *holds) admit(c *Call, avail int64, limited bool, gen int64, ok bool) (overlap, counted bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return false, false
	}
	overlap = ok && h.id[c.HoldID] == 0 && (avail-h.payer[c.Payer])/2 >= c.HoldMinor && !(limited && h.user[c.Dims.UserID] > 0)
	h.addLocked(c, limited)
	if overlap {
		h.promised[c.Payer] += c.HoldMinor
		c.promised = true
		if limited { // the only limited send of the member in flight (see above)
			h.userWait[c.Dims.UserID] = make(chan struct{})
			c.promisedLimit = true
		}
	}
	return overlap, true
}

// keep ends c's promise (its hold is written, or failed): called in the
// hold's write transaction (its Attach) and when the hold returns. That
// transaction is the one that commits: the ledger never rolls a batch of
// holds back to run it again (a fast transfer, the only request that makes
// it rerun a batch, never joins one; ledger.TestHoldBatchIsNeverRerun), so
// a promise ended here cannot be lost to a rerun in which a hold ahead of
// c's takes its room. Should c's own request fail after its Attach (rolled
// back to its savepoint, or a failed commit), c's hold is refused and its
// request cancelled before any text anyway, and later holds in the
// transaction count c neither as pending nor as promised.
func (h *holds) keep(c *Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keepLocked(c)
}

func (h *holds) keepLocked(c *Call) {
	if !c.promised {
		return
	}
	c.promised = false
	if h.promised[c.Payer] -= c.HoldMinor; h.promised[c.Payer] == 0 {
		delete(h.promised, c.Payer)
	}
	if c.promisedLimit {
		c.promisedLimit = false
		close(h.userWait[c.Dims.UserID])
		delete(h.userWait, c.Dims.UserID)
	}
}

// waitForPromise returns once no other send of c's member has an
// overlapped hold under a limit waiting to be written (or ctx is done).
func (h *holds) waitForPromise(ctx context.Context, c *Call) error {
	for {
		h.mu.Lock()
		ch := h.userWait[c.Dims.UserID]
		own := c.promisedLimit
		h.mu.Unlock()
		if ch == nil || own {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// reserve is what c's hold must leave available on its payer: the
// promised holds of other sends.
func (h *holds) reserve(c *Call) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.promised[c.Payer]
	if c.promised {
		r -= c.HoldMinor
	}
	return r
}

// promisedOn is what the holds of sends being taken are promised on
// payer (reserve, for a send not yet among them: the composer's estimate).
func (h *holds) promisedOn(payer string) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.promised[payer]
}

// add adds c's hold to those in flight.
func (h *holds) add(c *Call, limited bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.addLocked(c, limited)
}

func (h *holds) addLocked(c *Call, limited bool) {
	if h.payer == nil {
		h.payer, h.user, h.id, h.promised = map[string]int64{}, map[int64]int{}, map[string]int{}, map[string]int64{}
		h.userWait = map[int64]chan struct{}{}
	}
	h.payer[c.Payer] += c.HoldMinor
	h.id[c.HoldID]++
	if limited {
		h.user[c.Dims.UserID]++
	}
}

// done removes c's hold, written or refused, from those in flight.
func (h *holds) done(c *Call, limited bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	h.keepLocked(c)
	if h.payer[c.Payer] -= c.HoldMinor; h.payer[c.Payer] == 0 {
		delete(h.payer, c.Payer)
	}
	if h.id[c.HoldID]--; h.id[c.HoldID] == 0 {
		delete(h.id, c.HoldID)
	}
	if limited {
		if h.user[c.Dims.UserID]--; h.user[c.Dims.UserID] == 0 {
			delete(h.user, c.Dims.UserID)
		}
	}
}
