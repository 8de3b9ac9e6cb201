package chat

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// BalanceStatus is what the chat window shows about the money that pays for
// the signed-in member's sends: the payer, what is available, and whether
// it is under the warning threshold (the low-balance banner).
//
// Low reads the payer's balance, as the balance alerts do (team's
// evaluate), not what is available: a send holds up to its estimate's upper
// end while its reply is written, so a payer a little above the threshold
// was "low" for the seconds of every send, the banner appearing (and moving
// the page down) with each one and going when the reply settled, though no
// alert fired and the charge was a fraction of the hold. Available, shown
// in the banner, still says what the holds leave; it is below the threshold
// whenever the balance is.
type BalanceStatus struct {
	Payer     string `json:"payer"`
	PayerName string `json:"payerName"`
	Available string `json:"available"`
	Threshold string `json:"threshold"` // the highest absolute alert threshold
	Low       bool   `json:"low"`       // balance (open holds not taken off) < threshold
}

type alertSource interface {
	AlertSettings(ctx context.Context) (team.AlertSettings, error)
}

// Status returns the payer's available balance and the low-balance flag.
func (s *Service) Status(ctx context.Context) (BalanceStatus, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return BalanceStatus{}, fmt.Errorf("balance status: %w", err)
	}
	payer := ledger.AccountPool
	if s.meter.funder != nil && a.UserID != 0 {
		f, err := s.meter.funder.Funding(ctx, a.UserID)
		if err != nil {
			return BalanceStatus{}, fmt.Errorf("balance status: %w", err)
		}
		payer = f.PayerAccount
	}
	settings := team.DefaultAlertSettings()
	if as, ok := s.meter.funder.(alertSource); ok {
		if set, err := as.AlertSettings(ctx); err == nil {
			settings = set
		}
	}
	threshold := decimal.Zero
	for _, v := range settings.Absolute {
		if d, err := decimal.NewFromString(v); err == nil && d.GreaterThan(threshold) {
			threshold = d
		}
	}
	st := BalanceStatus{Payer: payer, PayerName: s.meter.payerName(ctx, payer), Available: "0", Threshold: threshold.String()}
	b, err := s.led.Balance(access.WithActor(context.WithoutCancel(ctx), access.System), payer)
	if err == nil {
		st.Available = b.Available.String()
		st.Low = b.Balance.LessThan(threshold)
	} else {
		st.Low = threshold.Sign() > 0
	}
	return st, nil
}
