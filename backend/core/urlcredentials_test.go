package core

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// TestOpenMovesCredentialsOutOfStoredURLs: providers an older version saved
// with a credential in the plain base_url column (rows written with raw SQL,
// as that version wrote them, and its audit entries repeating the URL) are
// cleaned when the database is opened: a token of the key's kind on a
// provider without a key becomes its sealed key (and the provider works
// against a fake server that requires it), any other credential is removed;
// each gets a notice and a provider.url_credential audit entry; the old
// audit entries no longer hold it; and after the checkpoint neither the
// database file nor its -wal holds any of the secrets. A second open
// changes nothing; a save clears the notice.
func TestOpenMovesCredentialsOutOfStoredURLs(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	ctx := context.Background()
	dir := t.TempDir()
	oai := fake.NewOpenAI(fake.Script{Models: []string{"m1"}})
	defer oai.Close()
	gem := fake.NewGemini(fake.Script{Models: []string{"gemini-2.5-flash"}})
	defer gem.Close()
	const (
		labToken   = "sk-labtoken-0123456789abcdef"
		gemKey     = "AIzaGeminiKey-0123456789xyz"
		proxyPass  = "hunter2-Proxy-Pass-987"
		slashToken = "sk-abc123/def456ghij-SLASH"
		keyedToken = "sk-keyed-URL-token-55555"
		keyedKey   = "sk-the-saved-key-0000-1111"
	)
	oai.RequireKey(labToken)
	gem.RequireKey(gemKey)
	secrets := []string{labToken, gemKey, proxyPass, slashToken, keyedToken, "sk-abc123"}

	// A workspace with one provider saved as today (a sealed key) and one
	// with nothing in its URL.
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	actx := access.WithActor(ctx, admin)
	keyed, err := b.Providers.Add(actx, providers.Input{Name: "Keyed", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1", APIKey: keyedKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Providers.Add(actx, providers.Input{Name: "Plain", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1"})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	// What an older version wrote.
	labURL := strings.Replace(oai.BaseURL(), "http://", "http://"+labToken+"@", 1)
	gemURL := gem.BaseURL() + "/v1beta?alt=sse&key=" + gemKey // the JSON of the audit entry holds \u0026
	old := map[string]struct {
		kind providers.Kind
		url  string
	}{
		"Lab":   {providers.KindCompatible, labURL},
		"Gem":   {providers.KindGemini, gemURL},
		"Proxy": {providers.KindCompatible, "https://bob:" + proxyPass + "@proxy.example.com/v1"},
		"Slash": {providers.KindOpenAI, "https://" + slashToken + "@api.openai.com/v1"},
	}
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		for name, o := range old {
			res, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'none', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, name, o.kind, o.url, "ref-"+name)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			after, _ := json.Marshal(map[string]string{"name": name, "kind": string(o.kind), "baseUrl": o.url, "key": "none"})
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', 'provider.add', ?, ?)`,
				"provider:"+strconv.FormatInt(id, 10), string(after)); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("UPDATE providers SET base_url = ? WHERE id = ?", "http://"+keyedToken+"@127.0.0.1:9/v1", keyed.ID); err != nil {
			return err
		}
		// A reply the Slash provider failed, its token's first part read
		// as the host.
		res, err := tx.Exec(`INSERT INTO chat_conversations(user_id, title, created_at, updated_at) VALUES (?, 'Hi', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, admin.UserID)
		if err != nil {
			return err
		}
		conv, _ := res.LastInsertId()
		_, err = tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
			VALUES ('m1', ?, 'assistant', '', 'error', 'Slash', 'offline: the provider cannot be reached: cannot connect to sk-abc123: its address could not be found', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, conv)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := audittestCount(t, dir)

	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()
	// While it is open (the window's case): the checkpoint has copied the
	// clean pages into the file and emptied the -wal.
	noSecretsIn(t, dir, secrets)
	actx = access.WithActor(ctx, admin)
	list, err := b.Providers.List(actx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]providers.Provider{}
	for _, p := range list {
		byName[p.Name] = p
	}
	for _, tc := range []struct {
		name, url, store, notice string
	}{
		{"Lab", oai.BaseURL(), providers.StoreSealed, "held a token; it is now the provider's API key"},
		{"Gem", gem.BaseURL(), providers.StoreSealed, "held an API key in its query (key=); it is now the provider's API key"},
		{"Proxy", "https://proxy.example.com/v1", providers.StoreNone, "held a user name and password; it was removed (no provider sends it)"},
		{"Slash", "https://api.openai.com/v1", providers.StoreSealed, "held a token; it is now the provider's API key"},
		{"Keyed", "http://127.0.0.1:9/v1", providers.StoreSealed, "held a token; it was removed (the provider has an API key already)"},
		{"Plain", "http://127.0.0.1:9/v1", providers.StoreNone, ""},
	} {
		p := byName[tc.name]
		if p.BaseURL != tc.url || p.KeyStore != tc.store || !strings.Contains(p.Notice, tc.notice) || (tc.notice == "") != (p.Notice == "") {
			t.Errorf("%s: %q, key %s, notice %q; want %q, key %s, notice with %q", tc.name, p.BaseURL, p.KeyStore, p.Notice, tc.url, tc.store, tc.notice)
		}
		for _, s := range secrets {
			if strings.Contains(p.Notice, s) {
				t.Errorf("%s: the notice repeats the secret: %q", tc.name, p.Notice)
			}
		}
	}
	if !strings.Contains(byName["Proxy"].Notice, "https://bob:xxxxx@proxy.example.com/v1") ||
		!strings.Contains(byName["Gem"].Notice, "key=xxxxx") {
		t.Errorf("notices name the old address redacted: %q, %q", byName["Proxy"].Notice, byName["Gem"].Notice)
	}
	// A member sees no notice (it names the address).
	mlist, err := b.Providers.List(access.WithActor(ctx, access.Actor{UserID: admin.UserID + 1, Name: "bob", Role: access.RoleMember}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range mlist {
		if p.Notice != "" {
			t.Errorf("a member sees %s's notice: %q", p.Name, p.Notice)
		}
	}
	var replyErr string
	if err := b.DB.Read().QueryRow("SELECT error FROM chat_messages WHERE uid = 'm1'").Scan(&replyErr); err != nil ||
		replyErr != "offline: the provider cannot be reached: cannot connect to xxxxx: its address could not be found" {
		t.Errorf("the reply's error: %q, %v", replyErr, err)
	}
	// The moved keys work; the kept key is the one saved.
	for _, name := range []string{"Lab", "Gem"} {
		if res, err := b.Providers.Test(actx, byName[name].ID); err != nil || !res.OK {
			t.Errorf("%s after the move: %+v, %v", name, res, err)
		}
	}
	if byName["Keyed"].KeyHint != "…1111" {
		t.Errorf("Keyed kept its key: hint %q", byName["Keyed"].KeyHint)
	}
	// The audit log: one entry per provider cleaned, by the system; no entry
	// holds a secret.
	entries := audittest.Entries(t, b.DB)
	moved := 0
	for _, e := range entries {
		for _, s := range secrets {
			if strings.Contains(e.Before+e.After, s) || strings.Contains(e.Before+e.After, strings.ReplaceAll(s, "&", `\u0026`)) {
				t.Errorf("audit entry %s %s holds a secret: %s %s", e.Action, e.Target, e.Before, e.After)
			}
		}
		if e.Action == "provider.url_credential" {
			moved++
			if e.ActorName != "system" || !strings.Contains(e.After, `"outcome"`) {
				t.Errorf("entry: %+v", e)
			}
		}
	}
	if moved != 5 || len(entries) != before+5+2 { // and the two tests
		t.Errorf("%d provider.url_credential entries of %d (were %d); want 5 more and 2 tests", moved, len(entries), before)
	}
	if res, err := b.Providers.Update(actx, byName["Proxy"].ID, providers.Input{Name: "Proxy", Kind: providers.KindCompatible, BaseURL: "https://proxy.example.com/v1"}); err != nil || !res.Unchanged || res.Notice != "" {
		t.Errorf("saving as shown: %+v, %v; want unchanged, the notice cleared", res, err)
	}
	b.Close()

	// Opened again: nothing more to do.
	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(audittest.Entries(t, b.DB)); n != len(entries) {
		t.Errorf("a second open wrote %d audit entries", n-len(entries))
	}
	b.Close()
	noSecretsIn(t, dir, secrets)
}

func audittestCount(t *testing.T, dir string) int {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return len(audittest.Entries(t, db))
}

// noSecretsIn fails when the database file or its -wal in dir holds one
// of secrets.
func noSecretsIn(t *testing.T, dir string, secrets []string) {
	t.Helper()
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s still holds %q", name, s)
			}
		}
	}
}

// TestRestoredBackupHasItsURLCredentialMoved: a backup holding a provider
// with its token in the base URL is described without touching it (the
// staged copy moves nothing: its key would be sealed with the staging
// folder's secrets.key), and cleaned when the restore is finished in the
// data folder: the key sealed there works.
func TestRestoredBackupHasItsURLCredentialMoved(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	const token = "sk-backup-token-0123456789"
	srv := fake.NewOpenAI(fake.Script{Models: []string{"m1"}})
	defer srv.Close()
	srv.RequireKey(token)
	f := newRestoreFixture(t)
	// The backup, taken as an older version had the row.
	err := f.b.DB.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', ?, 'ref-lab', 'none', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
			strings.Replace(srv.BaseURL(), "http://", "http://"+token+"@", 1))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.backup = filepath.Join(t.TempDir(), "old.db")
	if err := f.b.Backup(f.alice, f.backup); err != nil {
		t.Fatal(err)
	}
	r := f.stage(t)
	if len(r.Backup.KeysToEnter) != 0 {
		t.Errorf("keys to enter: %v", r.Backup.KeysToEnter)
	}
	f.reopen(t) // finishes the restore, then moves the token
	list, err := f.b.Providers.List(f.alice)
	if err != nil || len(list) != 1 || list[0].KeyStore != providers.StoreSealed || list[0].BaseURL != srv.BaseURL() || list[0].Notice == "" {
		t.Fatalf("after the restore: %+v, %v", list, err)
	}
	if res, err := f.b.Providers.Test(f.alice, list[0].ID); err != nil || !res.OK {
		t.Errorf("the moved key after the restore: %+v, %v", res, err)
	}
	noSecretsIn(t, f.dir, []string{token})
}
