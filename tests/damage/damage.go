// Package damage makes a sound SQLite database damaged at rest for tests:
// a table of about 400 KB that no open reads (bulk), whose root page is
// then overwritten, as a bad sector or a stray write leaves a file. Used by
// the store, core and CLI tests of the checks an open makes.
package damage

import (
	"bytes"
	"database/sql"
	"os"
	"testing"
)

// AddBulk creates the table bulk (400 rows of 1,000 random bytes) in one
// transaction run by write (a store.DB's Write), then runs each of also in
// it, and returns bulk's root page and the database's page size, which
// Overwrite takes.
func AddBulk(t testing.TB, write func(func(*sql.Tx) error) error, also ...string) (root, pageSize int64) {
	t.Helper()
	err := write(func(tx *sql.Tx) error {
		for _, q := range append([]string{
			`CREATE TABLE bulk (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`,
			`INSERT INTO bulk (body) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400)
			SELECT randomblob(1000) FROM c`,
		}, also...) {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'bulk'`).Scan(&root); err != nil {
			return err
		}
		return tx.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	})
	if err != nil {
		t.Fatalf("add the bulk table: %v", err)
	}
	return root, pageSize
}

// Overwrite fills page root (of pageSize bytes) of the database file at
// path with junk. The database must be closed, its -wal checkpointed.
func Overwrite(t testing.TB, path string, root, pageSize int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, int(pageSize)), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
