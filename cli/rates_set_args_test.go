package cli

import (
	"strings"
	"testing"
)

// TestRatesSetArgumentsNameBothForms: rates set with too few or too many
// arguments is refused as the other commands refuse one (wantArgs: "MODEL
// is missing", `unexpected argument "x"`), naming both of its forms; it
// said "it takes PROVIDER MODEL, or --default-input/--default-output alone
// (got 1 argument)", and without arguments "rates set needs …", the
// command named twice. Nothing is written.
func TestRatesSetArgumentsNameBothForms(t *testing.T) {
	dir := newDatabase(t)
	const takes = " (it takes PROVIDER MODEL, or --default-input/--default-output with no arguments)"
	_, before, _ := run(t, "--data-dir", dir, "--json", "rates", "versions")
	_, table, _ := run(t, "--data-dir", dir, "--json", "rates", "list")
	for _, c := range []struct {
		args []string
		line string
	}{
		{[]string{"openai"}, "meterdesk rates set: MODEL is missing" + takes},
		{[]string{"openai", "--input", "0.002"}, "meterdesk rates set: MODEL is missing" + takes},
		{[]string{}, "meterdesk rates set: PROVIDER and MODEL are missing" + takes},
		{[]string{"--input", "0.002"}, "meterdesk rates set: PROVIDER and MODEL are missing" + takes},
		{[]string{"openai", "gpt-4o", "extra", "--input", "0.002"}, `meterdesk rates set: unexpected argument "extra"` + takes},
		{[]string{"--default-input", "0.001", "openai"}, "meterdesk rates set: MODEL is missing" + takes},
	} {
		code, out, errs := run(t, append([]string{"--data-dir", dir, "rates", "set"}, c.args...)...)
		lines := strings.Split(errs, "\n")
		if code != ExitUsage || out != "" || lines[0] != c.line || !strings.HasPrefix(lines[1], "usage: meterdesk rates set ") {
			t.Errorf("rates set %v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", c.args, code, out, errs, c.line)
		}
	}
	_, after, _ := run(t, "--data-dir", dir, "--json", "rates", "versions")
	_, table2, _ := run(t, "--data-dir", dir, "--json", "rates", "list")
	if after != before || table2 != table {
		t.Errorf("a refused rates set wrote:\n%s\n%s", before, after)
	}
	// Each form still works.
	for _, args := range [][]string{{"openai", "gpt-4o", "--input", "0.002"}, {"--default-input", "0.001"}} {
		if code, _, errs := run(t, append([]string{"--data-dir", dir, "rates", "set"}, args...)...); code != 0 {
			t.Errorf("rates set %v: exit %d %s", args, code, errs)
		}
	}
}
