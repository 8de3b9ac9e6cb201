package fileout

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
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
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Fatalf("a failed write left %d files (%v)", len(entries), err)
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

// TestProtectedFilesAreRefused: no export may write over the files Protect
// names, by any name of theirs (a sibling named after the database, a
// symbolic link, a hard link, a path through a linked folder), nor into a
// folder that does not exist; another file in the same folder is fine.
func TestProtectedFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "meterdesk.db")
	key := filepath.Join(dir, "secrets.key")
	for _, f := range []string{db, key} {
		if err := os.WriteFile(f, []byte("precious"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "restore-pending"), 0o700); err != nil { // a staged restore
		t.Fatal(err)
	}
	Protect(db, key, filepath.Join(dir, "restore-pending"))
	other := t.TempDir()
	if err := os.Symlink(db, filepath.Join(other, "link.db")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(key, filepath.Join(other, "hard.key")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(other, "data")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db, db + "-wal", db + "-shm", db + ".before-restore-20261122", key,
		filepath.Join(dir, "restore-pending", "meterdesk.db"), filepath.Join(other, "link.db"),
		filepath.Join(other, "hard.key"), filepath.Join(other, "data", "meterdesk.db"), filepath.Join(dir, ".", "meterdesk.db")} {
		err := WriteBytes(p, 0o600, []byte("a,b\n"))
		if !errors.Is(err, ErrProtected) {
			t.Errorf("export to %s: %v, want refused as protected", p, err)
		}
	}
	for _, f := range []string{db, key} {
		if b, _ := os.ReadFile(f); string(b) != "precious" {
			t.Fatalf("%s was overwritten: %q", f, b)
		}
	}
	if err := WriteBytes(filepath.Join(dir, "statement.csv"), 0o600, []byte("a,b\n")); err != nil {
		t.Fatalf("an export beside the database: %v", err)
	}
	missing := filepath.Join(dir, "no-such-folder", "out.csv")
	if err := WriteBytes(missing, 0o600, []byte("a")); !errors.Is(err, ErrNoFolder) || !strings.Contains(err.Error(), "no-such-folder") {
		t.Fatalf("export into a missing folder: %v", err)
	}
}

// TestUnwritableFolderIsNamed: an export into a folder this user may not
// write in (its permissions, a read-only disk) says so, naming the folder
// and the reason, ErrNotWritable, and not the hidden temporary file
// ("open DIR/.out.csv.part-3406361202: permission denied"), which the user
// never chose; nothing is written. Another failure is returned as it is.
func TestUnwritableFolderIsNamed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	for _, c := range []struct {
		name  string
		errno error
		want  error
		words string
	}{
		{"permission denied", syscall.EACCES, ErrNotWritable, "export to " + path + ": cannot write in the folder " + dir + " (permission denied); choose another folder"},
		{"not permitted", syscall.EPERM, ErrNotWritable, "cannot write in the folder " + dir + " (operation not permitted); choose another folder"},
		{"read-only disk", syscall.EROFS, ErrNotWritable, "cannot write in the folder " + dir + " (read-only file system); choose another folder"},
		{"disk full", syscall.ENOSPC, syscall.ENOSPC, "no space left on device"},
	} {
		t.Run(c.name, func(t *testing.T) {
			createTemp = func(d, pattern string) (*os.File, error) {
				return nil, &fs.PathError{Op: "open", Path: filepath.Join(d, strings.Replace(pattern, "*", "3406361202", 1)), Err: c.errno}
			}
			t.Cleanup(func() { createTemp = os.CreateTemp })
			called := false
			err := Write(path, 0o600, func(io.Writer) error { called = true; return nil })
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("Write = %v, want %v saying %q", err, c.want, c.words)
			}
			if c.want == ErrNotWritable && strings.Contains(err.Error(), ".part-") {
				t.Fatalf("%v names the temporary file", err)
			}
			if called {
				t.Fatal("the export ran into no file")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Fatalf("left %d files", len(entries))
			}
		})
	}
}

// TestLongFileNames: a file name up to 255 bytes, the most a file system
// takes, is written, whatever its script: its temporary file's name keeps
// the name's first bytes (cut at a character's start) and is 255 bytes at
// most, where "." + a 248-byte name + ".part-N" was too long and the
// export or backup failed (".part-meterdesk-N" now: partMark).
func TestLongFileNames(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, base string
	}{
		{"a short name", "statement.pdf"},
		{"248 bytes", strings.Repeat("a", 244) + ".pdf"},
		{"255 bytes", strings.Repeat("b", 251) + ".csv"},
		{"255 bytes of three-byte characters", strings.Repeat("資", 84) + ".db"},
		{"a cut inside a character", "x" + strings.Repeat("é", 125) + ".md"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if len(c.base) > 255 {
				t.Fatalf("the test's name is %d bytes", len(c.base))
			}
			path := filepath.Join(dir, c.base)
			var hidden string
			err := Write(path, 0o600, func(w io.Writer) error {
				hidden = filepath.Base(w.(*os.File).Name())
				_, err := w.Write([]byte("data"))
				return err
			})
			if err != nil {
				t.Fatalf("Write(%d bytes) = %v", len(c.base), err)
			}
			if b, _ := os.ReadFile(path); string(b) != "data" {
				t.Fatalf("the file holds %q", b)
			}
			kept, ok := strings.CutPrefix(hidden, ".")
			if i := strings.LastIndex(kept, ".part-meterdesk-"); ok && i >= 0 {
				kept = kept[:i]
			} else {
				t.Fatalf("temporary name %q is not .NAME.part-meterdesk-N", hidden)
			}
			if len(hidden) > 255 || !utf8.ValidString(hidden) || !strings.HasPrefix(c.base, kept) || len(kept) < min(len(c.base), 226) {
				t.Fatalf("temporary name %q (%d bytes) for %q", hidden, len(hidden), c.base)
			}
			// CreateTemp's number is up to 10 digits: the longest name it can make fits too
			if n := len("." + hiddenBase(c.base) + partMark + "4294967295"); n > 255 {
				t.Fatalf("a temporary name for %q can be %d bytes", c.base, n)
			}
			if len(c.base) <= maxHiddenBase && !strings.HasPrefix(hidden, "."+c.base+".part-meterdesk-") {
				t.Fatalf("a name that fits was cut: %q", hidden)
			}
		})
	}
}

// TestNamedAsFolder: a path given to read that ends with a separator names
// a folder: a file there is refused as a file named as a folder, none there
// as missing; a folder, or a path without the separator, is left to be read.
func TestNamedAsFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.db")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string
	}{
		{file + "/", file + "/ cannot be read: " + file + " is a file, not a folder; give " + file},
		{filepath.Join(dir, "none.db") + "/", filepath.Join(dir, "none.db") + "/: no such file"},
		{file, ""},
		{dir + "/", ""},
		// Gone on past the file as if it were a folder: Clean and Abs
		// make x.db of each (it was read).
		{file + "/.", file + "/. cannot be read: " + file + " is a file, not a folder; give " + file},
		{file + "/../x.db", file + "/../x.db cannot be read: " + file + " is a file, not a folder; give " + file},
		{file + "/./", file + "/./ cannot be read: " + file + " is a file, not a folder; give " + file},
		{dir + "/.", ""},
		{"", ""},
	} {
		err := NamedAsFolder(c.path)
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("%q: %v, want %q", c.path, err, c.want)
		}
	}
}
