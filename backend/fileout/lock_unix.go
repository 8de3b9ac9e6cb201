//go:build unix

package fileout

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// lockPart takes an advisory exclusive lock (flock) on the part file f,
// held until f is closed, so that another process's sweepParts leaves it
// alone however long the write stalls. Best effort: a file system without
// flock leaves it unlocked (and sweepParts, unable to lock it, leaves it too).
func lockPart(f *os.File) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) { _ = unix.Flock(int(fd), unix.LOCK_EX|unix.LOCK_NB) })
}

// HoldPart keeps the lock lockPart took on the part file f after f is
// closed, until the returned closer is closed: a second handle on f's open
// file (dup), which the flock belongs to. A backup closes its part file for
// VACUUM INTO to fill by name, and holds it so until the copy is named.
// Best effort: with no second handle, nothing is held.
func HoldPart(f *os.File) io.Closer {
	rc, err := f.SyscallConn()
	if err != nil {
		return nopCloser{}
	}
	fd := -1
	_ = rc.Control(func(h uintptr) { fd, _ = unix.Dup(int(h)) })
	if fd < 0 {
		return nopCloser{}
	}
	return os.NewFile(uintptr(fd), f.Name())
}

// removeUnlocked removes the part file at path if it can take its lock
// (lockPart) at once and it is still the file looked at (info): one a
// write holds is left alone, as is one it cannot open or lock.
func removeUnlocked(path string, info os.FileInfo) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	defer f.Close()
	locked := false
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) { locked = unix.Flock(int(fd), unix.LOCK_EX|unix.LOCK_NB) == nil })
	if !locked {
		return
	}
	if now, err := f.Stat(); err != nil || !os.SameFile(now, info) || !now.ModTime().Equal(info.ModTime()) {
		return
	}
	_ = os.Remove(path)
}
