//go:build linux || darwin

package core

import "syscall"

// diskSpace is diskOf: the device path is on, and the bytes an
// unprivileged user may still write there (statfs's f_bavail).
func diskSpace(path string) (dev, free uint64, ok bool) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return 0, 0, false
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(path, &fs); err != nil {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(fs.Bavail) * uint64(fs.Bsize), true
}
