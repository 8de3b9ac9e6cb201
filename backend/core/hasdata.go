package core

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"meterdesk/backend/store"
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
