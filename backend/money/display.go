package money

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// The display rule: how a credit amount reads in text a person reads (the
// cost line under a reply, a refusal, an alert, the CLI's printed output, a
// conversation's Markdown export, the statement PDF). It is the window's
// rule too (frontend/src/lib/money.ts formatCreditAmount, CREDIT_PLACES),
// and both are tested against one table, testdata/display.json:
//
//   - rounded half away from zero to Scale places (Round), never to cents,
//     so a sub-cent charge does not read "0.00";
//   - at least DisplayMinPlaces decimal places, trailing zeros beyond them
//     trimmed ("0.70", "0.001257492", "12.00");
//   - the integer part grouped by threes with commas ("1,250.00");
//   - no sign on zero.
//
// Text a machine reads keeps String's canonical form: JSON, CSV cells,
// --json, the local API's headers, error fields and error messages
// (APIString), database values, and a
// number a person is told to type back into a flag (money.Parse refuses
// commas).

// DisplayMinPlaces is the fewest decimal places Display writes.
const DisplayMinPlaces = 2

// Display writes a credit amount by the display rule: "1,250.00", "0.70",
// "0.001257492", "-4,100.00".
func Display(d decimal.Decimal) string {
	r := Round(d)
	s := r.Abs().StringFixed(Scale)
	intPart, frac, _ := strings.Cut(s, ".")
	end := len(frac)
	for end > DisplayMinPlaces && frac[end-1] == '0' {
		end--
	}
	out := GroupDigits(intPart) + "." + frac[:end]
	if r.Sign() < 0 {
		return "-" + out
	}
	return out
}

// DisplayMinor is Display of integer minor units.
func DisplayMinor(n int64) string {
	return Display(FromMinor(n))
}

// DisplayString is Display of a canonical decimal string (as the backend's
// structs carry amounts: "0.7", "4100"). Text that is not a plain decimal
// is returned unchanged, so a caller never loses what it had.
func DisplayString(s string) string {
	if !plainDecimal(strings.TrimSpace(s)) {
		return s
	}
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return Display(d)
}

// GroupDecimal writes a currency amount as the backend wrote it (an
// invoice's net, tax or gross, in its currency's own places: JPY 0, EUR 2,
// BHD 3) with its thousands grouped by commas, never re-rounded:
// "1190000.50" is "1,190,000.50", "11" is "11", "-1487.50" "-1,487.50";
// leading zeros go and zero has no sign ("-0.00" is "0.00"). Text that is
// not -digits[.digits] is returned unchanged. It is the invoice PDF's and
// the CLI's printed output's rule for currency amounts (invoices, top-up and
// package prices; --json stays canonical), and the window's
// (frontend/src/lib/money.ts formatCurrencyAmount), and
// both are tested against one table, testdata/currency.json.
func GroupDecimal(s string) string {
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(body, ".")
	if !allDigits(intPart) || hasDot && !allDigits(frac) {
		return s
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := GroupDigits(intPart)
	if hasDot {
		out += "." + frac
	}
	if len(body) < len(s) && strings.Trim(intPart+frac, "0") != "" {
		return "-" + out
	}
	return out
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// GroupInt writes a whole number (a token count, a number of tool calls)
// with its thousands grouped by commas: 1247 is "1,247", -46384 "-46,384".
func GroupInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	if neg := strings.HasPrefix(s, "-"); neg {
		return "-" + GroupDigits(s[1:])
	}
	return GroupDigits(s)
}

// GroupDigits puts commas between the groups of three of a run of digits
// ("125000" -> "125,000"); it is the grouping of Display and GroupInt.
func GroupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// APIString writes a credit amount in the local API's words (the
// gateway's 402 and 429 messages): its canonical form (String), as the
// API's JSON fields and headers carry amounts ("4104", "99.712", "0.01",
// "0"), so that a message's numbers read as one format and match
// credits_remaining, /v1/credits and X-Meterdesk-Credits-Remaining. The
// display rule (Display: "4,104.00" beside "99.712") is for a person at
// the window or the CLI. Text that is not a plain decimal is returned
// unchanged.
func APIString(s string) string {
	t := strings.TrimSpace(s)
	if !plainDecimal(t) {
		return s
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return s
	}
	return API(d)
}

// API is APIString of an amount: String, rounded by Round as Display is.
func API(d decimal.Decimal) string {
	return String(Round(d))
}

// Credits words an amount of credits already written (by API, APIString,
// String, MinorString or a caller's own digits) with the unit: "1 credit"
// for exactly one, written "1", and "N credits" otherwise ("0.5 credits",
// "2 credits", "1.00 credits", as the display rule writes one with its
// places, "1,250 credits"). Every text that counts credits in words goes
// through it, so that none reads "1 credits".
func Credits(amount string) string {
	if amount == "1" {
		return amount + " credit"
	}
	return amount + " credits"
}
