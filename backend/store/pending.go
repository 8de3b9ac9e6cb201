package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// NeedsMigration reports whether the database in dir is a Meterdesk
// database with migrations this version has and it has not applied yet (an
// upgrade), reading it without writing anything. A missing or empty file,
// or one without our schema, needs none here (Open creates or refuses it).
// The caller can then apply them with the data folder to itself: a
// Meterdesk process of the earlier version that still had the database
// open would otherwise keep running against a schema it does not know
// (a trigger calling a function it lacks, say).
func NeedsMigration(ctx context.Context, dir string) (bool, error) {
	path := filepath.Join(dir, FileName)
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return false, nil
	}
	ro, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return false, fmt.Errorf("open %s: %w", path, err)
	}
	defer ro.Close()
	ro.SetMaxOpenConns(1)
	if _, ours, err := schemaVersion(ctx, ro); err != nil || !ours {
		return false, err
	}
	applied := map[int]bool{}
	rows, err := ro.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return false, fmt.Errorf("read schema_migrations of %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return false, err
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if len(applied) == 0 {
		return false, nil // created but never migrated: nobody can have used it
	}
	ms, err := loadMigrations()
	if err != nil {
		return false, fmt.Errorf("load migrations: %w", err)
	}
	for _, m := range ms {
		if !applied[m.version] {
			return true, nil
		}
	}
	return false, nil
}
