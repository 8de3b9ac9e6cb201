package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"meterdesk/backend/fileout"
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

// anotherBackup is what to do about a backup refused for what it is.
const anotherBackup = "; choose another backup" + nothingChanged

// BackupDamagedError is ErrBackupDamaged for one backup: what is wrong in
// words a person can act on (What), and SQLite's own words with its result
// code (Detail: "database disk image is malformed (11)", its integrity
// check's first finding), which Error leaves out: nobody restoring a
// backup can act on "(11)". Detail is for support: `meterdesk restore
// --json` prints it as "detail" beside the message.
type BackupDamagedError struct {
	File   string // the backup, as it was given
	What   string // "it is cut short (…)", "its header is damaged", "some of its pages are damaged"
	Detail string // SQLite's words; "" when Meterdesk found the damage itself
}

func (e *BackupDamagedError) Error() string {
	return fmt.Sprintf("%s: %s: %s%s", ErrBackupDamaged, e.File, e.What, anotherBackup)
}

func (e *BackupDamagedError) Unwrap() error { return ErrBackupDamaged }

// UnreadableError is a backup (or its -wal) that cannot be read: a folder,
// a file named as a folder (fileout.ErrInputFolder, ErrFileAsFolder: the
// CLI's exit 2), or one this user may not read: the
// file's permissions, or a folder on its path that may not be entered. It
// says so, not that the file is no database (what its header, which could
// not be read, would have said), and is the error it wraps (fs.ErrPermission
// for errors.Is: the CLI's exit 1, as for a folder it may not write in).
type UnreadableError struct {
	File string // the file, as it was given
	Err  error  // the error reading it
}

// Error is fileout's words for a file a command cannot read (as `rates
// import` says it), then that nothing was changed.
func (e *UnreadableError) Error() string {
	return (&fileout.UnreadableError{File: e.File, Err: e.Err}).Error() + nothingChanged
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// Unreadable words err, an error reading the backup file (or its -wal),
// as an *UnreadableError when this user may not read it (fs.ErrPermission);
// any other error (nil too) is returned as it is.
func Unreadable(file string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return &UnreadableError{File: file, Err: err}
	}
	return err
}

// CopyIn brings the backup src in as dst, which must not exist: it copies
// src (with its -wal, if it has one) byte for byte to dst, readable by its
// owner only, synced, and checks the copy, once: SQLite's full integrity
// check, Meterdesk's schema, a schema no newer than this build's. What was
// checked is then exactly the file dst, which nothing but this process
// writes, so the database a restore puts in place is the one checked (a
// check of src followed by a copy of it would check one file and bring
// another, should src change between the two). A backup refused leaves no
// dst. src is only read: nothing is written next to it. It is how a backup
// is brought back (backend/core's restore); dst is migrated when it is
// opened with Open.
func CopyIn(ctx context.Context, src, dst string) error {
	return CopyInLook(ctx, src, dst, nil)
}

// CopyInLook is CopyIn, then runs fn (when not nil) on the checked copy,
// open read-only and not migrated: a restore reads from it what it
// compares with the live database (the workspace it is of). An error of fn
// is returned, and the copy is kept: what to do with it is the caller's.
func CopyInLook(ctx context.Context, src, dst string, fn func(ro *sql.DB) error) error {
	if err := lookAtBackup(src); err != nil {
		return err
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("copy the backup: %w", err)
	}
	remove := func() {
		for _, sfx := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(abs + sfx)
		}
	}
	wal := exists(src + "-wal")
	sfxs := []string{""}
	if wal {
		sfxs = append(sfxs, "-wal")
	}
	for _, sfx := range sfxs {
		if err := CopyFile(ctx, src+sfx, abs+sfx); err != nil {
			if !errors.Is(err, os.ErrExist) || sfx != "" {
				remove()
			}
			if cerr := ctx.Err(); cerr != nil {
				return interrupted(src, cerr)
			}
			if uerr := Unreadable(src+sfx, err); uerr != err {
				return uerr
			}
			return fmt.Errorf("copy the backup: %w", err)
		}
	}
	ro, err := checkBackupAt(ctx, abs, src, wal)
	if err == nil && fn != nil {
		err = fn(ro)
		ro.Close()
		return err
	}
	if ro != nil {
		ro.Close()
	}
	if err != nil {
		remove()
	}
	return err
}

// CheckBackup makes CopyIn's checks of the backup src, with its errors,
// and copies nothing: `restore --check` runs them before it opens the
// live database, which Open would migrate and run start-up jobs in, so
// that a backup refused leaves that database exactly as it was. A backup
// with a -wal file is read from a copy made in the folder scratch (as
// CopyIn reads it beside dst) and removed; src is only read.
func CheckBackup(ctx context.Context, src, scratch string) error {
	return ReadBackup(ctx, src, scratch, nil)
}

// ReadBackup makes CheckBackup's checks of the backup src, with its
// errors, and then runs fn on it, open read-only and not migrated (its
// schema may be older than this build's). A backup with a -wal file is
// read from a copy in scratch, as CheckBackup reads it, removed after fn;
// src is only read. fn nil is CheckBackup.
func ReadBackup(ctx context.Context, src, scratch string, fn func(ro *sql.DB) error) error {
	if err := lookAtBackup(src); err != nil {
		return err
	}
	path, wal := src, exists(src+"-wal")
	if wal {
		// Reading the -wal needs a -shm beside it: both are read from a
		// copy, never beside src.
		path = filepath.Join(scratch, FileName+".source")
		defer func() {
			for _, sfx := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(path + sfx)
			}
		}()
		for _, sfx := range []string{"", "-wal"} {
			if err := CopyFile(ctx, src+sfx, path+sfx); err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return interrupted(src, cerr)
				}
				if uerr := Unreadable(src+sfx, err); uerr != err {
					return uerr
				}
				return fmt.Errorf("read the backup: %w", err)
			}
		}
	}
	ro, err := checkBackupAt(ctx, path, src, wal)
	if ro != nil {
		defer ro.Close()
	}
	if err != nil || fn == nil {
		return err
	}
	return fn(ro)
}

// lookAtBackup refuses what is no backup by a look at the file alone,
// before SQLite opens it: an empty file, one that is not an SQLite
// database; and a folder, or one this user may not read (*UnreadableError),
// whose header says nothing.
func lookAtBackup(src string) error {
	// A folder, a file named as a folder ("meterdesk.db/") or one this
	// user may not read is said in fileout's words, as `rates import` says
	// it ("DIR cannot be read: it is a folder; give a file"), then that
	// nothing was changed.
	st, err := os.Stat(src)
	if err == nil && st.IsDir() {
		return &UnreadableError{File: src, Err: fileout.ErrInputFolder}
	}
	var ue *fileout.UnreadableError
	if errors.As(fileout.GivenError(src, err), &ue) {
		return &UnreadableError{File: src, Err: ue.Err}
	}
	if err != nil {
		return fmt.Errorf("read the backup: %w", err)
	}
	if st.Size() == 0 {
		return fmt.Errorf("%w: %s is empty%s", ErrNotBackup, src, anotherBackup)
	}
	if err := checkHeader(src); errors.Is(err, fs.ErrPermission) {
		return Unreadable(src, err)
	} else if err != nil {
		return fmt.Errorf("%w: %s is not an SQLite database%s", ErrNotBackup, src, anotherBackup)
	}
	return nil
}

// checkBackupAt opens the backup at path (name: the file as the person
// gave it, for messages) read-only and checks it whole: SQLite's
// integrity check, Meterdesk's schema, none newer than this build. It
// returns it open when it passed (the caller closes it; nil otherwise).
// A file with a -wal (wal) is opened read-write, as reading its -wal
// needs a -shm; one without is read immutable, as nothing else writes
// it, and must be as long as its header says.
func checkBackupAt(ctx context.Context, path, name string, wal bool) (*sql.DB, error) {
	q := "mode=ro&immutable=1"
	if wal {
		q = "mode=rw"
	} else if size, want, err := headerLength(path); errors.Is(err, errShortHeader) || errors.Is(err, errPageSize) {
		return nil, &BackupDamagedError{File: name, What: "its header is damaged", Detail: err.Error()}
	} else if err != nil {
		return nil, fmt.Errorf("read the backup: %w", err)
	} else if size < want {
		return nil, &BackupDamagedError{File: name,
			What: fmt.Sprintf("it is cut short (%d bytes of the %d it should have)", size, want)}
	}
	ro, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q)
	if err != nil {
		return nil, fmt.Errorf("open the backup: %w", err)
	}
	ro.SetMaxOpenConns(1)
	fail := func(err error) (*sql.DB, error) {
		ro.Close()
		return nil, err
	}
	var res string
	if err := ro.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return fail(readBackupFailed(ctx, name, err))
	}
	if res != "ok" {
		return fail(&BackupDamagedError{File: name, What: "some of its pages are damaged", Detail: findings(res)})
	}
	have, ours, err := schemaVersion(ctx, ro)
	if err != nil || !ours || have == 0 {
		return fail(fmt.Errorf("%w: %s has no Meterdesk data%s", ErrNotBackup, name, anotherBackup))
	}
	if err := newerSchema(ctx, ro, name); errors.Is(err, ErrNewerSchema) {
		return fail(fmt.Errorf("%w%s; restore it with that version or a later one%s",
			ErrBackupNewer, strings.TrimPrefix(err.Error(), ErrNewerSchema.Error()), nothingChanged))
	} else if err != nil {
		return fail(err)
	}
	return ro, nil
}

// readBackupFailed is the error of SQLite's integrity check of the backup
// name that could not run: the check interrupted (ctx ended: no verdict),
// or the backup damaged, said by SQLite's result code in words.
func readBackupFailed(ctx context.Context, name string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return interrupted(name, cerr)
	}
	d := &BackupDamagedError{File: name, What: "SQLite cannot read it", Detail: err.Error()}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqliteNotADB:
			d.What = "its header is damaged"
		case sqliteCorrupt:
			d.What = "some of its pages are damaged"
		}
	}
	return d
}

// interrupted is the error of a check of the backup name that ctx ended
// (cerr) before its verdict: during the copy or SQLite's check.
func interrupted(name string, cerr error) error {
	return fmt.Errorf("interrupted before the check of the backup %s finished%s: %w", name, nothingChanged, cerr)
}

// copyChunk is how much CopyFile copies between two looks at its context.
const copyChunk = 8 << 20

// CopyFile copies src to a new file dst, readable by its owner only,
// synced. It stops, with ctx's error, when ctx ends (Ctrl-C during the
// copy of a large backup), looking at it every copyChunk bytes; the
// partial dst is the caller's to remove. It is the one copy of a database
// file: CopyIn's of a backup, and core's of a restore prepared in the
// system's temporary folder into the data folder (across file systems).
func CopyFile(ctx context.Context, src, dst string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			out.Close()
			return err
		}
		// CopyN keeps the kernel's copy (copy_file_range) where there is one.
		if _, err := io.CopyN(out, in, copyChunk); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			out.Close()
			return err
		}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
