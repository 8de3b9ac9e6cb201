package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotBackup is returned by CopyIn for a file that is not a Meterdesk
// database (or one without any Meterdesk data in it).
var ErrNotBackup = errors.New("not a Meterdesk backup")

// Errors CopyIn returns for a backup it cannot bring back. They name the
// backup, not "the database": they are not ErrCorrupt or ErrNewerSchema,
// which say the live database is damaged or too new (and whose way out,
// restoring a backup, is what is being done).
var (
	// ErrBackupDamaged: SQLite's integrity check of the backup failed (a
	// copy cut short or altered).
	ErrBackupDamaged = errors.New("the backup is damaged")
	// ErrBackupNewer: the backup holds migrations this version lacks.
	ErrBackupNewer = errors.New("the backup was made by a newer version of Meterdesk")
)

// nothingChanged ends CopyIn's refusals with what to do.
const nothingChanged = "; nothing was changed"

// CopyIn checks that src is a whole Meterdesk database this version can
// open (SQLite's full integrity check, Meterdesk's schema, a schema no newer
// than this build's) and writes a consistent copy of it to dst, which must
// not exist, readable by its owner only. src is only read: nothing is
// written next to it. It is how a backup is brought back (backend/core's
// restore); dst is migrated when it is opened with Open.
func CopyIn(ctx context.Context, src, dst string) error {
	ro, done, err := openBackup(ctx, src, dst+".source")
	defer done()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("copy the backup: %w", err)
	}
	f, err := os.OpenFile(abs, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("copy the backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("copy the backup: %w", err)
	}
	if _, err := ro.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		_ = os.Remove(abs)
		return fmt.Errorf("copy the backup: %w", err)
	}
	return nil
}

// CheckBackup makes CopyIn's checks of the backup src, with its errors,
// and copies nothing: a restore runs them before it opens the live
// database, which Open would migrate and run start-up jobs in, so that a
// backup refused leaves that database exactly as it was. A backup with a
// -wal file is read from a copy made in the folder scratch (as CopyIn
// reads it beside dst) and removed; src is only read.
func CheckBackup(ctx context.Context, src, scratch string) error {
	return ReadBackup(ctx, src, scratch, nil)
}

// ReadBackup makes CheckBackup's checks of the backup src, with its
// errors, and then runs fn on it, open read-only and not migrated (its
// schema may be older than this build's): a restore reads from it what it
// compares with the live database before opening that (the workspace it
// is of). A backup with a -wal file is read from a copy in scratch, as
// CheckBackup reads it, removed after fn; src is only read. fn nil is
// CheckBackup.
func ReadBackup(ctx context.Context, src, scratch string, fn func(ro *sql.DB) error) error {
	ro, done, err := openBackup(ctx, src, filepath.Join(scratch, FileName+".source"))
	defer done()
	if err != nil || fn == nil {
		return err
	}
	return fn(ro)
}

// openBackup checks the backup src as CopyIn says and returns it open
// read-only, with a function that closes it and removes what it copied
// (always call it, on error too). A src with a -wal file is read from a
// copy at local, with its -wal.
func openBackup(ctx context.Context, src, local string) (*sql.DB, func(), error) {
	var ro *sql.DB
	copied := false
	done := func() {
		if ro != nil {
			_ = ro.Close()
		}
		if copied {
			for _, sfx := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(local + sfx)
			}
		}
	}
	st, err := os.Stat(src)
	if err != nil {
		return nil, done, fmt.Errorf("read the backup: %w", err)
	}
	if st.IsDir() {
		return nil, done, fmt.Errorf("%w: %s is a folder", ErrNotBackup, src)
	}
	if st.Size() == 0 {
		return nil, done, fmt.Errorf("%w: %s is empty", ErrNotBackup, src)
	}
	if err := checkHeader(src); err != nil {
		return nil, done, fmt.Errorf("%w: %s is not an SQLite database", ErrNotBackup, src)
	}
	// A backup made with `meterdesk backup` has no -wal file: immutable=1
	// reads it without creating -wal/-shm files or taking locks beside it
	// (it may be on read-only media). A copy of a live database may have a
	// -wal holding its latest commits; reading those needs a -shm file, so
	// both are copied to local first and read there.
	name := src // as the person gave it, for messages
	q := "mode=ro&immutable=1"
	if _, err := os.Stat(src + "-wal"); err == nil {
		copied = true
		for _, sfx := range []string{"", "-wal"} {
			if err := copyFile(src+sfx, local+sfx); err != nil {
				return nil, done, fmt.Errorf("read the backup: %w", err)
			}
		}
		src, q = local, "mode=rw"
	}
	ro, err = sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?"+q)
	if err != nil {
		return nil, done, fmt.Errorf("open the backup: %w", err)
	}
	ro.SetMaxOpenConns(1)
	var res string
	if err := ro.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return nil, done, fmt.Errorf("%w: %s: %v; choose another backup%s", ErrBackupDamaged, name, err, nothingChanged)
	}
	if res != "ok" {
		return nil, done, fmt.Errorf("%w: %s: %s; choose another backup%s", ErrBackupDamaged, name, findings(res), nothingChanged)
	}
	have, ours, err := schemaVersion(ctx, ro)
	if err != nil || !ours || have == 0 {
		return nil, done, fmt.Errorf("%w: %s has no Meterdesk data", ErrNotBackup, name)
	}
	if err := newerSchema(ctx, ro, name); errors.Is(err, ErrNewerSchema) {
		return nil, done, fmt.Errorf("%w%s; restore it with that version or a later one%s",
			ErrBackupNewer, strings.TrimPrefix(err.Error(), ErrNewerSchema.Error()), nothingChanged)
	} else if err != nil {
		return nil, done, err
	}
	return ro, done, nil
}

// copyFile copies src to a new file dst, readable by its owner only.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
