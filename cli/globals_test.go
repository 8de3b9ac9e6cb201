package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGlobalFlagsAsValues: a flag's value that looks like a global flag
// (-h, --help, --json, --user X) is that value, as Go's flag package reads
// it; help still works where it is asked for, and the global flags still
// work before and after the command.
func TestGlobalFlagsAsValues(t *testing.T) {
	dir := teamWorkspace(t) // alice (admin), bob, carol
	admin := asAlice(t, dir)
	conv := strings.TrimSpace(strings.TrimPrefix(strings.Fields(admin("conversations", "new"))[1], "#"))
	lastNote := func() string {
		t.Helper()
		var h struct {
			Items []struct {
				Meta struct{ Note string } `json:"meta"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(admin("--json", "credits", "history", "--limit", "1")), &h); err != nil || len(h.Items) != 1 {
			t.Fatalf("history: %v %+v", err, h)
		}
		return h.Items[0].Meta.Note
	}
	for _, c := range []struct {
		name  string
		args  []string // after --data-dir DIR --user alice
		stdin string
		code  int
		out   string // in stdout
		check func(t *testing.T, out string)
	}{
		{name: "note -h", args: []string{"credits", "topup", "--amount", "1", "--note", "-h"}, out: "topped up pool with 1",
			check: func(t *testing.T, _ string) {
				if n := lastNote(); n != "-h" {
					t.Errorf("note %q, want -h", n)
				}
			}},
		{name: "note --help", args: []string{"credits", "topup", "--amount", "1", "--note", "--help"}, out: "topped up pool with 1",
			check: func(t *testing.T, _ string) {
				if n := lastNote(); n != "--help" {
					t.Errorf("note %q, want --help", n)
				}
			}},
		{name: "note --json", args: []string{"credits", "topup", "--amount", "1", "--note", "--json"}, out: "topped up pool with 1",
			check: func(t *testing.T, _ string) {
				if n := lastNote(); n != "--json" {
					t.Errorf("note %q, want --json", n)
				}
			}},
		{name: "title -h", args: []string{"conversations", "set", conv, "--title", "-h"}, out: "(-h)",
			check: func(t *testing.T, _ string) {
				if out := admin("conversations", "show", conv); !strings.Contains(out, "-h") {
					t.Errorf("title not -h:\n%s", out)
				}
			}},
		{name: "--json after a boolean flag", args: []string{"users", "add", "dave", "--pin", "--json"}, stdin: "4321\n", out: `"name": "dave"`},
		{name: "--json after the command", args: []string{"credits", "balance", "--json"}, out: `"balance"`},
		{name: "--user after a boolean flag, the same", args: []string{"users", "add", "erin", "--pin", "--user", "alice"}, stdin: "4321\n", out: "erin"},
		{name: "--user after a boolean flag, another", args: []string{"users", "add", "fred", "--pin", "--user", "bob"}, stdin: "4321\n",
			code: ExitUsage, check: func(t *testing.T, _ string) {
				if strings.Contains(admin("users", "list"), "fred") {
					t.Error("fred was added")
				}
			}},
		{name: "help of a subcommand", args: []string{"credits", "topup", "--help"}, out: "meterdesk credits topup"},
		{name: "help of a command", args: []string{"credits", "--help"}, out: "meterdesk credits balance"},
		{name: "-h among flags", args: []string{"credits", "topup", "--amount", "1", "-h"}, out: "meterdesk credits topup"},
		{name: "help after a boolean flag", args: []string{"users", "add", "gail", "--pin", "-h"}, out: "meterdesk users add"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("METERDESK_PASSWORD", "correct horse")
			code, out, errs := runIn(t, c.stdin, append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.out) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errs, c.code, c.out)
			}
			if c.check != nil {
				c.check(t, out)
			}
		})
	}
	// Help asked for adds nothing: no top-up was made by the help requests.
	var h struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "credits", "history", "--op", "topup")), &h); err != nil || len(h.Items) != 3 {
		t.Fatalf("top-ups: %v %+v, want the three with notes", err, h)
	}
	// A --data-dir after a boolean flag was not used to open the folder:
	// where the one opened has no workspace, the error says where to put it.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the default folder: none there
	code, _, errs := runIn(t, "", "users", "add", "gail", "--pin", "--data-dir", dir)
	if code != ExitNotFound || !strings.Contains(errs, "the --data-dir after the command's flags was not used") {
		t.Fatalf("--data-dir after a boolean flag: %d %q", code, errs)
	}
	// --data-dir and --user after the command, and `help credits`.
	if code, out, errs := runIn(t, "", "credits", "balance", "--data-dir", dir, "--user", "alice"); code != 0 || !strings.Contains(out, "balance") {
		t.Fatalf("globals after the command: %d %q %q", code, out, errs)
	}
	if code, out, _ := runIn(t, "", "help", "credits"); code != 0 || !strings.Contains(out, "meterdesk credits topup") {
		t.Fatalf("help credits: %d %q", code, out)
	}
}
