package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestIsDiskFull: a full disk is told apart from other failures, whether
// the operating system says so (ENOSPC, wrapped in a PathError and again
// with context) or SQLite does (SQLITE_FULL: here a database held to its
// current size by max_page_count, as a full disk holds it).
func TestIsDiskFull(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Writer().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pages int64
	if err := conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	_, full := conn.ExecContext(ctx, "CREATE TABLE filler(x); INSERT INTO filler VALUES (zeroblob(1000000))")
	if full == nil || !strings.Contains(full.Error(), "full") {
		t.Fatalf("filling a database held to its size: %v, want SQLite's full error", full)
	}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"SQLITE_FULL", fmt.Errorf("restore: copy the backup: %w", full), true},
		{"ENOSPC", fmt.Errorf("copy: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), true},
		{"other errno", fmt.Errorf("copy: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.EACCES}), false},
		{"not found", os.ErrNotExist, false},
		{"the words alone", errors.New("database or disk is full"), false},
		{"nil", nil, false},
	} {
		if got := IsDiskFull(c.err); got != c.want {
			t.Errorf("%s: IsDiskFull(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
