package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Operation types recorded on transfers.
const (
	OpTopUp      = "topup"
	OpUsage      = "usage"
	OpTransfer   = "transfer"
	OpRefund     = "refund"
	OpExpiry     = "expiry"
	OpAdjustment = "adjustment"
	OpGrant      = "grant"
	OpHold       = "hold"
	OpPost       = "post"
	OpVoid       = "void"
)

// Ops lists every operation type (for filters and validation).
var Ops = []string{OpTopUp, OpUsage, OpTransfer, OpRefund, OpExpiry, OpAdjustment, OpGrant, OpHold, OpPost, OpVoid}

// ReservationOps are the operations of a send's reservation: a hold and the
// void that releases it, which move no money (the posting of a hold is the
// charge). The Credits page's history and `meterdesk credits history` leave
// them out unless asked ("Show reservations", --reservations) or picked.
var ReservationOps = []string{OpHold, OpVoid}

// OpsWithoutReservations is Ops less ReservationOps: the history a person
// reads by default.
func OpsWithoutReservations() []string {
	out := make([]string, 0, len(Ops))
	for _, op := range Ops {
		if !IsReservation(op) {
			out = append(out, op)
		}
	}
	return out
}

// HistoryOps is the operations a history shows: those picked; with none
// picked, every one (nil) when the reservations are asked for, else
// OpsWithoutReservations. The Credits page's history and `meterdesk
// credits history` read by it.
func HistoryOps(picked []string, reservations bool) []string {
	switch {
	case len(picked) > 0:
		return picked
	case reservations:
		return nil
	}
	return OpsWithoutReservations()
}

// IsReservation reports whether op is one of ReservationOps.
func IsReservation(op string) bool { return slices.Contains(ReservationOps, op) }

// Kinds of transfer rows.
const (
	KindPosted  = "posted"  // posted immediately
	KindPending = "pending" // a hold
	KindPost    = "post"    // resolves a hold with a posting
	KindVoid    = "void"    // resolves a hold without a posting
)

// System account codes.
const (
	AccountPool   = "pool"
	AccountTopUp  = "sys:topup"
	AccountUsage  = "sys:usage"
	AccountExpiry = "sys:expiry"
	AccountAdjust = "sys:adjust"
	AccountRefund = "sys:refund"
)

// Guard runs inside the ledger's write transaction before a hold or transfer
// is written; returning an error rejects the request and writes nothing.
type Guard func(ctx context.Context, tx *sql.Tx) error

// Attach runs inside the ledger's write transaction after a transfer is
// written; returning an error rejects the whole request.
type Attach func(ctx context.Context, tx *sql.Tx, t Transfer) error

// Dims are the dimensions recorded on a transfer for limits and reports.
// Zero values mean "none".
type Dims struct {
	UserID         int64  `json:"userId,omitempty"`
	DepartmentID   int64  `json:"departmentId,omitempty"`
	Model          string `json:"model,omitempty"`
	Source         string `json:"source,omitempty"` // ui|cli|api|system
	ConversationID int64  `json:"conversationId,omitempty"`
}

// TransferRequest moves Amount from From to To, posted immediately.
// Before, when set, runs inside the ledger's write transaction before the
// leg's accounts are read and checked (after the request's idempotency
// check): a change the transfer depends on, made in the same transaction
// (the team removes a member, which drops their wallet's minimum balance,
// and then moves all of it back to the pool). Returning an error rejects
// the request and writes nothing.
type TransferRequest struct {
	ID     string // client idempotency id
	Op     string // usage|transfer|refund|adjustment|grant
	From   string // debit account code
	To     string // credit account code
	Amount decimal.Decimal
	Dims
	Meta   json.RawMessage // optional JSON object
	Before Guard           // runs first in the write transaction (see above)
	Guard  Guard
	Attach Attach
	// Audited says the caller writes the audit entry itself (in Attach):
	// the team's credits.move. Otherwise a correction, or a transfer made
	// by a person (not the system), is logged by the ledger.
	Audited bool
	// UpTo (usage only): when From's policy does not allow all of Amount,
	// move as much of it as the policy allows, decided in the write
	// transaction after From's expired holds are voided; the result's
	// Amount is what moved. Nothing movable fails with
	// ErrInsufficientFunds, as without UpTo. It is part of the request's
	// content: a retry with the same request replays what the first moved.
	// Chat charges a reply whose hold lapsed with it (docs/chat.md).
	UpTo bool
	// Cap, when set, runs in the write transaction once the leg's amount
	// is known (after From's policy check and, with UpTo, its cap), before
	// Guard and before the leg is written. It is given that amount and the
	// instant the leg is recorded at (its CreatedAt) and returns what may
	// move: all of it, or, with UpTo only, less but more than nothing; an
	// error rejects the request and writes nothing. Chat caps a lapsed
	// reply's charge with the member's spending limits in the day and the
	// month the charge counts in (team.Service.LimitRoom); the team's
	// auto-recharge takes the month its cap counts in from that instant.
	// Not part of the request's content: a retry replays what the first
	// moved.
	Cap func(ctx context.Context, tx *sql.Tx, at time.Time, amount decimal.Decimal) (decimal.Decimal, error)
	// Asked, when set (a JSON object; Transfer only, not TransferMany), is
	// what the caller asked for, and the request's idempotency content
	// instead of Amount, UpTo and Meta (Op, From, To and Dims stay in it):
	// a caller that tries several amounts under one id (chat charges a
	// reply's price, and when that is refused, the price capped) gives
	// every attempt the same Asked, so a retry of the request replays what
	// the first wrote, whichever attempt wrote it, and one that asks
	// something else is an idempotency conflict. Amount and Meta are still
	// what is written.
	Asked json.RawMessage
	// Unhooked keeps the move from the move hook (MoveHook): the caller
	// checks the accounts itself right after (the team's auto-recharge,
	// whose AfterCharge evaluates the payer's and the pool's alerts once,
	// after the recharge). Not part of the request's content.
	Unhooked bool
}

// HoldRequest reserves Amount on From for a later Post to To (default
// sys:usage). A zero amount is allowed and is never blocked by the balance.
type HoldRequest struct {
	ID     string
	From   string
	To     string // default sys:usage
	Amount decimal.Decimal
	TTL    time.Duration // default DefaultHoldTTL
	Dims
	Meta   json.RawMessage
	Guard  Guard
	Attach Attach
	// Reserve, when set, is called in the write transaction: the minor units
	// From must keep available beyond this hold, for holds the caller has
	// promised to others and not yet written (chat's overlapped sends). A
	// nonzero hold that would eat into them fails with ErrInsufficientFunds.
	Reserve func() int64
}

// DefaultHoldTTL is how long a hold lives when HoldRequest.TTL is zero.
const DefaultHoldTTL = 15 * time.Minute

// PostRequest resolves the hold HoldID (the hold's client id) by posting
// Amount (zero allowed). See docs/ledger.md for amounts above the hold.
type PostRequest struct {
	ID     string
	HoldID string
	Amount decimal.Decimal
	Meta   json.RawMessage
	Attach Attach
	// Asked, when set (a JSON object), is the request's idempotency
	// content instead of Amount and Meta (HoldID stays in it), as in
	// TransferRequest.Asked: chat posts a reply's price, and when the
	// overrun is refused, the hold, both with the same Asked, so a retry
	// replays the posting that was written.
	Asked json.RawMessage
}

// Transfer is one recorded transfer row.
type Transfer struct {
	ID         int64           `json:"id"`
	RequestID  string          `json:"requestId"`
	Leg        int             `json:"leg"`
	Op         string          `json:"op"`
	Kind       string          `json:"kind"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	Amount     decimal.Decimal `json:"amount"`
	HoldID     int64           `json:"holdId,omitempty"` // for post/void: the pending transfer's row id
	DebtRepaid decimal.Decimal `json:"debtRepaid"`       // part of Amount that paid the receiver's negative balance
	Dims
	Meta      json.RawMessage `json:"meta"`
	CreatedAt time.Time       `json:"createdAt"`
	ExpiresAt *time.Time      `json:"expiresAt,omitempty"` // holds only
	Status    string          `json:"status,omitempty"`    // holds only: pending|posted|voided
	// Replayed is true when the transfer was not written by this call: the
	// request id was already used (with the same content), and this is the
	// first call's result returned again.
	Replayed bool `json:"-"`
}

// PolicyKind is an account's balance policy.
type PolicyKind string

// The balance policies (see docs/ledger.md).
const (
	PolicyUnlimited PolicyKind = "unlimited" // system accounts: may go negative without bound
	PolicyBlocked   PolicyKind = "blocked"   // no overdraft: available never below zero
	PolicyOverdraft PolicyKind = "overdraft" // available never below -Limit
	PolicyMinimum   PolicyKind = "minimum"   // debits keep available at or above Limit
	PolicyCarry     PolicyKind = "carry"     // like blocked, but a hold overrun is always posted and carried as debt
)

// Policy is an account's balance policy with its limit (overdraft limit or
// minimum balance, per Kind).
type Policy struct {
	Kind  PolicyKind      `json:"kind"`
	Limit decimal.Decimal `json:"limit"`
}

// Balance is an account's state. Movable is what of the account's own
// credits a transfer out may take now: the available balance above the
// policy's floor (a minimum balance is kept), never below zero, an
// overdraft's room not counted in (Service.Movable). Credits' "Move credits
// back to the pool" offers it, so the window never offers what the ledger
// refuses; it is all a member's give from their own wallet may move
// (checkOwnCredits), so "Give credits from your wallet" offers what the
// ledger takes (an admin's transfer may still draw on an overdraft).
type Balance struct {
	Account      string          `json:"account"`
	Balance      decimal.Decimal `json:"balance"`
	Pending      decimal.Decimal `json:"pending"`
	Available    decimal.Decimal `json:"available"`
	Movable      decimal.Decimal `json:"movable"`
	LifetimeUsed decimal.Decimal `json:"lifetimeUsed"`
	LastTransfer *Transfer       `json:"lastTransfer,omitempty"`
	Policy       Policy          `json:"policy"`
	Lots         []Lot           `json:"lots"`
}

// Lot is part of an account's positive balance with one expiry.
type Lot struct {
	Amount    decimal.Decimal `json:"amount"`
	ExpiresAt *time.Time      `json:"expiresAt,omitempty"` // nil = never
}

// Filter selects history rows. Zero fields do not filter.
type Filter struct {
	Account      string    // either side of the transfer
	Ops          []string  // any of these operation types; "usage" is every posted transfer into sys:usage (posted holds too)
	UserID       int64     // the user dimension
	DepartmentID int64     // the department dimension
	Model        string    // the model dimension (a send's hold and its charge); NoModel: transfers with none
	Provider     string    // usage charges at this provider as the usage reports name it (SetProviderCond)
	From         time.Time // created at or after
	To           time.Time // created before
	Before       int64     // page cursor: rows with id < Before
	Limit        int       // page size, default 50, max 500
}

// Page is one page of history, newest first. Next is the cursor for the
// following page (0 when there is none).
type Page struct {
	Items []Transfer `json:"items"`
	Next  int64      `json:"next"`
}
