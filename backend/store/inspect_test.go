package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/damage"
)

// damagedAtRest returns a data folder whose database is sound but for one
// page of a table no open reads (bulk: its root page, overwritten), as a
// bad sector or a stray write leaves it; with pending, the migration
// record of this version's newest migration is removed first (a database
// this version must upgrade). Its file holds no -wal.
func damagedAtRest(t testing.TB, pending bool) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var also []string
	if pending {
		also = []string{`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`}
	}
	root, pageSize := damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return db.Write(ctx, fn) }, also...)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("a -wal was left by a clean close")
	}
	damage.Overwrite(t, path, root, pageSize)
	return dir
}

// TestTheWholeFileIsCheckedWhereItMatters: every open checks the header,
// the schema and the small tables it reads, and reads the whole file
// (quick_check) only where it matters: asked to (Full, Check: `meterdesk
// check`, an open after a shutdown that did not close the database) and
// before migrations are applied. A page damaged in a table no open reads
// is then refused, and the file left exactly as it was; an ordinary open
// lets it be, and SQLite reports the damage when the table is read.
// Before, every open read the whole file (a quarter of a second per
// 200 MB, paid by each CLI command).
func TestTheWholeFileIsCheckedWhereItMatters(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		pending bool
		check   func(dir string) (Inspection, error)
		refused bool
	}{
		{"an ordinary open", false, func(dir string) (Inspection, error) { return Inspect(ctx, dir, InspectOptions{}) }, false},
		{"asked for", false, func(dir string) (Inspection, error) { return Inspect(ctx, dir, InspectOptions{Full: true}) }, true},
		{"Check", false, func(dir string) (Inspection, error) { return Inspection{}, Check(ctx, dir) }, true},
		{"before migrating", true, func(dir string) (Inspection, error) { return Inspect(ctx, dir, InspectOptions{}) }, true},
		{"Open before migrating", true, func(dir string) (Inspection, error) {
			db, err := Open(ctx, dir)
			if err == nil {
				db.Close()
			}
			return Inspection{}, err
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := damagedAtRest(t, c.pending)
			path := filepath.Join(dir, FileName)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ins, err := c.check(dir)
			if !c.refused {
				if err != nil || ins.FullCheck {
					t.Fatalf("an open with nothing to migrate read the whole file: %+v, %v", ins, err)
				}
				db, err := Open(ctx, dir)
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer db.Close()
				var n int
				if err := db.Read().QueryRow(`SELECT count(*) FROM bulk`).Scan(&n); err == nil {
					t.Fatalf("the damaged table read %d rows without an error", n)
				}
				return
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %+v, %v; want ErrCorrupt", ins, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("the refused file was modified")
			}
			for _, suffix := range []string{"-wal", "-shm"} {
				if _, err := os.Stat(path + suffix); err == nil {
					t.Errorf("%s created next to a refused database", suffix)
				}
			}
		})
	}
}

// TestBackupOfADamagedDatabaseIsRefused: a backup reads the whole database
// anyway, and checks it first: a damaged one is refused (ErrCorrupt) and no
// file is made, where VACUUM INTO wrote a copy that a restore would
// refuse, or that carried the damage.
func TestBackupOfADamagedDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := damagedAtRest(t, false)
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Backup = %v, want ErrCorrupt", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a backup file was made: %v", err)
	}
}

// TestACancelledCheckIsNoDamage: a check whose context ends (Ctrl-C in
// `meterdesk check` or a backup, a window closing at start-up) reports the
// interruption (context.Canceled), never ErrCorrupt, so nobody is told that a
// sound database is damaged and to restore an earlier one; a backup so
// stopped makes no file and names no restore. Before, any failed query of
// the check was reported as damage.
func TestACancelledCheckIsNoDamage(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "backup.db")
	backupErr := db.Backup(cancelled, out)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Check", Check(cancelled, dir)},
		{"an open's look", func() error { _, err := Inspect(cancelled, dir, InspectOptions{}); return err }()},
		{"Full", func() error { _, err := Inspect(cancelled, dir, InspectOptions{Full: true}); return err }()},
		{"Backup", backupErr},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, context.Canceled) || errors.Is(c.err, ErrCorrupt) || IsCorrupt(c.err) {
				t.Fatalf("got %v; want the interruption (context.Canceled), not ErrCorrupt", c.err)
			}
			if msg := c.err.Error(); !strings.Contains(msg, "interrupted") || strings.Contains(msg, "damaged") || strings.Contains(msg, "restore") {
				t.Fatalf("error %q: want it to say interrupted, neither damaged nor restore", msg)
			}
		})
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a cancelled backup made a file: %v", err)
	}
	// The same database, checked to the end, is sound.
	if err := Check(context.Background(), dir); err != nil {
		t.Fatalf("Check: %v", err)
	}
}
