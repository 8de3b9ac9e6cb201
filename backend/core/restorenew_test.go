package core

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
	"meterdesk/tests/dirstate"
)

// TestRestoreNowIntoANewFolderChecksFirst: `meterdesk --data-dir NEWDIR
// restore FILE` with a file that is not a backup (or none) made NEWDIR and
// left a 0-byte meterdesk.lock in it, since the folder was made and locked
// before the backup was checked. The backup is now checked first, in the
// system's temporary folder, so a refused one leaves a missing or empty
// folder exactly as it was, as `restore --check` does; a good one still
// takes the folder exclusively (ErrInUse while another process holds it,
// nothing restored), and is moved in by rename or, across file systems,
// by a copy.
func TestRestoreNowIntoANewFolderChecksFirst(t *testing.T) {
	f := newRestoreFixture(t)
	f.close(t)
	tmp, noCopyLeft := emptyTempFolder(t) // where the backup is checked (os.TempDir)
	noSignIn := func(*Backend) (access.Actor, error) {
		t.Fatal("there is nobody to sign in as in a folder with no database")
		return access.Actor{}, nil
	}
	notBackup := filepath.Join(t.TempDir(), "notbk.db")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}

	base := t.TempDir()
	empty := filepath.Join(base, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, dir, file string
		err             error
		want            string
	}{
		{"not a backup, a folder that does not exist", filepath.Join(base, "new"), notBackup, store.ErrNotBackup, "not an SQLite database"},
		{"not a backup, an empty folder", empty, notBackup, store.ErrNotBackup, "not an SQLite database"},
		{"a missing backup, a folder that does not exist", filepath.Join(base, "new", "deeper"), filepath.Join(base, "missing.db"), os.ErrNotExist, "no such file"},
		{"a missing backup, an empty folder", empty, filepath.Join(base, "missing.db"), os.ErrNotExist, "no such file"},
		{"no backup given", empty, "", nil, "no backup file given"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dirstate.Stamped(t, base)
			_, err := RestoreNow(context.Background(), Options{DataDir: c.dir}, c.file, noSignIn)
			if err == nil || (c.err != nil && !errors.Is(err, c.err)) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want %v and %q", err, c.err, c.want)
			}
			if after := dirstate.Stamped(t, base); after != before {
				t.Fatalf("the refused restore changed the folder:\nbefore %s\nafter  %s", before, after)
			}
			noCopyLeft(c.name)
		})
	}

	t.Run("a good backup waits for the folder", func(t *testing.T) {
		dir := filepath.Join(base, "held")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		other, err := LockExclusive(context.Background(), dir, 0) // another process, say a restore in the window
		if err != nil {
			t.Fatal(err)
		}
		before := dirstate.Of(t, dir)
		if _, err := RestoreNow(context.Background(), Options{DataDir: dir}, f.backup, noSignIn); !errors.Is(err, ErrInUse) {
			t.Fatalf("RestoreNow while held: %v, want ErrInUse", err)
		}
		other.Release()
		if dirstate.Of(t, dir) != before {
			t.Fatal("a restore that did not get the folder changed it")
		}
		noCopyLeft("a restore that waited")
	})

	for _, across := range []bool{false, true} {
		name := "a good backup, moved in by rename"
		if across {
			name = "a good backup, copied in across file systems"
		}
		t.Run(name, func(t *testing.T) {
			if across {
				renameDir = func(string, string) error {
					return &os.LinkError{Op: "rename", Err: errors.New("invalid cross-device link")}
				}
				t.Cleanup(func() { renameDir = os.Rename })
			}
			dir := filepath.Join(base, "restored", name)
			r, err := RestoreNow(context.Background(), Options{DataDir: dir}, f.backup, noSignIn)
			if err != nil || r.Kept != "" || r.StagedBy != "(no database yet)" || r.Backup.Workspace != "Before" {
				t.Fatalf("restore %+v: %v", r, err)
			}
			if got := restoreLeftovers(t, dir); len(got) != 0 {
				t.Fatalf("left %v", got)
			}
			if _, err := os.Stat(filepath.Join(dir, LockFileName)); err != nil {
				t.Fatalf("the restore did not hold the folder: %v", err)
			}
			if st, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("the restored database: %v %v", st, err)
			}
			noCopyLeft(name)
			g := &restoreFixture{dir: dir}
			g.open(t)
			g.expect(t, "Before 100")
			g.close(t)
		})
	}

	// A temporary folder too small for the backup (a small tmpfs) is passed
	// over: the backup is staged in the data folder, as before the check
	// moved to the temporary folder, and nothing is left in either.
	t.Run("a good backup, the temporary folder full", func(t *testing.T) {
		copyBackup = func(ctx context.Context, src, dst string) error {
			if strings.HasPrefix(dst, tmp+string(filepath.Separator)) {
				return fmt.Errorf("copy the backup: %w", &os.PathError{Op: "write", Path: dst, Err: syscall.ENOSPC})
			}
			return store.CopyIn(ctx, src, dst)
		}
		t.Cleanup(func() { copyBackup = store.CopyIn })
		dir := filepath.Join(base, "restored", "tmp full")
		r, err := RestoreNow(context.Background(), Options{DataDir: dir}, f.backup, noSignIn)
		if err != nil || r.Backup.Workspace != "Before" {
			t.Fatalf("restore with the temporary folder full: %+v, %v; want it staged in the data folder", r, err)
		}
		if got := restoreLeftovers(t, dir); len(got) != 0 {
			t.Fatalf("left %v", got)
		}
		noCopyLeft("a restore past a full temporary folder")
		g := &restoreFixture{dir: dir}
		g.open(t)
		g.expect(t, "Before 100")
		g.close(t)
	})
}
