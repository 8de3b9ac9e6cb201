// Package fileout writes export files (statements, invoices, the audit log,
// the rate table, conversations) so that a failed, refused or cancelled
// export never leaves an empty or half-written file, and never damages a file
// that was there before.
package fileout

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

var (
	// ErrNoPath is returned when no output file was given.
	ErrNoPath = errors.New("no output file chosen")
	// ErrIsFolder is returned when the output path names a folder.
	ErrIsFolder = errors.New("the output path is a folder")
)

// Check refuses an empty path or one that names a folder, so that callers
// can refuse before doing any work.
func Check(path string) error {
	if strings.TrimSpace(path) == "" {
		return fmt.Errorf("export: %w", ErrNoPath)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("export to %s: %w", path, ErrIsFolder)
	}
	return nil
}

// WriteBytes is Write for data already in memory.
func WriteBytes(path string, perm os.FileMode, data []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls write with a temporary file next to path and renames it to
// path (replacing a file of that name) only when write succeeded and the data
// reached the disk. perm is the new file's mode.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	if err := Check(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	ok = true
	return nil
}
