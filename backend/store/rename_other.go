//go:build !linux

package store

// renameNoReplace has no atomic no-replace rename to use on this OS
// (Linux's renameat2 RENAME_NOREPLACE is the one used): the caller falls
// back to checking the name, then renaming.
func renameNoReplace(from, to string) error { return errNoReplaceUnsupported }
