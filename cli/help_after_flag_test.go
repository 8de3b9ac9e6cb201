package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// countingReader is stdin that counts the bytes read from it.
type countingReader struct {
	r    *strings.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// TestHelpAfterACommandsFlag: a -h right after one of the command's own
// boolean flags (`users list --all -h`) is the command's help flag, which
// SplitGlobals leaves to the command (it may be a flag's value): it is
// read before the data folder is opened, so the help is printed as `help
// users list --all` prints it, in a folder with no workspace (it said "no
// Meterdesk workspace", exit 5), in a workspace of several members without
// --user (it said "give --user NAME", exit 2) and with --user without
// reading the password from stdin (it read it, to print the help). A flag
// refused there is refused as `help` refuses it (exit 2), before the data
// folder is opened.
func TestHelpAfterACommandsFlag(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none")
	several := newDatabase(t)
	if code, _, errs := runIn(t, "4321\n", "--data-dir", several, "users", "add", "bob", "--pin"); code != 0 {
		t.Fatalf("users add bob: %s", errs)
	}
	cases := [][]string{
		{"users", "list", "--all"}, {"apikeys", "list", "--all"}, {"serve", "--allow-remote"},
		{"chat", "--estimate"}, {"providers", "add", "--key-stdin"}, {"providers", "update", "Lab", "--clear-key"},
		{"credits", "packages", "save", "--inactive"}, {"departments", "list", "--all"},
		{"alerts", "notifications", "--unread"}, {"alerts", "recharge", "set", "user:1", "--disabled"},
		{"conversations", "ls", "--json", "--estimate"}, // refused: not a flag of conversations list
		{"credits", "balance", "--bogus"},
	}
	for _, dir := range []string{none, several} {
		for _, words := range cases {
			for _, user := range []string{"", "bob"} {
				globals := []string{"--data-dir", dir}
				if user != "" {
					globals = append(globals, "--user", user)
				}
				help := append(append(slices.Clone(globals), "help"), words...)
				code, out, errs := runIn(t, "", help...)
				in := &countingReader{r: strings.NewReader("4321\n")}
				var out2, errs2 bytes.Buffer
				dashH := append(append(slices.Clone(globals), words...), "-h")
				code2 := Run(dashH, in, &out2, &errs2)
				if code != code2 || out != out2.String() || errs != errs2.String() {
					t.Errorf("%v: exit %d\n%s%s\nbut %v: exit %d\n%s%s", help, code, out, errs, dashH, code2, &out2, &errs2)
				}
				if in.read > 0 {
					t.Errorf("%v read stdin", dashH)
				}
				if _, err := os.Stat(none); err == nil {
					t.Fatalf("%v made the data folder", dashH)
				}
			}
		}
	}
}
