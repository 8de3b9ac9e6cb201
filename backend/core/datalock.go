package core

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// LockFileName is the lock file in the data folder. Every process that
// opens the database (the window, each CLI command, `meterdesk serve`)
// holds a shared lock on it; finishing a restore takes it exclusively, so a
// database is never swapped under a process that has it open.
const LockFileName = "meterdesk.lock"

// ErrInUse is returned when the data folder is open in another Meterdesk
// process and a restore needs it to itself.
var ErrInUse = errors.New("the data folder is open in another Meterdesk process (a window, a command or `meterdesk serve`)")

// ErrUpgradeInUse is returned when this version must upgrade the database
// (apply its new migrations) while another Meterdesk process has the data
// folder open: that process, of the earlier version, would go on against a
// schema it does not know. It wraps ErrInUse.
var ErrUpgradeInUse = fmt.Errorf("Meterdesk was updated and must upgrade this data folder's database, but %w: close it (an older Meterdesk window, command or `meterdesk serve`) and start again", ErrInUse)

// errRestoring is returned when another process held the folder
// exclusively (finishing a restore) for longer than Open waits.
var errRestoring = errors.New("another Meterdesk process is restoring this data folder; try again in a moment")

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
	try := l.f.TryRLock
	if exclusive {
		try = l.f.TryLock
	}
	ok, err := try()
	if err == nil && !ok && wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		if exclusive {
			ok, err = l.f.TryLockContext(wctx, lockRetry)
		} else {
			ok, err = l.f.TryRLockContext(wctx, lockRetry)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("lock the data folder: %w", err)
	}
	if !ok {
		if exclusive {
			return ErrInUse
		}
		return errRestoring
	}
	l.exclusive = exclusive
	return nil
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
