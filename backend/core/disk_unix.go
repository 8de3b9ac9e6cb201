//go:build linux || darwin

package core

import "syscall"

// diskSpace is diskOf: the device path is on, and the bytes an
// unprivileged user may still write there (freeBytes).
func diskSpace(path string) (dev, free uint64, ok bool) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0, 0, false
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(path, &fs); err != nil {
		return 0, 0, false
	}
	return uint64(st.Dev), freeBytes(&fs), true
}

// freeBytes is the room statfs says an unprivileged user may still
// write: f_bavail blocks of blockUnit bytes each (what df shows as
// "Avail").
func freeBytes(fs *syscall.Statfs_t) uint64 {
	return uint64(fs.Bavail) * blockUnit(fs)
}
