package team

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// FundingPrecheck is what a send reads of its member before its hold:
// Funding, PrecheckLimits and the payer's ledger.Spendable together.
type FundingPrecheck struct {
	Funding
	// Limited and LimitErr are PrecheckLimits' answer: whether a limit
	// applies to the model, and nil when the amount fits every limit now.
	Limited  bool
	LimitErr error
	// Spendable (minor units) and Bounded are ledger.Spendable's answer for
	// the payer account, read with the rest; Known is false when the
	// account does not exist yet (nothing read).
	Spendable int64
	Bounded   bool
	Known     bool
}

// FundingPrecheck returns Funding(userID) (with its errors, in its words),
// PrecheckLimits(userID, model, amount) and the payer's spendable credits,
// reading the member, their limits, the workspace's zone and the payer's
// account (balance, holds, policy) in one statement, and the usage the
// limits on model count in one more per model filter (none when no limit
// applies). Chat calls it once before a send's hold, where it called the
// three, each with its own reads. It reserves nothing: the hold's checks
// decide, in the hold's write transaction, so it takes no read
// transaction of its own (PreflightBeside, which has no later check, reads
// the same in one: fundingPrecheckSnapshot).
func (s *Service) FundingPrecheck(ctx context.Context, userID int64, model string, amount decimal.Decimal) (FundingPrecheck, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "read funding"); err != nil {
		return FundingPrecheck{}, err
	}
	return s.fundingPrecheck(ctx, s.db.Prepared(), userID, model, amount)
}

// fundingPrecheckSnapshot is FundingPrecheck's reads in one read
// transaction (store.DB.ReadTx): the member, their payer's account, their
// limits and the usage those count are one state of the database, never a
// mix (a top-up, a charge or a change of funding between two of its
// statements). The caller has checked access.
func (s *Service) fundingPrecheckSnapshot(ctx context.Context, userID int64, model string, amount decimal.Decimal) (FundingPrecheck, error) {
	var p FundingPrecheck
	ran := false
	err := s.db.ReadTx(ctx, func(q store.Prepared) error {
		var err error
		ran = true
		p, err = s.fundingPrecheck(ctx, q, userID, model, amount)
		return err // in Funding's words
	})
	if err != nil && !ran {
		return FundingPrecheck{}, fmt.Errorf("funding: member %d: %w", userID, err)
	}
	if err != nil {
		return FundingPrecheck{}, err
	}
	return p, nil
}

// fundingPrecheck is FundingPrecheck's reads, through q (the read pool, or
// a read transaction: fundingPrecheckSnapshot).
func (s *Service) fundingPrecheck(ctx context.Context, q store.Prepared, userID int64, model string, amount decimal.Decimal) (FundingPrecheck, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.status, u.funding, COALESCE(u.department_id, 0),
		COALESCE((SELECT value FROM settings WHERE key = ?), ''),
		a.balance_minor, a.pending_minor, a.policy, a.limit_minor,
		l.kind, l.model, l.period, l.amount_minor
		FROM users u
		LEFT JOIN ledger_accounts a ON a.code = CASE WHEN u.funding = ? THEN 'user:' || u.id
			WHEN u.department_id IS NOT NULL AND u.department_id <> 0 THEN 'dept:' || u.department_id ELSE ? END
		LEFT JOIN member_limits l ON l.user_id = u.id WHERE u.id = ?
		ORDER BY CASE l.kind WHEN 'daily' THEN 0 WHEN 'monthly' THEN 1 ELSE 2 END, l.model`,
		workzone.Key, FundWallet, ledger.AccountPool, userID)
	if err != nil {
		return FundingPrecheck{}, fmt.Errorf("funding: member %d: %w", userID, err)
	}
	defer rows.Close()
	var (
		p      FundingPrecheck
		m      = Member{ID: userID}
		zone   string
		found  bool
		limits []limitRow
		acct   struct {
			balance, pending, limit sql.NullInt64
			policy                  sql.NullString
		}
	)
	for rows.Next() {
		var kind, lmodel, period sql.NullString
		var minor sql.NullInt64
		if err := rows.Scan(&m.Status, &m.Funding, &m.DepartmentID, &zone, &acct.balance, &acct.pending, &acct.policy, &acct.limit,
			&kind, &lmodel, &period, &minor); err != nil {
			return FundingPrecheck{}, fmt.Errorf("funding: member %d: %w", userID, err)
		}
		found = true
		if kind.Valid { // a member without limits has one row with no limit
			limits = append(limits, limitRow{Limit: Limit{UserID: userID, Kind: kind.String, Model: lmodel.String,
				Period: period.String, Amount: money.MinorString(minor.Int64)}, minor: minor.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return FundingPrecheck{}, fmt.Errorf("funding: member %d: %w", userID, err)
	}
	rows.Close()
	if !found {
		return FundingPrecheck{}, fmt.Errorf("funding: member %d: %w", userID, ErrNotFound)
	}
	if m.Status != StatusActive {
		return FundingPrecheck{}, fmt.Errorf("funding of member %d: %w", userID, ErrDisabled)
	}
	p.Funding = fundingOf(m)
	if acct.balance.Valid {
		p.Known = true
		p.Spendable, p.Bounded = ledger.SpendableMinor(acct.balance.Int64, acct.pending.Int64, acct.policy.String, acct.limit.Int64)
	}
	// PrecheckLimits (guardLimits) on what was read.
	loc, err := workzone.Named(zone)
	if err != nil {
		p.LimitErr = fmt.Errorf("check limits: %w", err)
		return p, nil
	}
	want, err := money.ToMinor(amount)
	if err != nil || want < 0 {
		p.LimitErr = fmt.Errorf("check limits: %w", inputerr.New(ErrInvalid, "amount %s", amount.String()))
		return p, nil
	}
	p.Limited, p.LimitErr = s.checkLimits(ctx, q, userID, model, want, limits, loc)
	return p, nil
}
