package cli

import (
	"strings"
	"testing"
)

// TestEveryCommandsHelpHasAnExampleItAccepts: each command's help ends with
// an example of itself, and the example is a call the command takes: run
// as it is in a workspace (a file it names written in a temporary
// folder), it is never a usage mistake (exit 2). It may be refused for
// what is not there (no member bob, no provider for the model: exit 5).
func TestEveryCommandsHelpHasAnExampleItAccepts(t *testing.T) {
	// Never the developer's shell's key or OS keychain: providers add's
	// example would store that key in the keychain.
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	dir := newDatabase(t)
	t.Chdir(t.TempDir())
	t.Setenv("METERDESK_NEW_SECRET", "correct horse battery")
	t.Setenv("METERDESK_PASSWORD", "correct horse") // alice's: users add's example makes a second member
	for _, c := range sortedCommands() {
		code, out, _ := run(t, "help", c.Name)
		_, ex, ok := strings.Cut(out, "\nExample:\n")
		if code != 0 || !ok || strings.TrimSpace(ex) == "" {
			t.Errorf("help %s: exit %d, no example:\n%s", c.Name, code, out)
			continue
		}
		for _, line := range strings.Split(strings.TrimRight(ex, "\n"), "\n") {
			line = strings.TrimPrefix(line, "  ")
			stdin := ""
			if before, after, piped := strings.Cut(line, " | "); piped {
				stdin, line = before+"\n", after // git diff | meterdesk chat ... -
			}
			args := shellWords(t, line)
			if len(args) < 2 || args[0] != "meterdesk" || args[1] != c.Name {
				t.Errorf("help %s: example %q is not a call of it", c.Name, line)
				continue
			}
			stray := ""
			if c.Name == "serve" { // it runs until stopped: a stray argument after the flags ends it once they parse
				stray = "stop-here"
				args = append(args, stray)
			}
			code, _, errs := runIn(t, stdin, append([]string{"--data-dir", dir, "--user", "alice"}, args[1:]...)...)
			t.Logf("%s: exit %d %s", line, code, errs)
			if c.Name == "providers" {
				// The example's provider is keyless: no key from the shell
				// (METERDESK_API_KEY), none in the OS keychain.
				_, list, _ := run(t, "--data-dir", dir, "--user", "alice", "--json", "providers", "list")
				if !strings.Contains(list, `"hasKey": false`) || !strings.Contains(list, `"keyStore": "none"`) {
					t.Errorf("providers add's example stored a key:\n%s", list)
				}
			}
			if code == ExitUsage && !(stray != "" && strings.HasPrefix(errs, `meterdesk serve: serve takes no arguments (got "stop-here")`)) {
				t.Errorf("help %s: its example %q is a usage mistake:\n%s", c.Name, line, errs)
			}
		}
	}
}

// shellWords splits a command line as a shell would for the examples:
// spaces between words, "double quotes" around one with spaces.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	in, started := false, false
	for _, r := range line {
		switch {
		case r == '"':
			in, started = !in, true
		case r == ' ' && !in:
			if started {
				words = append(words, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if in {
		t.Fatalf("unclosed quote in %q", line)
	}
	if started {
		words = append(words, cur.String())
	}
	return words
}
