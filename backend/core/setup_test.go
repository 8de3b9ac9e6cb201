package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/tests/dirstate"
)

var fastHashes = team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func goodSetup() team.WorkspaceSetup {
	return team.WorkspaceSetup{Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", Secret: "correct horse"}
}

// TestSetUpThatFailsLeavesTheFolderAsItWas: when setting up fails after
// the database was made — the migrations ran, then team.Setup's
// transaction failed, or the setup was interrupted — SetUp removes what it
// made (the database and its companion files, the lock file, the folders
// it created) and nothing else, so the folder is exactly as it was; a
// database file that was there empty is emptied again. The next SetUp
// works.
func TestSetUpThatFailsLeavesTheFolderAsItWas(t *testing.T) {
	boom := errors.New("boom")
	failures := map[string]func(ctx context.Context, cancel func(), b *Backend) error{
		"setup refused": func(ctx context.Context, _ func(), b *Backend) error {
			return boom
		},
		"setup's transaction failed": func(ctx context.Context, _ func(), b *Backend) error {
			// The disk fills up as the admin is written: the transaction
			// rolls back after the workspace's settings were written in it.
			err := b.DB.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `CREATE TRIGGER full_disk BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
				return err
			})
			if err != nil {
				return err
			}
			b.Team.SetHashParams(fastHashes)
			_, err = b.Team.Setup(ctx, goodSetup())
			if err == nil || !strings.Contains(err.Error(), "disk is full") {
				return fmt.Errorf("setup with a full disk: %v", err)
			}
			return boom
		},
		"interrupted": func(ctx context.Context, cancel func(), b *Backend) error {
			cancel() // Ctrl-C while the password is hashed
			b.Team.SetHashParams(fastHashes)
			if _, err := b.Team.Setup(ctx, goodSetup()); err == nil {
				return errors.New("setup after Ctrl-C went through")
			}
			return boom
		},
	}
	places := map[string]func(t *testing.T, base string) string{
		"missing": func(t *testing.T, base string) string { return filepath.Join(base, "no", "such", "folder") },
		"empty": func(t *testing.T, base string) string {
			dir := filepath.Join(base, "data")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			return dir
		},
		"other files": func(t *testing.T, base string) string {
			dir := filepath.Join(base, "data")
			if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "notes", "todo.txt"), []byte("buy milk"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "meterdesk.db.txt"), []byte("not ours"), 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		},
		"empty database file": func(t *testing.T, base string) string {
			dir := filepath.Join(base, "data")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, store.FileName), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return dir
		},
	}
	for pname, place := range places {
		for fname, fail := range failures {
			t.Run(pname+"/"+fname, func(t *testing.T) {
				base := t.TempDir()
				dir := place(t, base)
				before := dirstate.Of(t, base)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				made := false
				err := SetUp(ctx, Options{DataDir: dir}, func(b *Backend) error {
					if _, err := os.Stat(filepath.Join(dir, store.FileName)); err == nil {
						made = true
					}
					return fail(ctx, cancel, b)
				})
				if !errors.Is(err, boom) {
					t.Fatalf("SetUp: %v, want the setup's error", err)
				}
				if !made {
					t.Fatal("setup ran without a database")
				}
				if after := dirstate.Of(t, base); after != before {
					t.Fatalf("a failed setup changed the folder:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				if has, err := HasDatabase(dir); err != nil || has {
					t.Fatalf("HasDatabase after a failed setup: %v %v", has, err)
				}
				// Setting up again works.
				err = SetUp(context.Background(), Options{DataDir: dir}, func(b *Backend) error {
					b.Team.SetHashParams(fastHashes)
					_, err := b.Team.Setup(context.Background(), goodSetup())
					return err
				})
				if err != nil {
					t.Fatalf("setup after the failed one: %v", err)
				}
				b, err := Open(context.Background(), Options{DataDir: dir})
				if err != nil {
					t.Fatal(err)
				}
				defer b.Close()
				if need, err := b.Team.NeedsSetup(context.Background()); err != nil || need {
					t.Fatalf("after setup: needs setup %v %v", need, err)
				}
			})
		}
	}
}

// TestSetUpKeepsWhatItDidNotMake: SetUp removes only what it made, and only
// while it holds no workspace. A setup that wrote its workspace and failed
// after it keeps it; in a folder that already had a database (the window's
// first start made it) a failed setup leaves that database as it was; a
// folder another process has open is not taken from it (ErrInUse).
func TestSetUpKeepsWhatItDidNotMake(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")

	// The workspace was written, then something after it failed.
	dir := t.TempDir()
	err := SetUp(ctx, Options{DataDir: dir}, func(b *Backend) error {
		b.Team.SetHashParams(fastHashes)
		if _, err := b.Team.Setup(ctx, goodSetup()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("SetUp: %v", err)
	}
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatalf("the set-up database: %v", err)
	}
	if need, err := b.Team.NeedsSetup(ctx); err != nil || need {
		t.Fatalf("a workspace written was removed: %v %v", need, err)
	}
	b.Close()

	// Set up, then closing it failed: it is set up all the same (the
	// database used to be removed with the error).
	dir = t.TempDir()
	err = SetUp(ctx, Options{DataDir: dir}, func(b *Backend) error {
		b.Team.SetHashParams(fastHashes)
		if _, err := b.Team.Setup(ctx, goodSetup()); err != nil {
			return err
		}
		b.closers = append(b.closers, func() error { return boom })
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("SetUp with a failing close: %v", err)
	}
	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatalf("the set-up database after a failing close: %v", err)
	}
	if need, err := b.Team.NeedsSetup(ctx); err != nil || need {
		t.Fatalf("a workspace set up was removed because closing failed: %v %v", need, err)
	}
	b.Close()

	// A database that was there (no workspace yet) stays, unchanged.
	dir = t.TempDir()
	b, err = Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	dump := func() string {
		db, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s, err := db.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := dump()
	err = SetUp(ctx, Options{DataDir: dir}, func(b *Backend) error {
		b.Team.SetHashParams(fastHashes)
		in := goodSetup()
		in.Secret = "short"
		_, err := b.Team.Setup(ctx, in)
		return err
	})
	if !errors.Is(err, team.ErrWeakSecret) {
		t.Fatalf("SetUp with a weak password: %v", err)
	}
	if has, err := HasDatabase(dir); err != nil || !has {
		t.Fatalf("the database that was there was removed: %v %v", has, err)
	}
	if dump() != before {
		t.Fatal("a failed setup wrote to the database that was there")
	}

	// Another process has the (new) folder open: it is left to it.
	dir = t.TempDir()
	other, err := LockExclusive(ctx, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	before = dirstate.Of(t, dir)
	ran := false
	err = SetUp(ctx, Options{DataDir: dir}, func(b *Backend) error { ran = true; return nil })
	if !errors.Is(err, ErrInUse) || ran {
		t.Fatalf("SetUp on a folder in use: %v (ran %v), want ErrInUse", err, ran)
	}
	if dirstate.Of(t, dir) != before {
		t.Fatal("SetUp changed a folder in use")
	}
	if err := other.Release(); err != nil {
		t.Fatal(err)
	}
}
