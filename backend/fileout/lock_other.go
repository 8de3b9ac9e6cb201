//go:build !unix

package fileout

import (
	"io"
	"os"
)

// HoldPart holds nothing: lockPart takes no lock here.
func HoldPart(*os.File) io.Closer { return nopCloser{} }

// lockPart takes no lock: on Windows a file open for writing cannot be
// removed, and sweepParts removes none there (no 0600 mode).
func lockPart(*os.File) {}

// removeUnlocked removes the part file at path (Windows refuses while a
// write has it open).
func removeUnlocked(path string, _ os.FileInfo) { _ = os.Remove(path) }
