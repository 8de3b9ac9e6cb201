package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/dirstate"
)

// TestFailedSetupLeavesTheFolderAsItWas: a `workspace setup` that is
// refused — a mistyped value, a password too short, a flag that does not
// exist — exits 2 with the reason, and leaves the data folder exactly as it
// was: no folder made, no database, no lock file, nothing written to a
// database that was there. Every other command then still finds no
// workspace (exit 5, saying how to make one) instead of running on a
// half-made one, and setup with good input then works. (It used to leave
// an empty database behind, in which commands ran as the system actor.)
func TestFailedSetupLeavesTheFolderAsItWas(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	good := []string{"workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice"}
	with := func(flag, value string) []string {
		args := append([]string(nil), good...)
		for i := range args {
			if args[i] == flag {
				args[i+1] = value
				return args
			}
		}
		return append(args, flag, value)
	}
	without := func(flag string) []string {
		var args []string
		for i := 0; i < len(good); i++ {
			if good[i] == flag {
				i++
				continue
			}
			args = append(args, good[i])
		}
		return args
	}
	const pw = "correct horse\n"
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		why         string
	}{
		{"password too short", "short\n", good, ExitUsage, "a password needs at least 8 characters"},
		{"no password", "", good, ExitUsage, "set METERDESK_NEW_SECRET or give it on stdin"},
		{"PIN with letters", "12ab\n", append(good, "--pin"), ExitUsage, "a PIN has digits only"},
		{"PIN too short", "12\n", append(good, "--pin"), ExitUsage, "a PIN has 4 to 12 digits"},
		{"currency of four letters", pw, with("--currency", "EURO"), ExitUsage, `currency "EURO" is not a three-letter ISO 4217 code`},
		{"no currency", pw, without("--currency"), ExitUsage, `currency "" is not a three-letter ISO 4217 code`},
		{"negative credit value", pw, with("--credit-value", "-1"), ExitUsage, "what a credit is worth"},
		{"credit value not a number", pw, with("--credit-value", "a cent"), ExitUsage, "what a credit is worth"},
		{"credit value with 13 places", pw, with("--credit-value", "0.0000000000001"), ExitUsage, "at most 12 decimal places"},
		{"time zone not a zone", pw, with("--timezone", "Mars/Olympus"), ExitUsage, `time zone "Mars/Olympus" is not an IANA zone name`},
		{"time zone Local", pw, with("--timezone", "Local"), ExitUsage, "give an IANA name such as Europe/Berlin"},
		{"no name", pw, without("--name"), ExitUsage, "the workspace name must have 1 to 200 characters"},
		{"name too long", pw, with("--name", strings.Repeat("n", 201)), ExitUsage, "the workspace name must have 1 to 200 characters"},
		{"tax id too long", pw, with("--tax-id", strings.Repeat("1", 65)), ExitUsage, "the tax id may have at most 64 characters"},
		{"address too long", pw, with("--address", strings.Repeat("a", 1001)), ExitUsage, "the address may have at most 1000 characters"},
		{"idle lock too long", pw, with("--idle-lock", "2000"), ExitUsage, "idle lock must be 0 (never) to 1440 minutes"},
		{"no admin", pw, without("--admin"), ExitUsage, "meterdesk workspace setup: give --admin NAME"},
		{"admin name with a space", pw, with("--admin", "alice smith"), ExitUsage, "may use letters, digits"},
		{"admin name a number", pw, with("--admin", "12"), ExitUsage, "a number is read as a member id"},
		{"unknown flag", pw, append(good, "--bogus"), ExitUsage, "unknown flag --bogus"},
		{"flag without its value", pw, append(good, "--timezone"), ExitUsage, "--timezone needs a value"},
		{"an argument", pw, append(good, "extra"), ExitUsage, `unexpected argument "extra"`},
		// Nobody signs in to set up.
		{"--user", pw, append([]string{"--user", "alice"}, good...), ExitUsage, "meterdesk workspace setup: it takes no --user"},
		{"--user after the command", pw, append(good, "--user", "alice"), ExitUsage, "meterdesk workspace setup: it takes no --user"},
	}
	// Where the data folder is: not there yet (setup would make it and its
	// parents), there and empty, there with files of its own, the default
	// one, or there with a database whose workspace was never set up (an
	// older version's failed setup, the window closed at its wizard).
	places := []string{"missing", "empty", "other files", "default", "unset database"}
	for _, where := range places {
		for i, c := range cases {
			t.Run(where+"/"+c.name, func(t *testing.T) {
				base := t.TempDir()
				dir := filepath.Join(base, "data")
				global := []string{"--data-dir", dir}
				switch where {
				case "missing":
					dir = filepath.Join(base, "no", "such", "folder")
					global = []string{"--data-dir", dir}
				case "empty":
					if err := os.Mkdir(dir, 0o700); err != nil {
						t.Fatal(err)
					}
				case "other files":
					if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o700); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, "notes", "todo.txt"), []byte("buy milk"), 0o600); err != nil {
						t.Fatal(err)
					}
				case "default":
					t.Setenv("XDG_CONFIG_HOME", dir)
					global = nil
					dir = filepath.Join(dir, "Meterdesk")
				case "unset database":
					if err := os.Rename(unsetDatabase(t), dir); err != nil {
						t.Fatal(err)
					}
				}
				before := dirstate.Of(t, base)
				code, out, errs := runIn(t, c.stdin, append(global, c.args...)...)
				if code != c.code || out != "" || !strings.Contains(errs, c.why) {
					t.Fatalf("setup: exit %d, stdout %q, stderr %q; want %d and %q", code, out, errs, c.code, c.why)
				}
				if after := dirstate.Of(t, base); after != before {
					t.Fatalf("a failed setup changed the folder:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				// No command takes what is there for a workspace.
				for _, next := range [][]string{
					{"credits", "balance"}, {"rates", "list"}, {"users", "list"}, {"workspace", "show"},
					{"chat", "--model", "gpt-4o", "hello"}, {"credits", "topup", "--amount", "5"},
				} {
					code, out, errs := runIn(t, "", append(global, next...)...)
					if code != ExitNotFound || out != "" || !strings.Contains(errs, "no Meterdesk workspace in "+dir) ||
						!strings.Contains(errs, "meterdesk workspace setup") {
						t.Fatalf("%v after a failed setup: exit %d, stdout %q, stderr %q; want 5, no workspace", next, code, out, errs)
					}
				}
				if i > 0 {
					return
				}
				// Setup with good input then works (once per place: it is slow).
				if code, out, errs := runIn(t, pw, append(global, good...)...); code != 0 || !strings.Contains(out, "workspace created; admin alice") {
					t.Fatalf("setup after the failed one: exit %d %q %q", code, out, errs)
				}
				if code, out, errs := runIn(t, "", append(global, "credits", "balance")...); code != 0 || !strings.Contains(out, "pool") {
					t.Fatalf("credits balance after setup: exit %d %q %q", code, out, errs)
				}
				if where == "other files" {
					if b, err := os.ReadFile(filepath.Join(dir, "notes", "todo.txt")); err != nil || string(b) != "buy milk" {
						t.Fatalf("the folder's own file: %q %v", b, err)
					}
				}
			})
		}
	}
}

// TestUnsetDatabaseIsNoWorkspace: a database whose workspace was never
// set up (the window closed at its first-run wizard, or an older version's
// failed setup) is no workspace to any command, as a folder with no
// database is: each is refused with exit 5, saying how to set it up, and
// nothing is written to it; nobody acts in it, not even the system.
// `status` lists setting it up, and `workspace setup` sets it up.
func TestUnsetDatabaseIsNoWorkspace(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	dir := unsetDatabase(t)
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"credits", "balance"},
		{"credits", "topup", "--amount", "500"},
		{"--user", "ghost", "credits", "topup", "--amount", "5"},
		{"credits", "topup", "--amount", "5", "--user", "ghost"},
		{"chat", "--model", "gpt-4o", "hello"},
		{"conversations", "list"},
		{"rates", "list"},
		{"rates", "set", "openai", "gpt-4o", "--input", "1", "--output", "2"},
		{"users", "list"},
		{"users", "add", "bob"},
		{"workspace", "show"},
		{"workspace", "update", "--name", "X"},
		{"settings", "set", "workspace.name", "X"},
		{"providers", "add", "--name", "local", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b.db")},
		{"apikeys", "list"},
		{"audit", "list"},
		{"report", "usage"},
		{"invoice", "list"},
		// restore FILE, --check, --status and --cancel work there
		// (TestRestoreWithoutAWorkspace).
	} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir}, args...)...)
		want := "no Meterdesk workspace in " + dir + " yet (its database has no workspace: it was never set up): run `meterdesk workspace setup` there"
		if code != ExitNotFound || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 5 and %q", args, code, out, errs, want)
		}
	}
	code, out, errs := runIn(t, "", "--data-dir", dir, "status")
	if code != 0 || out != "Ready to chat: no\nA few steps before the first metered reply.\n[ ] Set up the workspace: name it, choose its currency and credit value, and add its first admin.\n"+
		"    meterdesk workspace setup --name N --currency EUR --credit-value 0.01 --admin NAME [--pin]\n" ||
		!strings.Contains(errs, "no Meterdesk workspace in "+dir+" yet") {
		t.Errorf("status: %d %q %q", code, out, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "ghost", "status"); code != ExitNotFound || out != "" ||
		!strings.Contains(errs, "--user ghost: the workspace is not set up yet: it has no members to sign in as") {
		t.Errorf("status --user: %d %q %q", code, out, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a command wrote to a database with no workspace")
	}
	if code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice"); code != 0 {
		t.Fatalf("setup: %d %q %q", code, out, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "credits", "topup", "--amount", "5"); code != 0 || !strings.Contains(out, "topped up pool with 5") {
		t.Fatalf("after setup: %d %q %q", code, out, errs)
	}
	// Set up, a second setup is refused as such, and changes nothing.
	before = dbDump(t, dir)
	if code, out, errs := runIn(t, "another horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Other", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "zed"); code != ExitConflict || out != "" || !strings.Contains(errs, "the workspace is already set up") {
		t.Errorf("a second setup: %d %q %q", code, out, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a second setup wrote")
	}
}
