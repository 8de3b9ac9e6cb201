package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestBackupWithoutNoReplaceRename: where hard links fail and the OS or
// file system has no no-replace rename (renameNoReplace unsupported:
// macOS, Windows, some FUSE and network file systems), the backup looks
// at the name, then renames: a free name gets the whole backup, a file
// found there is ErrBackupExists and kept. Any other failure of the
// rename refuses the backup with it, and nothing is left: no file under
// the name, no hidden temporary file beside it.
func TestBackupWithoutNoReplaceRename(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }
	t.Cleanup(func() { linkFile, renameFile, backupWritten = os.Link, renameNoReplace, nil })
	renameErr := &os.LinkError{Op: "rename", Err: syscall.EIO}
	for _, c := range []struct {
		name      string
		rename    error // what renameFile says
		meanwhile bool  // a file is made under the name once the backup is whole
		want      error // nil: backed up
		listing   string
	}{
		{"unsupported, the name free", errNoReplaceUnsupported, false, nil, "b.db"},
		{"unsupported, a file made meanwhile", errNoReplaceUnsupported, true, ErrBackupExists, "b.db"},
		{"another error", renameErr, false, syscall.EIO, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			renameFile = func(string, string) error { return c.rename }
			backupWritten = nil
			if c.meanwhile {
				backupWritten = func(_, named string) {
					if err := os.WriteFile(named, []byte("made meanwhile"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			folder := t.TempDir()
			out := filepath.Join(folder, "b.db")
			err := db.Backup(ctx, out)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Backup = %v, want %v", err, c.want)
			}
			if got := listing(t, folder); got != c.listing {
				t.Fatalf("the folder holds %q, want %q", got, c.listing)
			}
			b, _ := os.ReadFile(out)
			switch {
			case c.meanwhile && string(b) != "made meanwhile":
				t.Fatalf("the file made meanwhile was replaced: %d bytes", len(b))
			case c.want == nil && (len(b) < 100 || string(b[:16]) != "SQLite format 3\x00"):
				t.Fatalf("the backup is not a whole database: %d bytes", len(b))
			}
		})
	}
}
