package core

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/fileout"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// A restore brings a backup back in two steps, so that the database is
// never swapped under a process that has it open:
//
//  1. Stage (StageRestore): the backup is checked and copied into the data
//     folder's restore-pending/ folder: SQLite's integrity check, Meterdesk's
//     schema (no newer than this build), migrated to this build's schema,
//     start-up jobs run, and the ledger verified (ledger.Verify). The entry
//     database.restore is written into the copy's audit log. Nothing in the
//     live database changes.
//  2. Finish (at Open, or at once by RestoreNow): with the data folder held
//     exclusively, the live database (with its -wal and -shm files) is kept
//     as meterdesk.db.before-restore-<time> and the staged copy takes its
//     place by rename. A finish interrupted by a crash completes at the next
//     start: each step can be repeated.
const (
	restoreDirName  = "restore-pending"
	restoreMetaName = "restore.json"
	stagingPrefix   = ".restore-" // a folder where a backup is being checked
	// checkPrefix names the folder in the system's temporary folder where
	// a backup is checked for a data folder with no database yet
	// (CheckBackupFile), which the check must not touch.
	checkPrefix = "meterdesk-check-"
	// staleCheckAge is how long such a folder, and everything in it, must
	// have been left unchanged before the next check or restore removes it
	// (sweepStaleChecks): one a killed check (SIGKILL, a power loss) left.
	staleCheckAge = time.Hour
)

// BackupSummary describes a backup: what a person checks before restoring it.
type BackupSummary struct {
	File         string     `json:"file"`      // absolute path
	SizeBytes    int64      `json:"sizeBytes"` // on disk
	Modified     time.Time  `json:"modified"`  // the file's modification time
	Workspace    string     `json:"workspace"` // "" = not set up
	Members      int        `json:"members"`   // not removed
	Transfers    int64      `json:"transfers"` // ledger transfers
	LastActivity *time.Time `json:"lastActivity,omitempty"`
	PoolBalance  string     `json:"poolBalance"` // credits in the shared pool
	// TimeZone is the IANA zone the backup's workspace counts its days in
	// (its Settings → General time zone), or this computer's zone when it
	// sets none (never set up): the zone the CLI and the window show the
	// summary's times in, named. "" in a summary staged by an older version.
	TimeZone string `json:"timeZone,omitempty"`
	// KeysToEnter names the providers whose saved API keys this machine
	// cannot open for the data folder the backup was checked for: sealed
	// with another data folder's secrets.key (a backup never holds it) or
	// kept in an OS keychain this machine does not have. After the
	// restore they must be entered again. KeysNote says so in a sentence,
	// the one the window and the CLI show ("" when none).
	KeysToEnter []string `json:"keysToEnter,omitempty"`
	KeysNote    string   `json:"keysNote,omitempty"`
	// OtherWorkspace: the backup is of another workspace than the one in
	// the data folder it was checked for (set up at another time, or, where
	// either does not record when, named otherwise): restoring it replaces
	// that workspace, CurrentWorkspace, whose members, the admin restoring
	// it too, can then sign in only as the backup's members. A restore of
	// it is refused (ErrOtherWorkspace) unless the admin agreed to that
	// (StageRestore's replaceOther, `meterdesk restore --yes`).
	// WorkspaceNote says so in a sentence, the one the window's
	// confirmation and the CLI show. Unset where the folder has no
	// workspace to replace.
	OtherWorkspace   bool   `json:"otherWorkspace,omitempty"`
	CurrentWorkspace string `json:"currentWorkspace,omitempty"`
	WorkspaceNote    string `json:"workspaceNote,omitempty"`
}

// Restore is a restore staged for the next start, or one this process
// finished when it opened the database.
type Restore struct {
	ID       string        `json:"id"`
	StagedAt time.Time     `json:"stagedAt"`
	StagedBy string        `json:"stagedBy"` // the admin's name
	Previous string        `json:"previous"` // file name the replaced database is kept under, in the data folder
	Kept     string        `json:"kept"`     // that file's absolute path; "" when there was no database to keep
	Backup   BackupSummary `json:"backup"`
}

// RestoreStatus is what the window shows about restores.
type RestoreStatus struct {
	Pending  *Restore `json:"pending"`  // staged, finished at the next start; nil = none
	Finished *Restore `json:"finished"` // finished when this process started; nil = none
}

// ErrLiveDatabase refuses restoring the database in use onto itself.
var ErrLiveDatabase = errors.New("that is the database in use; choose a backup file")

// CheckBackup checks the backup in file exactly as a restore would (admins
// only), and describes it (checkBackup). The copy checked is made in the
// data folder, as a restore's is, under the staging prefix the next start
// sweeps if the check is killed, and removed after it: nothing is kept in
// the data folder, and the system's temporary folder (perhaps a small
// tmpfs) need not hold the backup.
func (b *Backend) CheckBackup(ctx context.Context, file string) (BackupSummary, error) {
	a, err := access.RequireAdmin(ctx, "restore the database")
	if err != nil {
		return BackupSummary{}, err
	}
	current, err := b.currentIdentity(ctx)
	if err != nil {
		return BackupSummary{}, err
	}
	r, tmp, err := prepareRestore(ctx, b.DataDir, b.DataDir, file, a, b.Clock, b.Version, false, current, false, "")
	if tmp != "" {
		_ = os.RemoveAll(tmp)
	}
	return r.Backup, err
}

// CheckCheckedBackup is CheckBackup of the backup in file that
// PrecheckCopy copied and checked as c: it describes that copy, without
// copying or checking the backup again (`meterdesk restore --check FILE`,
// which prechecks before it signs in). c nil (PrecheckCopy found the
// temporary folder too small) is CheckBackup. c is used up: Close it all
// the same.
func (b *Backend) CheckCheckedBackup(ctx context.Context, file string, c *CheckedBackup) (BackupSummary, error) {
	if c == nil || c.dir == "" {
		return b.CheckBackup(ctx, file)
	}
	// The sign-in between PrecheckCopy and this may have waited over
	// staleCheckAge with nothing written in the copy's folder: marked in
	// use now, before prepareRestore's sweep of killed checks, it is not
	// taken for one. A copy already swept (by another check meanwhile) is
	// not there to describe: Open would make an empty database in its
	// place and describe that as the backup. The backup is checked again.
	now := time.Now()
	_ = os.Chtimes(c.dir, now, now)
	if _, err := os.Stat(filepath.Join(c.dir, store.FileName)); err != nil {
		c.Close()
		return b.CheckBackup(ctx, file)
	}
	a, err := access.RequireAdmin(ctx, "restore the database")
	if err != nil {
		return BackupSummary{}, err
	}
	current, err := b.currentIdentity(ctx)
	if err != nil {
		return BackupSummary{}, err
	}
	r, tmp, err := prepareRestore(ctx, b.DataDir, b.DataDir, file, a, b.Clock, b.Version, false, current, false, c.take())
	if tmp != "" {
		_ = os.RemoveAll(tmp)
	}
	return r.Backup, err
}

// currentIdentity is the data folder's workspace, to tell a backup of
// another one by; nil when it was never set up (nothing to replace).
func (b *Backend) currentIdentity(ctx context.Context) (*workspaceIdentity, error) {
	id, ok, err := b.identity(ctx)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if !ok {
		return nil, nil
	}
	return &id, nil
}

// CheckBackupFile checks the backup in file as a restore into the data
// folder opts.DataDir would, and describes it, in a folder with no
// database yet (HasDatabase; ErrHasDatabase otherwise: CheckBackup checks
// there, for an admin). It is `meterdesk restore --check FILE` on a new
// computer, before `meterdesk restore FILE`, which needs no sign-in there
// either: there is nobody to sign in as. The data folder need not exist,
// and nothing is made or written in it: the copy checked goes to the
// system's temporary folder and is removed (a check killed there leaves a
// folder the next check or restore removes after an hour,
// sweepStaleChecks).
func CheckBackupFile(ctx context.Context, opts Options, file string) (BackupSummary, error) {
	dir, err := dataDir(opts.DataDir)
	if err != nil {
		return BackupSummary{}, err
	}
	if has, err := HasDatabase(dir); err != nil {
		return BackupSummary{}, err
	} else if has {
		return BackupSummary{}, fmt.Errorf("check a backup for %s: %w", dir, ErrHasDatabase)
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	r, tmp, err := prepareRestore(ctx, dir, "", file, access.Actor{Name: "(no database yet)", Role: access.RoleAdmin}, clock, opts.Version,
		false, nil, false, "")
	if tmp != "" {
		_ = os.RemoveAll(tmp)
	}
	return r.Backup, err
}

// ErrHasDatabase refuses CheckBackupFile where the data folder has a
// database: checking a backup there is for its admins (CheckBackup).
var ErrHasDatabase = errors.New("the data folder has a database: sign in as an admin to check a backup there")

// StageRestore checks the backup in file and stages it (admins only): the
// database is replaced by it when Meterdesk next opens this data folder
// with no other process holding it. A restore staged before is replaced.
// A backup of another workspace than this one (BackupSummary.OtherWorkspace)
// is refused with an *OtherWorkspaceError (ErrOtherWorkspace), nothing
// staged, unless replaceOther says the admin agreed to replace this
// workspace with it (the window's confirmation said so; `restore --yes`).
func (b *Backend) StageRestore(ctx context.Context, file string, replaceOther bool) (Restore, error) {
	return b.stageRestore(ctx, file, replaceOther, "")
}

// stageRestore is StageRestore of a backup already copied and checked in
// the folder checked (precheckInto; "" = copy and check it here).
func (b *Backend) stageRestore(ctx context.Context, file string, replaceOther bool, checked string) (Restore, error) {
	a, err := access.RequireAdmin(ctx, "restore the database")
	if err != nil {
		return Restore{}, err
	}
	current, err := b.currentIdentity(ctx)
	if err != nil {
		return Restore{}, err
	}
	return stageChecked(ctx, b.DataDir, file, a, b.Clock, b.Version, current, replaceOther, checked)
}

// CancelRestore drops a staged restore (admins only); none is not an error.
func (b *Backend) CancelRestore(ctx context.Context) error {
	if _, err := access.RequireAdmin(ctx, "cancel a restore"); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(b.DataDir, restoreDirName)); err != nil {
		return fmt.Errorf("cancel the restore: %w", err)
	}
	return nil
}

// RestoreStatus returns the staged restore, if any, and the one this
// process finished at start-up, if any (any signed-in actor).
func (b *Backend) RestoreStatus(ctx context.Context) (RestoreStatus, error) {
	if _, err := access.Current(ctx); err != nil {
		return RestoreStatus{}, fmt.Errorf("restore status: %w", err)
	}
	p, err := readPending(b.DataDir)
	if err != nil {
		return RestoreStatus{}, err
	}
	return RestoreStatus{Pending: p, Finished: b.restored}, nil
}

// Restored returns the staged restore Open finished, or nil.
func (b *Backend) Restored() *Restore { return b.restored }

// RestoreNow replaces the database in opts.DataDir with the backup in file
// at once: it takes the data folder exclusively (ErrInUse while another
// process has it open), opens the current database, lets signIn decide who
// is asking (an admin is required), stages the backup and finishes the
// restore. A current database that cannot be opened (damaged, from a newer
// version, failing to migrate or start) cannot be signed in to; it is
// replaced without a sign-in, since whoever can run this can already
// replace the file, and is kept like any other.
//
// In a data folder with a database the backup is checked once the folder
// is locked (ErrInUse first, while a window has it open), before the
// database is opened, which migrates it and runs its start-up jobs
// (precheckInto: integrity, version, another workspace's): a damaged or
// newer backup is refused with the live database byte for byte as it was,
// before anyone signs in.
//
// In a data folder with no database (HasDatabase: a new computer, a
// folder not made yet) the backup is checked and prepared in the system's
// temporary folder first, before the folder is made or locked: a file
// that is not a backup, or none, leaves the folder exactly as it was (no
// folder, no lock file), as `restore --check` does. Only a backup that
// passed takes the folder, exclusively, and is moved in. A temporary
// folder too small for the backup (store.IsDiskFull) is passed over: the
// backup is then staged in the data folder, as it is for a folder with a
// database.
//
// A restore refused once the folder is locked (not a backup, not an admin,
// a failed sign-in) removes the lock file if it made it (a folder with a
// database but no meterdesk.lock), while still holding it: a refused
// restore leaves the folder as it was. A restore that succeeds keeps it, as
// any opening of the folder does.
func RestoreNow(ctx context.Context, opts Options, file string, signIn func(*Backend) (access.Actor, error)) (Restore, error) {
	dir, err := dataDir(opts.DataDir)
	if err != nil {
		return Restore{}, err
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	newComputer := access.Actor{Name: "(no database yet)", Role: access.RoleAdmin}
	prepared := "" // the backup checked and prepared outside the folder, to move in
	has, err := HasDatabase(dir)
	if err != nil {
		return Restore{}, err
	}
	if !has {
		_, tmp, err := prepareRestore(ctx, dir, "", file, newComputer, clock, opts.Version, true, nil, false, "")
		if tmp != "" {
			defer os.RemoveAll(tmp) // nothing left once moved in
		}
		switch {
		case err == nil:
			prepared = tmp
		case store.IsDiskFull(err):
			// The temporary folder cannot hold the backup (a small tmpfs):
			// the backup is staged in the data folder once it is locked,
			// as for a folder with a database. A bad backup was refused
			// before anything was copied.
		default:
			return Restore{}, err
		}
	}
	// A refused restore leaves the folder as it was: the lock file (and
	// the folders) it made for the lock go again, while it is held.
	made := noteLock(dir)
	if err := store.PrepareDir(dir); err != nil {
		made.undo()
		return Restore{}, err
	}
	lock, err := LockExclusive(ctx, dir, 0)
	if errors.Is(err, ErrInUse) {
		err = fmt.Errorf("%w: %s", err, restoreInUse)
	}
	if err != nil {
		made.undo()
		return Restore{}, err
	}
	// With the folder held (a window open there was told "close it"
	// first, before a check that reads the whole backup), the backup is
	// checked before the live database is opened (migrated, its start-up
	// jobs run) to sign in: a backup refused (damaged, newer, another
	// workspace's without ReplaceWorkspace) leaves it byte for byte as it
	// was. Nobody has signed in yet: what it says, anyone could learn from
	// the backup and the folder's own files.
	//
	// The backup is checked once: copied into a staging folder in the data
	// folder (held: nobody else writes there), the copy checked, and that
	// checked copy is what is migrated, verified and put in place.
	checked := ""
	if has {
		checked, err = precheckInto(ctx, dir, file, opts.ReplaceWorkspace)
		if checked != "" {
			defer os.RemoveAll(checked) // renamed into place by then, unless refused
		}
	}
	var r Restore
	if err == nil {
		r, err = restoreLocked(ctx, opts, dir, lock, file, prepared, checked, newComputer, clock, signIn)
	}
	if err != nil {
		if uerr := made.undoLocked(lock); uerr != nil {
			return Restore{}, fmt.Errorf("%w (and the lock file it made in %s could not be removed: %v)", err, dir, uerr)
		}
		return Restore{}, err
	}
	// The lock file stays, as after any opening of the folder (only a
	// process that made it and failed removes it).
	_ = lock.Release()
	return r, nil
}

// restoreInUse says what to do when RestoreNow finds the folder open in
// another process.
const restoreInUse = "close it (the window; `meterdesk serve` with Ctrl+C; a command ends by itself) " +
	"and run the restore again; nothing was changed"

// noteLock records what dir lacks that taking its lock makes: the folders
// store.PrepareDir makes and the lock file.
func noteLock(dir string) *newFolder {
	f := noteFolder(dir)
	f.files, f.emptyDB = nil, false
	if _, err := os.Lstat(filepath.Join(dir, LockFileName)); errors.Is(err, fs.ErrNotExist) {
		f.files = []string{filepath.Join(dir, LockFileName)}
	}
	return f
}

// restoreLocked is RestoreNow once the folder dir is held exclusively by
// lock.
// checked is the folder holding the backup copied and checked there
// (precheckInto; "" for none), used instead of copying it again.
func restoreLocked(ctx context.Context, opts Options, dir string, lock *DataLock, file, prepared, checked string,
	newComputer access.Actor, clock func() time.Time, signIn func(*Backend) (access.Actor, error)) (Restore, error) {
	var err error
	// A finish a crash cut short comes first: opening a half-swapped folder
	// would make an empty database where the live one is missing.
	if p, err := readPending(dir); err != nil {
		return Restore{}, err
	} else if p != nil && interrupted(dir, p) {
		if _, err := finishPending(dir); err != nil {
			return Restore{}, err
		}
	}
	opts.DataDir, opts.Lock = dir, lock
	if _, serr := os.Stat(filepath.Join(dir, store.FileName)); errors.Is(serr, os.ErrNotExist) {
		// No database yet (a new computer): nothing to sign in to or keep,
		// and opening would make an empty one only to set it aside.
		if prepared != "" {
			err = moveIn(ctx, prepared, dir)
		} else {
			_, err = stage(ctx, dir, file, newComputer, clock, opts.Version, checked)
		}
		if err != nil {
			return Restore{}, err
		}
		done, err := finishPending(dir)
		if err != nil {
			return Restore{}, err
		}
		return *done, nil
	}
	b, err := Open(ctx, opts)
	switch {
	case err != nil && ctx.Err() == nil:
		// Damaged, from a newer version, or failing to migrate or start:
		// nobody can sign in to it, and a restore is the way out.
		_, err = stage(ctx, dir, file, access.Actor{Name: "(current database could not be opened)", Role: access.RoleAdmin}, clock, opts.Version, checked)
	case err != nil:
		return Restore{}, err
	default:
		var a access.Actor
		if a, err = signIn(b); err == nil {
			_, err = b.stageRestore(access.WithActor(ctx, a), file, opts.ReplaceWorkspace, checked)
		}
		if cerr := b.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return Restore{}, err
	}
	done, err := finishPending(dir)
	if err != nil {
		return Restore{}, err
	}
	return *done, nil
}

// stage checks file and makes it the pending restore of dir, which has no
// workspace to compare it with (no database, or one that cannot be opened).
func stage(ctx context.Context, dir, file string, a access.Actor, clock func() time.Time, version, checked string) (Restore, error) {
	return stageChecked(ctx, dir, file, a, clock, version, nil, false, checked)
}

// stageChecked is stage for a data folder whose workspace is current (nil:
// none), refusing a backup of another unless replaceOther. checked is a
// staging folder in dir holding the backup already copied and checked
// (precheckInto), "" for none: the backup is then copied and checked here.
func stageChecked(ctx context.Context, dir, file string, a access.Actor, clock func() time.Time, version string,
	current *workspaceIdentity, replaceOther bool, checked string) (Restore, error) {
	r, tmp, err := prepareRestore(ctx, dir, dir, file, a, clock, version, true, current, replaceOther, checked)
	if err != nil {
		if tmp != "" {
			_ = os.RemoveAll(tmp)
		}
		return Restore{}, err
	}
	pending := filepath.Join(dir, restoreDirName)
	err = os.RemoveAll(pending)
	if err == nil {
		err = os.Rename(tmp, pending)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return Restore{}, fmt.Errorf("stage the restore: %w", err)
	}
	syncDir(dir)
	return r, nil
}

// moveIn makes the restore prepared in src, a folder outside the data
// folder dir (prepareRestore in the system's temporary folder), the
// pending restore of dir, as stage does with one prepared in dir. A
// rename moves it where it can; across file systems (the temporary folder
// often is another) its files are copied into a staging folder in dir,
// synced, and that folder renamed, so that a crash leaves either no
// pending restore or a complete one (a staging folder left over is
// removed as leftovers says). Ctrl-C (ctx ended) stops that copy: the
// staging folder is removed, nothing is pending, and the error says the
// restore was interrupted with nothing changed.
func moveIn(ctx context.Context, src, dir string) error {
	pending := filepath.Join(dir, restoreDirName)
	if err := os.RemoveAll(pending); err != nil {
		return fmt.Errorf("stage the restore: %w", err)
	}
	if err := renameDir(src, pending); err == nil {
		syncDir(dir)
		return nil
	}
	tmp, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return fmt.Errorf("stage the restore: %w", err)
	}
	if err := copyFiles(ctx, src, tmp); err != nil {
		cerr := ctx.Err()
		_ = os.RemoveAll(tmp)
		if cerr != nil {
			return fmt.Errorf("restore: interrupted while the checked backup was copied into %s; nothing was changed: %w", dir, cerr)
		}
		return fmt.Errorf("stage the restore: %w", err)
	}
	syncDir(tmp)
	if err := os.Rename(tmp, pending); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("stage the restore: %w", err)
	}
	syncDir(dir)
	return nil
}

// copyBackup is store.CopyIn; a test makes it find the temporary folder full.
var copyBackup = store.CopyIn

// compactBackup is store.CompactFile; a test makes it fail.
var compactBackup = store.CompactFile

// renameDir is os.Rename; a test makes it fail as across file systems.
var renameDir = os.Rename

// copyFiles copies the regular files of the folder src into the folder
// dst, readable by their owner only (the database holds password hashes
// and sealed keys), each synced (store.CopyFile). It stops, with ctx's
// error, when ctx ends (Ctrl-C during the copy of a large backup).
func copyFiles(ctx context.Context, src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := store.CopyFile(ctx, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// prepareRestore copies file into a new folder in tmpIn (named with
// stagingPrefix, which the next start sweeps if this is killed; "" = the
// system's temporary folder, named with checkPrefix, where the folders
// of checks killed over staleCheckAge ago are removed first), brings it
// up to this build (Open: migrations and start-up jobs), verifies its
// ledger and describes it, with the provider keys it holds that cannot be
// opened for the data folder dir. With keep it also writes the audit
// entry and restore.json into the folder. It returns the folder ("" if
// none was made) for the caller to rename or remove. current is the data
// folder's workspace (nil: none to replace): a backup of another is
// described so (BackupSummary.OtherWorkspace), and with keep refused
// (*OtherWorkspaceError) unless replaceOther, before anything is written.
// checked, when not "", is a folder (in tmpIn, named as it would be)
// holding the backup already copied and checked there (precheckInto): it
// is the folder used and returned, and the backup is not copied or
// checked again.
func prepareRestore(ctx context.Context, dir, tmpIn, file string, a access.Actor, clock func() time.Time, version string, keep bool,
	current *workspaceIdentity, replaceOther bool, checked string) (Restore, string, error) {
	abs, st, err := backupFile(dir, file)
	if err != nil {
		return Restore{}, checked, err
	}
	sweepChecks(dir, time.Now())
	tmp := checked
	if tmp == "" {
		prefix := stagingPrefix
		if tmpIn == "" {
			prefix = checkPrefix
		}
		if tmp, err = os.MkdirTemp(tmpIn, prefix); err != nil {
			return Restore{}, "", fmt.Errorf("restore: %w", err)
		}
		// The one check of the backup: of the copy, which is what is
		// migrated and put in place (store.CopyIn).
		if err := copyBackup(ctx, abs, filepath.Join(tmp, store.FileName)); err != nil {
			return Restore{}, tmp, fmt.Errorf("restore: %w", err)
		}
	}
	if keep {
		// A hand-made copy of a live database has free pages holding what
		// was deleted before it was copied: not brought back. Compacted
		// before it is opened, which could reuse them (store.CompactFile).
		if _, err := compactBackup(ctx, filepath.Join(tmp, store.FileName)); err != nil {
			return Restore{}, tmp, fmt.Errorf("restore: the backup %s: %w; nothing was changed", abs, err)
		}
	}
	now := clock()
	id, err := newRestoreID()
	if err != nil {
		return Restore{}, tmp, err
	}
	r := Restore{
		ID:       id,
		StagedAt: now,
		StagedBy: a.Name,
		Previous: store.FileName + ".before-restore-" + now.UTC().Format("20060102-150405") + "-" + id[:4],
	}
	sb, err := Open(ctx, Options{DataDir: tmp, Clock: clock, Version: version, staged: true})
	if err != nil {
		return Restore{}, tmp, fmt.Errorf("restore: the backup cannot be opened by this version: %w", err)
	}
	r.Backup, err = sb.summarise(ctx, dir)
	r.Backup.File, r.Backup.SizeBytes, r.Backup.Modified = abs, st.Size(), st.ModTime()
	if err == nil && current != nil {
		// A backup never set up has no workspace of its own (it brings the
		// first-run wizard back): not another's.
		var backup workspaceIdentity
		var setUp bool
		if backup, setUp, err = sb.identity(ctx); err == nil && setUp && current.other(backup) {
			r.Backup.OtherWorkspace, r.Backup.CurrentWorkspace = true, current.name
			r.Backup.WorkspaceNote = otherWorkspaceNote(backup, *current)
			if keep && !replaceOther {
				err = &OtherWorkspaceError{File: abs, Backup: backup.name, Current: current.name, note: r.Backup.WorkspaceNote}
			}
		}
	}
	if err == nil && keep {
		err = sb.DB.Write(ctx, func(tx *sql.Tx) error {
			// The admin is a member of the database being replaced: the
			// entry names them, with no id in this database.
			return audit.Record(ctx, tx, now, access.Actor{Name: a.Name}, "database.restore", "database", nil, r)
		})
	}
	if cerr := sb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Restore{}, tmp, err
	}
	if keep {
		if err := writeJSON(filepath.Join(tmp, restoreMetaName), r); err != nil {
			return Restore{}, tmp, fmt.Errorf("stage the restore: %w", err)
		}
	}
	return r, tmp, nil
}

// backupFile is the backup file given for a restore into the data folder
// dir, absolute, and what os.Stat says of it: none given, none there, one
// in a folder this user may not enter (store.UnreadableError), or dir's
// own database (ErrLiveDatabase) is refused.
func backupFile(dir, file string) (string, os.FileInfo, error) {
	if file == "" {
		return "", nil, errors.New("restore: no backup file given")
	}
	// "x.db/" names a folder, not the file x.db that filepath.Abs would
	// make of it: refused as a file named as a folder, nothing restored.
	if err := fileout.NamedAsFolder(file); err != nil {
		var ue *fileout.UnreadableError
		if errors.As(err, &ue) { // "; nothing was changed", as for a folder
			err = &store.UnreadableError{File: ue.File, Err: ue.Err}
		}
		return "", nil, fmt.Errorf("restore: %w", err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", nil, fmt.Errorf("restore: %w", err)
	}
	if same, _ := sameFile(abs, filepath.Join(dir, store.FileName)); same {
		return "", nil, fmt.Errorf("restore: %w", ErrLiveDatabase)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", nil, fmt.Errorf("restore: %w", store.Unreadable(file, fileout.Missing(file, err)))
	}
	return abs, st, nil
}

// CheckedBackup is a backup PrecheckCopy copied and checked, in a folder
// of its own in the system's temporary folder or the data folder
// (checkCopyPlace): Backend.CheckCheckedBackup
// describes it without checking it again. Close removes it (nil: nothing).
type CheckedBackup struct{ dir string }

// Close removes the checked copy; a nil c is nothing to remove.
func (c *CheckedBackup) Close() {
	if c != nil && c.dir != "" {
		_ = os.RemoveAll(c.dir)
	}
}

// take hands the checked copy's folder over to its user, which removes it.
func (c *CheckedBackup) take() string {
	d := c.dir
	c.dir = ""
	return d
}

// PrecheckCopy makes the checks of the backup in file that need nothing
// but the file (it is one, an SQLite database, whole by SQLite's integrity
// check, Meterdesk's, no newer than this version: store.CopyIn), with
// the errors a restore gives, before anything opens the data folder
// opts.DataDir: opening its database migrates it and runs the start-up
// jobs (holds voided, lots expired, alerts caught up), so a `restore
// --check` refused only after that would have changed the live database
// while saying "nothing was changed". Nothing of the database is written
// in the data folder: the backup is checked in a copy in a folder of its
// own (checkPrefix, swept as a check's is after staleCheckAge) in the
// system's temporary folder, or in the data folder where that is on
// another file system and has room (checkCopyPlace: the temporary folder
// may be a tmpfs, in memory); one too large for it is read where it is (a backup with a -wal: passed here and checked
// after the sign-in, in the data folder). One file may be: a live database
// with a -wal left by a crash makes its read-only open (the identity read
// below) create a 32 KB -shm beside it, as SQLite needs one to read the
// -wal; the database file itself is left byte for byte.
//
// A backup that passed is then compared with the live database, both
// read-only and not migrated (readIdentity: the workspace's name and its
// first workspace.setup audit entry): a backup of another workspace is
// refused with an *OtherWorkspaceError (ErrOtherWorkspace) unless
// opts.ReplaceWorkspace, before the live database is opened, so that
// "nothing was changed" holds (StageRestore compares them again, the
// final guard). A live database Open would refuse (store.Inspect:
// damaged, from a newer version) is not compared: it has no workspace to
// lose, and the restore replaces it, as before. RestoreNow makes the same
// checks in the data folder it holds (precheckInto).
//
// The copy checked is kept, for `meterdesk restore --check` to describe
// after the sign-in without checking the backup a second time
// (Backend.CheckCheckedBackup). It returns nil and no error where the
// folder chosen cannot hold the copy (store.IsDiskFull): the
// backup was then checked where it is, or is left to the check after the
// sign-in. Close the CheckedBackup.
func PrecheckCopy(ctx context.Context, opts Options, file string) (*CheckedBackup, error) {
	dir, err := dataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	abs, _, err := backupFile(dir, file)
	if err != nil {
		return nil, err
	}
	// The copy goes to the temporary folder, or to the data folder where
	// that is another file system with room (checkCopyPlace). A killed
	// check's copy is swept from both after staleCheckAge, wherever this
	// one goes, and before the room is measured: one left in the data
	// folder takes the room that would send this check elsewhere.
	sweepChecks(dir, time.Now())
	place := checkCopyPlace(dir, backupSize(abs))
	into, err := os.MkdirTemp(place, checkPrefix)
	if err != nil && place != os.TempDir() {
		place = os.TempDir() // a data folder this user may not write in
		into, err = os.MkdirTemp(place, checkPrefix)
	}
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	c := &CheckedBackup{dir: into}
	err = precheck(ctx, dir, abs, opts.ReplaceWorkspace, into)
	if store.IsDiskFull(err) {
		// Too large for where it was copied (a small tmpfs): read where
		// it is, copying nothing, and checked again after the sign-in.
		c.Close()
		c = nil
		scratch, serr := os.MkdirTemp(place, checkPrefix)
		if serr != nil {
			return nil, fmt.Errorf("restore: %w", serr)
		}
		defer os.RemoveAll(scratch)
		err = precheck(ctx, dir, abs, opts.ReplaceWorkspace, "", scratch)
		if store.IsDiskFull(err) {
			err = nil
		}
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// precheckInto is RestoreNow's PrecheckCopy in a data folder dir it
// holds exclusively: the backup is copied into a new staging folder in
// dir and checked there, once, and that folder returned (removed when
// refused; "" then), for the restore to migrate and put in place the very
// bytes checked (stage's checked). Nothing else writes there, and nothing
// in dir is changed: a refused restore removes the folder, and a restore
// killed meanwhile leaves one the next start sweeps (leftovers).
func precheckInto(ctx context.Context, dir, file string, replace bool) (string, error) {
	abs, _, err := backupFile(dir, file)
	if err != nil {
		return "", err
	}
	into, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := precheck(ctx, dir, abs, replace, into); err != nil {
		_ = os.RemoveAll(into)
		return "", err
	}
	return into, nil
}

// precheck checks the backup abs for the data folder dir: copied into the
// folder into and checked there (store.CopyInLook), or, with into "",
// read where it is (store.ReadBackup, a -wal read from a copy in
// scratch). Unless replace, a backup of another workspace than dir's is
// then refused (*OtherWorkspaceError), as PrecheckCopy says.
func precheck(ctx context.Context, dir, abs string, replace bool, into string, scratch ...string) error {
	// The identities are compared only where both read: a backup or a live
	// database whose workspace cannot be read here is left to the restore,
	// whose own checks say why (a damaged live database is replaced).
	var backup, current workspaceIdentity
	var backupSetUp, currentSetUp bool
	var readErr error
	look := func(ro *sql.DB) error {
		backup, backupSetUp, readErr = readIdentity(ctx, ro)
		return nil
	}
	var err error
	if into != "" {
		err = store.CopyInLook(ctx, abs, filepath.Join(into, store.FileName), look)
	} else {
		err = store.ReadBackup(ctx, abs, scratch[0], look)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// A backup never set up has no workspace of its own: not another's.
	if readErr != nil || !backupSetUp || replace {
		return nil
	}
	// The live database as Open would look at it first (store.Inspect):
	// one it would refuse (damaged, from a newer version) has no workspace
	// to lose, as for StageRestore's callers, and is not compared.
	_, err = store.Inspect(ctx, dir, store.InspectOptions{Look: func(ro *sql.DB) error {
		current, currentSetUp, readErr = readIdentity(ctx, ro)
		return nil
	}})
	if err != nil || readErr != nil || !currentSetUp || !current.other(backup) {
		return nil
	}
	return &OtherWorkspaceError{File: abs, Backup: backup.name, Current: current.name, note: otherWorkspaceNote(backup, current)}
}

// sweepChecks sweeps killed checks' copies (sweepStaleChecks) from the
// two places a check makes them in: the system's temporary folder and
// the data folder dir (checkCopyPlace).
func sweepChecks(dir string, now time.Time) {
	sweepStaleChecks(os.TempDir(), now)
	if dir != "" && dir != os.TempDir() {
		sweepStaleChecks(dir, now)
	}
}

// sweepStaleChecks removes the folders of checks (checkPrefix) in tmpDir,
// the system's temporary folder or a data folder, that nothing has changed in for
// staleCheckAge before now: a check killed there (SIGKILL, a power loss)
// leaves a whole copy of a database, its chats, PIN hashes and sealed
// keys. A check under way writes its copy and so stays newer. Best
// effort: what cannot be read or removed (another user's) stays.
func sweepStaleChecks(tmpDir string, now time.Time) {
	entries, err := os.ReadDir(tmpDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), checkPrefix) {
			continue
		}
		p := filepath.Join(tmpDir, e.Name())
		if last, ok := lastChanged(p); ok && now.Sub(last) > staleCheckAge {
			_ = os.RemoveAll(p)
		}
	}
}

// lastChanged returns the latest modification time of the folder p and
// of what is in it (the database copy, its -wal, -shm and lock files);
// ok is false when any of it cannot be read.
func lastChanged(p string) (time.Time, bool) {
	st, err := os.Lstat(p)
	if err != nil {
		return time.Time{}, false
	}
	last := st.ModTime()
	entries, err := os.ReadDir(p)
	if err != nil {
		return time.Time{}, false
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return time.Time{}, false
		}
		if info.ModTime().After(last) {
			last = info.ModTime()
		}
	}
	return last, true
}

// summarise verifies the ledger of a staged copy and describes it, naming
// the provider keys it holds that cannot be opened for the data folder
// dir (providers.Service.UnreadableKeys).
func (b *Backend) summarise(ctx context.Context, dir string) (BackupSummary, error) {
	var s BackupSummary
	sys := access.WithActor(ctx, access.System)
	if err := b.Ledger.Verify(sys); err != nil {
		return s, fmt.Errorf("restore: the backup's ledger does not add up: %w", err)
	}
	w, err := b.Team.Workspace(sys)
	if err != nil {
		return s, fmt.Errorf("restore: %w", err)
	}
	s.Workspace = w.Name
	s.TimeZone = backupZone(sys, b)
	ms, err := b.Team.ListMembers(sys, false)
	if err != nil {
		return s, fmt.Errorf("restore: %w", err)
	}
	s.Members = len(ms)
	page, err := b.Ledger.History(sys, ledger.Filter{Limit: 1})
	if err != nil {
		return s, fmt.Errorf("restore: %w", err)
	}
	if len(page.Items) > 0 {
		s.Transfers = page.Items[0].ID // the ledger is append-only: the newest id is the count
		at := page.Items[0].CreatedAt
		s.LastActivity = &at
	}
	pool := decimal.Zero
	if bal, err := b.Ledger.Balance(sys, "pool"); err == nil {
		pool = bal.Balance
	} else if !errors.Is(err, ledger.ErrUnknownAccount) {
		return s, fmt.Errorf("restore: %w", err)
	}
	s.PoolBalance = pool.String()
	if s.KeysToEnter, err = b.Providers.UnreadableKeys(sys, dir); err != nil {
		return s, fmt.Errorf("restore: %w", err)
	}
	s.KeysNote = keysNote(s.KeysToEnter)
	return s, nil
}

// backupZone is the zone the backup b's workspace counts its days in
// (workzone.Load: this computer's zone when it sets none). A zone this
// machine does not know (an older tz database) is shown as this computer's
// own: it only says how times are printed, never refuses a backup.
func backupZone(ctx context.Context, b *Backend) string {
	loc, err := b.Zone(ctx)
	if err != nil {
		return workzone.OS()
	}
	return loc.String()
}

// keysNote is the sentence the window and the CLI show for a backup whose
// providers' keys (names) cannot be opened here; "" for none.
func keysNote(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("The API key of 1 provider (%s) cannot be opened on this machine: it was sealed with "+
			"another data folder's secrets.key or kept in another OS keychain, and a backup holds neither. "+
			"After the restore, type it again: Settings → Providers, or `meterdesk providers update NAME --key-stdin`.", names[0])
	}
	return fmt.Sprintf("The API keys of %d providers (%s) cannot be opened on this machine: they were sealed with "+
		"another data folder's secrets.key or kept in another OS keychain, and a backup holds neither. "+
		"After the restore, type them again: Settings → Providers, or `meterdesk providers update NAME --key-stdin`.",
		len(names), strings.Join(names, ", "))
}

func newRestoreID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// writeJSON writes v to path and syncs it.
func writeJSON(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
