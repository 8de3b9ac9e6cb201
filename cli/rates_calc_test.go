package cli

import (
	"strings"
	"testing"
)

// The Rates page's calculator starts from what one credit is worth in the
// workspace; `rates calc` refused to work without --credit-value ("give
// --credit-value"), so an admin had to look it up ('credits value') and
// type it again. It now takes the workspace's value unless given one, and
// a value given still wins; an empty one is refused, nothing written.
func TestRatesCalcTakesTheWorkspacesCreditValue(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		// 2.50 per 1M tokens, 20% markup, 1 credit = 0.01: 0.0003 credits per token.
		{[]string{"rates", "calc", "--price", "2.50", "--markup", "20"}, 0, "0.0003 credits per token = 300 credits per 1m\n"},
		{[]string{"rates", "calc", "--price", "2.50", "--markup", "20", "--credit-value", "0.03"}, 0, "0.0001 credits per token = 100 credits per 1m\n"},
		{[]string{"credits", "value", "--set", "0.02", "--currency", "EUR"}, 0, ""},
		{[]string{"rates", "calc", "--price", "2.50", "--markup", "20"}, 0, "0.00015 credits per token = 150 credits per 1m\n"},
		{[]string{"rates", "calc", "--price", "2.50", "--credit-value", ""}, 2, ""},
	} {
		code, out, errs := run(t, d(c.args...)...)
		if code != c.code || (c.out != "" && out != c.out) {
			t.Errorf("%s: exit %d, %q %q; want %d, %q", strings.Join(c.args, " "), code, out, errs, c.code, c.out)
		}
	}
}
