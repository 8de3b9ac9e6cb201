package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
)

func TestCLIRestore(t *testing.T) {
	dir := teamWorkspace(t)
	alice := asAlice(t, dir)
	backup := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", backup)
	// A wrong password is refused (and counted as a failed sign-in, which
	// the next good one clears).
	t.Setenv("METERDESK_PASSWORD", "wrong")
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", backup); code != ExitRefused || !strings.Contains(errs, "password") {
		t.Fatalf("wrong password: exit %d %q", code, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	alice("workspace", "update", "--name", "Renamed")
	changed := dbDump(t, dir)
	unchanged := func(what string) {
		t.Helper()
		if got := dbDump(t, dir); got != changed {
			t.Fatalf("%s changed the database", what)
		}
		noRestoreLeftIn(t, dir, what)
	}

	// Usage mistakes: exit 2.
	for _, args := range [][]string{
		{"restore"},
		{"restore", backup, backup},
		{"restore", "--check", "--cancel", backup},
		{"restore", "--status", "extra"},
		{"restore", "--check"},
	} {
		if code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 2 || !strings.Contains(errs, "usage: meterdesk restore") {
			t.Errorf("%v: exit %d %q, want 2 with the usage", args, code, errs)
		}
	}
	unchanged("usage mistakes")

	// Refused: a member, a file that is not a backup, the live database.
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		user, secret string
		args         []string
		code         int
		want         string
	}{
		{"bob", "1234", []string{"restore", backup}, ExitRefused, "admin"},
		{"bob", "1234", []string{"restore", "--check", backup}, ExitRefused, "admin"},
		{"bob", "1234", []string{"restore", "--cancel"}, ExitRefused, "admin"},
		{"alice", "correct horse", []string{"restore", notBackup}, ExitUsage, "not an SQLite database"},
		{"alice", "correct horse", []string{"restore", "--check", notBackup}, ExitUsage, "not an SQLite database"},
		{"alice", "correct horse", []string{"restore", filepath.Join(dir, "meterdesk.db")}, ExitUsage, "database in use"},
	} {
		t.Setenv("METERDESK_PASSWORD", c.secret)
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", c.user}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%s %v: exit %d %q, want %d and %q", c.user, c.args, code, errs, c.code, c.want)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	unchanged("refused restores")

	// Open elsewhere (a window, `meterdesk serve`): refused, nothing changed.
	other, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", backup)
	other.Close()
	if code != ExitBusy || !strings.Contains(errs, "open in another Meterdesk process") {
		t.Fatalf("restore while open elsewhere: exit %d %q", code, errs)
	}
	unchanged("a restore while the folder was open elsewhere")

	// --check describes the backup and changes nothing.
	if out := alice("restore", "--check", backup); !strings.Contains(out, "can be restored") || !strings.Contains(out, "workspace     Acme") || !strings.Contains(out, "members       3") {
		t.Fatalf("check: %q", out)
	}
	unchanged("--check")
	if out := alice("restore", "--status"); !strings.Contains(out, "no restore is staged") {
		t.Fatalf("status: %q", out)
	}

	// The restore itself.
	out := alice("restore", backup)
	if !strings.Contains(out, "restored the database from "+backup) || !strings.Contains(out, "kept as "+filepath.Join(dir, "meterdesk.db.before-restore-")) {
		t.Fatalf("restore: %q", out)
	}
	if out := alice("workspace", "show"); !strings.Contains(out, "Acme") || strings.Contains(out, "Renamed") {
		t.Fatalf("after the restore: %q", out)
	}
	if out := alice("audit", "list", "--action", "database.restore"); !strings.Contains(out, "alice") {
		t.Fatalf("audit: %q", out)
	}
	if out := alice("credits", "verify"); !strings.Contains(out, "ledger ok") {
		t.Fatalf("verify: %q", out)
	}

	// A restore staged in the window: --status shows it, --cancel drops it,
	// and the next command finishes one that was not cancelled.
	stage := func() {
		t.Helper()
		b, err := core.Open(context.Background(), core.Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		admin := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin})
		if _, err := b.StageRestore(admin, backup, false); err != nil {
			t.Fatal(err)
		}
	}
	stage()
	var st core.RestoreStatus
	if err := json.Unmarshal([]byte(alice("--json", "restore", "--status")), &st); err != nil || st.Pending == nil || st.Pending.StagedBy != "alice" {
		t.Fatalf("status %+v (%v)", st, err)
	}
	if out := alice("restore", "--cancel"); !strings.Contains(out, "cancelled the restore from "+backup) {
		t.Fatalf("cancel: %q", out)
	}
	if out := alice("restore", "--status"); !strings.Contains(out, "no restore is staged") {
		t.Fatalf("status after cancel: %q", out)
	}
	stage()
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "workspace", "show"); code != 0 || !strings.Contains(errs, "finished the restore from "+backup) {
		t.Fatalf("the next command: exit %d %q", code, errs)
	}

	// A damaged database: commands say how to restore; the restore needs no
	// sign-in (there is nothing to sign in to) and keeps the damaged file.
	junk := []byte("SQLite format 3\x00 and then nothing a database holds")
	if err := os.WriteFile(filepath.Join(dir, "meterdesk.db"), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "workspace", "show"); code != 1 || !strings.Contains(errs, "damaged") || !strings.Contains(errs, "meterdesk restore FILE") {
		t.Fatalf("on a damaged database: exit %d %q", code, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "")
	code, out, errs = runIn(t, "", "--data-dir", dir, "restore", backup)
	if code != 0 || !strings.Contains(out, "restored the database") {
		t.Fatalf("restore over a damaged database: exit %d %q %q", code, out, errs)
	}
	kept := 0
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if raw, _ := os.ReadFile(filepath.Join(dir, e.Name())); strings.HasPrefix(e.Name(), "meterdesk.db.before-restore-") && string(raw) == string(junk) {
			kept++
		}
	}
	if kept != 1 {
		t.Fatalf("the damaged database was not kept: %v", entries)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := alice("workspace", "show"); !strings.Contains(out, "Acme") {
		t.Fatalf("after restoring over a damaged database: %q", out)
	}
}

// TestRestoreWithoutAWorkspace: in a folder whose database has no
// workspace (the window closed at its first-run wizard), where `restore
// FILE` brings a backup without a sign-in, `restore --check`, `--status`
// and `--cancel` work too, the system acting; --user is refused there (no
// member to sign in as), as by `restore FILE`. None of them changes the
// database or leaves anything in the folder.
func TestRestoreWithoutAWorkspace(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_PASSWORD", "")
	backup := filepath.Join(t.TempDir(), "acme.db")
	if code, _, errs := runIn(t, "", "--data-dir", newDatabase(t), "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %d %q", code, errs)
	}
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := unsetDatabase(t)
	before := dbDump(t, dir)
	unchanged := func(what string) {
		t.Helper()
		if dbDump(t, dir) != before {
			t.Fatalf("%s changed the database", what)
		}
		noRestoreLeftIn(t, dir, what)
	}
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"restore", "--status"}, 0, []string{"no restore is staged"}},
		{[]string{"--json", "restore", "--status"}, 0, []string{`"pending": null`}},
		{[]string{"restore", "--cancel"}, 0, []string{"no restore is staged"}},
		{[]string{"restore", "--check", backup}, 0, []string{backup + " can be restored", "workspace     Acme", "members       1"}},
		{[]string{"restore", "--check", notBackup}, ExitUsage, []string{"not an SQLite database"}},
		{[]string{"restore", "--check"}, ExitUsage, []string{"usage: meterdesk restore"}},
		{[]string{"--user", "ghost", "restore", "--status"}, ExitNotFound, []string{"--user ghost: the workspace is not set up yet: it has no members to sign in as"}},
		{[]string{"--user", "ghost", "restore", "--check", backup}, ExitNotFound, []string{"it has no members to sign in as"}},
	} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir}, c.args...)...)
		for _, w := range c.want {
			if code != c.code || !strings.Contains(out+errs, w) {
				t.Errorf("%v: exit %d %q %q; want %d and %q", c.args, code, out, errs, c.code, w)
			}
		}
		unchanged(strings.Join(c.args, " "))
	}

	// A restore staged there: --status shows it, --cancel drops it.
	b, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.StageRestore(access.WithActor(context.Background(), access.System), backup, false)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "restore", "--status"); code != 0 || !strings.Contains(out, "staged by system") || !strings.Contains(out, "restore from "+backup) {
		t.Fatalf("status of a staged restore: %d %q %q", code, out, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "restore", "--cancel"); code != 0 || !strings.Contains(out, "cancelled the restore from "+backup) {
		t.Fatalf("cancel: %d %q %q", code, out, errs)
	}
	unchanged("a staged and cancelled restore")

	// And the restore itself, as before.
	if code, out, errs := runIn(t, "", "--data-dir", dir, "restore", backup); code != 0 || !strings.Contains(out, "restored the database from "+backup) {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "workspace", "show"); code != 0 || !strings.Contains(out, "Acme") {
		t.Fatalf("after the restore: %d %q %q", code, out, errs)
	}
}

// noRestoreLeftIn fails the test if the data folder dir holds a file or
// folder of a restore (staged, kept or in progress) after what, or cannot
// be read: an unread folder is not one with nothing left in it.
func noRestoreLeftIn(t *testing.T, dir, what string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("after %s: %v", what, err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "restore") {
			t.Fatalf("%s left %s", what, e.Name())
		}
	}
}

// TestRestoreOfABadBackupSaysWhatIsWrong: a backup that is damaged or from
// a newer version is refused in words about the backup, with what to do,
// and without the hint for a damaged or newer live database ("put a backup
// in its place (the damaged file is kept)", "open it with that newer
// version"), which sent an admin restoring a backup to restore a backup.
// The database and the folder are unchanged. A restore while another
// process has the folder says to close it and try again.
func TestRestoreOfABadBackupSaysWhatIsWrong(t *testing.T) {
	dir := teamWorkspace(t)
	alice := asAlice(t, dir)
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	good := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", good)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut short.db")
	if err := os.WriteFile(cut, raw[:len(raw)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "newer.db")
	if err := os.WriteFile(newer, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations(version, name) VALUES (9999, 'future.sql')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := dbDump(t, dir)
	for _, c := range []struct {
		name, file string
		want       []string
	}{
		{"cut short", cut, []string{"the backup is damaged: " + cut, "choose another backup; nothing was changed"}},
		{"newer", newer, []string{"the backup was made by a newer version of Meterdesk (it has migration 9999",
			"restore it with that version or a later one; nothing was changed"}},
	} {
		for _, args := range [][]string{{"restore", c.file}, {"restore", "--check", c.file}} {
			code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
			if code != ExitFailed {
				t.Errorf("%s %v: exit %d %q, want %d", c.name, args, code, errs, ExitFailed)
			}
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("%s %v: %q does not say %q", c.name, args, errs, w)
				}
			}
			for _, wrong := range []string{"put a backup in its place", "open it with that newer version", "the database file is damaged"} {
				if strings.Contains(errs, wrong) {
					t.Errorf("%s %v: %q says %q, about the live database", c.name, args, errs, wrong)
				}
			}
			if got := dbDump(t, dir); got != before {
				t.Fatalf("%s %v changed the database", c.name, args)
			}
			noRestoreLeftIn(t, dir, c.name)
		}
	}

	other, err := core.Open(context.Background(), core.Options{DataDir: dir}) // a window, `meterdesk serve`
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "restore", good)
	other.Close()
	if code != ExitBusy || !strings.Contains(errs, "open in another Meterdesk process") ||
		!strings.Contains(errs, "and run the restore again; nothing was changed") {
		t.Fatalf("restore while open elsewhere: exit %d %q", code, errs)
	}
	if got := dbDump(t, dir); got != before {
		t.Fatal("a restore while the folder was open elsewhere changed the database")
	}
}
