package core

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestFreeBytesCountsFragments: statfs counts f_bavail in f_frsize units
// (POSIX statvfs; what df reads), not in f_bsize, the preferred I/O size a
// file system may set larger. The room was f_bavail × f_bsize, overstated
// on such a file system (checkCopyPlace could then pick a data folder
// without room for the copy).
func TestFreeBytesCountsFragments(t *testing.T) {
	for _, c := range []struct {
		name                  string
		bavail, bsize, frsize int64
		want                  uint64
	}{
		{"fragments smaller than the I/O size", 10, 4096, 1024, 10 * 1024},
		{"the same size", 10, 4096, 4096, 10 * 4096},
		{"a large I/O size (network file systems)", 3, 1 << 20, 4096, 3 * 4096},
		{"no fragment size (a kernel before 2.6)", 10, 4096, 0, 10 * 4096},
		{"nothing free", 0, 4096, 1024, 0},
	} {
		var fs syscall.Statfs_t
		setField(&fs.Bavail, c.bavail)
		setField(&fs.Bsize, c.bsize)
		setField(&fs.Frsize, c.frsize)
		if got := freeBytes(&fs); got != c.want {
			t.Errorf("%s: %d bytes, want %d", c.name, got, c.want)
		}
	}
}

// setField sets a Statfs_t field to v converted to the field's type, which
// differs between architectures (Bsize and Frsize are int64 on amd64 and
// arm64, int32 on 386 and arm; Bavail uint64): int64 literals in a struct
// literal did not compile on 32-bit Linux.
func setField[T ~int32 | ~int64 | ~uint32 | ~uint64](field *T, v int64) { *field = T(v) }

// TestDiskSpaceIsWhatDfSays: the room diskSpace tells for the temporary
// folder is df's "Avail" there (within what other programs write
// meanwhile).
func TestDiskSpaceIsWhatDfSays(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command("df", "-B1", "--output=avail", dir).Output()
	if err != nil {
		t.Skipf("no GNU df here: %v", err)
	}
	_, free, ok := diskSpace(dir)
	if !ok {
		t.Fatal("diskSpace: not told")
	}
	lines := strings.Fields(string(out))
	df, err := strconv.ParseUint(lines[len(lines)-1], 10, 64)
	if err != nil {
		t.Fatalf("df said %q: %v", out, err)
	}
	const slack = 64 << 20 // other writers on a shared disk
	if d := int64(free) - int64(df); d > slack || d < -slack {
		t.Fatalf("diskSpace: %d bytes free; df: %d", free, df)
	}
}
