package chat

import (
	"context"
	"database/sql"

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
	// AfterCharge runs auto-recharge and balance alerts after a settlement.
	AfterCharge(ctx context.Context, payerAccount string)
}
