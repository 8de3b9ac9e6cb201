package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatWarnsOfAnUnlistedModel: `chat --model M` where M is neither a
// model its provider lists nor in the rate table (a mistyped name, most
// likely) was sent at the default rate with at most the default rate's
// note. It now says on stderr, before the reply (with --json too), and in
// --estimate's warnings: "warning: M is not a model PROVIDER lists; it is
// charged at the default rate (…)", the backend deciding it
// (chat.Service.SendNote). A listed model without a rate keeps the note; an
// unlisted one with a rate of its own says nothing; free default rates
// still warn of an unlisted model.
func TestChatWarnsOfAnUnlistedModel(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 9, Completion: 2},
		Models: []string{"gpt-4o", "gpt-listed"}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("rates", "set", "openai", "gpt-rated", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	const unlisted = "warning: gpt-4x is not a model fake lists; it is charged at the default rate (1 credit per token): " +
		"check the name, or set a rate for it in Settings → Rates\n"
	for _, c := range []struct {
		args   []string
		stderr string // its start
	}{
		{[]string{"chat", "--model", "gpt-4x", "--max-tokens", "10", "Hi"}, unlisted + "conversation "},
		{[]string{"--json", "chat", "--model", "gpt-4x", "--max-tokens", "10", "Hi"}, unlisted},
		{[]string{"chat", "--model", "gpt-listed", "--max-tokens", "10", "Hi"}, "note: gpt-listed has no rate of its own, so the default rate applies"},
		{[]string{"chat", "--model", "gpt-rated", "Hi"}, "conversation "},
		{[]string{"chat", "--model", "gpt-4o", "Hi"}, "conversation "},
	} {
		code, _, errs := d.run(c.args...)
		if code != 0 || !strings.HasPrefix(errs, c.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want 0 and %q…", c.args, code, errs, c.stderr)
		}
	}
	out := d.must("chat", "--estimate", "--model", "gpt-4x", "--max-tokens", "10", "Hi")
	if !strings.Contains(out, "\n"+unlisted) {
		t.Errorf("estimate: %q", out)
	}
	// Free default rates: nothing to charge, but the name is still
	// unknown to the provider.
	d.must("rates", "set", "--default-input", "0", "--default-output", "0")
	code, _, errs := d.run("chat", "--model", "gpt-4x", "Hi")
	if want := "warning: gpt-4x is not a model fake lists; it is charged at the default rate (0 credits per token)"; code != 0 || !strings.HasPrefix(errs, want) {
		t.Errorf("free defaults: exit %d, stderr %q; want %q…", code, errs, want)
	}
	if code, _, errs := d.run("chat", "--model", "gpt-listed", "Hi"); code != 0 || strings.Contains(errs, "note:") || strings.Contains(errs, "warning:") {
		t.Errorf("free defaults, listed: exit %d, stderr %q", code, errs)
	}
}
