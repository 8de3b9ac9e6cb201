package cli

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// TestProvidersListNotesAMovedURLCredential: a provider an older version
// saved with its token in the base URL (written here with raw SQL) has it
// moved to its key when the CLI opens the database; `providers list` shows
// the clean address, the key, and a note saying what was done (never the
// token), a member's list no note; the provider works; saving it as it is
// clears the note.
func TestProvidersListNotesAMovedURLCredential(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	const token = "sk-old-url-token-0123456789"
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o-mini"}})
	defer srv.Close()
	srv.RequireKey(token)
	dir := teamWorkspace(t)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', ?, 'ref-lab', 'none', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
			strings.Replace(srv.BaseURL(), "http://", "http://"+token+"@", 1))
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	alice := asAlice(t, dir)
	out := alice("providers", "list")
	if strings.Contains(out, token) || !strings.Contains(out, srv.BaseURL()+"  ") || !strings.Contains(out, "sealed …6789") ||
		!strings.Contains(out, "note: Lab: Its saved address (http://xxxxx@") || !strings.Contains(out, "it is now the provider's API key") ||
		!strings.Contains(out, `meterdesk providers update 1 --name "Lab"`) {
		t.Fatalf("list: %q", out)
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "providers", "list"); code != 0 || strings.Contains(out, "note:") {
		t.Errorf("bob's list: exit %d %q %s", code, out, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := alice("providers", "test", "Lab"); !strings.Contains(out, "connected") {
		t.Errorf("test: %q", out)
	}
	if out := alice("providers", "update", "1", "--name", "Lab"); !strings.Contains(out, "unchanged") {
		t.Errorf("update as it is: %q", out)
	}
	if out := alice("providers", "list"); strings.Contains(out, "note:") {
		t.Errorf("the note after a save: %q", out)
	}
}
