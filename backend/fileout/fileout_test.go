package fileout

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteIsAllOrNothing: a failed write leaves no file and no temporary
// file, and an existing file as it was; a good write replaces it with the
// given mode; an empty path or a folder is refused before anything is made.
func TestWriteIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	half := func(w io.Writer) error {
		_, _ = io.WriteString(w, "half a file")
		return boom
	}
	if err := Write(path, 0o600, half); !errors.Is(err, boom) {
		t.Fatalf("failed write: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed write left %d files", len(entries))
	}
	if err := os.WriteFile(path, []byte("before"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o600, half); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "before" {
		t.Fatalf("a failed write changed the file: %q", b)
	}
	if err := Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "after"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "after" || fi.Mode().Perm() != 0o644 {
		t.Fatalf("replaced file: %q %v", b, fi.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files after writes, want 1", len(entries))
	}
	called := false
	write := func(io.Writer) error { called = true; return nil }
	if err := Write("  ", 0o600, write); !errors.Is(err, ErrNoPath) {
		t.Fatalf("empty path: %v", err)
	}
	if err := Write(dir, 0o600, write); !errors.Is(err, ErrIsFolder) {
		t.Fatalf("a folder: %v", err)
	}
	if called {
		t.Fatal("a refused path ran the write")
	}
}
