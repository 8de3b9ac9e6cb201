package team

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// TransferReceipt is a transfer as a person asked for it (Service.Transfer),
// with Summary, what moved in words (transferSummary), which the Credits
// page's toast and `meterdesk credits transfer` say alike.
type TransferReceipt struct {
	ledger.Transfer
	Summary string `json:"summary"`
}

// transferSummary says what t moved, to the signed-in member userID (0: the
// system), in the words the Credits page's toast and `meterdesk credits
// transfer` say it:
//
//   - from their own wallet: "Gave 5.00 credits from your wallet to Bob
//     Martin", the account given to as GiveTargets phrases it ("the
//     Research department's credits", "the workspace pool");
//   - from the pool to a removed member's wallet or an archived
//     department's account (which take credits only to settle a debt):
//     "Settled 18.00 credits of the debt of frank (removed)'s wallet from the
//     workspace pool";
//   - from the pool: "Gave 25.00 credits from the workspace pool to Lee
//     Park's wallet";
//   - back to the pool: "Moved 400.00 credits from erin's wallet back to the
//     workspace pool", an admin's own wallet too ("Moved … from your wallet
//     back to the workspace pool": their Credits page's "Move to the pool",
//     as for any wallet; an admin has no "Give credits from your wallet");
//   - else: "Moved 5.00 credits from the Research department to erin's
//     wallet";
//   - a correction (adjustment, refund) or any move to or from a
//     bookkeeping account (sys:adjust, sys:refund, named as the audit log
//     names them): its operation, "Adjustment: moved 990.00 credits from the
//     workspace pool to Adjustments", "Grant: moved 50.00 credits from
//     Adjustments to erin's wallet".
//
// Accounts are named as notifications name them (accountName), the member's
// own wallet "your wallet". A replay (t.Replayed: the same id asked again)
// says what the first request did: "Settled" only of an account ended when
// t was written (settledDebt), not of one given credits before it ended.
func transferSummary(ctx context.Context, q queryer, a access.Actor, t ledger.Transfer) string {
	amount := creditsWords(t.Amount)
	own := ""
	if a.UserID > 0 {
		own = ledger.UserAccount(a.UserID)
	}
	name := func(account string) string {
		if account == own {
			return yourWallet.mid
		}
		if n, ok := fixedTargetNames[account]; ok && strings.HasPrefix(account, "sys:") {
			return n // as the audit log and the window's history name it: "Adjustments", "Refunds"
		}
		return accountName(ctx, q, account).mid
	}
	// A correction (an adjustment or a refund) or a move to or from a
	// bookkeeping account gives nothing and settles nothing: it says its
	// operation and the accounts, never "Gave".
	if t.Op == ledger.OpAdjustment || t.Op == ledger.OpRefund || strings.HasPrefix(t.From, "sys:") || strings.HasPrefix(t.To, "sys:") {
		return ledger.OpLabel(t.Op) + ": moved " + amount + " from " + name(t.From) + " to " + name(t.To)
	}
	switch {
	case own != "" && t.From == own && !(a.IsAdmin() && t.To == ledger.AccountPool):
		to := name(t.To)
		if targets, err := giveTargetsOn(ctx, q, a.UserID); err == nil {
			for _, g := range targets {
				if g.Account == t.To {
					to = g.Phrase
				}
			}
		}
		return "Gave " + amount + " from your wallet to " + to
	case t.From == ledger.AccountPool && settledDebt(ctx, q, t):
		return "Settled " + amount + " of the debt of " + name(t.To) + " from the workspace pool"
	case t.From == ledger.AccountPool:
		return "Gave " + amount + " from the workspace pool to " + name(t.To)
	case t.To == ledger.AccountPool:
		return "Moved " + amount + " from " + name(t.From) + " back to the workspace pool"
	}
	return "Moved " + amount + " from " + name(t.From) + " to " + name(t.To)
}

// creditsWords is an amount of credits as the window and the CLI write it
// ("1,000.00 credits").
func creditsWords(d decimal.Decimal) string {
	return money.Credits(money.Display(d))
}

// settledDebt reports whether t, from the pool, settled the debt of an
// ended account (accountEnded), which takes credits only for that: all of
// t then repaid debt. Of a replay, only when the account had ended when t
// was written (its member's removal or its department's archiving, in the
// audit log, not after t; ended with no such entry: as it is now), so that a
// give to a member in debt removed since stays a give.
func settledDebt(ctx context.Context, q queryer, t ledger.Transfer) bool {
	if !accountEnded(ctx, q, t.To) || !t.DebtRepaid.Equal(t.Amount) {
		return false
	}
	if !t.Replayed {
		return true
	}
	var at string
	err := q.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE target = ? AND action IN ('member.remove', 'department.archive')
		ORDER BY id DESC LIMIT 1`, t.To).Scan(&at)
	if err != nil {
		return true // no entry (or none readable): ended, as it is now
	}
	// The ledger keeps t's time to the millisecond.
	return !store.ParseTimeNano(at).Truncate(time.Millisecond).After(t.CreatedAt)
}

// accountEnded reports whether account is a removed member's wallet or an
// archived department's account, as AcceptsCredits judges it (ownerOf).
func accountEnded(ctx context.Context, q queryer, account string) bool {
	o, err := ownerOf(ctx, q, account)
	return err == nil && o.found && o.ended
}

// PoolLines are what the Credits page says, for an admin, under the titles
// of its cards that move credits from the workspace pool to an account:
// Give under "Give credits from the pool" ("" for a removed member's
// wallet or an archived department's account, which take credits only to
// settle a debt), Settle under "Settle the debt" ("" unless the account is
// such an ended one and owes credits). Accounts are named as notifications
// name them, amounts as the window writes them.
type PoolLines struct {
	Give   string `json:"give"`
	Settle string `json:"settle"`
}

// PoolLines says PoolLines of account (admin only), from its balance and
// the pool's: "Moves credits from the workspace pool (1,000.00 credits
// available) to erin's wallet. Nothing is bought; to add new credits, top
// up below." and "frank (removed)'s wallet owes 18.00 credits: frank was
// removed, so it takes credits only to settle that debt: at most 18.00
// credits, from the workspace pool (1,000.00 credits available)."
func (s *Service) PoolLines(ctx context.Context, account string) (PoolLines, error) {
	if _, err := access.RequireAdmin(ctx, "read what the pool can give"); err != nil {
		return PoolLines{}, err
	}
	pool, err := s.led.Balance(ctx, ledger.AccountPool)
	if err != nil {
		return PoolLines{}, err
	}
	b, err := s.led.Balance(ctx, account)
	if err != nil {
		return PoolLines{}, err
	}
	q := s.db.Read()
	o, err := ownerOf(ctx, q, account)
	if err != nil {
		return PoolLines{}, err
	}
	name := accountName(ctx, q, account)
	from := "the workspace pool (" + creditsWords(pool.Available) + " available)"
	if !o.found || !o.ended {
		return PoolLines{Give: "Moves credits from " + from + " to " + name.mid + ". Nothing is bought; to add new credits, top up below."}, nil
	}
	if b.Balance.Sign() >= 0 {
		return PoolLines{}, nil
	}
	debt := creditsWords(b.Balance.Neg())
	return PoolLines{Settle: name.start + " owes " + debt + ": " + o.why + ", so it takes credits only to settle that debt: at most " +
		debt + ", from " + from + "."}, nil
}
