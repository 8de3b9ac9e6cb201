package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRenameNoReplace: where hard links fail (FAT, exFAT), the backup is
// named by a rename that never replaces a file: one made under the name
// meanwhile is kept, and the rename is fs.ErrExist (the backup's
// ErrBackupExists), where a look then a rename replaced a file made
// between the two. FAT cannot be mounted here: the rename is tested
// directly, and the backup's path through it with links failing.
func TestRenameNoReplace(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, ".b.db.part-1"), filepath.Join(dir, "b.db")
	for _, c := range []struct {
		name   string
		target bool
		want   error
	}{
		{"the name is free", false, nil},
		{"a file has the name", true, fs.ErrExist},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(to)
			if err := os.WriteFile(from, []byte("the backup"), 0o600); err != nil {
				t.Fatal(err)
			}
			if c.target {
				if err := os.WriteFile(to, []byte("made meanwhile"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := renameNoReplace(from, to)
			if errors.Is(err, errNoReplaceUnsupported) {
				t.Skipf("this file system has no RENAME_NOREPLACE: %v", err)
			}
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("renameNoReplace = %v, want %v", err, c.want)
			}
			want := map[bool]string{false: "the backup", true: "made meanwhile"}[c.target]
			if b, _ := os.ReadFile(to); string(b) != want {
				t.Fatalf("%s holds %q, want %q", to, b, want)
			}
			if _, err := os.Stat(from); c.target != (err == nil) {
				t.Fatalf("the renamed file: %v", err)
			}
		})
	}

	// A backup where links fail: named by the rename, whole; a file made
	// under its name meanwhile is ErrBackupExists and kept, and nothing
	// else is left.
	linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }
	t.Cleanup(func() { linkFile = os.Link; backupWritten = nil })
	db, _ := openTemp(t)
	ctx := context.Background()
	folder := t.TempDir()
	out := filepath.Join(folder, "b.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, folder); got != "b.db" {
		t.Fatalf("the folder holds %q", got)
	}
	other := filepath.Join(folder, "c.db")
	backupWritten = func(_, named string) {
		if err := os.WriteFile(named, []byte("made meanwhile"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Backup(ctx, other); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("Backup over a file made meanwhile = %v, want ErrBackupExists", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "made meanwhile" {
		t.Fatalf("the file made meanwhile was replaced: %q", b)
	}
	if got := listing(t, folder); got != "b.db | c.db" {
		t.Fatalf("the folder holds %q", got)
	}
}
