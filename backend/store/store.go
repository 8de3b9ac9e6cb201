// Package store opens Meterdesk's SQLite database (modernc.org/sqlite, no
// cgo), applies the embedded numbered migrations, and gives the rest of the
// backend one writer connection (BEGIN IMMEDIATE) and a pool of readers.
//
// Every pragma is set in the DSN so that it applies to each connection:
// WAL journal, synchronous=FULL (money must survive a power cut),
// foreign_keys=ON, a busy timeout, and a limit to the size the -wal file
// keeps (WALSizeLimit).
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"meterdesk/backend/fileout"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file inside the data folder.
const FileName = "meterdesk.db"

// Errors that Open returns for a database it must not touch.
var (
	ErrCorrupt     = errors.New("the database file is damaged")
	ErrNewerSchema = errors.New("the database was written by a newer version of Meterdesk")
	ErrNotWritable = errors.New("the data folder is not writable")
)

// DB is an open Meterdesk database.
type DB struct {
	Path string
	w    *sql.DB // exactly one connection; transactions BEGIN IMMEDIATE
	r    *sql.DB // read pool

	rs, ws *stmtCache // prepared statements of the read pool and the writer (stmtcache.go)
}

// DefaultDir is the OS user data folder for Meterdesk
// (os.UserConfigDir()/Meterdesk).
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user data folder: %w", err)
	}
	return filepath.Join(base, "Meterdesk"), nil
}

// WALSizeLimit is the size in bytes SQLite cuts the -wal file back to
// (journal_size_limit) when it starts writing it from the beginning again,
// which it does at the first write after a checkpoint that copied all of it
// into the database. Without it the -wal kept the size of the largest
// transaction for as long as the window or `meterdesk serve` ran (18 MB after
// deleting an 80,000-message conversation). Automatic checkpoints (every
// 1,000 pages) keep it near 4 MiB in ordinary use; the limit is twice that,
// so that ordinary commits never cut it and grow it again (a growing file
// makes each commit's fsync dearer, see docs/benchmarks.md). DB.TrimWAL
// empties a -wal over the limit when no write comes to cut it.
const WALSizeLimit = 8 << 20

// busyTimeoutMS is how long a connection waits for another process's lock.
const busyTimeoutMS = 10000

func dsn(path string, immediate bool, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"foreign_keys(ON)",
		fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS),
		fmt.Sprintf("journal_size_limit(%d)", WALSizeLimit),
		// Temporary files in memory: a savepoint's statement journal
		// otherwise spills to a new temporary file past 64 KiB.
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	if immediate {
		q.Set("_txlock", "immediate")
	}
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database in dir and migrates it.
// A folder that cannot be written, a damaged file or a file from a newer
// version is reported with ErrNotWritable, ErrCorrupt or ErrNewerSchema and
// left exactly as it was. It looks at the file as Inspect does without
// Full: the whole file is read only when there are migrations to apply.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := PrepareDir(dir); err != nil {
		return nil, err
	}
	if _, err := Inspect(ctx, dir, InspectOptions{}); err != nil {
		return nil, err
	}
	return OpenChecked(ctx, dir)
}

// OpenChecked is Open for a caller that has just prepared dir (PrepareDir)
// and inspected its database (Inspect) itself: the look is not made twice.
func OpenChecked(ctx context.Context, dir string) (*DB, error) {
	path := filepath.Join(dir, FileName)
	if err := createOwnerOnly(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn(path, false, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := runtime.NumCPU() * 2
	if n < 4 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db := &DB{Path: path, w: w, r: r, rs: newStmtCache(r), ws: newStmtCache(w)}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// PrepareDir creates the data folder (owner-only) if it is missing and
// checks that it can be written, with ErrNotWritable if not.
func PrepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotWritable, dir, err)
	}
	return checkWritable(dir)
}

// createOwnerOnly creates a missing database file empty and readable by its
// owner only, before SQLite creates it with the default 0644: the database
// holds password hashes and sealed keys. SQLite gives its -wal and -shm
// files the main file's permissions. An existing file is left as it is.
func createOwnerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: create %s: %v", ErrNotWritable, path, err)
	}
	return f.Close()
}

// checkWritable creates and removes a probe file so that an unwritable folder
// is reported before SQLite tries anything.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-probe-*")
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotWritable, dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Write runs fn in one BEGIN IMMEDIATE transaction on the single writer
// connection, committing if fn returns nil and rolling back otherwise.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return writeTx(ctx, db.w, fn)
}

// txBeginner is what a write transaction is begun on: the writer pool, or
// one of its connections (WriteSecure).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// writeTx runs fn in a transaction begun on on (BEGIN IMMEDIATE: the
// writer's DSN says so), committing if fn returns nil and rolling back
// otherwise.
func writeTx(ctx context.Context, on txBeginner, fn func(tx *sql.Tx) error) error {
	tx, err := on.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Read returns the read pool. Use it for queries only (it is query_only).
func (db *DB) Read() *sql.DB { return db.r }

// Writer returns the single writer connection pool, for packages that batch
// many operations into one transaction themselves (group commit).
func (db *DB) Writer() *sql.DB { return db.w }

// ErrBackupExists: a backup is never written over an existing file (an
// earlier backup, say).
var ErrBackupExists = errors.New("that file already exists")

// Backup writes a consistent copy of the live database to out with
// VACUUM INTO. It refuses to overwrite an existing file (ErrBackupExists;
// a folder is fileout.ErrIsFolder), and checks the whole database first
// (quick_check): a damaged one is refused (ErrCorrupt) and no file is
// made, since the copy would carry the damage unseen until a restore
// refused it.
//
// The copy is written into a hidden temporary file beside out
// (fileout.CreateBeside), synced to the disk, and only then given out's
// name: VACUUM INTO does not sync what it writes, so a power cut just
// after "backup written" could leave a damaged backup, and one killed
// half-way left a part of a database under the name chosen. A backup that
// fails leaves nothing at out. The part file stays locked until it is
// named (fileout.HoldPart), so a backup stalled for over an hour keeps it
// from another export's sweep; one removed all the same is said so
// (fileout.Vanished).
func (db *DB) Backup(ctx context.Context, out string) error {
	if strings.TrimSpace(out) == "" {
		return fmt.Errorf("backup: %w", fileout.ErrNoPath)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if abs == db.Path {
		return errors.New("backup: cannot back up onto the live database")
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		// backend/core adds a name to give ("such as …"), free in that
		// folder and dated in the workspace's zone.
		return fmt.Errorf("backup: %s: %w: name a new file in it", out, fileout.ErrIsFolder)
	} else if err == nil {
		return backupExists(out)
	}
	if dir, err := os.Stat(filepath.Dir(abs)); err != nil || !dir.IsDir() {
		return fmt.Errorf("backup: %s: %w (%s)", out, fileout.ErrNoFolder, filepath.Dir(out))
	}
	if err := quickCheck(ctx, db.r, db.Path, ""); errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("backup: %w; no backup was made (restore an earlier one with `meterdesk restore FILE`)", err)
	} else if err != nil { // interrupted (Ctrl-C): nothing is known against the database
		return fmt.Errorf("backup: %w; no backup was made", err)
	}
	// The copy holds everything (password hashes, sealed keys): it is made
	// readable by its owner only, from the start (CreateBeside: 0600).
	// VACUUM INTO writes into an empty file it is given.
	f, err := fileout.CreateBeside(abs)
	if err != nil {
		return fmt.Errorf("backup: %s: %w", out, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			_ = os.Remove(tmp)
		}
	}()
	// The part file's lock (flock, on unix) is held by a second handle
	// until the copy is named: closed for VACUUM INTO, it was unlocked, and
	// another export's sweep into this folder removed the part file of a
	// backup stalled for over an hour (a laptop asleep mid-copy).
	hold := fileout.HoldPart(f)
	defer hold.Close()
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if err := syncFile(tmp); err != nil {
		return fileout.Vanished("backup", out, tmp, err)
	}
	if backupWritten != nil {
		backupWritten(tmp, abs)
	}
	// A link gives the copy its name only if no file took it meanwhile; a
	// file system without hard links (FAT, exFAT: a USB stick) renames,
	// no-replace too where the OS can (renameNoReplace).
	if err := linkFile(tmp, abs); errors.Is(err, fs.ErrExist) {
		return backupExists(out)
	} else if err != nil {
		if err := renameFile(tmp, abs); errors.Is(err, fs.ErrExist) {
			return backupExists(out)
		} else if errors.Is(err, errNoReplaceUnsupported) {
			// No such rename here: a file made between the look and
			// the rename would be replaced.
			if _, serr := os.Lstat(abs); serr == nil {
				return backupExists(out)
			}
			if err := os.Rename(tmp, abs); err != nil {
				return fileout.Vanished("backup", out, tmp, err)
			}
		} else if err != nil {
			return fileout.Vanished("backup", out, tmp, err)
		}
	}
	done = true
	_ = os.Remove(tmp) // after a link; gone after a rename
	syncDir(filepath.Dir(abs))
	return nil
}

// linkFile is os.Link; a test makes it fail as on a file system without
// hard links.
var linkFile = os.Link

// renameFile is renameNoReplace; a test makes it unsupported, or fail
// otherwise, as on a file system or OS without it.
var renameFile = renameNoReplace

// errNoReplaceUnsupported: renameNoReplace has no atomic no-replace rename
// on this OS or file system.
var errNoReplaceUnsupported = errors.New("no atomic no-replace rename here")

// backupWritten, when set by a test, is called once the backup is whole
// in its temporary file and before it is given its name.
var backupWritten func(tmp, out string)

// backupExists refuses out, named as typed (as the other refusals name it).
func backupExists(out string) error {
	return fmt.Errorf("backup: %s: %w; choose a new file (a backup never replaces one)", out, ErrBackupExists)
}

// syncFile makes the file at path reach the disk. It opens the file for
// writing: Windows' FlushFileBuffers refuses a read-only handle ("Access
// is denied"), which would fail every backup there.
func syncFile(path string) error {
	f, err := openForSync(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// openForSync is os.OpenFile; a test sees the mode syncFile asks for.
var openForSync = os.OpenFile

// syncDir makes a new name in dir reach the disk (best effort: Windows
// cannot sync a folder).
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

// TrimWAL empties the -wal file when it is larger than WALSizeLimit, with a
// TRUNCATE checkpoint on the writer connection: journal_size_limit cuts it
// back only at the next write, and an idle window or `meterdesk serve` may
// make none for a long time. It does not wait: when another process is
// writing, or reading an older snapshot, the checkpoint gives way and
// trimmed is false (housekeeping tries again a minute later). Nothing but
// the -wal's size changes; its commits are in the database file first.
func (db *DB) TrimWAL(ctx context.Context) (trimmed bool, err error) {
	fi, err := os.Stat(db.Path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("trim the WAL: %w", err)
	}
	if fi.Size() <= WALSizeLimit {
		return false, nil
	}
	c, err := db.w.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("trim the WAL: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "PRAGMA busy_timeout=0"); err != nil {
		return false, fmt.Errorf("trim the WAL: %w", err)
	}
	var busy, frames, copied int
	cerr := c.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
	if _, err := c.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout=%d", busyTimeoutMS)); err != nil {
		// Never leave the writer without its wait: the pool opens a new
		// connection (with the DSN's pragmas) instead of this one.
		_ = c.Raw(func(any) error { return driver.ErrBadConn })
		return false, fmt.Errorf("trim the WAL: restore the busy timeout: %w", err)
	}
	if cerr != nil {
		return false, fmt.Errorf("trim the WAL: %w", cerr)
	}
	return busy == 0, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.rs.close(), db.ws.close(), db.r.Close(), db.w.Close())
}

// OthersVersion returns SQLite's data_version as seen by the writer
// connection. It changes exactly when a connection other than the writer
// commits: since this DB's readers never write, that is another process on
// the same file (the CLI, `meterdesk serve`, a second window), or another DB
// opened on it. Compare two readings; the value itself means nothing.
func (db *DB) OthersVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.w.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read data_version: %w", err)
	}
	return v, nil
}
