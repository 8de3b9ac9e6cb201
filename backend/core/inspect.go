package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"meterdesk/backend/access"
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
// its size in bytes, and that every page of it is sound. The window's
// check (Backend.CheckDatabase) reports a damaged database here too: OK
// false, with what is wrong in Problem.
type DatabaseCheck struct {
	File  string `json:"file"`
	Bytes int64  `json:"bytes"`
	OK    bool   `json:"ok"`
	// Problem says what is wrong when OK is false (store.ErrCorrupt or
	// store.ErrNewerSchema, with SQLite's first findings); "" when sound.
	// CheckDatabase returns those as errors instead (`meterdesk check`
	// exits 1), so it is set only by Backend.CheckDatabase.
	Problem string `json:"problem,omitempty"`
}

// CheckDatabase checks the whole database of the data folder dir ("" =
// the default) as Open checks it after a shutdown that did not close it:
// every page (store.Check, SQLite's quick_check), its header, schema and
// version. It writes nothing, makes nothing beside a file nobody has open
// and needs no sign-in, so that a database Open refuses can still be asked
// what is wrong with it (ErrCorrupt with SQLite's first finding,
// ErrNewerSchema). A folder with no database is fs.ErrNotExist. It is
// `meterdesk check`.
//
// It holds the folder's lock shared while it reads, as every opening does
// (lockSharedIfThere), waiting up to 10 s for a restore being finished in
// another process, which swaps the database files while it holds the
// folder exclusively: the check never reads a file being renamed. The lock
// says nothing about the database, so a damaged one is checked as any
// other; beside a window or `meterdesk serve` (shared too) it runs at once.
// A folder without a lock file is checked without one (it is not made);
// if one appears while the check ran (a process opened the folder, or a
// restore took it), the check runs again holding it.
func CheckDatabase(ctx context.Context, dir string) (DatabaseCheck, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return DatabaseCheck{}, err
	}
	lockFile := filepath.Join(dir, LockFileName)
	for try := 0; ; try++ {
		l, err := lockSharedIfThere(ctx, dir)
		if err != nil {
			return DatabaseCheck{}, fmt.Errorf("check the database: %w", err)
		}
		c, err := checkDatabase(ctx, dir)
		if l != nil {
			if rerr := l.Release(); err == nil && rerr != nil {
				return DatabaseCheck{}, fmt.Errorf("check the database: %w", rerr)
			}
			return c, err
		}
		if _, serr := os.Lstat(lockFile); try > 0 || serr != nil {
			return c, err // still no lock file: nobody took the folder meanwhile
		}
	}
}

// CheckDatabase is CheckDatabase for this backend's data folder, from the
// window (admins only): the database this process has open, read through
// its -wal by a read-only connection of its own while writes go on. It
// takes no lock of its own: the backend holds the folder shared from Open
// to Close (or its caller holds it exclusively, Options.Lock), so no
// restore finishes under it. A damaged database (or one a newer version
// wrote) is no error here but the check's verdict: OK false, with what is
// wrong in Problem, for the window to show with the way out.
func (b *Backend) CheckDatabase(ctx context.Context) (DatabaseCheck, error) {
	if _, err := access.RequireAdmin(ctx, "check the database"); err != nil {
		return DatabaseCheck{}, err
	}
	c, err := checkDatabase(ctx, b.DataDir)
	if v, ok := CheckVerdict(c, err); ok {
		return v, nil
	}
	return c, err
}

// CheckVerdict is the check c, err (CheckDatabase's or checkDatabase's) as
// a verdict when err is one about the database itself (damaged,
// store.ErrCorrupt, or written by a newer version, store.ErrNewerSchema):
// OK false, with what is wrong in Problem, and ok true. Any other error
// (no database, the lock) is no verdict: ok false. The window's check
// returns it; `meterdesk check --json` prints it (and exits 1).
func CheckVerdict(c DatabaseCheck, err error) (DatabaseCheck, bool) {
	if errors.Is(err, store.ErrCorrupt) || errors.Is(err, store.ErrNewerSchema) {
		return DatabaseCheck{File: c.File, Bytes: c.Bytes, Problem: err.Error()}, true
	}
	return DatabaseCheck{}, false
}

// checkDatabase is CheckDatabase without the lock. On a damaged database
// it returns the error with File and Bytes filled in.
func checkDatabase(ctx context.Context, dir string) (DatabaseCheck, error) {
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
	c := DatabaseCheck{File: path, Bytes: st.Size()}
	if err := store.Check(ctx, dir); err != nil {
		return c, err
	}
	c.OK = true
	return c, nil
}

// notFound is a "no database" (errors.Is fs.ErrNotExist) that says in its
// own words why, such as an empty file, rather than "file does not exist".
type notFound struct{ msg string }

func (e notFound) Error() string { return e.msg }

// Unwrap makes errors.Is(err, fs.ErrNotExist) true.
func (e notFound) Unwrap() error { return fs.ErrNotExist }
