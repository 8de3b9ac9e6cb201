package store

import (
	"context"
	"fmt"
)

// Compact rebuilds the database (VACUUM) when it has free pages, and says
// whether it did. A restore brings a backup in byte for byte (CopyIn); a
// backup Meterdesk wrote (Backup: VACUUM INTO) has no free pages, but a
// copy of a live database made by hand has, and they still hold what was
// deleted before the copy (an old provider address with its credential, a
// deleted conversation): compacting the staged copy keeps that out of the
// restored database. Text freed inside pages still in use is not found by
// this test; SQLite's secure_delete is off, in the live database as here.
func (db *DB) Compact(ctx context.Context) (bool, error) {
	var free int64
	if err := db.w.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return false, fmt.Errorf("compact: %w", err)
	}
	if free == 0 {
		return false, nil
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM"); err != nil {
		return false, fmt.Errorf("compact: %w", err)
	}
	return true, nil
}
