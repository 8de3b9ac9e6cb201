package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSecureLeavesNoOldText: a row deleted by WriteSecure is not
// left in the database file's free space once Checkpoint has run (with
// Write, as SQLite's default secure_delete=off leaves it, it is), and the
// writer is back to secure_delete off afterwards.
func TestWriteSecureLeavesNoOldText(t *testing.T) {
	for _, secure := range []bool{false, true} {
		ctx := context.Background()
		dir := t.TempDir()
		db, err := Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		const secret = "sk-secret-0123456789-abcdef"
		if err := db.SetSetting(ctx, "probe", "https://"+secret+"@host.example/v1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		write := db.Write
		if secure {
			write = db.WriteSecure
		}
		if err := write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec("DELETE FROM settings WHERE key = 'probe'")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if busy, err := db.Checkpoint(ctx); err != nil || busy {
			t.Fatalf("checkpoint: busy %v, %v", busy, err)
		}
		var sd int
		if err := db.Writer().QueryRow("PRAGMA secure_delete").Scan(&sd); err != nil || sd != 0 {
			t.Errorf("secure_delete after the write: %d, %v", sd, err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		if left := bytes.Contains(raw, []byte(secret)); left == secure {
			t.Errorf("secure %v: the old text left in the file: %v", secure, left)
		}
		wal, _ := os.ReadFile(filepath.Join(dir, FileName+"-wal"))
		if bytes.Contains(wal, []byte(secret)) {
			t.Errorf("secure %v: the -wal holds the old text after the checkpoint", secure)
		}
		db.Close()
	}
}
