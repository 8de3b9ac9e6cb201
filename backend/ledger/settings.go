package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// Settings keys owned by the ledger.
const (
	SettingCreditValue = "ledger.credit_value"        // JSON CreditValue
	SettingLotValidity = "ledger.lot_validity_months" // integer months, 0 = never
)

// DefaultLotValidityMonths is how long a top-up lot is valid by default.
const DefaultLotValidityMonths = 12

// CreditValue says what one credit is worth, for display and for pricing
// custom top-ups: Amount (a decimal string) of Currency per credit.
type CreditValue struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// DefaultCreditValue matches the default packages: 1 credit = EUR 0.01.
var DefaultCreditValue = CreditValue{Amount: "0.01", Currency: "EUR"}

// currencyExp is the number of minor-unit digits of currencies that do not
// use two (ISO 4217); every other three-letter code uses two.
var currencyExp = map[string]int32{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "PYG": 0, "UGX": 0, "XAF": 0, "XOF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// CurrencyExponent validates a currency code (three letters A-Z) and returns
// its number of minor-unit digits.
func CurrencyExponent(code string) (int32, error) {
	if len(code) != 3 || strings.ToUpper(code) != code || strings.IndexFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return 0, inputerr.New(ErrInvalidRequest, "currency %q (want an ISO 4217 code such as EUR)", code)
	}
	if e, ok := currencyExp[code]; ok {
		return e, nil
	}
	return 2, nil
}

// CheckCurrency refuses a currency code a user gives that is not a current
// ISO 4217 code (golang.org/x/text/currency's table): "EUX" or "ABC" are
// well-formed but name no currency, and would print on invoices. Used where a
// code is entered (credit value, top-up, package); codes already stored are
// read with CurrencyExponent alone, so a workspace that saved one before this
// check still opens and prints.
func CheckCurrency(code string) error {
	if _, err := CurrencyExponent(code); err != nil {
		return err
	}
	if _, err := currency.ParseISO(code); err != nil {
		return inputerr.New(ErrInvalidRequest, "currency %q is not an ISO 4217 currency code (such as EUR, USD, JPY)", code)
	}
	return nil
}

// ParsePrice reads a price in currency units ("10", "9.50") into integer
// minor units of the currency. It never rounds: more digits than the
// currency has is an error.
func ParsePrice(s, currency string) (int64, error) {
	exp, err := CurrencyExponent(currency)
	if err != nil {
		return 0, err
	}
	d, err := parseDecimal(s)
	if err != nil {
		msg := money.ErrMalformed.Error()
		if r := money.Why(err); r != "" {
			msg += ": " + r
		}
		return 0, inputerr.New(ErrInvalidAmount, "price %q: %s", s, msg)
	}
	if d.Sign() < 0 {
		return 0, inputerr.New(ErrInvalidAmount, "%v", money.NegativeNamed("price", strings.TrimSpace(s))) // "price -5 is negative"
	}
	return priceMinor(d, exp, currency)
}

func priceMinor(d decimal.Decimal, exp int32, currency string) (int64, error) {
	m := d.Shift(exp)
	if !m.Equal(m.Truncate(0)) {
		return 0, inputerr.New(ErrInvalidAmount, "price %s %s has more than %d decimal places", d, currency, exp)
	}
	if m.GreaterThan(decimal.New(1, 15)) {
		return 0, inputerr.New(ErrInvalidAmount, "price %s %s is too large", d, currency)
	}
	return m.IntPart(), nil
}

// FormatPrice renders minor units of a currency ("1000", EUR -> "10.00").
func FormatPrice(minor int64, currency string) string {
	exp, err := CurrencyExponent(currency)
	if err != nil {
		exp = 2
	}
	return decimal.New(minor, -exp).StringFixed(exp)
}

// parseDecimal accepts plain decimals only, by money's one rule
// (money.CheckPlain: no exponent, NaN, Inf, '+' or comma), of at most 40
// characters. Its error is a *money.MalformedError with the reason.
func parseDecimal(s string) (decimal.Decimal, error) {
	if err := money.CheckPlain(s); err != nil {
		return decimal.Zero, err
	}
	t := strings.TrimSpace(s)
	if len(t) > 40 {
		return decimal.Zero, &money.MalformedError{Input: s, Reason: "longer than 40 characters"}
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, &money.MalformedError{Input: s}
	}
	return d, nil
}

// CreditValuePlaces is how many decimal places what a credit is worth may
// have. It is finer than credit amounts (money.Scale, 9 places): a credit
// may be worth less than a currency's nano-unit (a credit per token at
// 0.000000000125 EUR). Nothing is rounded with it: a top-up priced from the
// credit value multiplies exactly (credits x value, up to 21 places) and is
// refused unless the product is whole in the currency's minor units
// (priceMinor). It is the one rule: `credits value`, `workspace setup` and
// `workspace update` (backend/team) all check with ParseCreditValue.
const CreditValuePlaces = 12

// ParseCreditValue reads what one credit is worth: a plain decimal above 0
// with at most CreditValuePlaces decimal places.
func ParseCreditValue(s string) (decimal.Decimal, error) {
	d, err := parseDecimal(s)
	if err != nil || d.Sign() <= 0 || d.Exponent() < -CreditValuePlaces {
		reason := ""
		if r := money.Why(err); r != "" {
			reason = " (" + r + ")"
		}
		return decimal.Zero, inputerr.New(ErrInvalidAmount, "credit value %q must be a positive decimal with at most %d decimal places%s",
			strings.TrimSpace(s), CreditValuePlaces, reason)
	}
	return d, nil
}

func (cv CreditValue) validate() (decimal.Decimal, error) {
	if _, err := CurrencyExponent(cv.Currency); err != nil {
		return decimal.Zero, err
	}
	return ParseCreditValue(cv.Amount)
}

// CreditValue returns what one credit is worth (any signed-in actor).
func (s *Service) CreditValue(ctx context.Context) (CreditValue, error) {
	if _, err := access.Current(ctx); err != nil {
		return CreditValue{}, fmt.Errorf("credit value: %w", err)
	}
	v, err := s.db.GetSetting(ctx, SettingCreditValue, "")
	if err != nil {
		return CreditValue{}, err
	}
	return decodeCreditValue(v), nil
}

// CreditValueTx returns what one credit is worth as tx reads it, for a
// caller that reads and changes it with its own rows in one transaction
// (the team's workspace change). The caller checks the actor.
func CreditValueTx(ctx context.Context, tx *sql.Tx) (CreditValue, error) {
	v, err := store.GetSettingIn(ctx, tx, SettingCreditValue, "")
	if err != nil {
		return CreditValue{}, err
	}
	return decodeCreditValue(v), nil
}

func decodeCreditValue(v string) CreditValue {
	var cv CreditValue
	if v == "" || json.Unmarshal([]byte(v), &cv) != nil {
		return DefaultCreditValue
	}
	if _, err := cv.validate(); err != nil {
		return DefaultCreditValue
	}
	return cv
}

// SetCreditValue sets what one credit is worth (admin only), audited as
// credits.value: ChangeCreditValue without its report.
func (s *Service) SetCreditValue(ctx context.Context, cv CreditValue) error {
	_, err := s.ChangeCreditValue(ctx, cv)
	return err
}

// CreditValueChange is what ChangeCreditValue did: the value in force now
// (Amount and Currency, at the top level of its JSON) and whether the
// workspace had it stored already, so nothing was written or audited.
type CreditValueChange struct {
	CreditValue
	Unchanged bool `json:"unchanged"`
}

// ChangeCreditValue sets what one credit is worth (admin only), audited as
// credits.value, and reports what it did. The value stored already (the
// same currency and amount, 0.01 and 0.010 alike) is checked as any other,
// then written and audited not at all (Unchanged). The default value
// given while no value is stored is stored (decision): it was asked for
// explicitly, so a later version's other default does not change it; that
// is a change, audited with the default as what was before.
func (s *Service) ChangeCreditValue(ctx context.Context, cv CreditValue) (CreditValueChange, error) {
	actor, err := access.RequireAdmin(ctx, "set credit value")
	if err != nil {
		return CreditValueChange{}, err
	}
	if err := CheckCurrency(cv.Currency); err != nil {
		return CreditValueChange{}, fmt.Errorf("set credit value: %w", err)
	}
	d, err := cv.validate() // refused before it reaches the writer
	if err != nil {
		return CreditValueChange{}, fmt.Errorf("set credit value: %w", err)
	}
	var out CreditValueChange
	err = s.submit(ctx, func(w *wtx) error {
		v, err := w.setting(SettingCreditValue)
		if err != nil {
			return err
		}
		was := decodeCreditValue(v)
		if wasD, err := ParseCreditValue(was.Amount); v != "" && err == nil && wasD.Equal(d) && was.Currency == cv.Currency {
			out = CreditValueChange{CreditValue: was, Unchanged: true}
			return nil // the value it has already: nothing to write, nothing to log
		}
		stored, err := SetCreditValueTx(w.ctx, w.tx, cv)
		if err != nil {
			return err
		}
		out = CreditValueChange{CreditValue: stored}
		before := struct {
			CreditValue
			Default bool `json:"default,omitempty"` // none was stored: the default was in force
		}{was, v == ""}
		return audit.Record(w.ctx, w.tx, w.s.now(), actor, "credits.value", "workspace", before, stored)
	})
	if err != nil {
		return CreditValueChange{}, err
	}
	return out, nil
}

// SetCreditValueTx validates cv and stores it in tx, for a caller that
// changes it together with its own rows in one transaction (the team's
// workspace update); it returns the value as stored (canonical amount).
// The caller checks the actor's role.
func SetCreditValueTx(ctx context.Context, tx *sql.Tx, cv CreditValue) (CreditValue, error) {
	if err := CheckCurrency(cv.Currency); err != nil {
		return CreditValue{}, fmt.Errorf("set credit value: %w", err)
	}
	d, err := cv.validate()
	if err != nil {
		return CreditValue{}, fmt.Errorf("set credit value: %w", err)
	}
	cv.Amount = d.String()
	b, _ := json.Marshal(cv)
	if err := store.SetSettingTx(ctx, tx, SettingCreditValue, string(b)); err != nil {
		return CreditValue{}, err
	}
	return cv, nil
}

// LotValidity returns how many months a top-up lot is valid (0 = never).
func (s *Service) LotValidity(ctx context.Context) (int, error) {
	if _, err := access.Current(ctx); err != nil {
		return 0, fmt.Errorf("lot validity: %w", err)
	}
	v, err := s.db.GetSetting(ctx, SettingLotValidity, "")
	if err != nil {
		return 0, err
	}
	return decodeValidity(v), nil
}

func decodeValidity(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1200 {
		return DefaultLotValidityMonths
	}
	return n
}

// SetLotValidity sets how many months new top-up lots are valid, 0 = never
// (admin only), audited as credits.lot_validity: ChangeLotValidity without
// its report.
func (s *Service) SetLotValidity(ctx context.Context, months int) error {
	_, err := s.ChangeLotValidity(ctx, months)
	return err
}

// LotValidityChange is what ChangeLotValidity did: the months new top-up
// lots are valid now (0 = never) and whether the workspace had that stored
// already, so nothing was written or audited.
type LotValidityChange struct {
	Months    int  `json:"months"`
	Unchanged bool `json:"unchanged"`
}

// ChangeLotValidity sets how many months new top-up lots are valid, 0 =
// never (admin only), audited as credits.lot_validity, and reports what it
// did. Existing lots keep their expiry. The validity stored already is
// written and audited not at all (Unchanged); the default given while none
// is stored is stored, as ChangeCreditValue does, so a later version's
// other default does not change a validity the admin chose.
func (s *Service) ChangeLotValidity(ctx context.Context, months int) (LotValidityChange, error) {
	actor, err := access.RequireAdmin(ctx, "set lot validity")
	if err != nil {
		return LotValidityChange{}, err
	}
	if months < 0 || months > 1200 {
		return LotValidityChange{}, fmt.Errorf("set lot validity: %w", inputerr.New(ErrInvalidRequest, "%d months (want 0-1200, 0 = never)", months))
	}
	out := LotValidityChange{Months: months}
	err = s.submit(ctx, func(w *wtx) error {
		v, err := w.setting(SettingLotValidity)
		if err != nil {
			return err
		}
		if out.Unchanged = v != "" && v == strconv.Itoa(months); out.Unchanged {
			return nil // the validity stored already: nothing to write, nothing to log
		}
		if err := store.SetSettingTx(w.ctx, w.tx, SettingLotValidity, strconv.Itoa(months)); err != nil {
			return err
		}
		type validity struct {
			Months  int  `json:"months"`
			Default bool `json:"default,omitempty"` // none was stored: the default was in force
		}
		return audit.Record(w.ctx, w.tx, w.s.now(), actor, "credits.lot_validity", "workspace",
			validity{decodeValidity(v), v == ""}, validity{Months: months})
	})
	if err != nil {
		return LotValidityChange{}, err
	}
	return out, nil
}

// settingTx reads a setting inside the write transaction.
func (w *wtx) setting(key string) (string, error) {
	var v string
	err := w.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}
