package ledger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// expireAccount moves a's expired lot remainders to sys:expiry in one
// transfer (op expiry). Credits reserved by pending holds are not expired
// while the holds are open: at most the available balance expires, and the
// rest of an expired lot is consumed by the posting or expires on a later
// run. It reports whether it moved anything.
func (w *wtx) expireAccount(a *account, now string) (bool, error) {
	var total int64
	err := w.queryRow(`SELECT COALESCE(SUM(remaining_minor), 0) FROM ledger_lots WHERE account_id = ? AND expires_at <= ?`,
		a.id, now).Scan(&total)
	if err != nil {
		return false, fmt.Errorf("find expired lots of %s: %w", a.code, err)
	}
	amount := min(total, max(a.available(), 0))
	if amount <= 0 {
		return false, nil
	}
	sink, err := w.account(AccountExpiry)
	if err != nil {
		return false, err
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	id := "expiry:" + hex.EncodeToString(b)
	// Consumption is earliest-expiry-first, and every expired lot expires
	// before every live one, so this takes only expired lots.
	_, err = w.post(&row{requestID: id, hash: hashOf("expiry", id), op: OpExpiry, kind: KindPosted,
		from: a, to: sink, amount: amount, dims: Dims{Source: "system"}, meta: "{}"})
	return err == nil, err
}

// ExpireLots runs the expiry job over every account with expired lots and
// returns how many accounts it expired credits from (admin or system).
func (s *Service) ExpireLots(ctx context.Context) (int, error) {
	if _, err := access.RequireAdmin(ctx, "expire credit lots"); err != nil {
		return 0, err
	}
	// As VoidStaleHolds: no write lock when no lot is due.
	var due bool
	if err := s.db.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM ledger_lots WHERE expires_at <= ?)`,
		store.FormatTime(s.now())).Scan(&due); err != nil {
		return 0, fmt.Errorf("find expired lots: %w", err)
	}
	if !due {
		return 0, nil
	}
	n := 0
	var expired []string // the accounts credits expired from, for the move hook
	err := s.submit(ctx, func(w *wtx) error {
		n, expired = 0, nil
		now := store.FormatTime(w.s.now())
		rows, err := w.query(`SELECT DISTINCT a.code FROM ledger_lots l JOIN ledger_accounts a ON a.id = l.account_id
			WHERE l.expires_at <= ? ORDER BY a.code`, now)
		if err != nil {
			return fmt.Errorf("find expired lots: %w", err)
		}
		var codes []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			codes = append(codes, c)
		}
		rows.Close()
		for _, c := range codes {
			a, err := w.account(c)
			if err != nil {
				return err
			}
			changed, err := w.refresh(a)
			if err != nil {
				return err
			}
			if changed {
				n++
				expired = appendOwned(expired, c)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("expire lots: %w", err)
	}
	if b := s.moveHook.Load(); b != nil && len(expired) > 0 {
		b.fn(ctx, expired)
	}
	return n, nil
}
