package shellquote

import (
	"os/exec"
	"testing"
)

// TestWord: a name typed into a shell as it is when it can be, quoted
// when not, and read back by a real POSIX shell as the one word it is.
func TestWord(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"openai", "openai"},
		{"gpt-4o", "gpt-4o"},
		{"llama3.1:8b", "llama3.1:8b"},
		{"org/model@v2", "org/model@v2"},
		{"Lab server", "'Lab server'"},
		{"it's", `'it'\''s'`},
		{"a$b", "'a$b'"},
		{"$(rm -rf x)", "'$(rm -rf x)'"},
		{"a;b|c&d", "'a;b|c&d'"},
		{"~home", "'~home'"},
		{"~", "'~'"},
		{"a~b", "'a~b'"},
		{"#x", "'#x'"},
		{"a#b", "'a#b'"},
		// zsh expands a word starting with "=" to a command's path
		// ("=ls" is /usr/bin/ls); inside a word "=" is nothing special.
		{"=ls", "'=ls'"},
		{"=", "'='"},
		{"a=b", "a=b"},
		{"key=", "key="},
		{"*", "'*'"},
		{"tab\there", "'tab\there'"},
		{"line\nbreak", "'line\nbreak'"},
		{`back\slash "q"`, `'back\slash "q"'`},
		{"''", `''\'''\'''`},
		{"", "''"},
		{"Café", "'Café'"},
	} {
		if got := Word(c.in); got != c.want {
			t.Errorf("Word(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to read the words back")
	}
	for _, in := range []string{"Lab server", "it's", "a$b", "$(echo x)", "`id`", "a;b", "''", "", "x\ny", `\`, "!x", "Café", "=ls", "~", "~root", "#x"} {
		out, err := exec.Command(sh, "-c", `printf '%s' `+Word(in)).Output()
		if err != nil || string(out) != in {
			t.Errorf("sh read %s back as %q (%v), want %q", Word(in), out, err, in)
		}
	}
	// zsh, where there is one, reads "=ls" back as it is once quoted.
	if zsh, err := exec.LookPath("zsh"); err == nil {
		for _, in := range []string{"=ls", "~root", "#x", "a=b"} {
			out, err := exec.Command(zsh, "-c", `printf '%s' `+Word(in)).Output()
			if err != nil || string(out) != in {
				t.Errorf("zsh read %s back as %q (%v), want %q", Word(in), out, err, in)
			}
		}
	}
}
