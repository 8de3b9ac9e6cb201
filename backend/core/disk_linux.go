package core

import "syscall"

// blockUnit is the size of the blocks statfs counts f_bavail in: on
// Linux the fragment size f_frsize, as POSIX statvfs and df read it
// (f_bsize is the preferred I/O size, which a file system may set larger:
// free room times it was overstated), or f_bsize where f_frsize is 0 (a
// kernel before 2.6).
func blockUnit(fs *syscall.Statfs_t) uint64 {
	if fs.Frsize > 0 {
		return uint64(fs.Frsize)
	}
	return uint64(fs.Bsize)
}
