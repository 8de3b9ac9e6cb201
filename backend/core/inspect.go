package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// inspect is Open's look at the database in dir before it opens it
// (store.Inspect): the checks every open makes, the whole file after a
// shutdown that did not close the database (uncleanShutdown) or before
// migrations, and with requireWorkspace ErrNoWorkspace for a database
// with no member, from the same read.
func inspect(ctx context.Context, dir string, requireWorkspace bool) (store.Inspection, error) {
	o := store.InspectOptions{Full: uncleanShutdown(dir)}
	members := false
	if requireWorkspace {
		o.Look = func(ro *sql.DB) error {
			var err error
			members, err = team.HasMembers(ctx, ro)
			return err
		}
	}
	ins, err := store.Inspect(ctx, dir, o)
	if err != nil {
		return ins, err
	}
	if requireWorkspace && !members {
		return ins, ErrNoWorkspace
	}
	return ins, nil
}

// uncleanShutdown reports whether the database in dir was last left
// without being closed (a crash, a killed process, a power cut): its -wal
// file is there while no Meterdesk process has the data folder open.
// SQLite removes the -wal as the last connection to a database closes, and
// every Meterdesk process that opens it holds the folder's lock file
// (shared) until it has closed it. It changes nothing: the lock file is
// not made when it is missing (nobody has the folder then), and an
// exclusive lock on it is taken and let go at once. A -wal that a clean
// close left behind (a read-only connection closing last) costs one full
// check, after which the next clean close removes it.
func uncleanShutdown(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, store.FileName+"-wal")); err != nil {
		return false
	}
	if _, err := os.Lstat(filepath.Join(dir, LockFileName)); errors.Is(err, fs.ErrNotExist) {
		return true
	} else if err != nil {
		return true // cannot tell: check
	}
	l := newLock(dir)
	alone, err := l.try(true)
	_ = l.Release()
	return alone || err != nil
}

// unwritableFirst returns err, a failed look at dir before the open; but
// when err is no verdict on the database (isVerdict) and dir cannot be
// prepared either (store.PrepareDir), that error (ErrNotWritable): a
// folder that cannot be used is reported as such, as when it was prepared
// before the look, whatever reading it first ran into (a path through a
// file, a folder that cannot be read).
func unwritableFirst(dir string, err error) error {
	if isVerdict(err) {
		return err
	}
	if perr := store.PrepareDir(dir); perr != nil {
		return perr
	}
	return err
}

// isVerdict reports whether err is the look's verdict on the database
// (damaged, newer, no workspace), which Open reports as it is.
func isVerdict(err error) bool {
	return errors.Is(err, store.ErrCorrupt) || errors.Is(err, store.ErrNewerSchema) || errors.Is(err, ErrNoWorkspace)
}

// DatabaseCheck is what CheckDatabase found: the database file it checked,
// its size in bytes, and that every page of it is sound.
type DatabaseCheck struct {
	File  string `json:"file"`
	Bytes int64  `json:"bytes"`
	OK    bool   `json:"ok"`
}

// CheckDatabase checks the whole database of the data folder dir ("" =
// the default) as Open checks it after a shutdown that did not close it:
// every page (store.Check, SQLite's quick_check), its header, schema and
// version. It writes nothing and makes nothing beside a file nobody has
// open, takes no lock and needs no sign-in, so that a database Open
// refuses can still be asked what is wrong with it (ErrCorrupt with
// SQLite's first finding, ErrNewerSchema). A folder with no database is
// fs.ErrNotExist. It is `meterdesk check`.
func CheckDatabase(ctx context.Context, dir string) (DatabaseCheck, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return DatabaseCheck{}, err
	}
	path := filepath.Join(dir, store.FileName)
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DatabaseCheck{}, fmt.Errorf("no Meterdesk database in %s: %w", dir, fs.ErrNotExist)
	}
	if err == nil && st.Size() == 0 {
		return DatabaseCheck{}, notFound{fmt.Sprintf("no Meterdesk database in %s: %s is empty (no database yet)", dir, store.FileName)}
	}
	if err != nil {
		return DatabaseCheck{}, fmt.Errorf("check the database: %w", err)
	}
	if err := store.Check(ctx, dir); err != nil {
		return DatabaseCheck{}, err
	}
	return DatabaseCheck{File: path, Bytes: st.Size(), OK: true}, nil
}

// notFound is a "no database" (errors.Is fs.ErrNotExist) that says in its
// own words why, such as an empty file, rather than "file does not exist".
type notFound struct{ msg string }

func (e notFound) Error() string { return e.msg }

// Unwrap makes errors.Is(err, fs.ErrNotExist) true.
func (e notFound) Unwrap() error { return fs.ErrNotExist }
