package chat

import (
	"context"
	"database/sql"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/team"
)

// Funder says who pays for a member's usage and which limits apply.
// *team.Service implements it.
type Funder interface {
	// Funding returns the payer account and department of userID.
	Funding(ctx context.Context, userID int64) (team.Funding, error)
	// LimitGuard returns the ledger Guard enforcing userID's spending limits.
	LimitGuard(userID int64, model string, amount decimal.Decimal) func(ctx context.Context, tx *sql.Tx) error
	// LimitRoom returns the ledger Cap of a charge no hold reserved room
	// for (a reply that outlived its hold): as much of want as userID's
	// limits on model allow in the periods around at, and the limit's
	// error when that is less than want (team.Service.LimitRoom).
	LimitRoom(userID int64, model string) func(ctx context.Context, tx *sql.Tx, at time.Time, want decimal.Decimal) (decimal.Decimal, error)
	// AfterCharge runs auto-recharge and balance alerts after a settlement.
	AfterCharge(ctx context.Context, payerAccount string)
}

// AfterChargeChecker is the optional part of a Funder that says, inside a
// settlement's posting transaction (tx sees the balances the posting
// leaves), whether AfterCharge has anything to do for payerAccount. A
// Funder without it has AfterCharge run after every charge; with it, only
// after a charge it said true of (*team.Service implements it).
type AfterChargeChecker interface {
	AfterChargeNeeded(ctx context.Context, tx *sql.Tx, payerAccount string) bool
}

// MemberReader is the optional part of a Funder that reads a member: an
// admin's deletion of another member's conversation names its owner in the
// audit log (*team.Service implements it).
type MemberReader interface {
	Member(ctx context.Context, id int64) (team.Member, error)
}

// LimitsReader is the optional part of a Funder that says what a member's
// spending limits on a model leave now (*team.Service implements it,
// team.Service.LimitsLeft): the largest output budget a refusal names
// (for credits or by a limit) fits them as well as the payer's credits
// (Call.room). A Funder without it bounds the room by the credits, and a
// limit's refusal by that limit's.
type LimitsReader interface {
	LimitsLeft(ctx context.Context, userID int64, model string) (left decimal.Decimal, limited bool, err error)
}
