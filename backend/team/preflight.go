package team

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"meterdesk/backend/access"
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
	f, err := s.Funding(ctx, userID)
	if err != nil {
		return Preflight{}, err
	}
	est, err := money.ParseNonNegative(estimate)
	if err != nil {
		return Preflight{}, fmt.Errorf("preflight: %w: estimate: %v", ErrInvalid, err)
	}
	want := money.MustMinor(est)
	p := Preflight{Funding: f, Estimate: est.String(), Warnings: []string{}}
	db := s.db.Prepared()
	// What the payer may spend, as the hold will be judged: its available
	// balance less a minimum balance, or plus an overdraft.
	avail, bounded, err := s.led.Spendable(ctx, f.PayerAccount)
	if err != nil {
		return Preflight{}, fmt.Errorf("preflight: %w", err)
	}
	available := max(money.MustMinor(avail), 0)
	p.Available = money.MinorString(available)
	if bounded && want > available {
		p.ExceedsBalance = true
		// The member's own payer as the chat names it ("your wallet", "the
		// Research department"); someone else's as notifications do.
		name := accountName(ctx, db, f.PayerAccount)
		if rest, ok := strings.CutPrefix(name, "The "); ok { // mid-sentence: "but the workspace pool has"
			name = "the " + rest
		}
		if a, err := access.Current(ctx); err == nil && a.UserID == userID {
			if payer, err := s.payerFor(ctx, f, true); err == nil {
				name = payer.Phrase()
			}
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("This send may cost up to %s credits but %s has only %s available.",
			p.Estimate, name, p.Available))
	}
	_, limits, loc, _, err := memberLimits(ctx, db, userID)
	if err == nil {
		_, err = s.checkLimits(ctx, db, userID, model, want, limits, loc)
	}
	var le *LimitError
	switch {
	case errors.As(err, &le):
		p.Limit = le
		p.Warnings = append(p.Warnings, le.Error())
	case err != nil:
		return Preflight{}, fmt.Errorf("preflight: %w", err)
	}
	return p, nil
}
