package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A command's error names the command once ("meterdesk restore: …", not
// "meterdesk restore: restore: …") and says a missing file in words, with
// the exit code it had; nothing is written.
func TestErrorsNameTheCommandOnce(t *testing.T) {
	dir := newDatabase(t)
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "nope.db")
	noFolder := filepath.Join(tmp, "nodir", "x.db")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"restore", missing}, ExitNotFound, "meterdesk restore: " + missing + ": no such file\n"},
		{[]string{"restore", "--check", missing}, ExitNotFound, "meterdesk restore: " + missing + ": no such file\n"},
		{[]string{"backup", "--out", noFolder}, ExitNotFound,
			"meterdesk backup: " + noFolder + ": that folder does not exist (" + filepath.Dir(noFolder) + ")\n"},
		{[]string{"statement", "--month", "2025-13", "--out", filepath.Join(tmp, "s.pdf")}, ExitUsage,
			`meterdesk statement: invalid month "2025-13"`},
		{[]string{"rates", "import", filepath.Join(tmp, "nope.csv")}, ExitNotFound,
			"meterdesk rates import: " + filepath.Join(tmp, "nope.csv") + ": no such file\n"},
		// The CLI's own words, named by (sub)command too.
		{[]string{"providers"}, ExitUsage, "meterdesk providers: subcommand missing (want list, presets, add, update, test, models or remove)\n"},
		{[]string{"providers", "update", "x"}, ExitUsage, "meterdesk providers update: nothing to change"},
		// A command that takes flags only, given an argument, and chat with a blank prompt.
		{[]string{"credits", "topup", "x"}, ExitUsage, `meterdesk credits topup: unexpected argument "x" (it takes flags only)` + "\n"},
		{[]string{"credits", "history", "x"}, ExitUsage, `meterdesk credits history: unexpected argument "x" (it takes flags only)` + "\n"},
		{[]string{"credits", "transfer", "x"}, ExitUsage, `meterdesk credits transfer: unexpected argument "x" (it takes flags only)` + "\n"},
		{[]string{"statement", "x"}, ExitUsage, `meterdesk statement: unexpected argument "x" (it takes flags only)` + "\n"},
		{[]string{"chat", " "}, ExitUsage, "meterdesk chat: no prompt given (give it as arguments, or on standard input)\n"},
	} {
		before := dbDump(t, dir)
		code, _, errs := run(t, append([]string{"--data-dir", dir}, c.args...)...)
		if code != c.code || !strings.HasPrefix(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, errs, c.code, c.want)
		}
		line, _, _ := strings.Cut(errs, "\n") // a usage line may follow
		if strings.Count(line, c.args[0]) != 1 || strings.Contains(errs, "no such file or directory") {
			t.Errorf("%v: %q names the command more than once, or a missing file in Go's words", c.args, errs)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v changed the database", c.args)
		}
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
		t.Errorf("the failed commands left %d files (%v)", len(entries), err)
	}
}
