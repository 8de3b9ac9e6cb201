package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// CompactFile rebuilds the database file path when it has free pages,
// and says whether it did. A restore brings a backup in byte for byte
// (CopyIn); a backup Meterdesk wrote (Backup: VACUUM INTO) has no free
// pages, but a copy of a live database made by hand has, and they still
// hold what was deleted before the copy (an old provider address with its
// credential, a deleted conversation): compacting the staged copy keeps
// that out of the restored database. Text freed inside pages still in use
// is not found by this test; SQLite's secure_delete is off, in the live
// database as here.
//
// path must be open nowhere else (a restore's staged copy, before it is
// opened and migrated: free pages are counted before any write can reuse
// them). Its -wal, if it has one, is read (a hand copy taken with one) and
// folded in. The rebuilt copy is written with VACUUM INTO beside path and
// then takes its name: like Backup, it streams to that file and needs
// room on the disk for the compacted database only, where VACUUM (with
// temp_store=MEMORY, as every connection here has) held the whole
// database in memory and then wrote it again to the -wal. One that fails
// leaves path as it was and nothing beside it.
func CompactFile(ctx context.Context, path string) (bool, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=rw")
	if err != nil {
		return false, fmt.Errorf("compacting its free pages: %w", err)
	}
	db.SetMaxOpenConns(1)
	var free int64
	if err := db.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil || free == 0 {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return false, fmt.Errorf("compacting its free pages: %w", err)
		}
		return false, nil
	}
	out := path + ".compact"
	remove := func() {
		for _, sfx := range []string{"", "-journal", "-wal", "-shm"} {
			_ = os.Remove(out + sfx)
		}
	}
	// Readable by its owner only from the start, as the copy it replaces
	// (VACUUM INTO writes into an empty file it is given).
	remove()
	if err := createOwnerOnly(out); err != nil {
		db.Close()
		return false, fmt.Errorf("compacting its free pages: %w", err)
	}
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", out)
	// Closing checkpoints path's -wal into it and removes it.
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(out)
	}
	if err == nil {
		for _, sfx := range []string{"-wal", "-shm"} {
			if rerr := os.Remove(path + sfx); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
				err = rerr
			}
		}
	}
	if err == nil {
		err = os.Rename(out, path)
	}
	if err != nil {
		remove()
		return false, fmt.Errorf("compacting its free pages: %w", err)
	}
	syncDir(filepath.Dir(path))
	return true, nil
}
