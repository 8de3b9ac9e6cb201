package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// `meterdesk chat` named who paid by the account's code alone: a member of
// Research read "charged 0.034 credits to dept:1: …", where the same
// command's refusal says "the Research department has … available" and
// `credits balance` "dept:1 (the Research department, …)". The line now
// names the member's payer as they do, after its code.
func TestChatNamesWhoPaidAsTheRefusalDoes(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hel", "lo"}, Usage: fake.Usage{Prompt: 9, Completion: 2}, Models: []string{"m1"}})
	defer srv.Close()
	dir := teamWorkspace(t) // alice (admin, pool), bob (PIN 1234), department 1 Research
	admin := asAlice(t, dir)
	admin("providers", "add", "--name", "lab", "--kind", "openai_compatible", "--url", srv.BaseURL())
	admin("rates", "set", "local", "m1", "--input", "0.002", "--output", "0.008")
	admin("credits", "topup", "--amount", "100", "--price", "0", "--currency", "EUR")
	admin("departments", "allocate", "1", "20")
	admin("users", "update", "bob", "--department", "1")
	// 9*0.002 + 2*0.008 = 0.034
	for _, c := range []struct{ user, secret, want string }{
		{"alice", "correct horse", "\ncharged 0.034 credits to pool (the workspace pool): m1 · input 9 tokens"},
		{"bob", "1234", "\ncharged 0.034 credits to dept:1 (the Research department): m1 · input 9 tokens"},
	} {
		t.Setenv("METERDESK_PASSWORD", c.secret)
		code, out, errs := runIn(t, "", "--data-dir", dir, "--user", c.user, "chat", "--model", "m1", "Hi")
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%s's chat: exit %d %q %q; want it to say %q", c.user, code, out, errs, c.want)
		}
	}
}
