package core

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
	"meterdesk/tests/dirstate"
)

// olderLiveDatabase closes the fixture and makes its live database look
// made by an older version (migration 996's row and what it made
// removed), so that opening it would migrate it and run the start-up jobs.
// It returns the live file's sha256 and the folder's state.
func olderLiveDatabase(t *testing.T, f *restoreFixture) (sum, state string) {
	t.Helper()
	f.close(t)
	live := filepath.Join(f.dir, store.FileName)
	db, err := sql.Open("sqlite", "file:"+live)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"DELETE FROM schema_migrations WHERE version = 996",
		"DROP INDEX audit_log_actor_action",
		"PRAGMA wal_checkpoint(TRUNCATE)",
	} {
		if _, err := db.Exec(stmt); err != nil {
			db.Close()
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return fileSum(t, live), dirstate.Of(t, f.dir)
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestRefusedRestoreLeavesAnOlderLiveDatabaseAsItWas: a damaged backup,
// or one made by a newer version, is refused before the live database is
// opened. Opening it migrates it (here: a database one migration behind)
// and runs the start-up jobs, so a restore refused only after that
// changed the live file while saying "nothing was changed". RestoreNow
// (`meterdesk restore FILE`) and PrecheckCopy (`restore --check`, before
// it signs in) refuse with the live file byte for byte as it was and the
// folder as it was, and nobody is asked to sign in.
func TestRefusedRestoreLeavesAnOlderLiveDatabaseAsItWas(t *testing.T) {
	for _, c := range []struct {
		name   string
		backup func(t *testing.T, good []byte) string
		want   string
	}{
		{"a damaged backup", func(t *testing.T, good []byte) string {
			damaged := append([]byte(nil), good...)
			for i := 4096; i < len(damaged) && i < 4096*8; i++ {
				damaged[i] ^= 0x5a
			}
			p := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(p, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}, "the backup is damaged"},
		{"a newer version's backup", func(t *testing.T, good []byte) string {
			p := filepath.Join(t.TempDir(), "newer.db")
			if err := os.WriteFile(p, good, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("sqlite", "file:"+p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99999, '99999_future.sql', '2030-01-01')"); err != nil {
				t.Fatal(err)
			}
			return p
		}, "made by a newer version"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			good, err := os.ReadFile(f.backup)
			if err != nil {
				t.Fatal(err)
			}
			backup := c.backup(t, good)
			sum, state := olderLiveDatabase(t, f)
			live := filepath.Join(f.dir, store.FileName)
			for op, run := range map[string]func() error{
				"restore": func() error {
					_, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, backup, func(*Backend) (access.Actor, error) {
						t.Error("the live database was opened to sign in before the backup was checked")
						return access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin}, nil
					})
					return err
				},
				"check": func() error { return precheckBackup(context.Background(), Options{DataDir: f.dir}, backup) },
			} {
				err := run()
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was changed") {
					t.Fatalf("%s: %v, want %q and nothing was changed", op, err, c.want)
				}
				if got := fileSum(t, live); got != sum {
					t.Fatalf("%s changed the live database (sha256 %s, was %s)", op, got, sum)
				}
				if got := dirstate.Of(t, f.dir); got != state {
					t.Fatalf("%s changed the folder:\nbefore %s\nafter  %s", op, state, got)
				}
			}
		})
	}
}

// TestAnotherWorkspacesBackupIsRefusedBeforeTheLiveDatabaseIsOpened: a
// backup of another workspace, restored without ReplaceWorkspace
// (`meterdesk restore FILE` without --yes), is refused before the live
// database is opened. It was refused only in StageRestore, after Open had
// migrated the live database (here one migration behind) and run its
// start-up jobs, while saying "nothing was changed". The identities are
// read read-only (PrecheckCopy), nobody is asked to sign in, and the
// live file and the folder stay as they were; PrecheckCopy with
// ReplaceWorkspace, and with this workspace's own backup, lets it through.
func TestAnotherWorkspacesBackupIsRefusedBeforeTheLiveDatabaseIsOpened(t *testing.T) {
	f := newRestoreFixture(t) // "Before", renamed "After"
	g := newRestoreFixture(t) // another workspace, its backup "Before"
	g.close(t)
	sum, state := olderLiveDatabase(t, f)
	live := filepath.Join(f.dir, store.FileName)
	want := `this backup is of another workspace, "Before", not of "After", the one in this data folder`
	for op, run := range map[string]func() error{
		"restore": func() error {
			_, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, g.backup, func(*Backend) (access.Actor, error) {
				t.Error("the live database was opened to sign in before the workspaces were compared")
				return access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin}, nil
			})
			return err
		},
		"precheck": func() error { return precheckBackup(context.Background(), Options{DataDir: f.dir}, g.backup) },
	} {
		err := run()
		var oe *OtherWorkspaceError
		if !errors.Is(err, ErrOtherWorkspace) || !errors.As(err, &oe) || oe.Backup != "Before" || oe.Current != "After" ||
			!strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("%s: %v, want ErrOtherWorkspace saying %q and nothing was changed", op, err, want)
		}
		if got := fileSum(t, live); got != sum {
			t.Fatalf("%s changed the live database (sha256 %s, was %s)", op, got, sum)
		}
		if got := dirstate.Of(t, f.dir); got != state {
			t.Fatalf("%s changed the folder:\nbefore %s\nafter  %s", op, state, got)
		}
	}
	for name, c := range map[string]struct {
		opts   Options
		backup string
	}{
		"with ReplaceWorkspace": {Options{DataDir: f.dir, ReplaceWorkspace: true}, g.backup},
		"its own backup":        {Options{DataDir: f.dir}, f.backup},
	} {
		if err := precheckBackup(context.Background(), c.opts, c.backup); err != nil {
			t.Errorf("%s: %v, want it let through", name, err)
		}
		if got := fileSum(t, live); got != sum {
			t.Fatalf("%s changed the live database", name)
		}
	}

	// Another workspace of the same name: the refusal tells the two apart
	// by when each was set up, as restore --check and the window do (the
	// precheck's refusal gave the bare names, "Before" not of "Before").
	h := newRestoreFixture(t) // renamed "After", then back to "Before"
	w, err := h.b.Team.Workspace(h.alice)
	if err != nil {
		t.Fatal(err)
	}
	w.Name = "Before"
	if _, err := h.b.Team.UpdateWorkspace(h.alice, w); err != nil {
		t.Fatal(err)
	}
	h.close(t)
	at := `\(set up \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?\)`
	same := regexp.MustCompile(`this backup is of another workspace, "Before" ` + at + `, not of "Before" ` + at + `, the one in this data folder`)
	hsum := fileSum(t, filepath.Join(h.dir, store.FileName))
	for op, run := range map[string]func() error{
		"restore": func() error {
			_, err := RestoreNow(context.Background(), Options{DataDir: h.dir}, g.backup, func(*Backend) (access.Actor, error) {
				t.Error("the live database was opened to sign in before the workspaces were compared")
				return access.Actor{}, nil
			})
			return err
		},
		"precheck": func() error { return precheckBackup(context.Background(), Options{DataDir: h.dir}, g.backup) },
	} {
		if err := run(); !errors.Is(err, ErrOtherWorkspace) || !same.MatchString(err.Error()) {
			t.Errorf("%s, same name: %v, want the setup times", op, err)
		}
		if got := fileSum(t, filepath.Join(h.dir, store.FileName)); got != hsum {
			t.Fatalf("%s, same name, changed the live database", op)
		}
	}
}

// TestRestoreWhileOpenSaysCloseItBeforeCheckingTheBackup: a restore into
// a folder a window holds says "close it" first (ErrInUse), before the
// backup's own check, which reads the whole file: the folder is taken
// before precheckInto, still before the live database is opened. Before,
// a damaged backup was named first, and a good one read whole only to be
// told to close the window.
func TestRestoreWhileOpenSaysCloseItBeforeCheckingTheBackup(t *testing.T) {
	f := newRestoreFixture(t) // the open backend stands for the window
	good, err := os.ReadFile(f.backup)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(good) && i < 4096*8; i++ {
		good[i] ^= 0x5a
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, good, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = RestoreNow(context.Background(), Options{DataDir: f.dir}, damaged, func(*Backend) (access.Actor, error) {
		t.Error("signed in to a folder held by another process")
		return access.Actor{}, nil
	})
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "close it") || strings.Contains(err.Error(), "damaged") {
		t.Fatalf("%v, want ErrInUse saying close it, not the damage", err)
	}
	// Once the window is closed, the damage is what is said, before anyone signs in.
	f.close(t)
	_, err = RestoreNow(context.Background(), Options{DataDir: f.dir}, damaged, func(*Backend) (access.Actor, error) {
		t.Error("the live database was opened to sign in before the backup was checked")
		return access.Actor{}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "the backup is damaged") {
		t.Fatalf("closed: %v, want the damage", err)
	}
}

// precheckBackup is PrecheckCopy with its copy removed: the checks
// `restore --check` makes before it signs in.
func precheckBackup(ctx context.Context, opts Options, file string) error {
	c, err := PrecheckCopy(ctx, opts, file)
	c.Close()
	return err
}
