// Package money holds Meterdesk's one representation of credit amounts and its
// one rounding rule.
//
// Credits are exact decimals (shopspring/decimal) in Go, integer minor units
// ("nano-credits", Scale = 9 decimal places) in SQLite, and canonical decimal
// strings in JSON. No float64 is ever used on a money path.
//
// The rounding rule (the only one in the code base): a computed amount is
// rounded half away from zero to Scale decimal places, by Round. Parsed input
// is never rounded: input with more than Scale decimal places is rejected.
package money

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// Scale is the number of decimal places a credit amount keeps: one minor unit
// is 0.000000001 credits, fine enough for per-token charges of cheap models
// (0.0000025 credits is 2,500 minor units).
const Scale = 9

// MaxMinor is the largest absolute amount, in minor units, the ledger accepts
// in one amount or balance. It leaves head-room below math.MaxInt64 so that
// the sum of two valid amounts never overflows int64.
const MaxMinor int64 = math.MaxInt64 / 4

// Errors returned when parsing or converting amounts. They are wrapped with
// the offending input, so test with errors.Is. ErrNegative is wrapped as
// Negative writes it ("amount -5 is negative"), the ledger's words for the
// same refusal (ledger.checkAmount), so the window and the CLI say it one way;
// a caller that names its field says it with the field instead of "amount"
// (Named: "limit -5 is negative").
var (
	ErrMalformed   = errors.New("not a decimal number")
	ErrTooPrecise  = fmt.Errorf("more than %d decimal places", Scale)
	ErrOverflow    = errors.New("amount is too large")
	ErrNegative    = errors.New("is negative")
	ErrNotPositive = errors.New("amount must be greater than zero")
)

// Negative is the refusal of a negative amount, written as given:
// "amount -5 is negative" (errors.Is ErrNegative).
func Negative(amount string) error { return NegativeNamed("amount", amount) }

// NegativeNamed is Negative for the field the caller names: "limit -5 is
// negative" (errors.Is ErrNegative).
func NegativeNamed(field, amount string) error {
	return &negativeError{field: field, amount: amount}
}

// negativeError is a negative amount refused (Negative, NegativeNamed).
type negativeError struct{ field, amount string }

func (e *negativeError) Error() string { return e.field + " " + e.amount + " " + ErrNegative.Error() }
func (e *negativeError) Unwrap() error { return ErrNegative }

// Named says which field err, a Parse* refusal, is about, once: a negative
// amount is NegativeNamed(field, …) ("limit -5 is negative", not "limit:
// amount -5 is negative"), any other error follows the field ("limit:
// \"x\": not a decimal number"). err stays in the chain (errors.Is).
func Named(field string, err error) error {
	var neg *negativeError
	if errors.As(err, &neg) {
		return NegativeNamed(field, neg.amount)
	}
	return fmt.Errorf("%s: %w", field, err)
}

var (
	unit     = decimal.New(1, Scale)         // minor units per credit
	maxValue = decimal.New(MaxMinor, -Scale) // largest amount in credits
)

// Zero is zero credits.
var Zero = decimal.Zero

// Parse reads a decimal credit amount written as plain digits with an
// optional minus sign and decimal point ("12", "-0.5", "0.0000025").
// Exponents, NaN, Inf, a plus sign, commas (decimal or thousands) and empty
// strings are rejected, with the reason (CheckPlain), and so is anything
// with more than Scale decimal places or beyond MaxMinor.
func Parse(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if err := CheckPlain(s); err != nil {
		return decimal.Zero, err
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q: %w", s, ErrMalformed)
	}
	if err := Check(d); err != nil {
		return decimal.Zero, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}

// ParsePositive is Parse for amounts that must be greater than zero
// (transfers, top-ups, holds).
func ParsePositive(s string) (decimal.Decimal, error) {
	d, err := Parse(s)
	if err != nil {
		return d, err
	}
	if d.Sign() < 0 {
		return decimal.Zero, Negative(strings.TrimSpace(s))
	}
	if d.Sign() == 0 {
		return decimal.Zero, fmt.Errorf("%q: %w", s, ErrNotPositive)
	}
	return d, nil
}

// ParseNonNegative is Parse for amounts that may be zero but not negative.
func ParseNonNegative(s string) (decimal.Decimal, error) {
	d, err := Parse(s)
	if err != nil {
		return d, err
	}
	if d.Sign() < 0 {
		return decimal.Zero, Negative(strings.TrimSpace(s))
	}
	return d, nil
}

// Check reports whether d fits the ledger: at most Scale decimal places and
// an absolute value of at most MaxMinor minor units.
func Check(d decimal.Decimal) error {
	if !d.Equal(d.Truncate(Scale)) {
		return ErrTooPrecise
	}
	if d.Abs().GreaterThan(maxValue) {
		return ErrOverflow
	}
	return nil
}

// Round applies Meterdesk's one rounding rule: half away from zero to Scale
// decimal places. Every computed charge goes through it exactly once per line.
func Round(d decimal.Decimal) decimal.Decimal {
	return d.Round(Scale)
}

// ToMinor converts an exact amount to integer minor units. It fails, rather
// than rounds, when d is too precise or too large.
func ToMinor(d decimal.Decimal) (int64, error) {
	if err := Check(d); err != nil {
		return 0, fmt.Errorf("%s: %w", d.String(), err)
	}
	return d.Mul(unit).IntPart(), nil
}

// MustMinor is ToMinor for amounts already validated; it panics otherwise.
func MustMinor(d decimal.Decimal) int64 {
	n, err := ToMinor(d)
	if err != nil {
		panic(err)
	}
	return n
}

// FromMinor converts integer minor units back to an exact decimal amount.
func FromMinor(n int64) decimal.Decimal {
	return decimal.New(n, -Scale)
}

// String renders an amount canonically: no exponent, no trailing zeros
// beyond the decimal point ("1.5", "0.0000025", "12").
func String(d decimal.Decimal) string {
	return d.String()
}

// MinorString renders integer minor units canonically (see String).
func MinorString(n int64) string {
	return FromMinor(n).String()
}

// AddMinor adds two minor-unit amounts and fails instead of overflowing
// beyond MaxMinor.
func AddMinor(a, b int64) (int64, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) || s > MaxMinor || s < -MaxMinor {
		return 0, ErrOverflow
	}
	return s, nil
}

// CheckPlain is the one rule for how a decimal is typed, for credit
// amounts (Parse), prices and what a credit is worth (backend/ledger): after
// trimming, an optional minus sign, digits and at most one decimal point.
// Anything else is a *MalformedError (errors.Is ErrMalformed) with, where
// it is a likely slip, the reason: a leading '+' ("write it without a '+'
// sign"), a comma ("use a point for decimals" and no thousands separators).
func CheckPlain(s string) error {
	t := strings.TrimSpace(s)
	switch {
	case plainDecimal(t):
		return nil
	case strings.HasPrefix(t, "+"):
		return &MalformedError{Input: s, Reason: "write it without a '+' sign"}
	case strings.Contains(t, ","):
		return &MalformedError{Input: s, Reason: "use a point for decimals (1.5), and no thousands separators"}
	}
	return &MalformedError{Input: s}
}

// MalformedError is text that is not a decimal as CheckPlain reads one:
// Input as typed and, when known, the Reason ("" when none is known), so a
// caller can word its own message around it.
type MalformedError struct {
	Input, Reason string
}

func (e *MalformedError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("%q: %s", e.Input, ErrMalformed)
	}
	return fmt.Sprintf("%q: %s: %s", e.Input, ErrMalformed, e.Reason)
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

// Why is the reason in err, a *MalformedError ("" when it has none or err
// is not one).
func Why(err error) string {
	var m *MalformedError
	if errors.As(err, &m) {
		return m.Reason
	}
	return ""
}

// plainDecimal reports whether s is -?digits[.digits] with at least one
// digit, and nothing else.
func plainDecimal(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0 && len(s) <= 64
}
