package store

import (
	"context"
	"database/sql"
	"testing"
)

// TestEditSchemaFailureLeavesSchemaAlone runs a writable-schema migration
// whose statement fails: the error is returned, the transaction rolls back,
// schema_version is unchanged and writable_schema is off again.
func TestEditSchemaFailureLeavesSchemaAlone(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	version := func() (v int64) {
		if err := db.Writer().QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	err = db.Write(ctx, func(tx *sql.Tx) error {
		return editSchema(ctx, tx, writableSchemaMarker+"\nUPDATE sqlite_schema SET sql = sql || ' nonsense' WHERE name = 'no_such_table'; SELECT * FROM no_such_table;")
	})
	if err == nil {
		t.Fatal("a failing writable-schema migration returned no error")
	}
	if after := version(); after != before {
		t.Fatalf("schema_version moved from %d to %d", before, after)
	}
	var on int
	if err := db.Writer().QueryRowContext(ctx, "PRAGMA writable_schema").Scan(&on); err != nil || on != 0 {
		t.Fatalf("writable_schema = %d (%v), want 0", on, err)
	}
}
