package cli

import (
	"fmt"
	"strings"
	"testing"
)

// `rates calc` without --credit-value takes the workspace's value of one
// credit, and said nothing of it: "300 credits per 1m" from a USD price
// read as if it were right while the workspace's credit is worth 0.01 EUR
// (the default, when none was set), and a script could not tell which
// value was used. The Rates page shows the value in its field; the command
// now says it on standard error (also with --json, as chat's notes), and
// nothing when --credit-value is given.
func TestRatesCalcSaysWhichCreditValueItTook(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	const note = "note: 1 credit = %s, the workspace's value ('credits value'): --price is taken in %s; give --credit-value for another\n"
	for _, c := range []struct {
		args     []string
		out, err string
	}{
		{[]string{"rates", "calc", "--price", "2.50"}, "0.00025 credits per token = 250 credits per 1m\n",
			fmt.Sprintf(note, "0.01 EUR", "EUR")},
		{[]string{"--json", "rates", "calc", "--price", "2.50"}, `"perToken": "0.00025"`,
			fmt.Sprintf(note, "0.01 EUR", "EUR")},
		{[]string{"rates", "calc", "--price", "2.50", "--credit-value", "0.02"}, "0.000125 credits per token = 125 credits per 1m\n", ""},
		{[]string{"credits", "value", "--set", "0.5", "--currency", "JPY"}, "", ""},
		{[]string{"rates", "calc", "--price", "2.50"}, "0.000005 credits per token = 5 credits per 1m\n",
			fmt.Sprintf(note, "0.5 JPY", "JPY")},
	} {
		code, out, errs := run(t, d(c.args...)...)
		if c.args[0] == "credits" {
			if code != 0 {
				t.Fatalf("%v: exit %d %s", c.args, code, errs)
			}
			continue
		}
		if code != 0 || !strings.Contains(out, c.out) || errs != c.err {
			t.Errorf("%s: exit %d, %q %q; want %q on standard output and %q on standard error",
				strings.Join(c.args, " "), code, out, errs, c.out, c.err)
		}
	}
}
