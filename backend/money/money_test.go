package money

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want string
		err  error
	}{
		{"12", "12", nil},
		{"  0.5 ", "0.5", nil},
		{"-3.25", "-3.25", nil},
		{"+7", "", ErrMalformed}, // CheckPlain: one rule, no '+' (TestCheckPlainSaysWhy)
		{"0.0000025", "0.0000025", nil},
		{"0.000000001", "0.000000001", nil},
		{"1.000000000", "1", nil},
		{"0.0000000001", "", ErrTooPrecise},
		{"1e3", "", ErrMalformed},
		{"NaN", "", ErrMalformed},
		{"Inf", "", ErrMalformed},
		{"", "", ErrMalformed},
		{"1,000", "", ErrMalformed},
		{"1.2.3", "", ErrMalformed},
		{".", "", ErrMalformed},
		{"--1", "", ErrMalformed},
		{"0x10", "", ErrMalformed},
		{"99999999999999999999", "", ErrOverflow},
		{strconv.FormatInt(MaxMinor/1e9+1, 10), "", ErrOverflow},
		// The bound is on the absolute value: a negative amount as large is refused too.
		{"-99999999999999999999", "", ErrOverflow},
		{"-" + strconv.FormatInt(MaxMinor/1e9+1, 10), "", ErrOverflow},
		{"-" + strconv.FormatInt(MaxMinor/1e9, 10), "-" + strconv.FormatInt(MaxMinor/1e9, 10), nil},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("Parse(%q) error = %v, want %v", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("Parse(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

// TestCheckPlainSaysWhy: the likely slips are refused with the reason, the
// same for credit amounts, prices and credit values (backend/ledger).
func TestCheckPlainSaysWhy(t *testing.T) {
	for _, c := range []struct{ in, says string }{
		{"+7", `"+7": not a decimal number: write it without a '+' sign`},
		{" +0.01", `" +0.01": not a decimal number: write it without a '+' sign`},
		{"1,5", `"1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"2,500.00", `"2,500.00": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"1e3", `"1e3": not a decimal number`},
	} {
		err := CheckPlain(c.in)
		if !errors.Is(err, ErrMalformed) || err.Error() != c.says {
			t.Errorf("CheckPlain(%q) = %v, want %q", c.in, err, c.says)
		}
		if _, perr := Parse(c.in); perr == nil || perr.Error() != err.Error() {
			t.Errorf("Parse(%q) = %v, want CheckPlain's %v", c.in, perr, err)
		}
	}
	for _, ok := range []string{"0", " 12 ", "-3.25", "0.5", "5."} {
		if err := CheckPlain(ok); err != nil {
			t.Errorf("CheckPlain(%q) = %v", ok, err)
		}
	}
}

func TestParsePositiveAndNonNegative(t *testing.T) {
	if _, err := ParsePositive("0"); !errors.Is(err, ErrNotPositive) {
		t.Errorf("ParsePositive(0): %v", err)
	}
	if _, err := ParseNonNegative("0"); err != nil {
		t.Errorf("ParseNonNegative(0): %v", err)
	}
	// A negative amount is refused in the ledger's words (checkAmount),
	// one wording for the window and the CLI, the amount as typed.
	for _, c := range []struct {
		parse func(string) (decimal.Decimal, error)
		in    string
		want  string
	}{
		{ParsePositive, "-1", "amount -1 is negative"},
		{ParsePositive, " -5.50 ", "amount -5.50 is negative"},
		{ParseNonNegative, "-0.1", "amount -0.1 is negative"},
	} {
		_, err := c.parse(c.in)
		if !errors.Is(err, ErrNegative) || err.Error() != c.want {
			t.Errorf("%q: %v, want %q (ErrNegative)", c.in, err, c.want)
		}
	}
}

// A caller that names its field says "amount" once: Named puts the field
// in the negative amount's place ("limit -5 is negative", not "limit
// amount: amount -5 is negative"), and before any other refusal; the
// kind stays in the chain.
func TestNamedSaysTheFieldOnce(t *testing.T) {
	for _, c := range []struct {
		parse func(string) (decimal.Decimal, error)
		field string
		in    string
		want  string
		kind  error
	}{
		{ParseNonNegative, "limit", "-5", "limit -5 is negative", ErrNegative},
		{ParsePositive, "monthly cap", " -10.50 ", "monthly cap -10.50 is negative", ErrNegative},
		{ParsePositive, "amount", "-5", "amount -5 is negative", ErrNegative},
		{ParsePositive, "amount", "0", `amount: "0": amount must be greater than zero`, ErrNotPositive},
		{ParseNonNegative, "threshold", "x", `threshold: "x": not a decimal number`, ErrMalformed},
	} {
		_, err := c.parse(c.in)
		got := Named(c.field, err)
		if got.Error() != c.want || !errors.Is(got, c.kind) {
			t.Errorf("Named(%q, %v) = %v, want %q (%v)", c.field, err, got, c.want, c.kind)
		}
	}
	if err := NegativeNamed("budget", "-1"); err.Error() != "budget -1 is negative" || !errors.Is(err, ErrNegative) {
		t.Errorf("NegativeNamed: %v", err)
	}
}

func TestRoundIsHalfAwayFromZeroAtScale(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0.0000000005", "0.000000001"},
		{"0.0000000004999", "0"},
		{"-0.0000000005", "-0.000000001"},
		{"2.0000000015", "2.000000002"},
		{"2.0000000025", "2.000000003"}, // not banker's rounding
		{"1.23", "1.23"},
	}
	for _, c := range cases {
		got := Round(decimal.RequireFromString(c.in))
		if got.String() != c.want {
			t.Errorf("Round(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestMinorRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "0.000000001", "123456.789", "0.0000025"} {
		d := decimal.RequireFromString(s)
		n, err := ToMinor(d)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if back := FromMinor(n); !back.Equal(d) {
			t.Errorf("%s -> %d -> %s", s, n, back)
		}
	}
	if n, _ := ToMinor(decimal.RequireFromString("0.0000025")); n != 2500 {
		t.Errorf("0.0000025 credits = %d minor units, want 2500", n)
	}
	if _, err := ToMinor(decimal.RequireFromString("0.0000000001")); !errors.Is(err, ErrTooPrecise) {
		t.Errorf("over-precise: %v", err)
	}
	if MinorString(1500000000) != "1.5" {
		t.Errorf("MinorString = %s", MinorString(1500000000))
	}
}

// TestAddMinorOverflow: a sum beyond ±MaxMinor fails on either side, and so
// does one that wraps int64 back into range (MaxInt64+MaxInt64 is -2 in
// int64, MinInt64+MinInt64 is 0), so a corrupt stored balance is never
// summed into a plausible total.
func TestAddMinorOverflow(t *testing.T) {
	for _, c := range []struct {
		a, b int64
		want int64 // when ok
		ok   bool
	}{
		{-5, 3, -2, true},
		{MaxMinor, 0, MaxMinor, true},
		{-MaxMinor, 0, -MaxMinor, true},
		{MaxMinor - 1, 1, MaxMinor, true},
		{-MaxMinor + 1, -1, -MaxMinor, true},
		{MaxMinor, -MaxMinor, 0, true},
		{MaxMinor, 1, 0, false},
		{-MaxMinor, -1, 0, false},
		{math.MaxInt64, 1, 0, false},
		{math.MinInt64, -1, 0, false},
		{math.MaxInt64, math.MaxInt64, 0, false}, // wraps to -2
		{math.MinInt64, math.MinInt64, 0, false}, // wraps to 0
	} {
		s, err := AddMinor(c.a, c.b)
		if c.ok && (err != nil || s != c.want) {
			t.Errorf("AddMinor(%d, %d) = %d, %v; want %d", c.a, c.b, s, err, c.want)
		}
		if !c.ok && !errors.Is(err, ErrOverflow) {
			t.Errorf("AddMinor(%d, %d) = %d, %v; want ErrOverflow", c.a, c.b, s, err)
		}
	}
}

// TestCheckBoundsAtMaxMinor: the largest amount is MaxMinor minor units
// exactly, either sign; one minor unit more is refused.
func TestCheckBoundsAtMaxMinor(t *testing.T) {
	top := FromMinor(MaxMinor)
	one := FromMinor(1)
	for _, c := range []struct {
		d   decimal.Decimal
		err error
	}{
		{top, nil},
		{top.Neg(), nil},
		{top.Add(one), ErrOverflow},
		{top.Add(one).Neg(), ErrOverflow},
	} {
		if err := Check(c.d); !errors.Is(err, c.err) {
			t.Errorf("Check(%s) = %v, want %v", c.d, err, c.err)
		}
		_, err := Parse(c.d.String())
		if !errors.Is(err, c.err) {
			t.Errorf("Parse(%s) = %v, want %v", c.d, err, c.err)
		}
	}
}

// TestPlainIsAtMost64Characters: typed text longer than 64 characters (after
// trimming) is not a decimal, however it reads, so a huge pasted cell is
// refused before it is parsed.
func TestPlainIsAtMost64Characters(t *testing.T) {
	ok64 := "1." + strings.Repeat("0", 62)
	if err := CheckPlain(ok64); err != nil {
		t.Errorf("64 characters: %v", err)
	}
	if err := CheckPlain(ok64 + "0"); !errors.Is(err, ErrMalformed) {
		t.Errorf("65 characters: %v, want ErrMalformed", err)
	}
	if err := CheckPlain("-" + ok64); err != nil {
		t.Errorf("a minus sign and 64 characters: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "0.5", "-2", "1e9", "NaN", "0.0000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		n, err := ToMinor(d)
		if err != nil {
			t.Fatalf("Parse accepted %q but ToMinor failed: %v", s, err)
		}
		if !FromMinor(n).Equal(d) {
			t.Fatalf("round trip of %q lost precision", s)
		}
	})
}
