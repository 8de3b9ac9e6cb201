package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/store"
	"meterdesk/tests/dirstate"
)

// unsetDatabases are data folders whose database has no workspace, each as
// a version of Meterdesk may have left it: this version's schema (its
// window closed at the first-run wizard), an older one (a migration this
// version has not applied yet), one from before the team area (no members
// table at all), and a database with no table yet.
var unsetDatabases = []struct {
	name string
	make func(t *testing.T) string
}{
	{"this version's schema", unsetDatabase},
	{"an older schema (migration 0700 not applied)", func(t *testing.T) string {
		dir := t.TempDir()
		b, err := core.Open(context.Background(), core.Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TRIGGER team_usage_quarters_count`, `DROP TABLE team_usage_quarters`,
			`DELETE FROM schema_migrations WHERE version = 700`} {
			if _, err := b.DB.Writer().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		return dir
	}},
	{"before the team area (migration 0001 only)", func(t *testing.T) string {
		return dirstate.RawDatabase(t, `PRAGMA journal_mode = WAL`,
			`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
				applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`,
			`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL,
				updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`,
			`INSERT INTO schema_migrations(version, name) VALUES (1, '0001_settings.sql')`)
	}},
	{"no table yet", func(t *testing.T) string {
		return dirstate.RawDatabase(t, `PRAGMA journal_mode = WAL`, `CREATE TABLE t (x)`, `DROP TABLE t`)
	}},
}

// TestRefusedUnsetDatabaseIsLeftAsItWas: a command refused because the
// folder's database has no workspace says "nothing was changed", and it is
// so, whatever version left the database: it is not migrated, no lock file
// or -wal is made beside it, not one byte or modification time changes
// (the refusal is decided from core.Open's read-only look,
// RequireWorkspace, before anything is written). `status` (which lists setting it up) and
// `--user` (no member to sign in as) leave it as it was too.
func TestRefusedUnsetDatabaseIsLeftAsItWas(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, db := range unsetDatabases {
		t.Run(db.name, func(t *testing.T) {
			dir := db.make(t)
			before := dirstate.Stamped(t, dir)
			for _, c := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"credits", "balance"}, ExitNotFound, "(its database has no workspace: it was never set up): run `meterdesk workspace setup` there"},
				{[]string{"workspace", "show"}, ExitNotFound, "nothing was changed"},
				{[]string{"backup", "--out", filepath.Join(t.TempDir(), "b.db")}, ExitNotFound, "nothing was changed"},
				{[]string{"--user", "ghost", "credits", "balance"}, ExitNotFound, "nothing was changed"},
				{[]string{"status"}, ExitOK, "no Meterdesk workspace in " + dir + " yet"},
				{[]string{"--user", "ghost", "status"}, ExitNotFound, "it has no members to sign in as"},
			} {
				code, _, errs := runIn(t, "", append([]string{"--data-dir", dir}, c.args...)...)
				if code != c.code || !strings.Contains(errs, c.want) {
					t.Errorf("%v: exit %d %q; want %d and %q", c.args, code, errs, c.code, c.want)
				}
				if after := dirstate.Stamped(t, dir); after != before {
					t.Fatalf("%v changed the folder:\nbefore %s\nafter  %s", c.args, before, after)
				}
			}
			// `workspace setup` still sets it up (migrating it), and then
			// commands run.
			if code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme",
				"--currency", "EUR", "--credit-value", "0.01", "--admin", "alice", "--timezone", "UTC"); code != 0 {
				t.Fatalf("setup: %d %q %q", code, out, errs)
			}
			if code, out, errs := runIn(t, "", "--data-dir", dir, "workspace", "show"); code != 0 || !strings.Contains(out, "Acme") {
				t.Fatalf("after setup: %d %q %q", code, out, errs)
			}
		})
	}
}

// TestRestoreBringingNoWorkspaceIsNotNothingChanged: where a read-only
// look cannot tell (a restore staged in the window, which the command
// finishes), the database is opened before it is refused; a backup with no
// workspace is then refused after the restore it finished, which the
// command reports, so the refusal does not claim that nothing was changed.
func TestRestoreBringingNoWorkspaceIsNotNothingChanged(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	backup := filepath.Join(unsetDatabase(t), store.FileName)
	dir := newDatabase(t)
	b, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	admin := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin})
	_, err = b.StageRestore(admin, backup, false)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "workspace", "show")
	if code != ExitNotFound || !strings.Contains(errs, "finished the restore from "+backup) ||
		!strings.Contains(errs, "it was never set up") || strings.Contains(errs, "nothing was changed") {
		t.Fatalf("exit %d %q; want 5, the finished restore and no workspace, without \"nothing was changed\"", code, errs)
	}
}
