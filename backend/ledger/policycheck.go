package ledger

import (
	"context"
	"database/sql"
)

// PolicyCheck says whether a department's or a member's account code may
// take balance policy p (whose owner the ledger does not know: the team
// ends a removed member's wallet and an archived department's account with
// the blocked policy, which no later change may undo). It runs in
// SetPolicy's write transaction, once the account is known to exist, before
// the policy is written, and returns an error to refuse (nothing written).
// SetPolicyTx, another area's change in its own transaction, is not checked:
// that area judges it.
type PolicyCheck func(ctx context.Context, tx *sql.Tx, code string, p Policy) error

// policyCheckBox holds the installed PolicyCheck (atomic.Pointer needs a type).
type policyCheckBox struct{ fn PolicyCheck }

// SetPolicyCheck installs the check run before SetPolicy changes the
// policy of a dept: or user: account. core wires the team's; nil removes it.
func (s *Service) SetPolicyCheck(fn PolicyCheck) {
	if fn == nil {
		s.policyCheck.Store(nil)
		return
	}
	s.policyCheck.Store(&policyCheckBox{fn})
}

// allowsPolicy runs the installed check for p going to code.
func (s *Service) allowsPolicy(ctx context.Context, tx *sql.Tx, code string, p Policy) error {
	if b := s.policyCheck.Load(); b != nil && ownedAccount(code) {
		return b.fn(ctx, tx, code, p)
	}
	return nil
}
