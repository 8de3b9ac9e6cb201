package cli

import (
	"strings"
	"testing"
)

// TestNamesAndNotesArePlainText: a name, title or note that is not valid
// UTF-8, or holds a control character (an escape sequence, a line break in
// a one-line field), is refused with the field named, and nothing is
// written, whichever command it comes through.
func TestNamesAndNotesArePlainText(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("conversations", "new")
	before := dbDump(t, dir)
	for _, bad := range []struct{ text string }{
		{"bad\xff\xfeutf8"},
		{"red\x1b[31m"},
		{"two\nlines"},
	} {
		for _, c := range []struct {
			args  []string
			field string
		}{
			{[]string{"departments", "add", bad.text}, "department name"},
			{[]string{"departments", "update", "1", "--name", bad.text}, "department name"},
			{[]string{"users", "add", "dave", "--display", bad.text, "--pin"}, "display name"},
			{[]string{"users", "update", "bob", "--display", bad.text}, "display name"},
			{[]string{"rates", "set", "local", bad.text, "--input", "1", "--output", "1"}, "model name"},
			{[]string{"credits", "topup", "--amount", "5", "--price", "0", "--note", bad.text}, "note"},
			{[]string{"conversations", "set", "1", "--title", bad.text}, "title"},
			{[]string{"apikeys", "create", "--name", bad.text}, "name"},
			{[]string{"credits", "packages", "save", "--name", bad.text, "--credits", "10", "--price", "1"}, "name"},
		} {
			code, _, errs := runIn(t, "9876\n", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
			if code == 0 || !strings.Contains(errs, c.field) {
				t.Errorf("%q: exit %d: %s", c.args, code, errs)
			}
		}
	}
	if after := dbDump(t, dir); after != before {
		t.Fatal("refused texts changed the database")
	}
	// Plain text in any script is fine.
	admin("departments", "add", "研究部 🎉")
	admin("conversations", "set", "1", "--title", "Plans — Q1, \"draft\"")
}

// TestAPIKeyNamesTellKeysApart: a key needs a name, and not the name of
// another of the member's active keys; a refusal writes nothing.
func TestAPIKeyNamesTellKeysApart(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("apikeys", "create", "--member", "bob", "--name", "ci")
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"apikeys", "create", "--member", "bob"},
		{"apikeys", "create", "--member", "bob", "--name", "  "},
		{"apikeys", "create", "--member", "bob", "--name", "CI"},
	} {
		code, _, errs := runIn(t, "9876\n", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code == 0 || !strings.Contains(errs, "name") {
			t.Errorf("%q: exit %d: %s", args, code, errs)
		}
	}
	if after := dbDump(t, dir); after != before {
		t.Fatal("a refused key name changed the database")
	}
	admin("apikeys", "create", "--member", "alice", "--name", "ci") // another member's key may share it
}
