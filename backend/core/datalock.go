package core

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// LockFileName is the lock file in the data folder. Every process that
// opens the database (the window, each CLI command, `meterdesk serve`)
// holds a shared lock on it; finishing a restore takes it exclusively, so a
// database is never swapped under a process that has it open.
//
// The file is removed only by a process that holds it exclusively, as the
// last thing it does in the folder (a failed setup removing what it made,
// newFolder.undoLocked): removing it lets the folder go. A lock is kept
// only if the file it locked is still the one at this path (DataLock.try),
// so a process that opened the file before it was removed never holds the
// removed file beside one that locked the new file.
const LockFileName = "meterdesk.lock"

// ErrInUse is returned when the data folder is open in another Meterdesk
// process and a restore needs it to itself.
var ErrInUse = errors.New("the data folder is open in another Meterdesk process (a window, a command or `meterdesk serve`)")

// ErrUpgradeInUse is returned when this version must upgrade the database
// (apply its new migrations) while another Meterdesk process has the data
// folder open: that process, of the earlier version, would go on against a
// schema it does not know. It wraps ErrInUse.
var ErrUpgradeInUse = fmt.Errorf("Meterdesk was updated and must upgrade this data folder's database, but %w: close it (an older Meterdesk window, command or `meterdesk serve`) and start again", ErrInUse)

// ErrRestoring is returned when another process held the folder
// exclusively (finishing a restore) for longer than Open waits.
var ErrRestoring = errors.New("another Meterdesk process is restoring this data folder; try again in a moment")

// sharedWait is how long Open waits for another process to finish a
// restore (which holds the folder exclusively for a few renames).
const sharedWait = 10 * time.Second

// lockRetry is how often a wait for the lock tries again.
const lockRetry = 50 * time.Millisecond

// DataLock is a lock on a data folder (a file lock, released by the OS if
// the process dies).
type DataLock struct {
	f         *flock.Flock
	exclusive bool
}

func newLock(dir string) *DataLock {
	return &DataLock{f: flock.New(filepath.Join(dir, LockFileName), flock.SetPermissions(0o600))}
}

// existingLock is newLock for a lock file that is not made when it is
// missing (opened read-only, without O_CREATE): taking it then fails with
// fs.ErrNotExist, and the folder is left as it was.
func existingLock(dir string) *DataLock {
	return &DataLock{f: flock.New(filepath.Join(dir, LockFileName), flock.SetFlag(os.O_RDONLY))}
}

// lockSharedIfThere is lockShared for a look that must leave the folder as
// it was (CheckDatabase): it takes dir's lock file shared, waiting up to
// sharedWait for a restore being finished, but does not make the file. A
// folder without one (nobody has opened it since it was made or copied,
// or none at all) gives nil and no error: no process holds it. So does a
// lock file this user may not open (another user's folder, readable but
// not theirs): the look goes on without the lock rather than not at all.
func lockSharedIfThere(ctx context.Context, dir string) (*DataLock, error) {
	l := existingLock(dir)
	err := l.take(ctx, sharedWait, false)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// LockExclusive takes the data folder for this process alone, waiting up
// to wait for other processes to close it (0: one try); ErrInUse if they
// do not. The folder must exist (store.PrepareDir).
func LockExclusive(ctx context.Context, dir string, wait time.Duration) (*DataLock, error) {
	l := newLock(dir)
	if err := l.take(ctx, wait, true); err != nil {
		return nil, err
	}
	return l, nil
}

// lockShared takes the data folder shared, waiting up to sharedWait for a
// restore in progress to finish.
func lockShared(ctx context.Context, dir string) (*DataLock, error) {
	l := newLock(dir)
	if err := l.take(ctx, sharedWait, false); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *DataLock) take(ctx context.Context, wait time.Duration, exclusive bool) error {
	deadline := time.Now().Add(wait)
retry:
	for {
		ok, err := l.try(exclusive)
		if err != nil {
			return fmt.Errorf("lock the data folder: %w", err)
		}
		if ok {
			l.exclusive = exclusive
			return nil
		}
		if !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("lock the data folder: %w", err)
			}
			break retry // the caller's deadline ends the wait too
		case <-time.After(min(lockRetry, time.Until(deadline))):
		}
	}
	if exclusive {
		return ErrInUse
	}
	return ErrRestoring
}

// staleRetries is how many times try takes the lock again at once when
// the file it locked was no longer the lock file: each time another
// process removed it while holding the folder exclusively, which a failed
// setup does once.
const staleRetries = 8

// try takes the lock once, without waiting, and keeps it only while the
// file it locked is still the lock file at its path: a process that opens
// the lock file just before another, holding it exclusively, removes it
// (a failed setup, undoLocked), and locks it just after, would otherwise
// hold a lock on a file nobody else will open again, beside the process
// that makes the next lock file and locks that. Such a lock is let go and
// taken again on the file at the path now. The lock file is removed only
// while it is held exclusively, so a lock that passes this check cannot
// lose its file afterwards.
func (l *DataLock) try(exclusive bool) (bool, error) {
	lock := l.f.TryRLock
	if exclusive {
		lock = l.f.TryLock
	}
	for range staleRetries {
		ok, err := lock()
		if err != nil || !ok {
			return false, err
		}
		current, err := l.locksItsPath()
		if current {
			return true, nil
		}
		if uerr := l.f.Unlock(); err == nil {
			err = uerr
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

// locksItsPath reports whether the file l holds locked is the one at the
// lock file's path (false when that path names no file any more).
func (l *DataLock) locksItsPath() (bool, error) {
	held, err := l.f.Stat() // the open file, while it is locked
	if err != nil {
		return false, err
	}
	there, err := os.Stat(l.f.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(held, there), nil
}

// Release releases the lock.
func (l *DataLock) Release() error {
	if l == nil {
		return nil
	}
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("unlock the data folder: %w", err)
	}
	return nil
}
