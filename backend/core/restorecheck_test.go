package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
	"meterdesk/backend/store"
	"meterdesk/tests/dirstate"
)

// TestCheckBackupFile: a backup is checked for a data folder with no
// database (a new computer) without a sign-in, and nothing is made or
// written in that folder, which need not exist; the copy it checks goes to
// the system's temporary folder and is removed. The summary names the
// providers whose keys cannot be opened there (sealed with the home
// folder's secrets.key, which the backup does not hold), in the sentence
// the window and the CLI show. A folder with a database is refused
// (ErrHasDatabase: an admin checks there, CheckBackup), as is a bad backup,
// changing nothing. An admin's check at home, where the keys were sealed,
// names none, and leaves nothing in the data folder either.
func TestCheckBackupFile(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	home, backup := t.TempDir(), filepath.Join(t.TempDir(), "backup.db")
	b, err := Open(context.Background(), Options{DataDir: home})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Team.SetHashParams(fastHashes)
	admin, err := b.Team.Setup(context.Background(), goodSetup())
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(context.Background(), admin)
	for _, in := range []providers.Input{
		{Name: "cloud", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1", APIKey: "sk-test-0123456789abcdef"},
		{Name: "another cloud", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v2", APIKey: "sk-test-abcdef0123456789"},
		{Name: "local", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v3"},
	} {
		if _, err := b.Providers.Add(alice, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the copy checked goes (os.TempDir)
	noCopyLeft := func(what string) {
		t.Helper()
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Fatalf("%s left %v in the temporary folder", what, entries)
		}
	}

	base := t.TempDir()
	empty := filepath.Join(base, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"another cloud", "cloud"}
	for _, c := range []struct {
		name, dir, file string
		err             error
		want            string
	}{
		{"a folder that does not exist", filepath.Join(base, "no", "such"), backup, nil, ""},
		{"an empty folder", empty, backup, nil, ""},
		{"a folder with a database", home, backup, ErrHasDatabase, "sign in as an admin"},
		{"not a backup", empty, notBackup, store.ErrNotBackup, "not an SQLite database"},
		{"a missing backup", empty, filepath.Join(base, "nope.db"), os.ErrNotExist, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, homeBefore := dirstate.Stamped(t, base), dirstate.Of(t, home)
			s, err := CheckBackupFile(context.Background(), Options{DataDir: c.dir}, c.file)
			switch {
			case c.err == nil && err != nil:
				t.Fatal(err)
			case c.err == nil && (s.Workspace != "Acme" || s.Members != 1 || !slices.Equal(s.KeysToEnter, wantKeys) ||
				!strings.HasPrefix(s.KeysNote, "The API keys of 2 providers (another cloud, cloud) cannot be opened on this machine") ||
				!strings.Contains(s.KeysNote, "type them again")):
				t.Fatalf("summary %+v", s)
			case c.err != nil && (!errors.Is(err, c.err) || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err %v, want %v and %q", err, c.err, c.want)
			}
			if after := dirstate.Stamped(t, base); after != before {
				t.Fatalf("the check changed the folder:\nbefore %s\nafter  %s", before, after)
			}
			if dirstate.Of(t, home) != homeBefore {
				t.Fatal("the check changed the home folder")
			}
			noCopyLeft(c.name)
		})
	}

	s, err := b.CheckBackup(alice, backup)
	if err != nil || s.Workspace != "Acme" || len(s.KeysToEnter) != 0 || s.KeysNote != "" {
		t.Fatalf("at home: %+v, %v", s, err)
	}
	if got := restoreLeftovers(t, home); len(got) != 0 {
		t.Fatalf("the check at home left %v", got)
	}
	noCopyLeft("the check at home")
}

// TestKeysNote: the sentence for one provider, for several, and none.
func TestKeysNote(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"OpenAI"}, "The API key of 1 provider (OpenAI) cannot be opened on this machine: it was sealed with another data folder's secrets.key or kept in another OS keychain, and a backup holds neither. After the restore, type it again: Settings → Providers, or `meterdesk providers update NAME --key-stdin`."},
		{[]string{"Claude", "OpenAI"}, "The API keys of 2 providers (Claude, OpenAI) cannot be opened on this machine: they were sealed with another data folder's secrets.key or kept in another OS keychain, and a backup holds neither. After the restore, type them again: Settings → Providers, or `meterdesk providers update NAME --key-stdin`."},
	} {
		if got := keysNote(c.names); got != c.want {
			t.Errorf("%q: %q, want %q", c.names, got, c.want)
		}
	}
}
