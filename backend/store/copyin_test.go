package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopyInNamesTheBackup: a backup that is damaged or from a newer
// version is refused in words about the backup, on one line, with what to
// do and that nothing was changed, and not as ErrCorrupt or ErrNewerSchema:
// those say the live database is damaged or too new, and the CLI then told
// the admin restoring a backup to "put a backup in its place (the damaged
// file is kept)" or to "open it with that newer version". Nothing is
// copied.
func TestCopyInNamesTheBackup(t *testing.T) {
	ctx := context.Background()
	backup := func(t *testing.T, edit func(db *DB)) []byte {
		db, err := Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(db)
		}
		out := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, out); err != nil {
			t.Fatal(err)
		}
		db.Close()
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name    string
		content func(t *testing.T) []byte
		want    error
		words   []string
	}{
		{"cut short", func(t *testing.T) []byte {
			b := backup(t, nil)
			return b[:len(b)/3]
		}, ErrBackupDamaged, []string{"the backup is damaged", "choose another backup"}},
		{"pages overwritten", func(t *testing.T) []byte {
			b := backup(t, nil)
			for i := len(b) / 2; i < len(b)/2+4000; i++ {
				b[i] = byte(i * 7)
			}
			return b
		}, ErrBackupDamaged, []string{"the backup is damaged", "choose another backup"}},
		{"newer version", func(t *testing.T) []byte {
			return backup(t, func(db *DB) {
				if err := db.Write(ctx, func(tx *sql.Tx) error {
					_, err := tx.Exec("INSERT INTO schema_migrations(version, name) VALUES (9999, 'future.sql')")
					return err
				}); err != nil {
					t.Fatal(err)
				}
			})
		}, ErrBackupNewer, []string{"the backup was made by a newer version of Meterdesk (it has migration 9999",
			"restore it with that version or a later one"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "my backup.db")
			if err := os.WriteFile(src, c.content(t), 0o600); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "staged.db")
			err := CopyIn(ctx, src, dst)
			if !errors.Is(err, c.want) {
				t.Fatalf("CopyIn = %v, want %v", err, c.want)
			}
			if IsCorrupt(err) || errors.Is(err, ErrNewerSchema) {
				t.Fatalf("CopyIn = %v: worded as the live database's damage or version", err)
			}
			msg := err.Error()
			for _, w := range append(c.words, src, "nothing was changed") {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "***") {
				t.Errorf("%q is not one line of findings", msg)
			}
			if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a refused backup was copied: %v", err)
			}
			// CheckBackup, a restore's check before it opens the live
			// database, refuses it in the same words.
			if cerr := CheckBackup(ctx, src, t.TempDir()); cerr == nil || cerr.Error() != msg {
				t.Fatalf("CheckBackup = %v, want %q", cerr, msg)
			}
		})
	}
}

// TestCheckBackupWithItsWAL: a copy of a live database with its -wal (the
// commits in it) is checked as CopyIn reads it, from a copy in scratch
// removed after; the backup's own folder is only read.
func TestCheckBackupWithItsWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetSetting(ctx, "workspace", "in the wal"); err != nil {
		t.Fatal(err)
	}
	copied := t.TempDir()
	for _, sfx := range []string{"", "-wal"} {
		raw, err := os.ReadFile(filepath.Join(dir, FileName+sfx))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(copied, "copy.db"+sfx), raw, 0o400); err != nil {
			t.Fatal(err)
		}
	}
	scratch := t.TempDir()
	if err := CheckBackup(ctx, filepath.Join(copied, "copy.db"), scratch); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, scratch); got != "" {
		t.Fatalf("the check left %q in scratch", got)
	}
	if got := listing(t, copied); got != "copy.db | copy.db-wal" {
		t.Fatalf("the backup's folder holds %q", got)
	}
}
