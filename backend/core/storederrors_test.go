package core

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/backend/store"
)

// TestOpenHidesProxyPasswordsInStoredErrors: an error an older version
// stored with a reply, as Go worded a proxy URL it could not parse (its
// password in it), has the password hidden when the database is next
// opened, and neither the database file nor its -wal keeps it; a text
// without a credential is left as it was. It runs once: an error written
// after (by raw SQL here; this version stores none) is not read again.
func TestOpenHidesProxyPasswordsInStoredErrors(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	const (
		secret = "hunter2-proxy-PASS-4242"
		proxy  = `chat api.example.com: the provider sent a malformed response: Post "https://api.example.com/v1/chat/completions": invalid proxy address "http://alice:` + secret + `@corp proxy:3128": parse "http://alice:` + secret + `@corp proxy:3128": invalid character " " in host name`
		hidden = `chat api.example.com: the provider sent a malformed response: Post "https://api.example.com/v1/chat/completions": invalid proxy address "http://alice:xxxxx@corp proxy:3128": parse "http://alice:xxxxx@corp proxy:3128": invalid character " " in host name`
		plain  = `chat stream api.example.com: the reply was cut off before it finished (the connection closed)`
	)
	write := func(uid, text string, older bool) {
		t.Helper()
		db, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT OR IGNORE INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
				VALUES (?, 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, uid, text); err != nil {
				return err
			}
			if older { // a database an older version wrote has no such setting
				_, err := tx.Exec(`DELETE FROM settings WHERE key LIKE 'stored_errors_%'`)
				return err
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
	write("m1", proxy, true)
	write("m2", plain, true)
	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	read := func(uid string) string {
		var s string
		if err := b.DB.Read().QueryRow("SELECT error FROM chat_messages WHERE uid = ?", uid).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := read("m1"); got != hidden {
		t.Errorf("stored error:\n got %q\nwant %q", got, hidden)
	}
	if got := read("m2"); got != plain {
		t.Errorf("a stored error with no credential: %q", got)
	}
	for _, f := range []string{store.FileName, store.FileName + "-wal"} {
		raw, _ := os.ReadFile(filepath.Join(dir, f))
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%s holds the proxy's password", f)
		}
	}
	b.Close()
	write("m3", proxy, false)
	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := read("m3"); got != proxy {
		t.Errorf("read again at the next open: %q", got)
	}
}
