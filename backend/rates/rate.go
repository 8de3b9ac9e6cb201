// Package rates keeps Meterdesk's rate table: what one token (or request, or
// tool call) of each model costs in credits. Every change creates a new,
// immutable rate Version with its effective time and author, so that any past
// charge can be explained by the rates in force when it happened.
//
// Rates are not money balances: they are stored as canonical decimal TEXT,
// in credits per token, with at most Precision (12) decimal places and at
// most MaxRate. The catalogue of models (built-in, reported by configured
// providers, and custom) is grouped by provider.
package rates

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// Precision is the most decimal places a stored rate (credits per token,
// per request or per tool call) may have.
const Precision = 12

// MaxRate is the largest accepted rate: one billion credits per unit.
var MaxRate = decimal.New(1, 9)

// Errors for bad rate input; wrapped with the offending text (test with errors.Is).
var (
	ErrMalformed  = errors.New("not a plain decimal number (digits with an optional decimal point)")
	ErrNegative   = money.ErrNegative // "rate -1 is negative", as every amount says it (money.NegativeNamed)
	ErrTooPrecise = fmt.Errorf("has more than %d decimal places per token", Precision)
	ErrTooLarge   = fmt.Errorf("is larger than %s credits", MaxRate.String())
)

// Unit is how a rate is written for people: per token, per 1K or per 1M tokens.
type Unit string

// The units the UI and CLI accept.
const (
	PerToken Unit = "token"
	Per1K    Unit = "1k"
	Per1M    Unit = "1m"
)

// ParseUnit reads "token", "1k" or "1m" (case-insensitive; "" = per token).
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "token", "per_token", "1":
		return PerToken, nil
	case "1k", "per_1k", "1000":
		return Per1K, nil
	case "1m", "per_1m", "1000000":
		return Per1M, nil
	}
	return "", fmt.Errorf("unit %q: want token, 1k or 1m", s)
}

// shift is the power of ten a unit's figure is divided by to get per token.
func (u Unit) shift() int32 {
	switch u {
	case Per1K:
		return 3
	case Per1M:
		return 6
	}
	return 0
}

// ParseRate reads a rate written per token. Blank is not accepted here (see
// ParseOptional). It never rounds: input finer than Precision is rejected.
func ParseRate(s string) (decimal.Decimal, error) { return ParseRateIn(s, PerToken) }

// ParseRateIn reads a rate written per unit and returns it per token,
// exactly (a decimal shift, no division). It rejects blanks, a value below
// zero (reported as negative; "-0" is 0), exponents, NaN/Inf, more than
// Precision decimal places once converted to per token, and rates over MaxRate.
func ParseRateIn(s string, u Unit) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	d, err := parseSigned(t)
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is %w", s, ErrMalformed)
	}
	if d.Sign() < 0 {
		// The money helpers' words, "rate -1 is negative"; a caller names
		// the field with money.Named ("input -1 is negative"). "-0" is 0,
		// as money.Parse reads it, not a negative rate.
		return decimal.Zero, money.NegativeNamed("rate", t)
	}
	d = d.Shift(-u.shift())
	if err := CheckRate(d); err != nil {
		return decimal.Zero, fmt.Errorf("%q %w", s, err)
	}
	return d, nil
}

// CheckRate validates a per-token rate already held as a decimal.
func CheckRate(d decimal.Decimal) error {
	switch {
	case d.Sign() < 0:
		return ErrNegative
	case !d.Equal(d.Truncate(Precision)):
		return ErrTooPrecise
	case d.GreaterThan(MaxRate):
		return ErrTooLarge
	}
	return nil
}

// ParseOptional reads a per-unit rate where blank means "use the default";
// it returns the canonical per-token text ("" for blank).
func ParseOptional(s string, u Unit) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	d, err := ParseRateIn(s, u)
	if err != nil {
		return "", err
	}
	return Canonical(d), nil
}

// Canonical renders a per-token rate as stored: plain digits, no exponent,
// no trailing zeros ("0.0000025", "10", "0").
func Canonical(d decimal.Decimal) string { return d.String() }

// Format renders a per-token rate in unit u, exactly ("0.0000025" per token
// is "2.5" per 1M). Blank stays blank.
func Format(perToken string, u Unit) string {
	if perToken == "" {
		return ""
	}
	d, err := decimal.NewFromString(perToken)
	if err != nil {
		return perToken
	}
	return d.Shift(u.shift()).String()
}

// plain reports whether s is digits with at most one decimal point, at
// least one digit, an optional leading '+', and at most 40 characters.
// parseSigned reads a plain decimal with at most one leading sign ('+' or
// '-'): the value decides whether it is negative, so "-0" is 0 and "-abc"
// is not a number (never "negative").
func parseSigned(t string) (decimal.Decimal, error) {
	if !plain(strings.TrimPrefix(t, "-")) || strings.HasPrefix(t, "-+") {
		return decimal.Zero, ErrMalformed
	}
	return decimal.NewFromString(t)
}

func plain(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if s == "" || len(s) > 40 {
		return false
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}
