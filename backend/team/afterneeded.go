package team

import (
	"context"
	"database/sql"
)

// AfterChargeNeeded reports whether AfterCharge would have anything to do
// for payerAccount: an auto-recharge rule of the payer whose threshold the
// balance is under, or an alert of the payer or the pool to fire or re-arm.
// Chat asks it inside the settlement's posting transaction (tx sees the
// balances the posting leaves), on the ledger writer's connection, and
// runs AfterCharge after the commit only when it says true. After most
// charges it says false, and the send then pays for none of AfterCharge's
// reads on the read pool, each of which, first after a commit, re-reads
// the pages it needs. Any doubt (a read error, a rule that does not parse)
// says true: AfterCharge decides again from what is committed.
//
// Its reads are the ones AfterCharge makes before it writes anything, so
// what it misses AfterCharge would have missed too: a later debit in the
// same or another transaction runs its own check.
func (s *Service) AfterChargeNeeded(ctx context.Context, tx *sql.Tx, payerAccount string) bool {
	q := s.db.PreparedTx(tx)
	if rechargeDue(ctx, q, payerAccount) {
		return true
	}
	set, err := s.alertSettings(ctx, q)
	if err != nil || s.alertsMayChange(ctx, q, set, payerAccount, false) {
		return true
	}
	return payerAccount != "pool" && s.alertsMayChange(ctx, q, set, "pool", false)
}

// rechargeDue reports whether recharge would act for account: it has an
// enabled rule and a balance under the rule's threshold (a recharge, or the
// cap's notice), or on any doubt.
func rechargeDue(ctx context.Context, q queryer, account string) bool {
	if !rechargeable(account) {
		return false
	}
	_, rule, enabled, err := enabledRule(ctx, q, account)
	if err != nil {
		return true
	}
	if !enabled {
		return false
	}
	balance, _, err := accountState(ctx, q, account)
	return err != nil || balance < rule.threshold
}
