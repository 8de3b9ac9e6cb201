//go:build !linux && !darwin

package core

// diskSpace is diskOf where file systems are not told apart (Windows,
// whose temporary folder is on a disk): never ok.
func diskSpace(string) (dev, free uint64, ok bool) { return 0, 0, false }
