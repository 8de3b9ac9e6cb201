package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatErrorLinesSayNoIds: a send refused by a spending limit prints the
// limit's own words on stderr, as the window and --json give them, never
// "hold hold:<uuid>", with exit code 1 and nothing left behind (no
// conversation, no draft). No other refusal line carries a hold id, a
// ledger id or an account code.
func TestChatErrorLinesSayNoIds(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	dir := teamWorkspace(t) // bob: daily limit 50, paid by the pool
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, args := range [][]string{
		{"providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"},
		{"rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008"},
		{"rates", "set", "openai", "gpt-4o-mini", "--input", "0.002", "--output", "0.008"},
		{"credits", "topup", "--amount", "100", "--price", "0"},
		{"limits", "set", "bob", "monthly", "0"},
	} {
		if code, out, errs := runIn(t, "sk-test-0123456789\n", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "1234") // bob's PIN
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o-mini", "Hi")
	// A limit of 0, an admin's block: its reset does not help, and the
	// line says so in its own words (it said "it resets …", after which the
	// same send was refused again; then "reached (used 0.00); an admin
	// raising the limit may let it through …").
	const line = "meterdesk chat: monthly limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)\n"
	if code != ExitRefused || out != "" || errs != line {
		t.Fatalf("over the monthly limit: %d %q\nstderr %q\nwant   %q", code, out, errs, line)
	}
	// --json: the same words in error.message; stderr the same line; no
	// conversation named (none is kept).
	code, out, errs = runIn(t, "", "--data-dir", dir, "--user", "bob", "--json", "chat", "--model", "gpt-4o-mini", "Hi")
	var res struct {
		ConversationID *int64                         `json:"conversationId"`
		Error          struct{ Code, Message string } `json:"error"`
	}
	if code != ExitRefused || json.Unmarshal([]byte(out), &res) != nil || res.Error.Code != "limit_exceeded" || res.ConversationID != nil ||
		res.Error.Message != strings.TrimSuffix(strings.TrimPrefix(line, "meterdesk chat: "), "\n") ||
		errs != line {
		t.Fatalf("over the monthly limit, --json: %d %q %q", code, out, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "conversations", "list"); code != 0 || out != "no conversations\n" {
		t.Fatalf("refused sends left conversations: %d %q %q", code, out, errs)
	}
	// Short of credits (the pool emptied): the member's words, no code.
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, args := range [][]string{
		{"limits", "remove", "bob", "monthly"},
		{"credits", "transfer", "--op", "adjustment", "--from", "pool", "--to", "sys:adjust", "--amount", "100"},
	} {
		if code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	code, _, errs = runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o", "Hi")
	if code != ExitRefused || !strings.HasPrefix(errs, "meterdesk chat: not enough credits: this message to gpt-4o may cost up to ") {
		t.Fatalf("short of credits: %d %q", code, errs)
	}
	ids := regexp.MustCompile(`hold:|[0-9a-f]{8}-[0-9a-f]{4}-|\b(user|dept|sys):|transfer \d`)
	if ids.MatchString(errs) {
		t.Fatalf("short of credits: an id or account code in %q", errs)
	}
}

// TestPlainSendError: the ids of a send are taken out of its error text.
func TestPlainSendError(t *testing.T) {
	const id = "0b9a4c2e-1111-4222-8333-444455556666"
	for _, c := range []struct{ in, want string }{
		{"send to gpt-4o: hold hold:" + id + ": check limits: this member is disabled", "send to gpt-4o: check limits: this member is disabled"},
		{"charge " + id + ": database is locked", "charge: database is locked"},
		{"release the hold of " + id + ": ledger is closed", "release the hold of this message: ledger is closed"},
		{"post hold:" + id + " failed", "post its hold failed"},
		{"offline: the provider cannot be reached", "offline: the provider cannot be reached"},
	} {
		if got := plainSendError(c.in, id); got != c.want {
			t.Errorf("plainSendError(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
