package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// TestCLIShowsWhoWroteATurnThatIsNotTheOwners: a turn the admin wrote into
// bob's conversation when an earlier version still let admins write there
// reads, in `conversations show` (text and --json) and `conversations
// export`, as alice's, not bob's; bob's own turns name no one, but for
// "## bob" in alice's export. (It was: "user:" and "## You" for every
// turn, whoever exported.)
func TestCLIShowsWhoWroteATurnThatIsNotTheOwners(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello."}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	dir := teamWorkspace(t) // alice the admin, bob and carol members
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, args := range [][]string{
		{"providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"},
		{"rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008"},
		{"credits", "topup", "--amount", "100", "--price", "0"},
	} {
		if code, out, errs := runIn(t, "sk-test-0123456789\n", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	as := func(user, secret string, args ...string) string {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", secret)
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", user}, args...)...)
		if code != 0 {
			t.Fatalf("%s %v: exit %d %q %q", user, args, code, out, errs)
		}
		return out
	}
	as("bob", "1234", "chat", "--model", "gpt-4o", "Hi")
	// An earlier version took alice's send into bob's conversation 1: the
	// conversation is lent to her for it (only its owner writes in it now).
	lend := func(to string) {
		t.Helper()
		db, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Writer().Exec(`UPDATE chat_conversations SET user_id = (SELECT id FROM users WHERE name = ?) WHERE id = 1`, to); err != nil {
			t.Fatal(err)
		}
	}
	lend("alice")
	as("alice", "correct horse", "chat", "--conversation", "1", "Alice here")
	lend("bob")
	as("bob", "1234", "chat", "--conversation", "1", "Bob again")

	for _, c := range []struct{ user, secret string }{{"bob", "1234"}, {"alice", "correct horse"}} {
		out := as(c.user, c.secret, "conversations", "show", "1")
		for _, want := range []string{"\nuser:\nHi\n", "\nuser (written by alice):\nAlice here\n", "\nassistant (sent by alice):\nHello.\n", "\nuser:\nBob again\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s's show lacks %q:\n%s", c.user, want, out)
			}
		}
		if n := strings.Count(out, " by "); n != 2 {
			t.Errorf("%s's show names an author %d times, want 2 (alice's turn and its reply):\n%s", c.user, n, out)
		}
		var conv struct {
			Messages []struct {
				Content   string `json:"content"`
				WrittenBy *struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"writtenBy"`
			} `json:"messages"`
		}
		js := as(c.user, c.secret, "--json", "conversations", "show", "1")
		if err := json.Unmarshal([]byte(js), &conv); err != nil || len(conv.Messages) != 6 {
			t.Fatalf("--json show: %v\n%s", err, js)
		}
		var got []string
		for _, m := range conv.Messages {
			by := "-"
			if m.WrittenBy != nil {
				by = fmt.Sprintf("%s (%d)", m.WrittenBy.Name, m.WrittenBy.ID)
			}
			got = append(got, by)
		}
		if want := "- - alice (1) alice (1) - -"; strings.Join(got, " ") != want {
			t.Errorf("--json show: written by %v, want %s\n%s", got, want, js)
		}
		// bob's turns: "You" in his own export, his name in alice's.
		owner := map[string]string{"bob": "You", "alice": "bob"}[c.user]
		ex := as(c.user, c.secret, "conversations", "export", "1")
		for _, want := range []string{"\n## " + owner + "\n\nHi\n", "\n## " + owner + "\n\nBob again\n",
			"\n## Written by alice\n\nAlice here\n", "\n## Assistant · gpt-4o · sent by alice\n",
			"\nOf which sent by others than the conversation's owner: 0.026 credits (alice: 0.026 credits)\n"} {
			if !strings.Contains(ex, want) {
				t.Errorf("%s's export lacks %q:\n%s", c.user, want, ex)
			}
		}
	}
}
