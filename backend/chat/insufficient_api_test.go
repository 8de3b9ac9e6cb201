package chat_test

import (
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// TestInsufficientCreditsAPIMessage: the local API's words for a refusal
// for want of credits (the gateway's 402), built from the typed error:
// what the request needed against what is available to the key's member
// and from which account, what may let it through in the API's fields
// (max_tokens, reasoning_effort), and that an admin adds the credits; no
// wrapping context ("not enough credits: …"), nothing of the window's
// ("Reasoning High", "output budget", "Settings →") or the CLI's.
func TestInsufficientCreditsAPIMessage(t *testing.T) {
	pool := team.Payer{Account: "pool", Kind: team.PayerPool}
	for _, c := range []struct {
		name string
		e    chat.InsufficientCreditsError
		want string
	}{
		{"pool, a member", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "bob", Payer: pool, Needed: "40.976", Available: "0.01"},
			"This request to gpt-4o may cost up to 40.976 credits (what is held while it runs), but only 0.01 are available to bob " +
				"(this API key's member) from the workspace pool. An admin can top up the workspace pool. Nothing was sent or charged."},
		{"nothing available, an admin", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "alice", Admin: true, Payer: pool,
			Needed: "40.976", Available: "0"},
			"This request to gpt-4o may cost up to 40.976 credits (what is held while it runs), but no credits are available to alice " +
				"(this API key's member) from the workspace pool. This key's member is an admin and can top up the workspace pool. " +
				"Nothing was sent or charged."},
		{"a wallet, unknown available", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "carol",
			Payer: team.Payer{Account: "user:3", Kind: team.PayerWallet}, Needed: "2"},
			"This request to gpt-4o may cost up to 2 credits (what is held while it runs), more than is available to carol " +
				"(this API key's member) from carol's wallet. An admin can add credits to carol's wallet. Nothing was sent or charged."},
		{"a department, the output budget", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "bob",
			Payer: team.Payer{Account: "dept:1", Kind: team.PayerDepartment, Name: "Research"}, Needed: "40.976", Available: "1",
			PromptCost: "0.016", OutputTokens: 5120},
			"This request to gpt-4o may cost up to 40.976 credits (what is held while it runs), but only 1 are available to bob " +
				"(this API key's member) from the Research department. The prompt costs 0.016; the rest is held for up to 5,120 output " +
				"tokens, so a smaller max_tokens may let it through. An admin can add credits to the Research department. " +
				"Nothing was sent or charged."},
		{"a thinking budget, a default rate", chat.InsufficientCreditsError{Model: "claude-x", Member: "bob", Payer: pool,
			Needed: "307.2", Available: "100", PromptCost: "0.01", OutputTokens: 20480, Thinking: 16384,
			Reasoning: providers.ReasoningHigh, ThinkingShare: "245.76", DefaultRate: "1 credit per token"},
			"This request to claude-x may cost up to 307.2 credits (what is held while it runs), but only 100 are available to bob " +
				"(this API key's member) from the workspace pool. The prompt costs 0.01; the rest is held for up to 20,480 output tokens, " +
				"16,384 of them the thinking budget of reasoning_effort high (245.76 credits), so a lower reasoning_effort or a smaller " +
				"max_tokens may let it through. claude-x has no rate of its own, so the default rate applies (1 credit per token); " +
				"an admin can give it one. An admin can top up the workspace pool. Nothing was sent or charged."},
		// Every credit amount in the API's one format, the canonical one
		// of its JSON fields and headers ("4104" beside "99.712"): it read
		// "4,104.00" beside "99.712", the window's display rule.
		{"large amounts, one format", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "bob", Payer: pool,
			Needed: "4104", Available: "99.712", Held: "1250.5"},
			"This request to gpt-4o may cost up to 4104 credits (what is held while it runs), but only 99.712 are available to bob " +
				"(this API key's member) from the workspace pool. Another 1250.5 credits are held by requests still running on that " +
				"account (each holds its whole max_tokens while it runs), released or charged as they finish. An admin can top up the " +
				"workspace pool. Nothing was sent or charged."},
		{"a reply that outlived its hold", chat.InsufficientCreditsError{Model: "gpt-4o", Member: "bob", Payer: pool, Lapsed: true},
			"The reply to this request outlived its hold (a stream longer than 2h0m0s), and the workspace pool has nothing left to " +
				"pay for it under its balance policy, so nothing was charged. An admin can top up the workspace pool."},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.e.APIMessage()
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			checkAPIWords(t, got)
		})
	}
}

// checkAPIWords fails when msg, a message for the local API's clients,
// carries a wrapping prefix or the window's or the CLI's words.
func checkAPIWords(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"not enough credits:", "send:", "send to", "hold:", "charge ", "Settings", "click", "--",
		"meterdesk ", "Reasoning ", "output budget", "your "} {
		if strings.Contains(msg, bad) {
			t.Errorf("%q says %q", msg, bad)
		}
	}
}
