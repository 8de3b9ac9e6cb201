package core

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/backend/store"
	"meterdesk/tests/damage"
)

// TestUncleanShutdownChecksTheWholeFile: an open reads the whole database
// (quick_check) after a shutdown that did not close it (a -wal left while
// no Meterdesk process has the folder), and refuses a page damaged in a
// table no open reads, leaving the files as they were; while another
// process has the folder open its -wal is no sign of that, and the open
// makes only the checks every open makes. Before, every open read the
// whole file.
func TestUncleanShutdownChecksTheWholeFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	root, pageSize := damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return b.DB.Write(ctx, fn) })
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, store.FileName)
	damage.Overwrite(t, path, root, pageSize)

	// Closed cleanly: the damage at rest is not looked for.
	first, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatalf("an open after a clean shutdown: %v", err)
	}
	if err := first.DB.SetSetting(ctx, "note", "a write in the -wal"); err != nil {
		t.Fatal(err)
	}
	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// Its -wal is first's, which has the folder open.
	second, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatalf("an open beside another process: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	// first dies: its -wal stays behind, and nobody has the folder.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	main, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, Options{DataDir: dir}); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("an open after an unclean shutdown: %v, want ErrCorrupt", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(main, after) {
		t.Fatal("the refused database was modified")
	}
	if after, _ := os.ReadFile(path + "-wal"); !bytes.Equal(wal, after) {
		t.Fatal("the refused database's -wal was modified")
	}
}
