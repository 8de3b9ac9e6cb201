package store

import (
	"errors"
	"syscall"
)

// sqliteFull is SQLITE_FULL, the primary result code SQLite gives when a
// write finds the disk (or a size limit) full.
const sqliteFull = 13

// IsDiskFull reports whether err, anywhere in its chain, says the disk was
// full: the operating system's ENOSPC, or SQLite's SQLITE_FULL ("database
// or disk is full").
func IsDiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteFull
}
