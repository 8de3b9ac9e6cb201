//go:build unix

package fileout

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAStalledWriteKeepsItsPartFile: a write whose part file has not
// changed for over an hour (a laptop asleep, a stopped process) still holds
// it locked, so another write's sweep in that folder (another process's as
// well: flock locks of two opens conflict) leaves it, and the write ends
// well; once it is closed, an old one is swept.
func TestAStalledWriteKeepsItsPartFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "statement.csv")
	old := time.Now().Add(-2 * time.Hour)
	var tmp string
	err := Write(out, 0o600, func(w io.Writer) error {
		tmp = w.(*os.File).Name()
		if _, err := w.Write([]byte("a,b\n")); err != nil {
			return err
		}
		if err := os.Chtimes(tmp, old, old); err != nil {
			return err
		}
		if err := WriteBytes(filepath.Join(dir, "other.csv"), 0o600, []byte("x")); err != nil { // sweeps first
			return err
		}
		if _, err := os.Lstat(tmp); err != nil {
			t.Errorf("the stalled write's part file was swept: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Write = %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "a,b\n" {
		t.Fatalf("the file holds %q", b)
	}

	// A part file no one holds, as a write killed outright leaves it, is swept.
	f, err := CreateBeside(out)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(f.Name(), old, old); err != nil {
		t.Fatal(err)
	}
	sweepParts(dir, "x", time.Now())
	if _, err := os.Lstat(f.Name()); !os.IsNotExist(err) {
		t.Errorf("an old part file no write holds was kept (%v)", err)
	}
}

// TestAVanishedPartFileIsSaidSo: a write whose part file was removed
// meanwhile fails saying so and to try again, not with chmod's "no such
// file or directory" naming a file the user never chose; nothing is left
// at the path.
func TestAVanishedPartFileIsSaidSo(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "statement.csv")
	err := Write(out, 0o600, func(w io.Writer) error {
		return os.Remove(w.(*os.File).Name())
	})
	if err == nil || !strings.Contains(err.Error(), "export to "+out+": the temporary file beside it (.statement.csv.part-meterdesk-") ||
		!strings.HasSuffix(err.Error(), ") was removed while writing; try again") || strings.Contains(err.Error(), "chmod") {
		t.Fatalf("Write = %v", err)
	}
	if _, serr := os.Lstat(out); !os.IsNotExist(serr) {
		t.Errorf("%s: %v", out, serr)
	}
}
