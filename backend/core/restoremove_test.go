package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// cancelledOnceWritten is a context ended (Ctrl-C) as soon as a file
// matching glob has bytes in it: the interrupt comes while the copy is
// under way, whatever the speed of the disk.
type cancelledOnceWritten struct {
	context.Context
	glob      string
	cancelled *bool
}

func (c cancelledOnceWritten) Err() error {
	matches, _ := filepath.Glob(c.glob)
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && st.Size() > 0 {
			*c.cancelled = true
		}
	}
	if *c.cancelled {
		return context.Canceled
	}
	return c.Context.Err()
}

// TestMoveInStopsWhenInterrupted: a restore into a folder with no database
// prepares the backup in the system's temporary folder and, across file
// systems, copies it into the data folder (moveIn). That copy went on to
// its end after Ctrl-C (io.Copy, no look at the context), where the copy
// of the backup itself stops (store.TestCopyInStopsWhenInterrupted): it
// now is the same routine, store.CopyFile, and stops within a chunk; the
// staging folder is removed and nothing is pending.
func TestMoveInStopsWhenInterrupted(t *testing.T) {
	renameDir = func(string, string) error {
		return &os.LinkError{Op: "rename", Err: errors.New("invalid cross-device link")}
	}
	t.Cleanup(func() { renameDir = os.Rename })
	src := t.TempDir()
	big := filepath.Join(src, store.FileName)
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	const size = 64 << 20 // eight of store.CopyFile's chunks, sparse
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dir := t.TempDir()
	ctx := cancelledOnceWritten{context.Background(), filepath.Join(dir, stagingPrefix+"*", store.FileName), new(bool)}
	err = moveIn(ctx, src, dir)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted") ||
		!strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("moveIn = %v, want it interrupted, nothing changed", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("an interrupted move left %s", e.Name())
	}
	// Not interrupted, the same copy moves it in whole.
	if err := moveIn(context.Background(), src, dir); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, restoreDirName, store.FileName)); err != nil || st.Size() != size || st.Mode().Perm() != 0o600 {
		t.Fatalf("moved in: %v %v", st, err)
	}
}
