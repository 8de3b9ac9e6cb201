package ledger

import (
	"context"
	"database/sql"
	"strings"

	"github.com/shopspring/decimal"

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
