package core

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"meterdesk/backend/providers"
	"meterdesk/backend/store"
)

// SetUp opens the data folder in opts.DataDir for setting up its workspace
// (`meterdesk workspace setup`), runs setup with the backend, and closes
// it. It is the one way the CLI makes a new database, and it makes it
// all or nothing: when the folder has no database yet (HasDatabase) it is
// taken for this process alone (ErrInUse while another Meterdesk process
// has it open), and if the opening or setup fails while the new database
// holds no workspace (team.Service.NeedsSetup), everything the opening
// made is removed again — the database and its companion files, the lock
// file, the folders it created — so that the folder is exactly as it was.
// Nothing that was there before is touched, and a database that was there
// before (made by the window's first start, say) is opened and left as any
// command leaves it: a setup that fails in it writes nothing
// (team.Service.Setup is one transaction).
//
// The caller should check its input first (team.CheckSetup), so that a
// typing mistake makes nothing even for a moment.
func SetUp(ctx context.Context, opts Options, setup func(*Backend) error) error {
	dir, err := dataDir(opts.DataDir)
	if err != nil {
		return err
	}
	opts.DataDir = dir
	has, err := HasDatabase(dir)
	if err != nil {
		return err
	}
	if has {
		return setUpIn(ctx, opts, setup)
	}
	fresh := noteFolder(dir)
	if err := store.PrepareDir(dir); err != nil {
		fresh.undo()
		return err
	}
	lock, err := LockExclusive(ctx, dir, 0)
	if err != nil {
		// Another process has the folder open: it is making the database
		// now (a window starting, another setup); what it made stays.
		return err
	}
	// It may have made the database between HasDatabase and the lock.
	if has, err := HasDatabase(dir); err != nil || has {
		if rerr := lock.Release(); err == nil {
			err = rerr
		}
		if err != nil {
			return err
		}
		return setUpIn(ctx, opts, setup)
	}
	opts.Lock = lock // Open neither takes a lock nor looks for a staged restore (there is none)
	b, err := Open(ctx, opts)
	if err == nil {
		err = setup(b)
		keep := err == nil // set up: a failure to close after it keeps it too
		if err != nil {
			// A setup that wrote its workspace and failed after (its ledger
			// accounts) keeps it: it is set up.
			need, nerr := b.Team.NeedsSetup(context.WithoutCancel(ctx))
			keep = nerr != nil || !need
		}
		if cerr := b.Close(); err == nil {
			err = cerr
		}
		if err == nil || keep {
			if rerr := lock.Release(); err == nil {
				err = rerr
			}
			return err
		}
	}
	// The opening or the setup failed and left no workspace: nobody else
	// can have opened the folder meanwhile (it is still this process's
	// alone), so what it made goes.
	if uerr := fresh.undoLocked(lock); uerr != nil {
		return fmt.Errorf("%w (and what it made in %s could not all be removed: %v)", err, dir, uerr)
	}
	return err
}

// setUpIn runs setup on the database that dir already holds.
func setUpIn(ctx context.Context, opts Options, setup func(*Backend) error) error {
	b, err := Open(ctx, opts)
	if err != nil {
		return err
	}
	err = setup(b)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	return err
}

// newFolder is what a data folder lacked before SetUp made its database:
// the files of a database that an opening makes and the folders
// store.PrepareDir makes.
type newFolder struct {
	dir     string
	files   []string // files that did not exist, the lock file last
	emptyDB bool     // the database file was there, empty: it is emptied again
	dirs    []string // folders that did not exist, the deepest first
}

// madeFiles are the files an opening of a new database may make in the
// data folder: the database, SQLite's files beside it, the sealing key of
// provider keys, and the lock file (removed last, while held).
var madeFiles = []string{
	store.FileName, store.FileName + "-wal", store.FileName + "-shm", store.FileName + "-journal",
	providers.KeyFileName, LockFileName,
}

// noteFolder records what dir lacks now.
func noteFolder(dir string) *newFolder {
	f := &newFolder{dir: dir}
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			break // there (or cannot tell): never removed
		}
		f.dirs = append(f.dirs, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	for _, name := range madeFiles {
		p := filepath.Join(dir, name)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.files = append(f.files, p)
		case err == nil && name == store.FileName && st.Mode().IsRegular() && st.Size() == 0:
			f.emptyDB = true
		}
	}
	return f
}

// undo removes the folders that did not exist (nothing else can have been
// made in them yet: no lock was taken).
func (f *newFolder) undo() {
	for _, d := range f.dirs {
		_ = os.Remove(d) // only an empty folder goes
	}
}

// undoLocked removes what did not exist, with the folder held exclusively
// by lock, which it releases: the files, the lock file last (removing it
// lets the folder go: another process may make a new one and lock it at
// once, see DataLock.try, so nothing in the folder is touched after it),
// then the folders it made, those that are empty.
func (f *newFolder) undoLocked(lock *DataLock) error {
	var errs []error
	var lockFile string
	for _, p := range f.files {
		if filepath.Base(p) == LockFileName {
			lockFile = p
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if f.emptyDB {
		if err := os.Truncate(filepath.Join(f.dir, store.FileName), 0); err != nil {
			errs = append(errs, err)
		}
	}
	heldLock := false // the lock file could not go while held
	if lockFile != "" {
		err := os.Remove(lockFile)
		// Windows: a file open without FILE_SHARE_DELETE cannot be removed;
		// it goes after the release, unless another process opened it
		// meanwhile (then it cannot be removed either, and stays).
		heldLock = err != nil && !errors.Is(err, fs.ErrNotExist)
	}
	errs = append(errs, lock.Release())
	if heldLock {
		if err := os.Remove(lockFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	f.undo()
	return errors.Join(errs...)
}
