package ledger

import (
	"context"
	"database/sql"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
)

// OpenCheck says whether amount credits may go to a department or user
// account (whose owner the ledger does not know: the team archives
// departments and removes members, and lets a removed member's wallet take
// only what settles its debt). It runs in the ledger's write transaction,
// after the request's idempotency check (a replay is answered as before),
// before the credit is written (tx shows the account's balance as it is
// then), and returns an error to refuse.
type OpenCheck func(ctx context.Context, tx *sql.Tx, code string, amount decimal.Decimal) error

// openCheckBox holds the installed OpenCheck (atomic.Pointer needs a type).
type openCheckBox struct{ fn OpenCheck }

// SetOpenCheck installs the check run before credits go to a dept: or
// user: account by a top-up or a transfer (not by usage, which only
// debits them, nor by a debit: a removed member's balance can be moved
// out). core wires the team's; nil removes it.
func (s *Service) SetOpenCheck(fn OpenCheck) {
	if fn == nil {
		s.openCheck.Store(nil)
		return
	}
	s.openCheck.Store(&openCheckBox{fn})
}

// checkOpen runs the installed check for amount (minor units) going to code.
func (s *Service) checkOpen(ctx context.Context, tx *sql.Tx, code string, amount int64) error {
	if b := s.openCheck.Load(); b != nil && ownedAccount(code) {
		return b.fn(ctx, tx, code, money.FromMinor(amount))
	}
	return nil
}

// checksOpen reports whether a credit to code would run the check (such a
// transfer leaves the fast path, which has no place for it).
func (s *Service) checksOpen(code string) bool {
	return s.openCheck.Load() != nil && ownedAccount(code)
}

// ownedAccount reports whether code is a department's or a member's.
func ownedAccount(code string) bool {
	return strings.HasPrefix(code, "dept:") || strings.HasPrefix(code, "user:")
}

// GiveCheck says whether the signed-in member (not an admin) may give
// credits from their own wallet to code: the team's rule, the one its list
// of where a member may give is made by (team.Service.MayGive,
// GiveTargets). It runs in the ledger's write transaction, after the
// request's idempotency check (a replay is answered as before), before the
// OpenCheck, and returns an error to refuse.
type GiveCheck func(ctx context.Context, tx *sql.Tx, code string) error

// giveCheckBox holds the installed GiveCheck (atomic.Pointer needs a type).
type giveCheckBox struct{ fn GiveCheck }

// SetGiveCheck installs the check run before a member's transfer from their
// own wallet is written (an admin's, the system's and every other op are
// not checked). core wires the team's; nil removes it.
func (s *Service) SetGiveCheck(fn GiveCheck) {
	if fn == nil {
		s.giveCheck.Store(nil)
		return
	}
	s.giveCheck.Store(&giveCheckBox{fn})
}

// checksGive reports whether leg l is a member's give from their own wallet
// that the installed GiveCheck judges (such a transfer leaves the fast
// path, which has no place for it).
func (s *Service) checksGive(ctx context.Context, op, from string) bool {
	return s.giveCheck.Load() != nil && memberGive(ctx, op, from)
}

// memberGive reports whether a leg of op from is a member's (not an
// admin's, nor the system's) give from their own wallet: one the GiveCheck
// judges, and which moves only the wallet's own credits (checkOwnCredits).
func memberGive(ctx context.Context, op, from string) bool {
	if op != OpTransfer {
		return false
	}
	a, err := access.Current(ctx)
	return err == nil && !a.IsAdmin() && a.UserID > 0 && from == UserAccount(a.UserID)
}

// checkGive runs the installed GiveCheck for a member's give of in to in.To.
func (s *Service) checkGive(ctx context.Context, tx *sql.Tx, in transferInput) error {
	if b := s.giveCheck.Load(); b != nil && s.checksGive(ctx, in.Op, in.From) {
		return b.fn(ctx, tx, in.To)
	}
	return nil
}
