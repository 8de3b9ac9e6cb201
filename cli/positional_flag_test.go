package cli

import (
	"strings"
	"testing"
)

// TestUnknownFlagWhereANameGoes: a subcommand that takes a name or an id
// refuses a flag it does not know as an unknown flag (exit 2, nothing
// written), as every other command does, instead of taking it for the
// name: `providers remove --bogus` said "provider \"--bogus\": provider not
// found" (exit 5), `conversations delete --bogus` that the id is not a
// number, `settings get --bogus` that there is no such setting. A name
// that starts with "-" goes after "--".
func TestUnknownFlagWhereANameGoes(t *testing.T) {
	dir := newDatabase(t)
	for _, tc := range []struct {
		args []string
		cmd  string // the subcommand the line names
	}{
		{[]string{"providers", "test", "--bogus"}, "providers test"},
		{[]string{"providers", "models", "--bogus"}, "providers models"},
		{[]string{"providers", "remove", "--bogus"}, "providers remove"},
		{[]string{"providers", "rm", "--bogus"}, "providers remove"},
		{[]string{"providers", "remove", "openai", "--bogus"}, "providers remove"},
		{[]string{"providers", "update", "--bogus"}, "providers update"},
		{[]string{"conversations", "show", "--bogus"}, "conversations show"},
		{[]string{"conversations", "show", "1", "--bogus"}, "conversations show"},
		{[]string{"conversations", "delete", "--bogus"}, "conversations delete"},
		{[]string{"conversations", "rm", "--bogus"}, "conversations delete"},
		{[]string{"conversations", "export", "--bogus"}, "conversations export"},
		{[]string{"conversations", "set", "--bogus"}, "conversations set"},
		{[]string{"invoice", "show", "--bogus"}, "invoice show"},
		{[]string{"invoice", "pdf", "--bogus"}, "invoice pdf"},
		{[]string{"invoice", "credit-note", "--bogus"}, "invoice credit-note"},
		{[]string{"settings", "get", "--bogus"}, "settings get"},
		{[]string{"settings", "set", "--bogus"}, "settings set"},
		{[]string{"settings", "set", "theme", "--bogus"}, "settings set"},
		{[]string{"users", "add", "--bogus"}, "users add"},
		{[]string{"users", "update", "--bogus"}, "users update"},
		{[]string{"users", "disable", "--bogus"}, "users disable"},
		{[]string{"users", "enable", "--bogus"}, "users enable"},
		{[]string{"users", "remove", "--bogus"}, "users remove"},
		{[]string{"users", "rm", "--bogus"}, "users remove"},
		{[]string{"users", "passwd", "--bogus"}, "users passwd"},
		{[]string{"departments", "add", "--bogus"}, "departments add"},
		{[]string{"departments", "update", "--bogus"}, "departments update"},
		{[]string{"departments", "archive", "--bogus"}, "departments archive"},
		{[]string{"departments", "allocate", "--bogus"}, "departments allocate"},
		{[]string{"departments", "move", "--bogus"}, "departments move"},
		{[]string{"limits", "set", "--bogus"}, "limits set"},
		{[]string{"limits", "remove", "--bogus"}, "limits remove"},
		{[]string{"rates", "set", "--bogus"}, "rates set"},
		{[]string{"rates", "import", "--bogus"}, "rates import"},
		{[]string{"rates", "add-model", "--bogus"}, "rates add-model"},
		{[]string{"rates", "remove-model", "--bogus"}, "rates remove-model"},
		{[]string{"apikeys", "revoke", "--bogus"}, "apikeys revoke"},
		{[]string{"credits", "balance", "--bogus"}, "credits balance"},
		{[]string{"credits", "policy", "--bogus"}, "credits policy"},
		{[]string{"restore", "--bogus"}, "restore"},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		first, _, _ := strings.Cut(errs, "\n")
		want := "meterdesk " + tc.cmd + ": unknown flag --bogus"
		if code != ExitUsage || first != want || out != "" {
			t.Errorf("%v: exit %d, stderr\n%s\nwant exit 2 and\n%s", tc.args, code, errs, want)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v: the database changed", tc.args)
		}
	}
	// The provider's argument, missing or one too many, is named as every
	// command names its arguments; after "--" a name may start with "-".
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"providers", "remove"}, "meterdesk providers remove: ID|NAME is missing (it takes ID|NAME)", ExitUsage},
		{[]string{"providers", "test", "a", "b"}, `meterdesk providers test: unexpected argument "b" (it takes ID|NAME)`, ExitUsage},
		{[]string{"providers", "remove", "--", "--bogus"}, `meterdesk providers remove: provider "--bogus": provider not found`, ExitNotFound},
		{[]string{"settings", "get", "--", "--bogus"}, `meterdesk settings get: unknown setting "--bogus"`, ExitUsage},
	} {
		code, _, errs := run(t, append([]string{"--data-dir", dir}, tc.args...)...)
		if first, _, _ := strings.Cut(errs, "\n"); code != tc.code || first != tc.want {
			t.Errorf("%v: exit %d, stderr\n%s\nwant exit %d and\n%s", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
