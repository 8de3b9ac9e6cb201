package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/money"
)

// isCorrection reports whether op is an admin's correction of balances
// (refund, adjustment, grant: `meterdesk credits transfer --op`), which
// the audit log records. So is a transfer a person makes
// (`credits transfer --op transfer`, credits.transfer); the team's moves
// are logged by the team (credits.move, TransferRequest.Audited), the
// system's (auto-recharge) notify instead, and usage is the
// ledger itself: none of those is logged here.
func isCorrection(op string) bool { return op == OpRefund || op == OpAdjustment || op == OpGrant }

// isSystem reports whether ctx acts as the system.
func isSystem(ctx context.Context) bool {
	a, err := access.Current(ctx)
	return err == nil && a == access.System
}

// correctionView is what the audit log keeps of a correction.
type correctionView struct {
	Transfer int64           `json:"transfer"`
	From     string          `json:"from"`
	To       string          `json:"to"`
	Amount   string          `json:"amount"`
	Meta     json.RawMessage `json:"meta,omitempty"`
}

// auditCorrection returns an Attach that records the correction in the
// audit log inside its transfer's transaction, after the caller's own
// Attach (next, may be nil). It runs only once the request was accepted:
// validateLeg has checked that the actor is an admin.
func auditCorrection(ctx context.Context, now func() time.Time, next Attach) Attach {
	return func(txCtx context.Context, tx *sql.Tx, t Transfer) error {
		if next != nil {
			if err := next(txCtx, tx, t); err != nil {
				return err
			}
		}
		a, err := access.Current(ctx)
		if err != nil {
			return err
		}
		target := t.To // the account corrected: the side that is not a system account
		if strings.HasPrefix(target, "sys:") {
			target = t.From
		}
		var meta json.RawMessage
		if len(t.Meta) > 0 && string(t.Meta) != "null" && string(t.Meta) != "{}" {
			meta = t.Meta
		}
		return audit.Record(txCtx, tx, now(), a, "credits."+t.Op, target, nil,
			correctionView{Transfer: t.ID, From: t.From, To: t.To, Amount: money.String(t.Amount), Meta: meta})
	}
}
