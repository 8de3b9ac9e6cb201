package team

import (
	"context"
	"errors"
	"fmt"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

// Preflight is the warning shown before a send: whether the estimate
// exceeds what the payer has available, or would break a limit.
type Preflight struct {
	Funding
	Estimate       string      `json:"estimate"`
	Available      string      `json:"available"` // what the payer may spend (a minimum balance or overdraft counted)
	ExceedsBalance bool        `json:"exceedsBalance"`
	Limit          *LimitError `json:"limit,omitempty"`
	Warnings       []string    `json:"warnings"`
}

// Preflight checks a planned send of about estimate credits for model by
// userID without reserving anything (the member themself or an admin). The
// authoritative checks run later, in ledger.Hold and LimitGuard.
func (s *Service) Preflight(ctx context.Context, userID int64, model, estimate string) (Preflight, error) {
	return s.PreflightBeside(ctx, userID, model, estimate, nil)
}

// PreflightBeside is Preflight for a send that must leave room for other
// sends' holds being taken and not written yet: reserved(payer) is what
// they are promised on the payer's account (chat's sends in flight,
// ledger.HoldRequest.Reserve; nil: none). It reads what the send's
// FundingPrecheck reads, in one read transaction (the member and their
// funding, the payer's balance, pending holds and policy, the limits and
// the usage and holds they count: one state, never a mix), and judges the balance by the
// hold's own rule (ledger.HoldFits, pending holds and the reserve
// counted), so it warns exactly when a hold of estimate taken now would be
// refused. A payer whose account does not exist yet has nothing to spend
// (the send creates it empty and is refused).
func (s *Service) PreflightBeside(ctx context.Context, userID int64, model, estimate string, reserved func(payer string) int64) (Preflight, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "read funding"); err != nil {
		return Preflight{}, err
	}
	est, err := money.ParseNonNegative(estimate)
	if err != nil {
		return Preflight{}, fmt.Errorf("preflight: %w", inputerr.New(ErrInvalid, "%v", money.Named("estimate", err)))
	}
	want := money.MustMinor(est)
	pre, err := s.fundingPrecheckSnapshot(ctx, userID, model, est)
	if err != nil {
		return Preflight{}, err
	}
	f := pre.Funding
	p := Preflight{Funding: f, Estimate: est.String(), Warnings: []string{}}
	// What the payer may spend, as the hold will be judged: its available
	// balance (less its pending holds) less a minimum balance, or plus an
	// overdraft, less what other sends being held are promised.
	spendable, bounded := pre.Spendable, pre.Bounded
	if !pre.Known {
		spendable, bounded = 0, true
	}
	var reserve int64
	if reserved != nil && bounded {
		reserve = reserved(f.PayerAccount)
	}
	available, fits := ledger.HoldFits(spendable, bounded, reserve, want)
	p.Available = money.MinorString(available)
	if !fits {
		p.ExceedsBalance = true
		// The member's own payer as the chat names it ("your wallet", "the
		// Research department"); someone else's as notifications do.
		name := accountName(ctx, s.db.Prepared(), f.PayerAccount).mid // "but the workspace pool has"
		if a, err := access.Current(ctx); err == nil && a.UserID == userID {
			if payer, err := s.payerFor(ctx, f, true); err == nil {
				name = payer.Phrase()
			}
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("This send may cost up to %s credits but %s has only %s available.",
			money.DisplayString(p.Estimate), name, money.DisplayString(p.Available)))
	}
	var le *LimitError
	switch err := pre.LimitErr; {
	case errors.As(err, &le):
		p.Limit = le
		p.Warnings = append(p.Warnings, le.Error())
	case err != nil:
		return Preflight{}, fmt.Errorf("preflight: %w", err)
	}
	return p, nil
}
