package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The look before an open (Inspect). Reading the whole file (SQLite's
// quick_check) costs about a second per 200 MB on a slow disk, and every
// CLI command opens the database, so every open makes only the checks
// whose cost does not grow with the data:
//
//   - the file's header: an SQLite database, not cut short (checkHeader,
//     checkLength);
//   - the b-trees every open reads (the schema, schema_migrations and
//     settings: smallTables) with quick_check limited to them, which also
//     parses every table, index and trigger definition;
//   - Meterdesk's schema, none newer than this version, and whether this
//     version has migrations to apply.
//
// The whole file is checked where it matters (Full, or found needed):
// before migrations are applied, after a shutdown that did not close the
// database (core.Open), before a backup (DB.Backup) and on request
// (`meterdesk check`, Check). A page damaged in a table no open reads is
// then found by SQLite itself when something reads it (SQLITE_CORRUPT,
// reported as an error, nothing committed), or by the next full check.

// Inspection is what Inspect found in a database.
type Inspection struct {
	// Pending: a Meterdesk database with migrations this version has and
	// it has not applied yet (an upgrade). The caller can apply them with
	// the data folder to itself: a Meterdesk process of the earlier version
	// that still had the database open would otherwise keep running
	// against a schema it does not know (a trigger calling a function it
	// lacks, say). A database created but never migrated has none: nobody
	// can have used it.
	Pending bool
	// FullCheck: the whole file was checked (quick_check), not only its
	// header, schema and small tables.
	FullCheck bool
}

// InspectOptions says what Inspect does beyond the checks every open makes.
type InspectOptions struct {
	// Full checks the whole file (quick_check) whatever else.
	Full bool
	// Look, when set, is called last, on the same read-only handle, once
	// the checks passed: a look at what the database holds before it is
	// migrated. It must allow for any earlier schema, or none (a database
	// with no table yet); it is not called for a missing or empty file. It
	// may be called twice (see readOnly) and must give the verdict of its
	// last call.
	Look func(ro *sql.DB) error
}

// Inspect looks at the database in dir without writing anything, as Open
// does before it opens it: a file that is not an SQLite database, a damaged
// one or one from a newer version is reported (ErrCorrupt, ErrNewerSchema)
// and left exactly as it was, with nothing made beside a file nobody has
// open. A missing or empty file is fine. The whole file is read only with
// o.Full or when there are migrations to apply (Inspection.FullCheck); see
// the rule above.
func Inspect(ctx context.Context, dir string, o InspectOptions) (Inspection, error) {
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return Inspection{}, err
	}
	var ins Inspection
	err := readOnly(ctx, path, func(ro *sql.DB) error {
		var err error
		ins, err = inspectDB(ctx, ro, path, o)
		return err
	})
	return ins, err
}

// Check checks the whole database in dir (Inspect with Full) without
// writing anything: `meterdesk check`, and a look before a restore or a
// backup. A missing file is fine.
func Check(ctx context.Context, dir string) error {
	_, err := Inspect(ctx, dir, InspectOptions{Full: true})
	return err
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
	// Read immutable, the file is all there is: it must be as long as its
	// header says.
	still := func(ro *sql.DB) error {
		if err := checkLength(path); err != nil {
			return err
		}
		return fn(ro)
	}
	if !walMode(path) {
		return readWith(ctx, path, "mode=ro&immutable=1", still)
	}
	if !exists(path + "-wal") {
		err := readWith(ctx, path, "mode=ro&immutable=1", still)
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

// inspectDB is Inspect's look at the database at path, open read-only as ro.
func inspectDB(ctx context.Context, ro *sql.DB, path string, o InspectOptions) (Inspection, error) {
	var ins Inspection
	if err := checkSmall(ctx, ro, path); err != nil {
		return ins, err
	}
	ours, err := ourSchema(ctx, ro, path)
	if err != nil {
		return ins, err
	}
	if ours {
		if ins.Pending, err = pendingIn(ctx, ro, path); err != nil {
			return ins, err
		}
	}
	if o.Full || ins.Pending {
		if err := quickCheck(ctx, ro, path, ""); err != nil {
			return ins, err
		}
		ins.FullCheck = true
	}
	if o.Look != nil {
		return ins, o.Look(ro)
	}
	return ins, nil
}

// smallTables are the tables every open reads, checked on every open
// (checkSmall) besides the schema itself: they stay a few pages long.
var smallTables = []string{"schema_migrations", "settings"}

// checkSmall runs quick_check limited to the schema table and those of
// smallTables the database has: a damaged first page, schema or migration
// record is found without reading the rest of the file.
func checkSmall(ctx context.Context, ro *sql.DB, path string) error {
	if err := quickCheck(ctx, ro, path, "sqlite_schema"); err != nil {
		return err
	}
	for _, t := range smallTables {
		var n int
		if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", t).Scan(&n); err != nil {
			return readFailed(ctx, path, err)
		}
		if n == 0 {
			continue
		}
		if err := quickCheck(ctx, ro, path, t); err != nil {
			return err
		}
	}
	return nil
}

// quickCheck runs SQLite's quick_check on ro (path names it in an error):
// of the whole file, or of table and its indexes alone. Any finding is
// ErrCorrupt, with SQLite's first one; a check ctx ended (Ctrl-C in
// `meterdesk check`) is no finding (readFailed).
func quickCheck(ctx context.Context, ro *sql.DB, path, table string) error {
	q := "PRAGMA quick_check"
	if table != "" {
		q = "PRAGMA quick_check(" + table + ")"
	}
	var res string
	if err := ro.QueryRowContext(ctx, q).Scan(&res); err != nil {
		return readFailed(ctx, path, err)
	}
	if res != "ok" {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, findings(res))
	}
	return nil
}

// readFailed is the error of a query that failed while the database at
// path was checked: ErrCorrupt, unless ctx ended meanwhile (Ctrl-C or
// SIGTERM in `meterdesk check`, a window closing): the query then failed
// for that, which says nothing about the file, and the error is the
// interruption (errors.Is ctx.Err(): context.Canceled), never ErrCorrupt,
// so that nobody is told to restore a sound database.
func readFailed(ctx context.Context, path string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("interrupted before the check of %s finished (nothing found so far): %w", path, cerr)
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
}

// findings shortens quick_check's report to its first three findings,
// counting the rest: one damaged page may be reported with every page
// behind it ("Page 85: never used", ...).
func findings(report string) string {
	var lines []string
	for _, l := range strings.Split(report, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "*** in database") {
			lines = append(lines, l)
		}
	}
	if len(lines) <= 3 {
		return strings.Join(lines, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(lines[:3], "; "), len(lines)-3)
}

// ourSchema checks that the database at path, open read-only as ro, holds
// Meterdesk's schema (ours) no newer than this version (ErrNewerSchema), or
// no table at all (brand new: not ours, no error); any other is not a
// Meterdesk database (ErrCorrupt).
func ourSchema(ctx context.Context, ro *sql.DB, path string) (ours bool, err error) {
	_, ours, err = schemaVersion(ctx, ro)
	if err != nil {
		return false, readFailed(ctx, path, err)
	}
	if !ours {
		// A database without our table is either brand new or not ours.
		var tables int
		if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
			return false, readFailed(ctx, path, err)
		}
		if tables > 0 {
			return false, fmt.Errorf("%w: %s has no Meterdesk schema", ErrCorrupt, path)
		}
		return false, nil
	}
	return true, newerSchema(ctx, ro, path)
}

// checkLength reports a database file at path shorter than its header
// says (ErrCorrupt): a copy cut short, say. It is read while nothing writes
// the file, with no -wal beside it (readOnly's immutable read). The
// header's page count is taken only where SQLite takes it: its change
// counter (offset 24) matches its version-valid-for number (offset 92).
func checkLength(path string) error {
	size, want, err := headerLength(path)
	switch {
	case errors.Is(err, errShortHeader):
		return fmt.Errorf("%w: %s: its header is cut short", ErrCorrupt, path)
	case errors.Is(err, errPageSize):
		return fmt.Errorf("%w: %s: its header names no valid page size", ErrCorrupt, path)
	case err != nil:
		return err
	case size < want:
		return fmt.Errorf("%w: %s is cut short: %d bytes of the %d its header counts", ErrCorrupt, path, size, want)
	}
	return nil
}

// headerLength's errors: a file shorter than SQLite's 100-byte header, and
// a header whose page size is none SQLite writes.
var (
	errShortHeader = errors.New("header cut short")
	errPageSize    = errors.New("no valid page size")
)

// headerLength returns the size of the SQLite file at path and the size
// its header counts (0 where SQLite would not take the header's page
// count: checkLength).
func headerLength(path string) (size, want int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	var head [100]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return 0, 0, errShortHeader
	}
	st, err := f.Stat()
	if err != nil {
		return 0, 0, fmt.Errorf("open %s: %w", path, err)
	}
	pageSize := int64(binary.BigEndian.Uint16(head[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return st.Size(), 0, errPageSize
	}
	pages := int64(binary.BigEndian.Uint32(head[28:32]))
	if pages == 0 || binary.BigEndian.Uint32(head[24:28]) != binary.BigEndian.Uint32(head[92:96]) {
		return st.Size(), 0, nil
	}
	return st.Size(), pages * pageSize, nil
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
