package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace renames from to to in one step that fails, with an
// error that is fs.ErrExist, when a file has the name to: renameat2 with
// RENAME_NOREPLACE (Linux 3.15; FAT, exFAT, ext4, XFS, Btrfs, tmpfs). A
// file system that does not take the flag (some FUSE and network ones)
// is errNoReplaceUnsupported, for the caller to fall back.
func renameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return errNoReplaceUnsupported
	}
	return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
}
