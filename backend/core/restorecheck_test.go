package core

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	home, backup, b, alice := checkHome(t)
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
	_, noCopyLeft := emptyTempFolder(t) // where the copy checked goes (os.TempDir)

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

// checkHome opens a workspace (admin alice, keys sealed in a file) in a
// new data folder, home, and names a backup file beside it, not yet written.
func checkHome(t *testing.T) (home, backup string, b *Backend, alice context.Context) {
	t.Helper()
	t.Setenv("METERDESK_SECRETS", "file")
	home, backup = t.TempDir(), filepath.Join(t.TempDir(), "backup.db")
	b, err := Open(context.Background(), Options{DataDir: home})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.Team.SetHashParams(fastHashes)
	admin, err := b.Team.Setup(context.Background(), goodSetup())
	if err != nil {
		t.Fatal(err)
	}
	return home, backup, b, access.WithActor(context.Background(), admin)
}

// emptyTempFolder makes the system's temporary folder (TMPDIR) a new,
// empty one for the test, and returns it with a check that nothing was
// left in it, which fails if the folder cannot be read (an unread folder is
// not an empty one).
func emptyTempFolder(t *testing.T) (tmp string, noCopyLeft func(what string)) {
	t.Helper()
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp, func(what string) {
		t.Helper()
		if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
			t.Fatalf("%s left %v in the temporary folder (%v)", what, entries, err)
		}
	}
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

// TestCheckBackupCopyPlace: where a check makes the copy it checks. An
// admin's check (CheckBackup) makes it in the data folder, under the
// staging prefix the next start sweeps if the check is killed, so it
// works when the system's temporary folder cannot hold it (here: it does
// not exist) and leaves nothing there or in the data folder. A check for a
// folder with no database (CheckBackupFile) makes it in the system's
// temporary folder, and first removes the folders of checks killed there
// (meterdesk-check-*) that nothing has changed in for an hour; newer ones,
// other folders and files are kept, and the folder checked for is left
// as it was.
func TestCheckBackupCopyPlace(t *testing.T) {
	home, backup, b, alice := checkHome(t)
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}

	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone")) // a temporary folder that holds nothing
	if s, err := b.CheckBackup(alice, backup); err != nil || s.Workspace != "Acme" {
		t.Fatalf("at home with no temporary folder: %+v, %v", s, err)
	}
	if got := restoreLeftovers(t, home); len(got) != 0 {
		t.Fatalf("the check at home left %v", got)
	}

	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old, hour := time.Now().Add(-2*time.Hour), time.Now().Add(-50*time.Minute)
	made := map[string]time.Time{ // path in tmp → its modification time ("/" ends a folder)
		"meterdesk-check-killed/":                 old,
		"meterdesk-check-killed/meterdesk.db":     old,
		"meterdesk-check-killed/meterdesk.db-wal": old,
		"meterdesk-check-empty/":                  old,
		"meterdesk-check-writing/":                old, // its copy is still being written
		"meterdesk-check-writing/meterdesk.db":    time.Now(),
		"meterdesk-check-recent/":                 hour,
		"meterdesk-check-recent/meterdesk.db":     hour,
		"meterdesk-check-a-file":                  old,
		"other-old/":                              old,
		"other-old/meterdesk.db":                  old,
	}
	paths := slices.Sorted(maps.Keys(made))
	var err error
	for _, p := range paths {
		full := filepath.Join(tmp, strings.TrimSuffix(p, "/"))
		if strings.HasSuffix(p, "/") {
			err = os.Mkdir(full, 0o700)
		} else {
			err = os.WriteFile(full, []byte("copy"), 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range slices.Backward(paths) { // a folder's time after what is in it
		if err := os.Chtimes(filepath.Join(tmp, strings.TrimSuffix(p, "/")), made[p], made[p]); err != nil {
			t.Fatal(err)
		}
	}
	newDir := filepath.Join(t.TempDir(), "new")
	if s, err := CheckBackupFile(context.Background(), Options{DataDir: newDir}, backup); err != nil || s.Workspace != "Acme" {
		t.Fatalf("for a new folder: %+v, %v", s, err)
	}
	if _, err := os.Stat(newDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the check made %s: %v", newDir, err)
	}
	var left []string
	for _, p := range paths {
		if _, err := os.Stat(filepath.Join(tmp, p)); err == nil {
			left = append(left, p)
		}
	}
	want := []string{"meterdesk-check-a-file", "meterdesk-check-recent/", "meterdesk-check-recent/meterdesk.db",
		"meterdesk-check-writing/", "meterdesk-check-writing/meterdesk.db", "other-old/", "other-old/meterdesk.db"}
	if !slices.Equal(left, want) {
		t.Fatalf("left in the temporary folder %q, want %q", left, want)
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 4 {
		t.Fatalf("the check left its copy: %v (%v)", entries, err)
	}
}
