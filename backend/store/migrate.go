package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migrations are embedded SQL files named NNNN_description.sql. The number is
// the version; files are applied in ascending order, each in its own
// transaction together with its schema_migrations row. Number ranges per area:
// 0001-0099 store, 0100 ledger, 0200 rates/metering, 0300 providers/chat,
// 0400 team, 0500 reports/statements, 0600 gateway.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		if !ok || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, name, v)
		}
		seen[v] = name
		body, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// knownVersions is the set of this version's migration numbers.
func knownVersions() map[int]bool {
	ms, _ := loadMigrations()
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.version] = true
	}
	return known
}

func latestVersion() int {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies every embedded migration not yet recorded.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	// Checked again here, on the connection that writes: Check may have run
	// before another process (a newer Meterdesk) committed its migrations.
	_, ours, err := schemaVersion(ctx, db.w)
	switch {
	case err != nil:
		return fmt.Errorf("read schema_migrations: %w", err)
	case !ours:
		return fmt.Errorf("%w: %s has no Meterdesk schema", ErrCorrupt, db.Path)
	}
	if err := newerSchema(ctx, db.w, db.Path); err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := db.w.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := db.Write(ctx, func(tx *sql.Tx) error {
			run := func() error { _, err := tx.ExecContext(ctx, m.sql); return err }
			if strings.HasPrefix(m.sql, writableSchemaMarker) {
				run = func() error { return editSchema(ctx, tx, m.sql) }
			}
			if err := run(); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name) VALUES (?, ?)", m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
	}
	return nil
}

// writableSchemaMarker starts a migration that edits table definitions in
// sqlite_schema in place: only changes that leave the stored format alone
// (constraints such as a foreign key's deferrability), following
// sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
// Changes".
const writableSchemaMarker = "-- meterdesk:writable-schema"

// editSchema runs such a migration inside tx: writable_schema on, the
// migration's statements, schema_version one higher (so that every
// connection reloads the schema), writable_schema off, and a quick_check
// that must pass for the transaction to commit.
func editSchema(ctx context.Context, tx *sql.Tx, script string) error {
	var version int64
	if err := tx.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema_version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA writable_schema = ON"); err != nil {
		return fmt.Errorf("writable_schema: %w", err)
	}
	_, err := tx.ExecContext(ctx, script)
	if err == nil {
		_, err = tx.ExecContext(ctx, "PRAGMA schema_version = "+strconv.FormatInt(version+1, 10))
	}
	if _, offErr := tx.ExecContext(ctx, "PRAGMA writable_schema = OFF"); err == nil && offErr != nil {
		err = fmt.Errorf("writable_schema off: %w", offErr)
	}
	if err != nil {
		return err
	}
	var check string
	if err := tx.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil || check != "ok" {
		return fmt.Errorf("%w: quick_check after editing the schema: %q %v", ErrCorrupt, check, err)
	}
	return nil
}
