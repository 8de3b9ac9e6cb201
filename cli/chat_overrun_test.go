package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatOverrunsAreBoundedAndSettled: whatever usage a provider reports,
// a chat ends with its hold resolved and within what the member may spend.
// Usage too large to price is not believed (the delivered text is counted
// instead); usage above the hold that would take a member past a spending
// limit is capped at the hold, as an overrun the balance does not allow is.
func TestChatOverrunsAreBoundedAndSettled(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t) // bob has a daily limit of 50
	admin := asAlice(t, dir)
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 1e18, Completion: 1e18}})
	defer srv.Close()
	if code, out, errs := runIn(t, "sk-test-0123456789\n", "--data-dir", dir, "--user", "alice", "providers", "add", "--name", "fake",
		"--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"); code != 0 {
		t.Fatalf("providers add: %d %s %s", code, out, errs)
	}
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin("credits", "topup", "--amount", "100000", "--price", "0")

	type result struct {
		Status string `json:"status"`
		Charge *struct {
			Amount    string `json:"amount"`
			Estimated bool   `json:"estimated"`
			Capped    bool   `json:"capped"`
			Hold      string `json:"hold"`
		} `json:"charge"`
	}
	chat := func(user, secret string, args ...string) result {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", secret)
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", user, "--json", "chat", "--model", "gpt-4o"}, args...)...)
		var r result
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Charge == nil {
			t.Fatalf("chat %v: %d %q %q", args, code, out, errs)
		}
		return r
	}
	noHolds := func() {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "correct horse")
		var b struct {
			Pending string `json:"pending"`
		}
		out := admin("--json", "credits", "balance", "pool")
		if json.Unmarshal([]byte(out), &b) != nil || b.Pending != "0" {
			t.Fatalf("a hold is left on the pool: %s", out)
		}
		if out := admin("credits", "verify"); !strings.Contains(strings.ToLower(out), "ok") {
			t.Fatalf("verify: %s", out)
		}
	}

	// 1e18 tokens cost more than the ledger can hold: counted from the text.
	if r := chat("alice", "correct horse", "Hi"); r.Status != "done" || !r.Charge.Estimated || r.Charge.Amount == "0" {
		t.Fatalf("unpriceable usage: %+v %+v", r, r.Charge)
	}
	noHolds()

	// 100,000 output tokens (800 credits) against bob's daily 50: the hold
	// of at most 10 output tokens is what he is charged.
	srv.SetScript(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 100000}})
	r := chat("bob", "1234", "--max-tokens", "10", "Hi")
	if r.Status != "done" || !r.Charge.Capped || r.Charge.Amount != r.Charge.Hold {
		t.Fatalf("overrun past the limit: %+v %+v", r, r.Charge)
	}
	noHolds()
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	var limits []struct {
		Kind string `json:"kind"`
		Used string `json:"used"`
	}
	out := admin("--json", "limits", "list", "bob")
	if json.Unmarshal([]byte(out), &limits) != nil || len(limits) != 1 || limits[0].Used != r.Charge.Hold {
		t.Fatalf("bob's limits after the capped overrun: %s (hold %s)", out, r.Charge.Hold)
	}

	// Within the limit, an overrun is still charged in full.
	srv.SetScript(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 20}})
	if r := chat("bob", "1234", "--max-tokens", "10", "Hi"); r.Charge.Capped || r.Charge.Amount != "0.176" {
		t.Fatalf("overrun within the limit: %+v", r.Charge)
	}
	noHolds()
}
