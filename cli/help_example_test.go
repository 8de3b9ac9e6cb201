package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// exampleSeeds are the calls run, in a fresh copy of the examples'
// workspace, before the example of the command named: what that example
// names and the workspace has for no other example (member bob, whom users
// add's example adds; the backup restore's example checks, which backup's
// example writes, in the folder it runs in).
var exampleSeeds = map[string][][]string{
	"limits":    {{"users", "add", "bob"}},
	"statement": {{"users", "add", "bob"}},
	"restore":   {{"backup", "--out", "meterdesk-2026-01-31.db"}},
}

// TestEveryCommandsHelpHasAnExampleItAccepts: each command's help ends with
// an example of itself, and the example is a call the command carries out:
// run as it is, each in its own copy of a workspace that has what the
// examples name (a provider for gpt-4o, pool credits and so invoice
// INV-000001, departments 1 and 2, conversations 1 to 12; exampleSeeds
// for the rest), in an empty folder of its own, it exits 0, whichever
// examples ran before it.
func TestEveryCommandsHelpHasAnExampleItAccepts(t *testing.T) {
	// Never the developer's shell's key or OS keychain: providers add's
	// example would store that key in the keychain.
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	t.Setenv("METERDESK_NEW_SECRET", "correct horse battery")
	t.Setenv("METERDESK_PASSWORD", "correct horse") // alice's, once bob makes two members
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o"}})
	defer srv.Close()
	template := newDatabase(t)
	for _, args := range [][]string{
		{"providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"},
		{"credits", "topup", "--amount", "100000", "--price", "100", "--currency", "EUR"},
		{"departments", "add", "Research"},
		{"departments", "add", "Sales"},
	} {
		if code, out, errs := runIn(t, "sk-test-0123456789\n", append([]string{"--data-dir", template}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	for range 12 { // conversations 1 to 12 (new keeps reusing an empty one)
		if code, out, errs := run(t, "--data-dir", template, "chat", "--model", "gpt-4o", "Hi"); code != 0 {
			t.Fatalf("chat: exit %d\n%s%s", code, out, errs)
		}
	}
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
			dir := copyTree(t, template)
			t.Chdir(t.TempDir())
			global := []string{"--data-dir", dir, "--user", "alice"}
			for _, seed := range exampleSeeds[c.Name] {
				if code, out, errs := run(t, append(global, seed...)...); code != 0 {
					t.Fatalf("%s: seed %v: exit %d\n%s%s", line, seed, code, out, errs)
				}
			}
			want, stray := ExitOK, ""
			if c.Name == "serve" { // it runs until stopped: a stray argument after the flags ends it once they parse
				want, stray = ExitUsage, "stop-here"
				args = append(args, stray)
			}
			code, _, errs := runIn(t, stdin, append(global, args[1:]...)...)
			t.Logf("%s: exit %d %s", line, code, errs)
			if code != want || stray != "" && !strings.HasPrefix(errs, `meterdesk serve: unexpected argument "stop-here" (it takes flags only)`) {
				t.Errorf("help %s: its example %q exits %d, want %d:\n%s", c.Name, line, code, want, errs)
			}
			if c.Name == "providers" {
				// The example's provider is keyless: no key from the shell
				// (METERDESK_API_KEY), none in the OS keychain.
				_, list, _ := run(t, "--data-dir", dir, "--user", "alice", "--json", "providers", "list")
				if !strings.Contains(list, `"name": "Ollama"`) || strings.Count(list, `"keyStore": "none"`) != 1 {
					t.Errorf("providers add's example stored a key:\n%s", list)
				}
			}
		}
	}
}

// copyTree copies the data folder src (its files, closed) into a new
// temporary folder and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		info, err := in.Stat()
		if err != nil {
			return err
		}
		out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
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
