package core

import "syscall"

// blockUnit is the size of the blocks statfs counts f_bavail in: on macOS
// f_bsize, the fundamental block size (its statfs has no f_frsize; the
// I/O size is f_iosize).
func blockUnit(fs *syscall.Statfs_t) uint64 {
	return uint64(fs.Bsize)
}
