package core

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// HasDatabase reports whether the data folder dir ("" = the default) holds
// Meterdesk data: a database file with something in it, or a restore staged
// or cut short there (finishing it brings the database). It changes
// nothing. A folder it cannot look into counts as holding data, so that
// Open reports why (not writable, ...).
func HasDatabase(dir string) (bool, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return false, err
	}
	st, err := os.Stat(filepath.Join(dir, store.FileName))
	switch {
	case err == nil:
		if st.Size() > 0 {
			return true, nil
		}
	case !errors.Is(err, fs.ErrNotExist):
		return true, nil
	}
	if _, err := os.Stat(filepath.Join(dir, restoreDirName)); !errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	return false, nil
}

// HasWorkspace reports whether the data folder dir ("" = the default)
// holds a workspace that was set up: a database with a member
// (team.HasMembers). Like HasDatabase it changes nothing: the database is
// read as it is (store.Inspect), before Open would migrate it or make its
// lock file, so that a caller can refuse a folder with no workspace and
// leave it exactly as it was. It says false only when it knows: a folder
// where a restore is staged or was cut short (finishing it brings another
// database), or whose database it cannot read (damaged, from a newer
// version, not Meterdesk's), counts as holding one, so that Open decides
// and says why.
func HasWorkspace(ctx context.Context, dir string) (bool, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return false, err
	}
	if has, err := HasDatabase(dir); err != nil || !has {
		return false, err
	}
	if _, err := os.Lstat(filepath.Join(dir, restoreDirName)); !errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	members := false
	_, err = store.Inspect(ctx, dir, store.InspectOptions{Look: func(ro *sql.DB) error {
		var err error
		members, err = team.HasMembers(ctx, ro)
		return err
	}})
	if err != nil {
		return true, nil // Open reports it
	}
	return members, nil
}
