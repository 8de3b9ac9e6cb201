package cli

import (
	"context"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestConversationsNewLeavesTheWindowsDraft: `conversations new` does not
// hand out the window's never-sent conversation that holds a draft (New
// chat's reuse of a blank conversation keeps its draft for the window's
// composer): a `chat --conversation N` there left that draft under it, and
// it came back in the window. A blank conversation with no draft is still
// reused, and the draft stays where it was.
func TestConversationsNewLeavesTheWindowsDraft(t *testing.T) {
	dir := newDatabase(t)
	newID := func() string {
		t.Helper()
		code, out, errs := run(t, "--data-dir", dir, "conversations", "new")
		if code != 0 {
			t.Fatalf("conversations new: exit %d: %s", code, errs)
		}
		return strings.TrimSpace(out)
	}
	if got := newID(); got != "conversation 1 (New chat)" {
		t.Fatalf("first: %q", got)
	}
	// The window's New chat opened it, and text typed in its composer was
	// saved as its draft.
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`UPDATE chat_conversations SET draft = 'typed in the window' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i, want := range []string{"conversation 2 (New chat)", "conversation 2 (New chat)"} {
		if got := newID(); got != want {
			t.Errorf("conversations new #%d after the draft: %q, want %q", i+1, got, want)
		}
	}
	if _, out, _ := run(t, "--data-dir", dir, "conversations", "show", "1"); !strings.Contains(out, "typed in the window") {
		t.Errorf("conversation 1 lost the window's draft:\n%s", out)
	}
}
