package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// GetSetting returns the value stored under key, or def when there is none.
func (db *DB) GetSetting(ctx context.Context, key, def string) (string, error) {
	return GetSettingIn(ctx, db.r, key, def)
}

// RowQueryer is what *sql.DB, *sql.Conn and *sql.Tx share for a one-row
// read.
type RowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// GetSettingIn is GetSetting read through q: in a caller's transaction, so
// that what it reads and what it writes after are one.
func GetSettingIn(ctx context.Context, q RowQueryer, key, def string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		return SetSettingTx(ctx, tx, key, value)
	})
}

// SetSettingTx stores value under key inside an open write transaction.
func SetSettingTx(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}
