package rates

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRateIn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		unit Unit
		want string
		err  error
	}{
		{"0", PerToken, "0", nil},
		{"10", PerToken, "10", nil},
		{" 2.50 ", PerToken, "2.5", nil},
		{"+3", PerToken, "3", nil},
		{"0.000001", PerToken, "0.000001", nil},
		{"0.000000000001", PerToken, "0.000000000001", nil}, // 12 places: the bound
		{"0.001", Per1K, "0.000001", nil},
		{"0.002", Per1K, "0.000002", nil},
		{"2.5", Per1M, "0.0000025", nil},
		{"0.000001", Per1M, "0.000000000001", nil},
		{"1000000000", PerToken, "1000000000", nil},
		{"1000000000000000", Per1M, "1000000000", nil},
		{"-0", PerToken, "0", nil}, // money.Parse("-0") is 0: not refused as negative
		{" -0.000 ", Per1M, "0", nil},
		{"-1", PerToken, "", ErrNegative},
		{"-abc", PerToken, "", ErrMalformed}, // not a number, never "negative"
		{"-", PerToken, "", ErrMalformed},
		{"-+1", PerToken, "", ErrMalformed},
		{"-0.5", Per1M, "", ErrNegative},
		{"NaN", PerToken, "", ErrMalformed},
		{"Inf", PerToken, "", ErrMalformed},
		{"1e400", PerToken, "", ErrMalformed},
		{"1e-3", PerToken, "", ErrMalformed},
		{"", PerToken, "", ErrMalformed},
		{"1,5", PerToken, "", ErrMalformed},
		{"0x10", PerToken, "", ErrMalformed},
		{"1.2.3", PerToken, "", ErrMalformed},
		{"--1", PerToken, "", ErrMalformed},
		{".", PerToken, "", ErrMalformed},
		{"0.0000000000001", PerToken, "", ErrTooPrecise},
		{"0.0000001", Per1M, "", ErrTooPrecise},
		{"0.0000000001", Per1K, "", ErrTooPrecise},
		{"1000000000.1", PerToken, "", ErrTooLarge},
		{"1000000001", PerToken, "", ErrTooLarge},
		{"99999999999999999999999999999999999999999", PerToken, "", ErrMalformed}, // longer than 40 chars
	} {
		d, err := ParseRateIn(tc.in, tc.unit)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("ParseRateIn(%q, %s) error = %v, want %v", tc.in, tc.unit, err, tc.err)
			}
			continue
		}
		if err != nil || Canonical(d) != tc.want {
			t.Errorf("ParseRateIn(%q, %s) = %s, %v; want %s", tc.in, tc.unit, Canonical(d), err, tc.want)
		}
	}
}

func TestFormatIsExact(t *testing.T) {
	for _, tc := range []struct {
		perToken string
		unit     Unit
		want     string
	}{
		{"0.0000025", Per1M, "2.5"},
		{"0.0000025", Per1K, "0.0025"},
		{"0.0000025", PerToken, "0.0000025"},
		{"10", Per1M, "10000000"},
		{"0.000000000001", Per1M, "0.000001"},
		{"0.1", Per1K, "100"},
		{"", Per1M, ""},
	} {
		if got := Format(tc.perToken, tc.unit); got != tc.want {
			t.Errorf("Format(%q, %s) = %q, want %q", tc.perToken, tc.unit, got, tc.want)
		}
		if tc.perToken == "" {
			continue
		}
		back, err := ParseRateIn(Format(tc.perToken, tc.unit), tc.unit)
		if err != nil || Canonical(back) != tc.perToken {
			t.Errorf("round trip %q via %s = %s, %v", tc.perToken, tc.unit, back, err)
		}
	}
}

func TestParseUnit(t *testing.T) {
	for in, want := range map[string]Unit{"": PerToken, "token": PerToken, "1K": Per1K, "1m": Per1M, "per_1m": Per1M} {
		if got, err := ParseUnit(in); err != nil || got != want {
			t.Errorf("ParseUnit(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseUnit("1g"); err == nil {
		t.Error("unit 1g accepted")
	}
}

func TestCalculate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   CalcInput
		want CalcResult
		err  bool
	}{
		{"$2.50 per 1M, no markup, 1 credit = $0.01", CalcInput{"2.50", "1m", "", "0.01"},
			CalcResult{PerToken: "0.00025", Display: "250", Exact: true}, false},
		{"$2.50 per 1M, 20% markup, 1 credit = $0.01", CalcInput{"2.50", "1m", "20", "0.01"},
			CalcResult{PerToken: "0.0003", Display: "300", Exact: true}, false},
		{"$0.15 per 1M, 1 credit = $1", CalcInput{"0.15", "1m", "0", "1"},
			CalcResult{PerToken: "0.00000015", Display: "0.15", Exact: true}, false},
		{"$0.01 per 1K, 12.5% markup, 1 credit = $0.001", CalcInput{"0.01", "1k", "12.5", "0.001"},
			CalcResult{PerToken: "0.01125", Display: "11.25", Exact: true}, false},
		{"$1 per token, 1 credit = $3 (rounded)", CalcInput{"1", "token", "0", "3"},
			CalcResult{PerToken: "0.333333333333", Display: "0.333333333333", Exact: false}, false},
		{"$2 per token, 1 credit = $3 (half away from zero)", CalcInput{"2", "token", "0", "3"},
			CalcResult{PerToken: "0.666666666667", Display: "0.666666666667", Exact: false}, false},
		{"free model", CalcInput{"0", "1m", "50", "0.01"}, CalcResult{PerToken: "0", Display: "0", Exact: true}, false},
		{"zero credit value", CalcInput{"1", "1m", "0", "0"}, CalcResult{}, true},
		{"negative price", CalcInput{"-1", "1m", "0", "1"}, CalcResult{}, true},
		{"negative markup", CalcInput{"1", "1m", "-5", "1"}, CalcResult{}, true},
		{"price -0 is 0", CalcInput{"-0", "1m", "20", "0.01"}, CalcResult{PerToken: "0", Display: "0", Exact: true}, false},
		{"markup -0 is 0", CalcInput{"2.50", "1m", "-0", "0.01"},
			CalcResult{PerToken: "0.00025", Display: "250", Exact: true}, false},
		{"exponent", CalcInput{"1e3", "1m", "0", "1"}, CalcResult{}, true},
		{"NaN", CalcInput{"NaN", "1m", "0", "1"}, CalcResult{}, true},
		{"bad unit", CalcInput{"1", "1g", "0", "1"}, CalcResult{}, true},
		{"result too large", CalcInput{"1000000", "token", "0", "0.0001"}, CalcResult{}, true},
	} {
		got, err := Calculate(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("%s: no error, got %+v", tc.name, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

// The words of a refused rate or calculator field: only a value below zero
// is "negative"; "-abc" is not a number.
func TestSignedInputWords(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		err        func() error
	}{
		{"rate -1", `rate -1 is negative`, func() error { _, err := ParseRateIn("-1", PerToken); return err }},
		{"rate -abc", `"-abc" is not a plain decimal`, func() error { _, err := ParseRateIn("-abc", PerToken); return err }},
		{"price -2.5", `price -2.5 is negative`, func() error { _, err := Calculate(CalcInput{"-2.5", "1m", "0", "1"}); return err }},
		{"price -abc", `price "-abc" is not a plain decimal number`, func() error { _, err := Calculate(CalcInput{"-abc", "1m", "0", "1"}); return err }},
		{"markup -x", `markup "-x" is not a plain decimal number`, func() error { _, err := Calculate(CalcInput{"1", "1m", "-x", "1"}); return err }},
		{"credit value -0", `credit value`, func() error { _, err := Calculate(CalcInput{"1", "1m", "0", "-0"}); return err }},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
		if strings.Contains(tc.want, "not a plain") && strings.Contains(err.Error(), "negative") {
			t.Errorf("%s: %v calls a non-number negative", tc.name, err)
		}
	}
}
