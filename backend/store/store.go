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
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

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
// left exactly as it was.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := PrepareDir(dir); err != nil {
		return nil, err
	}
	if err := Check(ctx, dir); err != nil {
		return nil, err
	}
	return OpenChecked(ctx, dir)
}

// OpenChecked is Open for a caller that has just prepared dir (PrepareDir)
// and checked its database (Check) itself: the check, a read of the whole
// file, is not made twice.
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

// Check inspects the database in dir without writing anything: a file that
// is not an SQLite database, a damaged one or one from a newer version is
// reported (ErrCorrupt, ErrNewerSchema), as Open would report it. A missing
// file is fine.
func Check(ctx context.Context, dir string) error {
	_, err := CheckUpgrade(ctx, dir)
	return err
}

// CheckUpgrade is Check, and says in the same read whether the database is
// a Meterdesk database with migrations this version has and it has not
// applied yet (an upgrade; see pendingIn). The caller can then apply them
// with the data folder to itself: a Meterdesk process of the earlier
// version that still had the database open would otherwise keep running
// against a schema it does not know (a trigger calling a function it
// lacks, say).
func CheckUpgrade(ctx context.Context, dir string) (needsMigration bool, err error) {
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return false, err
	}
	return inspect(ctx, path)
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

// checkHeader rejects an existing non-empty file that is not an SQLite
// database, without opening it through SQLite (which could rewrite it).
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return nil
	}
	if n < 16 || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("%w: %s is not a Meterdesk database", ErrCorrupt, path)
	}
	return nil
}

// inspect opens an existing database read-only (readOnly) and checks its
// integrity and schema version before anything writes to it.
func inspect(ctx context.Context, path string) (pending bool, err error) {
	err = readOnly(ctx, path, func(ro *sql.DB) error {
		var err error
		pending, err = inspectDB(ctx, ro, path)
		return err
	})
	return pending, err
}

// readOnly runs fn on the existing database at path opened read-only; a
// missing or empty file is not opened (fn is not called). fn may be called
// twice (see below), and must give the verdict of its last call.
//
// A file nobody has open is read with immutable=1: no locks, and nothing
// created beside a file that may be refused. But a database in WAL mode
// (every Meterdesk database) may be open in another Meterdesk process, which
// copies its -wal into the main file from time to time, or may hold commits
// in a -wal that were never copied (a crash or a full disk during that
// copy); read immutable, it would look damaged or out of date. So when a
// -wal file is there, or the file changed while it was read, the verdict is
// the one of a read as SQLite makes it: with locks and through the -wal
// (mode=ro). That read may create the -shm index beside the database, as
// any open of it would; the database itself is never written.
func readOnly(ctx context.Context, path string, fn func(ro *sql.DB) error) error {
	before, serr := os.Stat(path)
	if serr != nil || before.Size() == 0 {
		return nil
	}
	if !walMode(path) {
		return readWith(ctx, path, "mode=ro&immutable=1", fn)
	}
	if !exists(path + "-wal") {
		err := readWith(ctx, path, "mode=ro&immutable=1", fn)
		after, serr := os.Stat(path)
		if err == nil || serr == nil && !exists(path+"-wal") && after.Size() == before.Size() && after.ModTime().Equal(before.ModTime()) {
			return err // nobody touched the file while it was read: the verdict stands
		}
	}
	return readWith(ctx, path, "mode=ro&_pragma=busy_timeout(10000)", fn)
}

// readWith runs fn on path opened with the URI parameters q.
func readWith(ctx context.Context, path, q string, fn func(ro *sql.DB) error) error {
	ro, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer ro.Close()
	ro.SetMaxOpenConns(1)
	return fn(ro)
}

// inspectDB is inspect's check of the database at path, open read-only as ro.
func inspectDB(ctx context.Context, ro *sql.DB, path string) (pending bool, err error) {
	var res string
	if err := ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return false, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if res != "ok" {
		return false, fmt.Errorf("%w: %s: %s", ErrCorrupt, path, res)
	}
	if ours, err := ourSchema(ctx, ro, path); err != nil || !ours {
		return false, err
	}
	return pendingIn(ctx, ro, path)
}

// ourSchema checks that the database at path, open read-only as ro, holds
// Meterdesk's schema (ours) no newer than this version (ErrNewerSchema), or
// no table at all (brand new: not ours, no error); any other is not a
// Meterdesk database (ErrCorrupt).
func ourSchema(ctx context.Context, ro *sql.DB, path string) (ours bool, err error) {
	_, ours, err = schemaVersion(ctx, ro)
	if err != nil {
		return false, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if !ours {
		// A database without our table is either brand new or not ours.
		var tables int
		if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
			return false, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		if tables > 0 {
			return false, fmt.Errorf("%w: %s has no Meterdesk schema", ErrCorrupt, path)
		}
		return false, nil
	}
	return true, newerSchema(ctx, ro, path)
}

// Peek runs fn on the database in dir opened read-only as Check opens it
// (nothing is written to it, and nothing is made beside a file nobody has
// open), for a look at what it holds before Open migrates it: fn must
// allow for any earlier schema, or none (a database with no table yet). It
// does not check the file's integrity (Check reads all of it); what Open
// would refuse at a glance it refuses without calling fn: a file that is
// not a Meterdesk database (ErrCorrupt), one from a newer version
// (ErrNewerSchema). A missing or empty file is not opened (fn is not
// called). fn may be called twice (see readOnly).
func Peek(ctx context.Context, dir string, fn func(ro *sql.DB) error) error {
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return err
	}
	return readOnly(ctx, path, func(ro *sql.DB) error {
		if _, err := ourSchema(ctx, ro, path); err != nil {
			return err
		}
		return fn(ro)
	})
}

// exists reports whether a file is at path.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// walMode reports whether the SQLite file at path is in WAL mode (its
// header's read and write versions are 2).
func walMode(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var head [20]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false
	}
	return head[18] == 2 && head[19] == 2
}

// schemaVersion returns the newest migration recorded in db, and whether db
// has Meterdesk's schema_migrations table at all: a table of that name with
// other columns (another tool's migrations) is not ours.
func schemaVersion(ctx context.Context, db *sql.DB) (version int, ours bool, err error) {
	var cols int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('schema_migrations')
		WHERE (name = 'version' AND type = 'INTEGER' AND pk = 1) OR (name = 'name' AND type = 'TEXT') OR name = 'applied_at'`).Scan(&cols)
	if err != nil || cols != 3 {
		return 0, false, err
	}
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version),0) FROM schema_migrations").Scan(&version); err != nil {
		return 0, false, err
	}
	return version, true, nil
}

// newerSchema returns ErrNewerSchema, naming what (a path), when db records
// a migration this version does not have: a newer Meterdesk wrote it,
// whatever its number (a later version may add a migration numbered below
// the highest one this version knows, as 0103 and 0410 were). nil otherwise.
// db must have Meterdesk's schema_migrations table (schemaVersion's ours).
func newerSchema(ctx context.Context, db *sql.DB, what string) error {
	known := knownVersions()
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var unknown []string
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if !known[v] {
			unknown = append(unknown, strconv.Itoa(v))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	if len(unknown) == 0 {
		return nil
	}
	return fmt.Errorf("%w (it has migration %s, which this version does not; this version knows up to %d): %s",
		ErrNewerSchema, strings.Join(unknown, ", "), latestVersion(), what)
}

// Write runs fn in one BEGIN IMMEDIATE transaction on the single writer
// connection, committing if fn returns nil and rolling back otherwise.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
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

// Backup writes a consistent copy of the live database to out with
// VACUUM INTO. It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, out string) error {
	if out == "" {
		return errors.New("backup: no output file given")
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if abs == db.Path {
		return errors.New("backup: cannot back up onto the live database")
	}
	// The copy holds everything (password hashes, sealed keys): it is made
	// readable by its owner only, from the start. VACUUM INTO writes into an
	// empty file it is given.
	f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("backup: %s already exists; choose a new file", abs)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		_ = os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
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
