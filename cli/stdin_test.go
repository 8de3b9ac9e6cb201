package cli

import (
	"strings"
	"testing"
)

// TestStdinAfterThePassword: a password piped as stdin's first line leaves
// the rest of stdin to the command (a rates file, a chat prompt), as
// README says; the secret's reader no longer swallows it.
func TestStdinAfterThePassword(t *testing.T) {
	dir := teamWorkspace(t)
	_, js, errs := runIn(t, "correct horse\n", "--data-dir", dir, "--user", "alice", "rates", "export", "--format", "json")
	if !strings.Contains(js, "gpt-4o") {
		t.Fatalf("rates export: %q %q", js, errs)
	}
	edited := strings.Replace(js, "gpt-4o", "gpt-4o-piped", 1)
	if code, out, errs := runIn(t, "correct horse\n"+edited, "--data-dir", dir, "--user", "alice", "rates", "import", "-", "--format", "json"); code != 0 {
		t.Fatalf("rates import - after the password: %d %q %q", code, out, errs)
	}
	if _, out, _ := runIn(t, "correct horse\n", "--data-dir", dir, "--user", "alice", "rates", "list"); !strings.Contains(out, "gpt-4o-piped") {
		t.Fatalf("the piped rates were not imported:\n%s", out)
	}
	// The prompt is read (the estimate then wants a provider, which this
	// workspace has none of); it used to be "chat needs a prompt" (now "no prompt given").
	_, out, errs := runIn(t, "correct horse\nWhat is two plus two?\n", "--data-dir", dir, "--user", "alice", "chat", "--model", "gpt-4o", "--estimate", "-")
	if strings.Contains(errs, "needs a prompt") || strings.Contains(errs, "no prompt given") || !strings.Contains(errs, "no provider configured") {
		t.Fatalf("chat --estimate - after the password: %q %q", out, errs)
	}
}
