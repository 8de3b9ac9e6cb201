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

// A bad or incomplete flag prints one clear line naming it with its double
// dash and the command's usage once — never Go's flag listing ("Usage of",
// single-dash flags, a random id shown as a default) — exits 2 and writes
// nothing.
func TestFlagErrorsPrintOneLineAndTheUsageOnce(t *testing.T) {
	dir := newDatabase(t)
	for _, c := range []struct {
		args []string
		line string
	}{
		{[]string{"credits", "topup", "--amount"}, "meterdesk credits topup: --amount needs a value"},
		{[]string{"credits", "topup", "--amount", "1", "--price"}, "meterdesk credits topup: --price needs a value"},
		{[]string{"chat", "--bogus"}, "meterdesk chat: unknown flag --bogus"},
		{[]string{"credits", "topup", "--package", "x"}, `meterdesk credits topup: invalid value "x" for --package: not a valid number`},
		{[]string{"credits", "packages", "save", "--inactive=maybe"}, `meterdesk credits packages save: invalid value "maybe" for --inactive: not a boolean (true or false)`},
		{[]string{"rates", "list", "--frob"}, "meterdesk rates list: unknown flag --frob"},
		{[]string{"credits", "topup", "--amount", "1", "--id="}, "meterdesk credits topup: --id must not be empty (leave it out for a new random id)"},
	} {
		code, out, errs := run(t, append([]string{"--data-dir", dir}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code != 2 || out != "" || lines[0] != c.line || !strings.HasPrefix(lines[1], "usage: meterdesk "+c.args[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", c.args, code, out, errs)
		}
		if strings.Contains(errs, "Usage of") || strings.Contains(errs, "default \"") || strings.Count(errs, "usage:") != 1 {
			t.Errorf("%v: Go's flag listing or a second usage:\n%s", c.args, errs)
		}
	}
	if code, out, _ := run(t, "--data-dir", dir, "--json", "credits", "balance"); code != 0 || !strings.Contains(out, `"balance": "0"`) {
		t.Fatalf("a refused command wrote: %s", out)
	}
}

// TestHelpUnknownFlag: a flag after help is help's unknown flag (exit 2),
// not a command named after it; a command named after "--" is still looked
// up as a command, and `help COMMAND` still prints its help.
func TestHelpUnknownFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		line string
	}{
		{[]string{"help", "--bogus"}, 2, "meterdesk help: unknown flag --bogus"},
		// After the command's name: said as the command says it (it was
		// help's unknown flag, while `credits --bogus -h` said this).
		{[]string{"help", "credits", "--bogus"}, 2, "meterdesk credits: the subcommand goes first, before --bogus " +
			"(want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)"},
		// No command starts with "-": no line to give it after "--" (it
		// offered `help -- -bogus`, then refused as an unknown command).
		{[]string{"help", "-bogus"}, 2, "meterdesk help: unknown flag -bogus"},
		{[]string{"help", "--", "--bogus"}, 2, `meterdesk help: unknown command "--bogus"`},
		{[]string{"help", "credits"}, 0, ""},
	} {
		code, out, errs := run(t, c.args...)
		first := strings.SplitN(strings.TrimSpace(errs), "\n", 2)[0]
		if code != c.code || first != c.line {
			t.Errorf("%v: exit %d, first line %q, want %d %q", c.args, code, first, c.code, c.line)
		}
		if c.code == 0 && !strings.Contains(out, "meterdesk credits") {
			t.Errorf("%v: no help printed:\n%s", c.args, out)
		}
	}
}

// TestHelpCommandWithHelpFlag: `help COMMAND -h` and `help COMMAND --help`
// print COMMAND's help, as `help COMMAND` does (they printed help's own
// usage); `help -h` alone prints help's, and a word that is no command is
// still refused as `help` refuses it.
func TestHelpCommandWithHelpFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		head string // the first line printed
	}{
		{[]string{"help", "credits", "-h"}, 0, "meterdesk credits — "},
		{[]string{"help", "credits", "--help"}, 0, "meterdesk credits — "},
		{[]string{"help", "-h", "users"}, 0, "meterdesk users — "},
		{[]string{"help", "--", "limits", "-h"}, 0, "meterdesk limits — "},
		{[]string{"help", "-h"}, 0, "meterdesk help — "},
		{[]string{"credits", "-h"}, 0, "meterdesk credits — "},
		{[]string{"help", "credts", "-h"}, 2, `meterdesk help: unknown command "credts"; did you mean "credits"?`},
	} {
		code, out, errs := run(t, c.args...)
		shown := out
		if c.code != 0 {
			shown = errs
		}
		if first, _, _ := strings.Cut(shown, "\n"); code != c.code || !strings.HasPrefix(first, c.head) {
			t.Errorf("%v: exit %d, first line %q, want %d %q", c.args, code, first, c.code, c.head)
		}
	}
}

// TestHelpWords: the words after `help COMMAND` are checked as COMMAND
// checks them, and a refusal there is said as COMMAND says it, with its
// usage: `help credits --bogus -h` as `credits --bogus -h`, a mistyped
// subcommand with the one meant; a word that names no subcommand is refused
// (`help credits extra` printed credits' help, ignoring it); after the last
// subcommand the words are the call's arguments, its flags checked.
func TestHelpWords(t *testing.T) {
	dir := newDatabase(t)
	for _, c := range []struct {
		args, same []string // same: the command line that says the same
		line       string
	}{
		{[]string{"help", "credits", "--bogus", "-h"}, []string{"credits", "--bogus", "-h"},
			"meterdesk credits: the subcommand goes first, before --bogus (want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)"},
		{[]string{"help", "credits", "extra"}, []string{"credits", "extra"},
			`meterdesk credits: unknown subcommand "extra" (want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
		{[]string{"help", "credits", "balanse"}, []string{"credits", "balanse"},
			`meterdesk credits: unknown subcommand "balanse"; did you mean "balance"? (want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
		// After the last subcommand, the call's flags are checked as it
		// checks them (it said `unexpected argument "--bogus" after it in
		// help`, while `credits balance --bogus -h` said this).
		{[]string{"help", "credits", "balance", "--bogus"}, []string{"credits", "balance", "--bogus", "-h"},
			`meterdesk credits balance: unknown flag --bogus`},
		{[]string{"help", "restore", "x.db", "--bogus"}, []string{"restore", "x.db", "--bogus", "-h"},
			`meterdesk restore: unknown flag --bogus`},
		{[]string{"help", "alerts", "recharge", "lst"}, nil,
			`meterdesk alerts recharge: unknown subcommand "lst"; did you mean "list"? (want list, set or remove)`},
		// After `help help`, help's own words: checked as help checks them.
		{[]string{"help", "help", "credits", "extra"}, []string{"help", "credits", "extra"},
			`meterdesk credits: unknown subcommand "extra" (want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
		{[]string{"help", "help", "credit"}, []string{"help", "credit"},
			`meterdesk help: unknown command "credit"; did you mean "credits"?`},
		{[]string{"help", "help", "credits", "balanse"}, []string{"help", "credits", "balanse"},
			`meterdesk credits: unknown subcommand "balanse"; did you mean "balance"? (want balance, topup, history, packages, transfer, policy, value, validity, expire, void-stale or verify)`},
	} {
		code, out, errs := run(t, c.args...)
		if first, _, _ := strings.Cut(errs, "\n"); code != ExitUsage || out != "" || first != c.line {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", c.args, code, out, errs, c.line)
		}
		if c.same != nil {
			if code2, _, errs2 := run(t, append([]string{"--data-dir", dir}, c.same...)...); code2 != code || errs2 != errs {
				t.Errorf("%v: exit %d\n%s\nbut %v: exit %d\n%s", c.args, code, errs, c.same, code2, errs2)
			}
		}
	}
	// What help shows is still shown: the help of the (sub)command named.
	for _, c := range []struct {
		args []string
		head string
	}{
		{[]string{"help", "credits", "balance"}, "credits balance"}, {[]string{"help", "users", "rm"}, "users remove"},
		{[]string{"help", "alerts", "recharge", "set"}, "alerts recharge set"}, {[]string{"help", "credits", "packages", "save"}, "credits packages save"},
		// A "--" the command takes there (`credits balance --`); `help
		// help credits` as `help credits` is a call (both were refused).
		{[]string{"help", "credits", "balance", "--"}, "credits balance"}, {[]string{"help", "restore", "--"}, "restore"},
		{[]string{"help", "help", "credits"}, "help"}, {[]string{"help", "help", "--", "credits", "balance"}, "help"},
		// The words after the last subcommand are the call's arguments
		// (`rates set openai gpt-4o -h` shows rates set's help).
		{[]string{"help", "credits", "balance", "extra"}, "credits balance"}, {[]string{"help", "restore", "x.db"}, "restore"},
		{[]string{"help", "rates", "set", "openai", "gpt-4o"}, "rates set"},
	} {
		if code, out, errs := run(t, c.args...); code != 0 || !strings.HasPrefix(out, "meterdesk "+c.head+" — ") {
			t.Errorf("%v: exit %d %q %q", c.args, code, out, errs)
		}
	}
}

// TestHelpSaysWhatTheCommandSays: `help COMMAND WORDS` answers as `COMMAND
// WORDS` does. A -h taken as the help flag before a flag that is no flag
// of the command prints its help (`help credits -h --bogus` was refused
// for --bogus, while `credits -h --bogus` printed the help); one right
// after such a flag may be its value, so both refuse it; and after `help
// help`, a flag is help's unknown flag (`help help -x` said `unknown
// command "-x"`, `help -x` `unknown flag -x`).
func TestHelpSaysWhatTheCommandSays(t *testing.T) {
	dir := newDatabase(t)
	for _, c := range []struct {
		args, same []string
		code       int
	}{
		{[]string{"help", "credits", "-h", "--bogus"}, []string{"credits", "-h", "--bogus"}, 0},
		{[]string{"help", "credits", "balance", "-h", "--bogus"}, []string{"credits", "balance", "-h", "--bogus"}, 0},
		{[]string{"help", "credits", "--help", "balanse"}, []string{"credits", "--help", "balanse"}, 0},
		{[]string{"help", "-h", "users", "--bogus"}, []string{"-h", "users", "--bogus"}, 0},
		{[]string{"help", "credits", "--bogus", "-h"}, []string{"credits", "--bogus", "-h"}, ExitUsage},
		{[]string{"help", "help", "-x"}, []string{"help", "-x"}, ExitUsage},
		{[]string{"help", "help", "--bogus"}, []string{"help", "--bogus"}, ExitUsage},
		{[]string{"help", "help", "-h", "--bogus"}, []string{"help", "-h", "--bogus"}, 0},
		{[]string{"help", "help", "--", "-x"}, []string{"help", "--", "-x"}, ExitUsage},
	} {
		code, out, errs := run(t, append([]string{"--data-dir", dir}, c.args...)...)
		code2, out2, errs2 := run(t, append([]string{"--data-dir", dir}, c.same...)...)
		if code != c.code || code2 != c.code || out != out2 || errs != errs2 {
			t.Errorf("%v: exit %d\n%s%s\nbut %v: exit %d\n%s%s\n(want exit %d for both)", c.args, code, out, errs, c.same, code2, out2, errs2, c.code)
		}
	}
}
