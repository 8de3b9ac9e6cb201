package cli

import (
	"strings"
	"testing"
)

// TestSubcommandHelpExitsZero: --help on a subcommand prints the command's
// usage and exits 0, and an unknown flag is a usage error (exit 2) naming
// it, for the subcommands that take flags among their arguments (parseArgs).
func TestSubcommandHelpExitsZero(t *testing.T) {
	d := newDataDir(t, "")
	for _, args := range [][]string{
		{"chat", "--help"},
		{"conversations", "set", "--help"},
		{"conversations", "export", "--help"},
		{"invoice", "pdf", "--help"},
		{"audit", "list", "--help"},
	} {
		code, out, errs := d.run(args...)
		if code != 0 || !strings.Contains(out+errs, "meterdesk "+args[0]) {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		bad := append(args[:len(args)-1:len(args)-1], "--no-such-flag")
		if code, _, errs := d.run(bad...); code != 2 || !strings.Contains(errs, "no-such-flag") {
			t.Errorf("%v: exit %d %q, want 2 naming the flag", bad, code, errs)
		}
	}
}
