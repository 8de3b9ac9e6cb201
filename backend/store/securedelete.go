package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// WriteSecure is Write with SQLite's secure_delete on for the transaction
// (sqlite.org/pragma.html#pragma_secure_delete): the text a row held
// before fn changed or deleted it is overwritten with zeros in the page,
// not left in its free space, so that a secret taken out of a column is
// not still in the database file. The -wal keeps the pages as they were
// until a checkpoint; Checkpoint empties it. secure_delete is off
// otherwise (SQLite's default): it costs writes that ordinary use does not
// need.
func (db *DB) WriteSecure(ctx context.Context, fn func(tx *sql.Tx) error) error {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "PRAGMA secure_delete=ON"); err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer func() {
		if _, err := c.ExecContext(context.WithoutCancel(ctx), "PRAGMA secure_delete=OFF"); err != nil {
			_ = c.Raw(func(any) error { return driver.ErrBadConn }) // a new connection has it off
		}
	}()
	return writeTx(ctx, c, fn)
}

// Checkpoint copies every commit in the -wal into the database file and
// empties the -wal (wal_checkpoint(TRUNCATE)), waiting up to the busy
// timeout for readers. It reports busy when another process kept it from
// finishing: what was written is safe, but the -wal still holds frames.
func (db *DB) Checkpoint(ctx context.Context) (busy bool, err error) {
	var b, frames, copied int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&b, &frames, &copied); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return b != 0, nil
}
