package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"meterdesk/backend/store"
)

// Finishing a staged restore (step 2 in restore.go), and what a crash part
// way through a staging or a finish leaves behind.

// finishPending replaces the live database with the staged one; the caller
// holds the data folder exclusively. It returns nil when nothing is staged.
func finishPending(dir string) (*Restore, error) {
	pending := filepath.Join(dir, restoreDirName)
	r, err := readPending(dir)
	if err != nil || r == nil {
		return nil, err
	}
	staged := filepath.Join(pending, store.FileName)
	live := filepath.Join(dir, store.FileName)
	if _, err := os.Stat(staged); err == nil {
		if _, err := os.Stat(live); errors.Is(err, os.ErrNotExist) {
			r.Kept = "" // nothing to keep: the folder had no database
		}
		prev := filepath.Join(dir, r.Previous)
		// The -wal file first: a stale one must never sit beside the
		// restored database, whose pages it would overwrite.
		for _, sfx := range []string{"-wal", "-shm", ""} {
			if _, err := os.Stat(live + sfx); errors.Is(err, os.ErrNotExist) {
				continue
			}
			if _, err := os.Stat(prev + sfx); err == nil {
				return nil, fmt.Errorf("finish the restore: %s already exists", prev+sfx)
			}
			if err := os.Rename(live+sfx, prev+sfx); err != nil {
				return nil, fmt.Errorf("finish the restore: keep the current database: %w", err)
			}
		}
		_ = os.Chmod(prev, 0o600) // it holds password hashes and sealed keys
		if err := os.Rename(staged, live); err != nil {
			return nil, fmt.Errorf("finish the restore: %w", err)
		}
		syncDir(dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("finish the restore: %w", err)
	}
	// No staged file left: an earlier finish moved it in and stopped before
	// removing the folder.
	if err := os.RemoveAll(pending); err != nil {
		return nil, fmt.Errorf("finish the restore: %w", err)
	}
	return r, nil
}

// readPending returns the staged restore of dir, or nil.
func readPending(dir string) (*Restore, error) {
	raw, err := os.ReadFile(filepath.Join(dir, restoreDirName, restoreMetaName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the staged restore: %w", err)
	}
	var r Restore
	if err := json.Unmarshal(raw, &r); err != nil || r.Previous == "" || filepath.Base(r.Previous) != r.Previous {
		return nil, fmt.Errorf("the staged restore in %s is damaged (remove that folder to drop it)", filepath.Join(dir, restoreDirName))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("read the staged restore: %w", err)
	}
	r.Kept = filepath.Join(abs, r.Previous)
	return &r, nil
}

// interrupted reports whether a finish of r was started and cut short: the
// live database is gone, or part of it was already renamed. Such a folder
// must not be opened before the finish completes (SQLite would create an
// empty database, or lose the commits in a -wal moved aside).
func interrupted(dir string, r *Restore) bool {
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); errors.Is(err, os.ErrNotExist) {
		return true
	}
	for _, sfx := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(filepath.Join(dir, r.Previous+sfx)); err == nil {
			return true
		}
	}
	return false
}

// leftovers lists what a staging or finish cut short by a crash leaves in
// dir: .restore-* folders (a copy being checked) and a restore-pending
// folder without its restore.json (a finish that was removing it). Only
// safe to remove while holding the folder exclusively.
func leftovers(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stagingPrefix) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	pending := filepath.Join(dir, restoreDirName)
	if _, err := os.Stat(pending); err == nil {
		if _, err := os.Stat(filepath.Join(pending, restoreMetaName)); errors.Is(err, os.ErrNotExist) {
			out = append(out, pending)
		}
	}
	return out
}

// syncDir makes renames in dir durable where the OS allows syncing a
// folder (not on Windows, where renames are journalled by NTFS).
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}
