package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// credits history --provider lists the usage charges at one provider as
// the Usage page's "By model" names it, so gpt-4o at Lab and gpt-4o at
// OpenAI are apart (--model gpt-4o --provider Lab is the bar "gpt-4o ·
// Lab"); a member sees only their own; a renamed provider is found by its
// name now and a removed one as "NAME (since removed)"; an unknown name is
// refused (exit 5) naming the known ones.
func TestCreditsHistoryByProvider(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	t.Setenv("METERDESK_API_KEY", "sk-test-0123456789")
	admin("providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", srv.BaseURL())
	admin("providers", "add", "--name", "Lab", "--kind", "openai", "--url", srv.BaseURL())
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("chat", "--model", "gpt-4o", "--provider", "OpenAI", "Hello")
	admin("chat", "--model", "gpt-4o", "--provider", "Lab", "Hello")
	t.Setenv("METERDESK_PASSWORD", "1234")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o", "--provider", "Lab", "Hello"); code != 0 {
		t.Fatalf("bob's chat: %d %q %q", code, out, errs)
	}
	bob := func(args ...string) string {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
		if code != 0 {
			t.Fatalf("bob %v: exit %d: %s", args, code, errs)
		}
		return out
	}
	// The charges (post rows; with --reservations, --model alone lists the
	// sends' reservations, hold rows, too).
	charges := func(out string) int { return strings.Count(out, "  Usage  ") }
	for _, tc := range []struct {
		who  string
		args []string
		want int
	}{
		{"alice", []string{"--model", "gpt-4o"}, 3},
		{"alice", []string{"--model", "gpt-4o", "--provider", "Lab"}, 2},
		{"alice", []string{"--model", "gpt-4o", "--provider", "lab"}, 2},
		{"alice", []string{"--provider", "OpenAI"}, 1},
		{"alice", []string{"--model", "o3", "--provider", "Lab"}, 0},
		{"bob", []string{"--model", "gpt-4o", "--provider", "Lab"}, 1},
		{"bob", []string{"--provider", "OpenAI"}, 0},
	} {
		var out string
		if tc.who == "bob" {
			out = bob(append([]string{"credits", "history"}, tc.args...)...)
		} else {
			t.Setenv("METERDESK_PASSWORD", "correct horse")
			out = admin(append([]string{"credits", "history"}, tc.args...)...)
		}
		if charges(out) != tc.want {
			t.Errorf("%s credits history %v: %d charges, want %d:\n%s", tc.who, tc.args, charges(out), tc.want, out)
		}
	}
	// "(no model)" is the transfers with no model (the Usage page's "(no
	// model)" bars): here the top-up, no charge.
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := admin("credits", "history", "--model", "(no model)"); charges(out) != 0 || !strings.Contains(out, "  Top-up  ") {
		t.Errorf("--model \"(no model)\": want the top-up and no charge:\n%s", out)
	}
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "history", "--provider", "Nope")
	if code != ExitNotFound || out != "" || !strings.Contains(errs, `no provider named "Nope" (known: Lab, OpenAI)`) {
		t.Fatalf("--provider Nope: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "history", "--provider", ""); code != ExitUsage || !strings.Contains(errs, "--provider must not be empty") {
		t.Fatalf("--provider \"\": exit %d %q", code, errs)
	}
	// Renamed and removed: found the way the Usage page names them now.
	admin("providers", "update", "Lab", "--name", "Lab 2")
	admin("providers", "remove", "OpenAI")
	if got := charges(admin("credits", "history", "--provider", "Lab 2")); got != 2 {
		t.Errorf("--provider \"Lab 2\" after the rename: %d charges, want 2", got)
	}
	if got := charges(admin("credits", "history", "--model", "gpt-4o", "--provider", "OpenAI (since removed)")); got != 1 {
		t.Errorf("--provider \"OpenAI (since removed)\": %d charges, want 1", got)
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "history", "--provider", "OpenAI"); code != ExitNotFound ||
		!strings.Contains(errs, `no provider named "OpenAI" (known: Lab 2, OpenAI (since removed))`) {
		t.Fatalf("--provider OpenAI after its removal: exit %d %q", code, errs)
	}
}
