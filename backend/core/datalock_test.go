package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestLockIsNeverHeldTwiceWhenItsFileIsRemoved: a failed `workspace
// setup` removes the lock file it made while it holds the folder
// exclusively (undoLocked), so that the folder is left as it was. A
// process that had opened the lock file just before, and locked it just
// after, held a lock on a file that was no longer the data folder's lock
// file, while the next process made a new one and locked that: two
// processes held the folder at once, one of them "exclusively" (a restore
// could swap the database under a window, a setup make a database beside
// another). A lock is now kept only if the file it locks is still the one
// at the lock file's path; otherwise it is let go and taken again on the
// file there now.
//
// Lockers, each with its own open of the lock file as separate processes
// have, take the folder over and over: some exclusively, removing the lock
// file while they hold it as a failed setup does (as the last thing they
// do there: removing it lets the folder go), some shared, as every
// command and window does. An exclusive holder is never beside another
// holder. (Before the fix this failed within a few thousand locks.)
func TestLockIsNeverHeldTwiceWhenItsFileIsRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)
	var (
		mu                sync.Mutex
		exclusive, shared int
		locks, overlaps   int
	)
	hold := func(ex bool, d int) {
		mu.Lock()
		defer mu.Unlock()
		if ex {
			exclusive += d
		} else {
			shared += d
		}
		if d > 0 {
			locks++
			if exclusive > 1 || exclusive == 1 && shared > 0 {
				overlaps++
			}
		}
	}
	done := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return overlaps > 0 || locks >= 50000
	}
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for i := range 4 {
		ex := i%2 == 0
		wg.Go(func() {
			for time.Now().Before(stop) && !done() {
				l := newLock(dir)
				err := l.take(context.Background(), 0, ex)
				if errors.Is(err, ErrInUse) || errors.Is(err, ErrRestoring) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				hold(ex, 1)
				runtime.Gosched() // hold it a moment, as a process does
				hold(ex, -1)
				if ex {
					// As a failed setup does, while it holds the folder,
					// last: removing the lock file lets the folder go.
					_ = os.Remove(path)
				}
				if err := l.Release(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if overlaps > 0 {
		t.Fatalf("an exclusive lock on the data folder was held beside another (%d times in %d locks)", overlaps, locks)
	}
	if locks < 100 {
		t.Fatalf("only %d locks taken: the test proved nothing", locks)
	}
	t.Logf("%d locks, an exclusive one never beside another", locks)
}
