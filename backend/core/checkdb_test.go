package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
	"meterdesk/tests/asnobody"
	"meterdesk/tests/damage"
)

var (
	checkAdmin  = access.WithActor(context.Background(), access.System)
	checkMember = access.WithActor(context.Background(), access.Actor{UserID: 7, Name: "bob", Role: access.RoleMember})
)

// TestCheckDatabaseFromTheWindow: the window's check (Backend.CheckDatabase,
// bound as System.CheckDatabase) is an admin's: a member, or nobody signed
// in, is refused with a clear error and nothing read; an admin gets the
// file, its size and OK.
func TestCheckDatabaseFromTheWindow(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		wantErr error
		want    string
	}{
		{"admin", checkAdmin, nil, ""},
		{"member", checkMember, access.ErrForbidden, "check the database: not allowed for your role (admin only)"},
		{"nobody signed in", context.Background(), access.ErrUnauthenticated, "check the database: not signed in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := b.CheckDatabase(tc.ctx)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || err.Error() != tc.want || c != (DatabaseCheck{}) {
					t.Fatalf("got %+v, %v; want %q", c, err, tc.want)
				}
				return
			}
			if err != nil || !c.OK || c.Problem != "" || c.Bytes == 0 || c.File != filepath.Join(dir, store.FileName) {
				t.Fatalf("got %+v, %v", c, err)
			}
		})
	}
}

// TestCheckDatabaseWhileWritesGoOn: the window checks the database it has
// open, with a -wal beside it, while its own writes go on (and so does
// `meterdesk check`, another process beside the window): every check reads
// a consistent snapshot through the -wal and finds it sound.
func TestCheckDatabaseWhileWritesGoOn(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// Enough data for a check to take a while, and pages for the writes
	// below to change while it reads.
	damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return b.DB.Write(ctx, fn) })
	if _, err := os.Stat(filepath.Join(dir, store.FileName+"-wal")); err != nil {
		t.Fatalf("no -wal beside the open database: %v", err)
	}

	stop := make(chan struct{})
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := b.DB.Write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.Exec(`UPDATE bulk SET body = randomblob(1000) WHERE id % 50 = ?`, i%50); err != nil {
					return err
				}
				_, err := tx.Exec(`INSERT INTO bulk (body) VALUES (randomblob(1000))`)
				return err
			})
			if err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
			writes.Add(1)
		}
	})
	checks := 0
	deadline := time.Now().Add(20 * time.Second)
	for checks < 10 || writes.Load() < 20 {
		if time.Now().After(deadline) {
			break
		}
		c, err := b.CheckDatabase(checkAdmin)
		if err != nil || !c.OK || c.Problem != "" {
			t.Fatalf("window check %d during writes: %+v, %v", checks, c, err)
		}
		if c, err := CheckDatabase(ctx, dir); err != nil || !c.OK {
			t.Fatalf("command check %d during writes: %+v, %v", checks, c, err)
		}
		checks++
	}
	close(stop)
	wg.Wait()
	if checks < 10 || writes.Load() < 20 {
		t.Fatalf("only %d checks and %d writes in 20 s", checks, writes.Load())
	}
	t.Logf("%d checks of each kind during %d writes", checks, writes.Load())
}

// damagedFolder makes a data folder whose database has a page damaged in a
// table no open reads, closed cleanly: Open does not look for it (it is
// found by a full check), and the lock file is there.
func damagedFolder(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	root, pageSize := damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return b.DB.Write(ctx, fn) })
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	damage.Overwrite(t, filepath.Join(dir, store.FileName), root, pageSize)
	return dir
}

// TestCheckDatabaseReportsDamage: a damaged page is the window's verdict
// (OK false, the damage in Problem, no error), while the window has the
// database open; `meterdesk check` beside it (a shared lock beside the
// window's) reports it as ErrCorrupt. A member is refused before anything
// is read.
func TestCheckDatabaseReportsDamage(t *testing.T) {
	dir := damagedFolder(t)
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatalf("an open after a clean shutdown does not look for the damage: %v", err)
	}
	defer b.Close()
	c, err := b.CheckDatabase(checkAdmin)
	if err != nil || c.OK || c.File != filepath.Join(dir, store.FileName) || c.Bytes == 0 ||
		!strings.Contains(c.Problem, "the database file is damaged") {
		t.Fatalf("window check: %+v, %v", c, err)
	}
	if c, err := b.CheckDatabase(checkMember); !errors.Is(err, access.ErrForbidden) || c.Problem != "" {
		t.Fatalf("member: %+v, %v", c, err)
	}
	if _, err := CheckDatabase(ctx, dir); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("command check beside the window: %v", err)
	}
}

// TestCheckDatabaseWaitsForARestore: finishing a restore swaps the
// database files while it holds the folder exclusively; CheckDatabase
// holds it shared while it reads, so it waits for the swap (as Open does)
// and never reads a file being renamed. A restore that holds the folder
// longer than the check waits is reported as such. The lock does not keep
// it from a damaged database or a file that is no database, and a folder
// without a lock file is checked without one, none made.
func TestCheckDatabaseWaitsForARestore(t *testing.T) {
	ctx := context.Background()

	t.Run("waits for the swap", func(t *testing.T) {
		dir := damagedFolder(t)
		ex, err := LockExclusive(ctx, dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := CheckDatabase(ctx, dir); done <- err }()
		select {
		case err := <-done:
			t.Fatalf("the check ran while a restore held the folder: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		if err := ex.Release(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("after the restore let go: %v, want the damage", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the check did not run once the restore let go")
		}
	})

	t.Run("a restore that goes on", func(t *testing.T) {
		dir := damagedFolder(t)
		ex, err := LockExclusive(ctx, dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer ex.Release()
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		if _, err := CheckDatabase(short, dir); !errors.Is(err, ErrRestoring) || !strings.HasPrefix(err.Error(), "check the database: ") {
			t.Fatalf("got %v, want ErrRestoring", err)
		}
	})

	for _, tc := range []struct {
		name    string
		content []byte
		wantErr error
	}{
		{"damaged, no lock file", nil, store.ErrCorrupt},
		{"no database, no lock file", []byte("name,credits\nalice,10\n"), store.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := damagedFolder(t)
			if err := os.Remove(filepath.Join(dir, LockFileName)); err != nil {
				t.Fatal(err)
			}
			if tc.content != nil {
				if err := os.WriteFile(filepath.Join(dir, store.FileName), tc.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := CheckDatabase(ctx, dir); !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			if _, err := os.Lstat(filepath.Join(dir, LockFileName)); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("the check made the lock file: %v", err)
			}
		})
	}
}

// TestCheckDatabaseDuringSwaps: a process finishing restores over and over
// (each swapping the live database with another, sound one, while it holds
// the folder exclusively, the live file missing for a moment) never has a
// check read a missing or half-swapped file. Without the lock the check
// met "no Meterdesk database" within a few swaps.
func TestCheckDatabaseDuringSwaps(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return b.DB.Write(ctx, fn) })
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, store.FileName)
	other := filepath.Join(dir, "other.db")
	raw, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var swaps atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			ex, err := LockExclusive(ctx, dir, 2*time.Second)
			if errors.Is(err, ErrInUse) {
				continue
			}
			if err != nil {
				t.Error(err)
				return
			}
			aside := live + ".aside"
			err = os.Rename(live, aside)
			if err == nil {
				time.Sleep(2 * time.Millisecond) // the live file is missing
				err = os.Rename(other, live)
			}
			if err == nil {
				err = os.Rename(aside, other)
			}
			if rerr := ex.Release(); err == nil {
				err = rerr
			}
			if err != nil {
				t.Error(fmt.Errorf("swap: %w", err))
				return
			}
			swaps.Add(1)
			time.Sleep(5 * time.Millisecond)
		}
	})
	checks := 0
	deadline := time.Now().Add(20 * time.Second)
	for (checks < 20 || swaps.Load() < 20) && time.Now().Before(deadline) {
		c, err := CheckDatabase(ctx, dir)
		if err != nil || !c.OK {
			close(stop)
			wg.Wait()
			t.Fatalf("check %d after %d swaps: %+v, %v", checks, swaps.Load(), c, err)
		}
		checks++
		time.Sleep(20 * time.Millisecond) // a gap for the swapper
	}
	close(stop)
	wg.Wait()
	if checks < 20 || swaps.Load() < 20 {
		t.Fatalf("only %d checks and %d swaps in 20 s", checks, swaps.Load())
	}
}

// TestCheckDatabaseWithALockFileItMayNotOpen: a lock file this user may
// not open (another user's folder, its database readable) does not keep
// the check from answering: it reads without the lock. (Root opens any
// file: run as nobody then, as CI runs as root.)
func TestCheckDatabaseWithALockFileItMayNotOpen(t *testing.T) {
	if asnobody.Rerun(t) { // root ignores modes (CI): run as nobody
		return
	}
	dir := damagedFolder(t)
	lockFile := filepath.Join(dir, LockFileName)
	if err := os.Chmod(lockFile, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(lockFile, 0o600)
	if _, err := CheckDatabase(context.Background(), dir); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("got %v, want the damage", err)
	}
}
