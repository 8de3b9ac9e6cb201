package cli

import (
	"testing"

	"meterdesk/backend/team"
)

// TestNewSecretPromptSaysTheRule: the terminal's prompt for a new password
// or PIN says the rule it must meet, in the words the window's labels say
// (team.SecretKinds), not "New password for alice: " and a refusal after.
func TestNewSecretPromptSaysTheRule(t *testing.T) {
	for _, c := range []struct{ kind, who, want string }{
		{team.SecretPassword, "alice", "New password for alice (at least 8 characters): "},
		{team.SecretPIN, "bob", "New PIN for bob (4 to 12 digits): "},
		{"token", "carol", "New token for carol: "},
	} {
		if got := newSecretPrompt(c.kind, c.who); got != c.want {
			t.Errorf("newSecretPrompt(%q, %q) = %q, want %q", c.kind, c.who, got, c.want)
		}
	}
}
