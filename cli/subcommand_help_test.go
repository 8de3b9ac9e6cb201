package cli

import (
	"slices"
	"strings"
	"testing"
)

// helpPaths are every command and every subcommand (aliases too), as
// typed: ["credits"], ["credits", "balance"], ["users", "rm"], ...
func helpPaths() [][]string {
	var paths [][]string
	var walk func(path []string)
	walk = func(path []string) {
		paths = append(paths, path)
		p := strings.Join(path, " ")
		subs := slices.Clone(subcommands[p])
		for alias := range aliases[p] {
			subs = append(subs, alias)
		}
		slices.Sort(subs)
		for _, s := range subs {
			walk(append(slices.Clip(path), s))
		}
	}
	for _, c := range sortedCommands() {
		walk([]string{c.Name})
	}
	return paths
}

// TestSubcommandHelpIsItsOwn: `GROUP SUB -h` prints SUB's help (it printed
// all of GROUP's: `credits balance -h` listed every credits subcommand),
// led by its name and with its own usage lines, not another subcommand's;
// `GROUP -h` prints the group's, every subcommand in it.
func TestSubcommandHelpIsItsOwn(t *testing.T) {
	for _, path := range helpPaths() {
		if len(path) < 2 {
			continue
		}
		group := strings.Join(path[:len(path)-1], " ")
		sub := path[len(path)-1]
		if to, ok := aliases[group][sub]; ok {
			sub = to
		}
		name := group + " " + sub
		code, out, errs := run(t, append(slices.Clip(path), "-h")...)
		if code != 0 || !strings.HasPrefix(out, "meterdesk "+name+" — ") {
			t.Errorf("%v -h: exit %d, want the help of %s:\n%s%s", path, code, name, out, errs)
			continue
		}
		if !strings.Contains(out, "\nmeterdesk "+name) {
			t.Errorf("%v -h: no usage line of %s:\n%s", path, name, out)
		}
		for _, other := range subcommands[group] {
			if other != sub && !strings.HasPrefix(name, group+" "+other) &&
				strings.Contains(out, "\nmeterdesk "+group+" "+other+" ") {
				t.Errorf("%v -h: shows the usage of %s %s too:\n%s", path, group, other, out)
			}
		}
	}
	for _, group := range []string{"credits", "providers", "alerts"} {
		code, out, _ := run(t, group, "-h")
		if code != 0 || !strings.HasPrefix(out, "meterdesk "+group+" — ") {
			t.Errorf("%s -h: exit %d:\n%s", group, code, out)
		}
		for _, sub := range subcommands[group] {
			if !strings.Contains(out, " "+sub) {
				t.Errorf("%s -h: %s missing:\n%s", group, sub, out)
			}
		}
	}
}

// TestHelpAgreesWithDashH: for every command and subcommand, `help PATH
// WORDS` says what `PATH WORDS -h` says, on stdout and stderr, with the
// same exit code: the help of PATH, or the same refusal (`help credits
// balance --bogus -h` said `unexpected argument "--bogus" after it in
// help`, `credits balance --bogus -h` "unknown flag --bogus").
func TestHelpAgreesWithDashH(t *testing.T) {
	dir := newDatabase(t)
	for _, path := range helpPaths() {
		for _, c := range []struct {
			help, dashH []string // after PATH
		}{
			{nil, []string{"-h"}},
			{[]string{"--bogus", "-h"}, []string{"--bogus", "-h"}},
			{[]string{"--bogus"}, []string{"--bogus", "-h"}},
			{[]string{"-h", "--bogus"}, []string{"-h", "--bogus"}},
			{[]string{"--help"}, []string{"--help"}},
		} {
			a := append(append([]string{"--data-dir", dir, "help"}, path...), c.help...)
			b := append(append([]string{"--data-dir", dir}, path...), c.dashH...)
			code, out, errs := run(t, a...)
			code2, out2, errs2 := run(t, b...)
			if code != code2 || out != out2 || errs != errs2 {
				t.Errorf("%v: exit %d\n%s%s\nbut %v: exit %d\n%s%s", a[2:], code, out, errs, b[2:], code2, out2, errs2)
			}
		}
	}
}
