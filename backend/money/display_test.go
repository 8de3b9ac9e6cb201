package money

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/shopspring/decimal"
)

// displayCase is one row of testdata/display.json, the table the window's
// formatCreditAmount is tested against too (frontend/src/lib/money.test.ts).
type displayCase struct {
	Comment string  `json:"comment"`
	In      string  `json:"in"`
	Text    *string `json:"text"` // a "text" row: read by DisplayString only (any text, not a decimal value)
	Out     string  `json:"out"`
}

func displayCases(t *testing.T) []displayCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/display.json")
	if err != nil {
		t.Fatal(err)
	}
	var all []displayCase
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	var out []displayCase
	for _, c := range all {
		if c.In != "" {
			out = append(out, c)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d cases in testdata/display.json", len(out))
	}
	return out
}

// Display, DisplayString and DisplayMinor write every amount of the shared
// table as the window does.
func TestDisplay(t *testing.T) {
	for _, c := range displayCases(t) {
		d := decimal.RequireFromString(c.In)
		if got := Display(d); got != c.Out {
			t.Errorf("Display(%s) = %q, want %q", c.In, got, c.Out)
		}
		if got := DisplayString(c.In); got != c.Out {
			t.Errorf("DisplayString(%q) = %q, want %q", c.In, got, c.Out)
		}
		if n, err := ToMinor(d); err == nil {
			if got := DisplayMinor(n); got != c.Out {
				t.Errorf("DisplayMinor(%d) = %q, want %q", n, got, c.Out)
			}
		}
	}
}

// DisplayString reads the shared table's "text" rows as the window's
// formatCreditAmount does: spaces around a decimal trimmed, text that is
// not a decimal money.CheckPlain takes ("+5", "1,000") left as it was.
func TestDisplayStringText(t *testing.T) {
	raw, err := os.ReadFile("testdata/display.json")
	if err != nil {
		t.Fatal(err)
	}
	var all []displayCase
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range all {
		if c.Text == nil {
			continue
		}
		n++
		if got := DisplayString(*c.Text); got != c.Out {
			t.Errorf("DisplayString(%q) = %q, want %q", *c.Text, got, c.Out)
		}
	}
	if n < 10 {
		t.Fatalf("only %d text rows in testdata/display.json", n)
	}
}

// DisplayString leaves text that is not a plain decimal as it was.
func TestDisplayStringKeepsNonDecimals(t *testing.T) {
	for _, s := range []string{"", "n/a", "1e3", "1,000", "+5", "NaN"} {
		if got := DisplayString(s); got != s {
			t.Errorf("DisplayString(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestGroupInt(t *testing.T) {
	cases := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1247, "1,247"}, {46384, "46,384"},
		{125000, "125,000"}, {1234567, "1,234,567"}, {-1, "-1"}, {-999, "-999"}, {-1000, "-1,000"},
		{-46384, "-46,384"}, {9223372036854775807, "9,223,372,036,854,775,807"},
		{-9223372036854775808, "-9,223,372,036,854,775,808"},
	}
	for _, c := range cases {
		if got := GroupInt(c.in); got != c.want {
			t.Errorf("GroupInt(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}
