package cli

import (
	"context"
	"database/sql"
	"os/exec"
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
		!strings.Contains(out, "meterdesk providers update 1 --name Lab)") {
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
	// The note's command clears the note, a write: it said "(nothing written or audited)".
	if out := alice("providers", "update", "1", "--name", "Lab"); !strings.HasSuffix(out, `unchanged: it had these settings already; the note about its address is cleared (no setting written, nothing audited)
`) {
		t.Errorf("update as it is: %q", out)
	}
	// Again, with no note left: nothing was written.
	if out := alice("providers", "update", "1", "--name", "Lab"); !strings.HasSuffix(out, "unchanged: it had these settings already (nothing written or audited)\n") {
		t.Errorf("update as it is again: %q", out)
	}
	if out := alice("providers", "list"); strings.Contains(out, "note:") {
		t.Errorf("the note after a save: %q", out)
	}
}

// TestProvidersNoteQuotesTheNameForAShell: the note's command line to keep
// a provider as it is names it as a POSIX shell reads it back
// (shellquote.Word): Go's %q put it in double quotes, inside which a shell
// still expands $VAR, $(…) and `…`, so pasting it for a provider named
// "Lab $(id)" ran a command and saved another name.
func TestProvidersNoteQuotesTheNameForAShell(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	const name = "Lab $HOME `id` $(echo x) it's"
	dir := teamWorkspace(t)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES (?, 'openai_compatible', 'http://sk-old-url-token-0123456789@127.0.0.1:9/v1', 'ref-lab', 'none', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, name)
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := asAlice(t, dir)("providers", "list")
	_, line, ok := strings.Cut(out, "to keep it as it is: meterdesk ")
	if !ok {
		t.Fatalf("no command line in the note: %q", out)
	}
	line = strings.TrimSuffix(strings.TrimSpace(line), ")")
	// The words the shell makes of the line (read with eval, as typed).
	got, err := exec.Command(sh, "-c", `eval "set -- $1"; for a in "$@"; do printf '[%s]' "$a"; done`, "sh", line).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	if want := "[providers][update][1][--name][" + name + "]"; string(got) != want {
		t.Errorf("the shell reads %s\nas %s\nwant %s", line, got, want)
	}
}

// TestProvidersListNotesEveryRemovedQueryName: the note of an address
// whose query held several values names each parameter removed (never a
// value) in one sentence: it read "held a value in its query, which may
// be a credential (stream=), which was removed", naming stream= alone.
func TestProvidersListNotesEveryRemovedQueryName(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', 'https://lab.example.com/v1?stream=true&pwd=hunter2', 'ref-lab', 'none', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`)
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := asAlice(t, dir)("providers", "list")
	const want = "note: Lab: Its saved address (https://lab.example.com/v1?stream=xxxxx&pwd=xxxxx) held stream= and pwd= in its query, which may be credentials; they were removed (no provider sends them); the address is now https://lab.example.com/v1."
	if strings.Contains(out, "hunter2") || !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
		t.Fatalf("list: %q\nwant %q", out, want)
	}
}
