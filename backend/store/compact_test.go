package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompactDropsWhatFreePagesHeld: rows deleted from a database leave
// their text in free pages (secure_delete is off); Compact rebuilds a
// database that has free pages, after which the file no longer holds the
// text, and leaves one without free pages as it is.
func TestCompactDropsWhatFreePagesHeld(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if did, err := db.Compact(ctx); err != nil || did {
		t.Fatalf("a database with no free pages: Compact = %v, %v; want false, nil", did, err)
	}
	const secret = "deleted-before-the-copy-0123456789"
	// Big enough for overflow pages, which the delete frees whole.
	value := strings.Repeat(secret+" ", 2000)
	if err := db.SetSetting(ctx, "probe", value); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM settings WHERE key = 'probe'")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, FileName)
	holds := func() bool {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Contains(b, []byte(secret))
	}
	if !holds() {
		t.Fatal("the deleted text is not in the file before Compact: the test proves nothing")
	}
	if did, err := db.Compact(ctx); err != nil || !did {
		t.Fatalf("Compact = %v, %v; want true, nil", did, err)
	}
	if _, err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if holds() {
		t.Error("the file still holds the deleted text after Compact")
	}
	var free int64
	if err := db.Read().QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil || free != 0 {
		t.Errorf("freelist_count = %d, %v after Compact; want 0", free, err)
	}
}
