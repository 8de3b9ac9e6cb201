package rates

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// CalcInput is the credit calculator's input: the provider's price in
// currency per Unit, a markup in percent, and the value of one credit in
// the same currency. All are decimal strings.
type CalcInput struct {
	Price       string `json:"price"`       // e.g. "2.50" ($ per 1M tokens)
	Unit        string `json:"unit"`        // token | 1k | 1m (of Price and of the result's Display)
	MarkupPct   string `json:"markupPct"`   // e.g. "20" for +20%; "" = 0
	CreditValue string `json:"creditValue"` // e.g. "0.01" ($ per credit)
}

// CalcResult is the credit rate the calculator proposes.
type CalcResult struct {
	PerToken string `json:"perToken"` // credits per token, as stored
	Display  string `json:"display"`  // credits per the input's unit
	Exact    bool   `json:"exact"`    // false: rounded (half away from zero) to Precision places
}

// Calculate turns a provider price into a credit rate:
// credits per token = price per token * (1 + markup/100) / credit value.
// The arithmetic is exact decimal; only the final division is rounded, to
// Precision decimal places (half away from zero), and Exact says whether it
// had to be.
func Calculate(in CalcInput) (CalcResult, error) {
	u, err := ParseUnit(in.Unit)
	if err != nil {
		return CalcResult{}, err
	}
	num := func(name, s, def string) (decimal.Decimal, error) {
		if strings.TrimSpace(s) == "" && def != "" {
			s = def
		}
		t := strings.TrimSpace(s)
		d, err := parseSigned(t) // "-abc" is not a number, "-0" is 0
		if err != nil {
			return decimal.Zero, fmt.Errorf("%s %q is not a plain decimal number", name, s)
		}
		if d.Sign() < 0 {
			return decimal.Zero, money.NegativeNamed(name, t) // "price -1 is negative"
		}
		if d.Exponent() < -18 {
			return decimal.Zero, fmt.Errorf("%s %q has more than 18 decimal places", name, s)
		}
		return d, nil
	}
	price, err := num("price", in.Price, "")
	if err != nil {
		return CalcResult{}, err
	}
	markup, err := num("markup", in.MarkupPct, "0")
	if err != nil {
		return CalcResult{}, err
	}
	value, err := num("credit value", in.CreditValue, "")
	if err != nil {
		return CalcResult{}, err
	}
	if value.Sign() == 0 {
		return CalcResult{}, fmt.Errorf("credit value must be greater than zero")
	}
	perTokenPrice := price.Shift(-u.shift())
	factor := decimal.NewFromInt(100).Add(markup).Shift(-2)
	numerator := perTokenPrice.Mul(factor)
	rate := numerator.DivRound(value, Precision)
	exact := rate.Mul(value).Equal(numerator)
	if err := CheckRate(rate); err != nil {
		return CalcResult{}, fmt.Errorf("resulting rate %s %w", rate.String(), err)
	}
	return CalcResult{PerToken: Canonical(rate), Display: Format(Canonical(rate), u), Exact: exact}, nil
}
