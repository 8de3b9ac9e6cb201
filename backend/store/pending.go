package store

import (
	"context"
	"database/sql"
	"fmt"
)

// pendingIn reports, for a Meterdesk database open read-only as ro,
// whether this version has migrations it has not applied yet
// (Inspection.Pending).
// A database created but never migrated has none to protect: nobody can
// have used it.
func pendingIn(ctx context.Context, ro *sql.DB, path string) (bool, error) {
	applied := map[int]bool{}
	rows, err := ro.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return false, fmt.Errorf("read schema_migrations of %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return false, fmt.Errorf("read schema_migrations of %s: %w", path, err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read schema_migrations of %s: %w", path, err)
	}
	if len(applied) == 0 {
		return false, nil
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
