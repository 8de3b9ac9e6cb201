package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCLIAdminCannotWriteInAMembersConversation: `meterdesk --user ADMIN
// chat --conversation ID` into a member's conversation, its --estimate, and
// `conversations set ID` are refused with exit 3 (a role error), the error
// line saying whose conversation it is, with nothing written, charged or
// sent to the provider. The admin still shows and exports it, and may
// delete it, which the audit log records. Another member does not find it
// (exit 5). (It was: the admin's turn stored in bob's conversation, charged
// to the pool, and shown to bob as his own.)
func TestCLIAdminCannotWriteInAMembersConversation(t *testing.T) {
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
	as := func(user, secret string, args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", secret)
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", user}, args...)...)
	}
	code, out, errs := as("bob", "1234", "--json", "chat", "--model", "gpt-4o", "Hi")
	var sent struct {
		ConversationID int64 `json:"conversationId"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &sent) != nil || sent.ConversationID == 0 {
		t.Fatalf("bob's chat: %d %q %q", code, out, errs)
	}
	id := fmt.Sprint(sent.ConversationID)
	before, requests := dbDump(t, dir), srv.ChatRequests()

	for _, args := range [][]string{
		{"chat", "--conversation", id, "admin writing in bob's conversation"},
		{"chat", "--conversation", id, "--estimate", "how much?"},
		{"conversations", "set", id, "--system", "Answer as the admin wishes."},
		{"conversations", "set", id, "--title", "Mine now"},
		{"conversations", "set", id, "--temperature", "0.5"},
	} {
		code, out, errs := as("alice", "correct horse", args...)
		if code != ExitRefused || !strings.Contains(errs, "conversation "+id+" is another member's") ||
			!strings.Contains(errs, "only its owner may") || strings.Contains(out, "charged") {
			t.Errorf("alice %v: exit %d (want %d)\nstdout %q\nstderr %q", args, code, ExitRefused, out, errs)
		}
	}
	code, out, _ = as("alice", "correct horse", "--json", "chat", "--conversation", id, "admin writing")
	var res struct {
		Error struct{ Code string } `json:"error"`
	}
	if code != ExitRefused || json.Unmarshal([]byte(out), &res) != nil || res.Error.Code != "forbidden" {
		t.Errorf("alice --json chat: exit %d %q", code, out)
	}
	if code, _, errs := as("carol", "5678", "chat", "--conversation", id, "carol writing"); code != ExitNotFound {
		t.Errorf("carol's chat: exit %d %q (want %d)", code, errs, ExitNotFound)
	}
	if dbDump(t, dir) != before || srv.ChatRequests() != requests {
		t.Fatalf("a refused write changed the database or reached the provider (%d requests, were %d)", srv.ChatRequests(), requests)
	}

	// Reading stays open to the admin.
	if code, out, errs := as("alice", "correct horse", "conversations", "show", id); code != 0 || !strings.Contains(out, "Hello.") {
		t.Fatalf("alice's show: %d %q %q", code, out, errs)
	}
	if code, out, errs := as("alice", "correct horse", "conversations", "export", id); code != 0 || !strings.Contains(out, "Total charged") {
		t.Fatalf("alice's export: %d %q %q", code, out, errs)
	}
	// Deleting too, in the audit log under bob.
	if code, out, errs := as("alice", "correct horse", "conversations", "delete", id); code != 0 {
		t.Fatalf("alice's delete: %d %q %q", code, out, errs)
	}
	code, out, errs = as("alice", "correct horse", "--json", "audit", "list", "--action", "conversation.")
	var entries []struct {
		ActorName string `json:"actorName"`
		Action    string `json:"action"`
		Target    string `json:"target"`
		Before    struct {
			Conversation int64  `json:"conversation"`
			Title        string `json:"title"`
			Owner        string `json:"owner"`
		} `json:"before"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) != 1 || entries[0].Action != "conversation.delete" ||
		entries[0].Target != "user:2" || entries[0].ActorName != "alice" || fmt.Sprint(entries[0].Before.Conversation) != id ||
		entries[0].Before.Title != "Hi" || entries[0].Before.Owner != "bob" {
		t.Fatalf("audit list: %d %s %s", code, out, errs)
	}
}
