package cli

import (
	"strings"
	"testing"
)

// TestAnotherSubcommandsFlagBeforeDashH: a flag of another subcommand of
// the same flag set (users, departments, workspace) before a -h is
// refused as it is without the -h and as `help` refuses it, `users show
// --pin -h` and `help users show --pin` alike ("unexpected flag --pin (it
// takes no flags)", exit 2): the -h printed users show's help, as if
// --pin were one of its flags.
func TestAnotherSubcommandsFlagBeforeDashH(t *testing.T) {
	dir := newDatabase(t)
	for _, c := range []struct {
		words []string
		line  string
	}{
		{[]string{"users", "show", "alice", "--pin"}, "meterdesk users show: unexpected flag --pin (it takes no flags)"},
		{[]string{"users", "list", "--pin"}, "meterdesk users list: unexpected flag --pin (it takes --all)"},
		{[]string{"departments", "add", "--all"}, "meterdesk departments add: unexpected flag --all (it takes --overdraft)"},
		{[]string{"workspace", "show", "--pin"}, "meterdesk workspace show: unexpected flag --pin (it takes no flags)"},
	} {
		help := append([]string{"--data-dir", dir, "help"}, c.words...)
		dashH := append(append([]string{"--data-dir", dir}, c.words...), "-h")
		code, out, errs := run(t, help...)
		code2, out2, errs2 := run(t, dashH...)
		if first, _, _ := strings.Cut(errs2, "\n"); code2 != ExitUsage || out2 != "" || first != c.line {
			t.Errorf("%v: exit %d %q %q, want %q", dashH[2:], code2, out2, errs2, c.line)
		}
		if code != code2 || out != out2 || errs != errs2 {
			t.Errorf("%v: exit %d %q %q\nbut %v: exit %d %q %q", help[2:], code, out, errs, dashH[2:], code2, out2, errs2)
		}
	}
}
