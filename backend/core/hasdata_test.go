package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/backend/store"
	"meterdesk/tests/dirstate"
)

// TestHasDatabase: only a database with something in it (or a restore
// staged or cut short, which brings one) counts; looking creates nothing.
func TestHasDatabase(t *testing.T) {
	withDB := t.TempDir()
	db, err := store.Open(context.Background(), withDB)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
		want bool
	}{
		{"missing folder", func(t *testing.T) string { return filepath.Join(t.TempDir(), "typo", "deeper") }, false},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, false},
		{"empty file", func(t *testing.T) string {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, store.FileName), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return d
		}, false},
		{"a database", func(*testing.T) string { return withDB }, true},
		{"a staged restore", func(t *testing.T) string {
			d := t.TempDir()
			if err := os.Mkdir(filepath.Join(d, restoreDirName), 0o700); err != nil {
				t.Fatal(err)
			}
			return d
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := c.dir(t)
			_, statErr := os.Stat(dir)
			got, err := HasDatabase(dir)
			if err != nil || got != c.want {
				t.Fatalf("HasDatabase = %v, %v; want %v", got, err, c.want)
			}
			if _, err := os.Stat(dir); os.IsNotExist(statErr) != os.IsNotExist(err) {
				t.Fatal("looking created the folder")
			}
		})
	}
}

// TestRequireWorkspace: Open with RequireWorkspace (every CLI command
// but setup and restore) takes only a database with a member as a
// workspace; one with no member, at any schema (even from before the team
// area, or with no table), is refused with ErrNoWorkspace, leaving the
// folder exactly as it was. Where a read-only look cannot tell (a restore
// staged there, a file Open refuses), Open decides and says why, not
// ErrNoWorkspace.
func TestRequireWorkspace(t *testing.T) {
	ctx := context.Background()
	opened := func(t *testing.T, fn func(b *Backend)) string {
		t.Helper()
		d := t.TempDir()
		b, err := Open(ctx, Options{DataDir: d})
		if err != nil {
			t.Fatal(err)
		}
		fn(b)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	exec := func(t *testing.T, b *Backend, qs ...string) {
		t.Helper()
		for _, q := range qs {
			if _, err := b.DB.Writer().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
		want bool
	}{
		{"missing folder", func(t *testing.T) string { return filepath.Join(t.TempDir(), "typo") }, false},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, false},
		{"not set up", func(t *testing.T) string { return opened(t, func(*Backend) {}) }, false},
		{"not set up, an older schema", func(t *testing.T) string {
			return opened(t, func(b *Backend) {
				exec(t, b, `DROP TRIGGER team_usage_quarters_count`, `DROP TABLE team_usage_quarters`,
					`DELETE FROM schema_migrations WHERE version = 700`)
			})
		}, false},
		{"before the team area", func(t *testing.T) string {
			return dirstate.RawDatabase(t, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
				applied_at TEXT NOT NULL DEFAULT 'x')`, `INSERT INTO schema_migrations(version, name) VALUES (1, '0001_settings.sql')`)
		}, false},
		{"no table yet", func(t *testing.T) string { return dirstate.RawDatabase(t, `CREATE TABLE t (x)`, `DROP TABLE t`) }, false},
		{"set up", func(t *testing.T) string {
			return opened(t, func(b *Backend) {
				b.Team.SetHashParams(fastHashes)
				if _, err := b.Team.Setup(ctx, goodSetup()); err != nil {
					t.Fatal(err)
				}
			})
		}, true},
		{"only a removed member left", func(t *testing.T) string {
			return opened(t, func(b *Backend) {
				b.Team.SetHashParams(fastHashes)
				if _, err := b.Team.Setup(ctx, goodSetup()); err != nil {
					t.Fatal(err)
				}
				exec(t, b, `UPDATE users SET status = 'removed', removed_at = '2026-01-01T00:00:00Z'`)
			})
		}, true},
		// A restore folder with nothing staged in it brings no database:
		// still no workspace.
		{"not set up, an empty restore folder", func(t *testing.T) string {
			d := opened(t, func(*Backend) {})
			if err := os.Mkdir(filepath.Join(d, restoreDirName), 0o700); err != nil {
				t.Fatal(err)
			}
			return d
		}, false},
		{"damaged", func(t *testing.T) string {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, store.FileName), []byte("not a database at all"), 0o600); err != nil {
				t.Fatal(err)
			}
			return d
		}, true},
		{"another tool's database", func(t *testing.T) string { return dirstate.RawDatabase(t, `CREATE TABLE notes (x)`) }, true},
		{"not set up, from a newer version", func(t *testing.T) string {
			return opened(t, func(b *Backend) {
				exec(t, b, `INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_future.sql')`)
			})
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := c.dir(t)
			before := dirstate.Stamped(t, dir)
			b, err := Open(ctx, Options{DataDir: dir, RequireWorkspace: true})
			if b != nil {
				defer b.Close()
			}
			if got := !errors.Is(err, ErrNoWorkspace); got != c.want {
				t.Fatalf("Open with RequireWorkspace: %v; want a workspace: %v", err, c.want)
			}
			if after := dirstate.Stamped(t, dir); !c.want && after != before {
				t.Fatalf("refusing changed the folder:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
