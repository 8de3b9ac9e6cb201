package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// AutoRecharge tops a department or member wallet up from the pool when its
// balance falls below Threshold: Amount per recharge, at most MonthlyCap per
// calendar month (workspace time zone). Each recharge is a ledger transfer
// and a notification.
type AutoRecharge struct {
	Account    string `json:"account"` // dept:<id> or user:<id>
	Threshold  string `json:"threshold"`
	Amount     string `json:"amount"`
	MonthlyCap string `json:"monthlyCap"`
	Enabled    bool   `json:"enabled"`
	ThisMonth  string `json:"thisMonth"` // recharged so far this month (read only)
}

type rechargeRule struct {
	threshold, amount, cap int64
	enabled                bool
}

func (r AutoRecharge) normalize() (AutoRecharge, rechargeRule, error) {
	var rule rechargeRule
	r.Account = strings.TrimSpace(r.Account)
	if !strings.HasPrefix(r.Account, "dept:") && !strings.HasPrefix(r.Account, "user:") {
		return r, rule, inputerr.New(ErrInvalid, "an auto-recharge tops up a department or a member (dept:<id> or user:<id>), not %q", r.Account)
	}
	th, err := money.ParseNonNegative(r.Threshold)
	if err != nil {
		return r, rule, inputerr.New(ErrInvalid, "%v", money.Named("threshold", err))
	}
	amt, err := money.ParsePositive(r.Amount)
	if err != nil {
		return r, rule, inputerr.New(ErrInvalid, "%v", money.Named("amount", err))
	}
	capd, err := money.ParseNonNegative(r.MonthlyCap)
	if err != nil {
		return r, rule, inputerr.New(ErrInvalid, "%v", money.Named("monthly cap", err))
	}
	rule = rechargeRule{threshold: money.MustMinor(th), amount: money.MustMinor(amt), cap: money.MustMinor(capd), enabled: r.Enabled}
	r.Threshold, r.Amount, r.MonthlyCap, r.ThisMonth = th.String(), amt.String(), capd.String(), ""
	return r, rule, nil
}

// rechargeable reports whether account is one auto-recharge may top up: a
// department's or a member's wallet, never the pool it draws on.
func rechargeable(account string) bool {
	return strings.HasPrefix(account, "dept:") || strings.HasPrefix(account, "user:")
}

// accountExists checks that a dept:<id> or user:<id> names a live department or member.
func accountExists(ctx context.Context, q queryer, account string) error {
	var n int
	var err error
	switch {
	case strings.HasPrefix(account, "dept:"):
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM departments WHERE 'dept:' || id = ? AND archived = 0", account).Scan(&n)
	case strings.HasPrefix(account, "user:"):
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE 'user:' || id = ? AND status <> 'removed'", account).Scan(&n)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("account %s: %w", account, ErrNotFound)
	}
	return nil
}

// SetAutoRecharge creates or replaces the rule for an account (admin only,
// audited as recharge.set): ChangeAutoRecharge without its report.
func (s *Service) SetAutoRecharge(ctx context.Context, in AutoRecharge) (AutoRecharge, error) {
	ch, err := s.ChangeAutoRecharge(ctx, in)
	return ch.AutoRecharge, err
}

// AutoRechargeChange is what ChangeAutoRecharge did: the rule as it is now
// (at the top level of its JSON) and whether the account had it already,
// so nothing was written or audited.
type AutoRechargeChange struct {
	AutoRecharge
	Unchanged bool `json:"unchanged"`
}

// ChangeAutoRecharge creates or replaces the rule for an account (admin
// only, audited as recharge.set) and reports what it did. The rule the
// account has already (the same amounts, 5 and 5.00 alike, and the same
// on/off) is checked as any other, then written and audited not at all
// (Unchanged).
func (s *Service) ChangeAutoRecharge(ctx context.Context, in AutoRecharge) (AutoRechargeChange, error) {
	a, err := access.RequireAdmin(ctx, "set auto-recharge")
	if err != nil {
		return AutoRechargeChange{}, err
	}
	r, rule, err := in.normalize()
	if err != nil {
		return AutoRechargeChange{}, fmt.Errorf("set auto-recharge: %w", err)
	}
	same := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := accountExists(ctx, tx, r.Account); err != nil {
			return err
		}
		before, err := getRecharge(ctx, tx, r.Account)
		var b any
		if err == nil {
			b = before
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		// The rule it has already is neither written nor logged again.
		same = b != nil && before.Enabled == rule.enabled && before.Threshold == money.MinorString(rule.threshold) &&
			before.Amount == money.MinorString(rule.amount) && before.MonthlyCap == money.MinorString(rule.cap)
		if !same {
			if _, err := tx.ExecContext(ctx, `INSERT INTO auto_recharge(account, threshold_minor, amount_minor, monthly_cap_minor, enabled)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET threshold_minor = excluded.threshold_minor,
				amount_minor = excluded.amount_minor, monthly_cap_minor = excluded.monthly_cap_minor, enabled = excluded.enabled`,
				r.Account, rule.threshold, rule.amount, rule.cap, rule.enabled); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, a, "recharge.set", r.Account, b, r); err != nil {
				return err
			}
		}
		// What it recharged this month, as ListAutoRecharge shows it.
		loc, err := workzone.Load(ctx, tx)
		if err != nil {
			return err
		}
		var used int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_minor), 0) FROM auto_recharge_log WHERE account = ? AND month = ?",
			r.Account, monthKey(s.now(), loc)).Scan(&used); err != nil {
			return err
		}
		r.ThisMonth = money.MinorString(used)
		return nil
	})
	if err != nil {
		return AutoRechargeChange{}, fmt.Errorf("set auto-recharge for %s: %w", in.Account, err)
	}
	return AutoRechargeChange{AutoRecharge: r, Unchanged: same}, nil
}

// RemoveAutoRecharge deletes the rule for an account (admin only, audited).
func (s *Service) RemoveAutoRecharge(ctx context.Context, account string) error {
	a, err := access.RequireAdmin(ctx, "remove auto-recharge")
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		found, err := s.removeRechargeTx(ctx, tx, a, account)
		if err == nil && !found {
			err = fmt.Errorf("auto-recharge for %s: %w", account, ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("remove auto-recharge for %s: %w", account, err)
	}
	return nil
}

// removeRechargeTx deletes account's rule in tx and logs it as
// recharge.remove by a; found says whether there was one.
func (s *Service) removeRechargeTx(ctx context.Context, tx *sql.Tx, a access.Actor, account string) (found bool, err error) {
	before, err := getRecharge(ctx, tx, account)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM auto_recharge WHERE account = ?", account); err != nil {
		return false, err
	}
	return true, s.audit(ctx, tx, a, "recharge.remove", account, before, nil)
}

// enabledRule reads account's auto-recharge rule: enabled is false (and err
// nil) when it has none or it is switched off; err reports a rule that
// cannot be read or does not parse.
func enabledRule(ctx context.Context, q queryer, account string) (r AutoRecharge, rule rechargeRule, enabled bool, err error) {
	r, err = getRecharge(ctx, q, account)
	if errors.Is(err, ErrNotFound) || (err == nil && !r.Enabled) {
		return r, rule, false, nil
	}
	if err != nil {
		return r, rule, false, err
	}
	_, rule, err = r.normalize()
	return r, rule, err == nil, err
}

func getRecharge(ctx context.Context, q queryer, account string) (AutoRecharge, error) {
	r := AutoRecharge{Account: account}
	var th, amt, capm int64
	err := q.QueryRowContext(ctx, "SELECT threshold_minor, amount_minor, monthly_cap_minor, enabled FROM auto_recharge WHERE account = ?",
		account).Scan(&th, &amt, &capm, &r.Enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("auto-recharge for %s: %w", account, ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	r.Threshold, r.Amount, r.MonthlyCap = money.MinorString(th), money.MinorString(amt), money.MinorString(capm)
	return r, nil
}

// ListAutoRecharge returns every rule with what it recharged this month (admin only).
func (s *Service) ListAutoRecharge(ctx context.Context) ([]AutoRecharge, error) {
	if _, err := access.RequireAdmin(ctx, "list auto-recharge rules"); err != nil {
		return nil, err
	}
	db := s.db.Read()
	loc, err := workzone.Load(ctx, db)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT r.account, r.threshold_minor, r.amount_minor, r.monthly_cap_minor, r.enabled,
		COALESCE((SELECT SUM(l.amount_minor) FROM auto_recharge_log l WHERE l.account = r.account AND l.month = ?), 0)
		FROM auto_recharge r ORDER BY r.account`, monthKey(s.now(), loc))
	if err != nil {
		return nil, fmt.Errorf("list auto-recharge rules: %w", err)
	}
	defer rows.Close()
	out := []AutoRecharge{}
	for rows.Next() {
		var r AutoRecharge
		var th, amt, capm, used int64
		if err := rows.Scan(&r.Account, &th, &amt, &capm, &r.Enabled, &used); err != nil {
			return nil, fmt.Errorf("list auto-recharge rules: %w", err)
		}
		r.Threshold, r.Amount, r.MonthlyCap, r.ThisMonth = money.MinorString(th), money.MinorString(amt), money.MinorString(capm), money.MinorString(used)
		out = append(out, r)
	}
	return out, rows.Err()
}

// beforeRechargeTransfer runs between recharge's reads and its transfer
// (tests change the rule there).
var beforeRechargeTransfer = func() {}

// recharge runs the account's rule once: when its balance is below the
// threshold it moves min(amount, cap left this month) from the pool. The
// cap and the threshold are re-checked by a Guard inside the ledger's write
// transaction, and the recharge is logged by an Attach in the same
// transaction, so concurrent calls cannot exceed the cap. The month the
// recharge counts in is the month, in the workspace zone read in that
// transaction, of the instant the transfer is stamped with (the ledger's
// one clock reading for it, which Cap is given): read before the transfer,
// a recharge in a month's last milliseconds was logged against that month
// while its transfer was stamped in the next, so the next month's cap did
// not count it. The month read before only sizes the recharge and words a
// reached cap.
func (s *Service) recharge(ctx context.Context, account string) error {
	if !rechargeable(account) {
		return nil
	}
	db := s.db.Prepared()
	r, rule, enabled, err := enabledRule(ctx, db, account)
	if !enabled || err != nil {
		return err
	}
	loc, err := workzone.Load(ctx, db)
	if err != nil {
		return err
	}
	month := monthKey(s.now(), loc)
	balance, _, err := accountState(ctx, db, account)
	if err != nil || balance >= rule.threshold {
		return err
	}
	var used int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_minor), 0) FROM auto_recharge_log WHERE account = ? AND month = ?",
		account, month).Scan(&used); err != nil {
		return fmt.Errorf("auto-recharge %s: %w", account, err)
	}
	amount := min(rule.amount, rule.cap-used)
	name := accountName(ctx, db, account)
	if amount <= 0 {
		// Once per month and cap: a cap raised after it was reached is
		// told again when the new one is reached.
		return s.notifyOnce(ctx, account, "recharge-cap:"+month+":"+r.MonthlyCap, Notification{Kind: KindRecharge, Level: LevelWarning, Account: account, named: name.start,
			Title: "Auto-recharge cap reached",
			Body:  fmt.Sprintf("%s reached its auto-recharge cap of %s credits for %s; no more automatic recharges this month.", name.start, money.DisplayString(r.MonthlyCap), month)})
	}
	var stored Notification
	var counts string // the month the transfer counts in (Cap sets it)
	beforeRechargeTransfer()
	t, err := s.led.Transfer(ctx, ledger.TransferRequest{
		ID: newID("recharge"), Op: ledger.OpTransfer, From: ledger.AccountPool, To: account, Amount: money.FromMinor(amount),
		Meta: []byte(`{"autoRecharge":true}`),
		// AfterCharge evaluates the account's and the pool's alerts right
		// after this, once; the move hook would evaluate them a second time.
		Unhooked: true,
		// Cap is given the instant the transfer is stamped with: its month,
		// in the zone as this transaction reads it, is the one it counts in.
		// It moves all of amount or, by the Guard, nothing.
		Cap: func(ctx context.Context, tx *sql.Tx, at time.Time, all decimal.Decimal) (decimal.Decimal, error) {
			loc, err := workzone.Load(ctx, tx)
			if err != nil {
				return all, err
			}
			counts = monthKey(at, loc)
			return all, nil
		},
		Guard: func(ctx context.Context, tx *sql.Tx) error {
			// The rule read above may be gone since (the member removed, the
			// department archived, the rule deleted or switched off): its
			// state now decides.
			var on bool
			err := tx.QueryRowContext(ctx, "SELECT enabled FROM auto_recharge WHERE account = ?", account).Scan(&on)
			if errors.Is(err, sql.ErrNoRows) || err == nil && !on {
				return ErrNotApplicable
			}
			if err != nil {
				return err
			}
			var bal, done int64
			if err := tx.QueryRowContext(ctx, "SELECT balance_minor FROM ledger_accounts WHERE code = ?", account).Scan(&bal); err != nil {
				return err
			}
			if bal >= rule.threshold {
				return ErrNotApplicable
			}
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_minor), 0) FROM auto_recharge_log WHERE account = ? AND month = ?",
				account, counts).Scan(&done); err != nil {
				return err
			}
			if done+amount > rule.cap {
				return ErrCapReached
			}
			return nil
		},
		Attach: func(ctx context.Context, tx *sql.Tx, t ledger.Transfer) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO auto_recharge_log(account, month, amount_minor, at) VALUES (?, ?, ?, ?)",
				account, counts, amount, store.FormatTimeNano(t.CreatedAt)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM alert_state WHERE account = ? AND threshold = 'recharge-failed'", account); err != nil {
				return err
			}
			var err error
			stored, err = s.insertNotification(ctx, tx, Notification{Kind: KindRecharge, Level: LevelInfo, Account: account, named: name.mid,
				Title: "Auto-recharge",
				Body:  fmt.Sprintf("Moved %s credits from the pool to %s.", money.DisplayMinor(amount), name.mid)})
			return err
		},
	})
	switch {
	case errors.Is(err, ErrNotApplicable), errors.Is(err, ErrCapReached):
		return nil
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return s.notifyOnce(ctx, account, "recharge-failed", Notification{Kind: KindRecharge, Level: LevelCritical, Account: account, named: name.mid,
			Title: "Auto-recharge failed",
			Body:  fmt.Sprintf("The pool has too few credits to recharge %s with %s credits. %s", name.mid, money.DisplayMinor(amount), adminTopUpPool)})
	case err != nil:
		return fmt.Errorf("auto-recharge %s: %w", account, err)
	}
	_ = t
	set, _ := s.alertSettings(ctx, db)
	s.emit([]Notification{stored}, set.Desktop)
	return nil
}

// notifyOnce stores and emits n unless the marker key is already set for
// the account (re-armed elsewhere by deleting the marker).
func (s *Service) notifyOnce(ctx context.Context, account, key string, n Notification) error {
	var stored *Notification
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO alert_state(account, threshold, crossed_at) VALUES (?, ?, ?)",
			account, key, store.FormatTimeNano(s.now()))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		x, err := s.insertNotification(ctx, tx, n)
		stored = &x
		return err
	})
	if err != nil {
		return fmt.Errorf("notify %s: %w", account, err)
	}
	if stored != nil {
		set, _ := s.alertSettings(ctx, s.db.Read())
		s.emit([]Notification{*stored}, set.Desktop)
	}
	return nil
}
