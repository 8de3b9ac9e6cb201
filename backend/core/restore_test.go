package core

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/tests/dirstate"
)

// restoreFixture is a data folder with workspace "Before" (admin alice,
// 100 credits in the pool) backed up to backup, then changed: renamed
// "After" and topped up by 50. The backend is open; close it with close.
type restoreFixture struct {
	dir, backup string
	b           *Backend
	alice       context.Context
}

func newRestoreFixture(t *testing.T) *restoreFixture {
	t.Helper()
	ctx := context.Background()
	f := &restoreFixture{dir: t.TempDir(), backup: filepath.Join(t.TempDir(), "backup.db")}
	f.open(t)
	f.b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := f.b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Before", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	f.alice = access.WithActor(ctx, admin)
	f.topUp(t, "t1", "100")
	if err := f.b.Backup(f.alice, f.backup); err != nil {
		t.Fatal(err)
	}
	w, err := f.b.Team.Workspace(f.alice)
	if err != nil {
		t.Fatal(err)
	}
	w.Name = "After"
	if _, err := f.b.Team.UpdateWorkspace(f.alice, w); err != nil {
		t.Fatal(err)
	}
	f.topUp(t, "t2", "50")
	return f
}

func (f *restoreFixture) open(t *testing.T) {
	t.Helper()
	b, err := Open(context.Background(), Options{DataDir: f.dir})
	if err != nil {
		t.Fatal(err)
	}
	f.b = b
	t.Cleanup(func() { f.close(t) })
}

func (f *restoreFixture) close(t *testing.T) {
	t.Helper()
	if f.b != nil {
		if err := f.b.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		f.b = nil
	}
}

func (f *restoreFixture) topUp(t *testing.T, id, credits string) {
	t.Helper()
	_, err := f.b.Ledger.TopUp(f.alice, ledger.TopUpRequest{ID: id, Account: ledger.AccountPool, Credits: decimal.RequireFromString(credits), Price: "0"})
	if err != nil {
		t.Fatal(err)
	}
}

// expect fails t unless the workspace name and pool are want ("Before
// 100", "After 150").
func (f *restoreFixture) expect(t *testing.T, want string) {
	t.Helper()
	if got := f.state(t); got != want {
		t.Fatalf("state %q, want %q", got, want)
	}
}

// stage stages the fixture's backup as alice.
func (f *restoreFixture) stage(t *testing.T) Restore {
	t.Helper()
	r, err := f.b.StageRestore(f.alice, f.backup, false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// reopen closes the backend and opens the folder again, as the next start.
func (f *restoreFixture) reopen(t *testing.T) {
	t.Helper()
	f.close(t)
	f.open(t)
}

// state is what a test compares: the workspace name and the pool.
func (f *restoreFixture) state(t *testing.T) string {
	t.Helper()
	sys := access.WithActor(context.Background(), access.System)
	w, err := f.b.Team.Workspace(sys)
	if err != nil {
		t.Fatal(err)
	}
	bal, err := f.b.Ledger.Balance(sys, ledger.AccountPool)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.b.Ledger.Verify(sys); err != nil {
		t.Fatalf("ledger: %v", err)
	}
	return w.Name + " " + bal.Balance.String()
}

// restoreLeftovers lists what a refused restore must not leave in the data folder.
func restoreLeftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".restore-") || e.Name() == restoreDirName || strings.Contains(e.Name(), "before-restore") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestRestoreStagesThenFinishesAtTheNextOpen(t *testing.T) {
	f := newRestoreFixture(t)
	sum, err := f.b.CheckBackup(f.alice, f.backup)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Workspace != "Before" || sum.PoolBalance != "100" || sum.Members != 1 || sum.Transfers == 0 || sum.LastActivity == nil || sum.SizeBytes == 0 {
		t.Fatalf("summary %+v", sum)
	}
	if got := restoreLeftovers(t, f.dir); len(got) != 0 {
		t.Fatalf("a check left %v", got)
	}
	r := f.stage(t)
	abs, _ := filepath.Abs(f.backup)
	if r.Backup.File != abs || r.StagedBy != "alice" || !strings.HasPrefix(r.Previous, "meterdesk.db.before-restore-") {
		t.Fatalf("staged %+v", r)
	}
	// Staged, not finished: the open database is unchanged.
	f.expect(t, "After 150")
	st, err := f.b.RestoreStatus(f.alice)
	if err != nil || st.Pending == nil || st.Pending.ID != r.ID || st.Finished != nil {
		t.Fatalf("status %+v (%v)", st, err)
	}
	f.reopen(t)
	f.expect(t, "Before 100")
	st, err = f.b.RestoreStatus(f.alice)
	if err != nil || st.Pending != nil || st.Finished == nil || st.Finished.ID != r.ID {
		t.Fatalf("status after %+v (%v)", st, err)
	}
	// The restore is in the restored database's audit log, by name.
	var found bool
	for _, e := range audittest.Entries(t, f.b.DB) {
		if e.Action == "database.restore" {
			found = e.ActorName == "alice" && e.ActorID == 0 && strings.Contains(e.After, abs)
		}
	}
	if !found {
		t.Fatalf("no database.restore entry: %+v", audittest.Entries(t, f.b.DB))
	}
	// The replaced database is kept, owner-only, and still opens.
	prev := filepath.Join(f.dir, r.Previous)
	for _, p := range []string{prev, filepath.Join(f.dir, store.FileName)} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v, want 0600", p, fi.Mode(), err)
		}
	}
	if got := keptWorkspace(t, prev); got != "After" {
		t.Fatalf("kept database holds %q, want After", got)
	}
}

func TestRestoreRefusesBadBackupsAndChangesNothing(t *testing.T) {
	f := newRestoreFixture(t)
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, _ := os.ReadFile(f.backup)
	// edited returns a copy of the backup changed by sql.
	edited := func(name, stmt string) string {
		p := write(name, good)
		db, err := sql.Open("sqlite", "file:"+p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
		return p
	}
	damaged := append([]byte(nil), good...)
	for i := 4096; i < len(damaged) && i < 4096*8; i++ {
		damaged[i] ^= 0x5a
	}
	foreign := filepath.Join(tmp, "foreign.db")
	if db, err := sql.Open("sqlite", "file:"+foreign); err == nil {
		_, err = db.Exec("CREATE TABLE notes(x TEXT)")
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	member := access.WithActor(context.Background(), access.Actor{UserID: 9, Name: "bob", Role: access.RoleMember})
	cases := []struct {
		name string
		ctx  context.Context
		file string
		want string
	}{
		{"a member", member, f.backup, "admin"},
		{"no file given", f.alice, "", "no backup file"},
		{"a missing file", f.alice, filepath.Join(tmp, "nope.db"), "no such file"},
		{"a folder", f.alice, tmp, "is a folder"},
		{"an empty file", f.alice, write("empty.db", nil), "is empty"},
		{"a text file", f.alice, write("notes.txt", []byte("hello, this is not a database at all")), "not an SQLite database"},
		{"a damaged backup", f.alice, write("damaged.db", damaged), "damaged"},
		{"an SQLite file that is not Meterdesk's", f.alice, foreign, "no Meterdesk data"},
		{"a newer version's backup", f.alice, edited("newer.db", "INSERT INTO schema_migrations(version, name, applied_at) VALUES (99999, '99999_future.sql', '2030-01-01')"), "newer version"},
		{"a ledger that does not add up", f.alice, edited("drift.db", "UPDATE ledger_accounts SET balance_minor = balance_minor + 1 WHERE code = 'pool'"), "does not add up"},
		{"the live database", f.alice, filepath.Join(f.dir, store.FileName), "database in use"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for op, run := range map[string]func() error{
				"check": func() error { _, err := f.b.CheckBackup(c.ctx, c.file); return err },
				"stage": func() error { _, err := f.b.StageRestore(c.ctx, c.file, false); return err },
			} {
				err := run()
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("%s: err %v, want %q", op, err, c.want)
				}
				if got := restoreLeftovers(t, f.dir); len(got) != 0 {
					t.Fatalf("%s left %v", op, got)
				}
			}
			f.expect(t, "After 150")
		})
	}
	// Nothing was staged: reopening changes nothing.
	f.reopen(t)
	f.expect(t, "After 150")
}

func TestStagedRestoreWaitsForOtherProcesses(t *testing.T) {
	f := newRestoreFixture(t)
	f.stage(t)
	other, err := Open(context.Background(), Options{DataDir: f.dir}) // another process, say `meterdesk serve`
	if err != nil {
		t.Fatal(err)
	}
	f.close(t)
	f.open(t) // the other still has the folder: the restore stays staged
	f.expect(t, "After 150")
	if st, err := f.b.RestoreStatus(f.alice); err != nil || st.Pending == nil || st.Finished != nil {
		t.Fatalf("status %+v (%v)", st, err)
	}
	if _, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, nil); !errors.Is(err, ErrInUse) {
		t.Fatalf("RestoreNow while open: %v, want ErrInUse", err)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	f.expect(t, "Before 100")
}

func TestCancelRestore(t *testing.T) {
	f := newRestoreFixture(t)
	f.stage(t)
	member := access.WithActor(context.Background(), access.Actor{UserID: 9, Name: "bob", Role: access.RoleMember})
	if err := f.b.CancelRestore(member); err == nil {
		t.Fatal("a member cancelled a restore")
	}
	if err := f.b.CancelRestore(f.alice); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	f.expect(t, "After 150")
	if got := restoreLeftovers(t, f.dir); len(got) != 0 {
		t.Fatalf("left %v", got)
	}
}

func TestRestoreNow(t *testing.T) {
	t.Run("an admin", func(t *testing.T) {
		f := newRestoreFixture(t)
		f.close(t)
		var asked bool
		r, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, func(b *Backend) (access.Actor, error) {
			asked = true
			return access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin}, nil
		})
		if err != nil || !asked || r.StagedBy != "alice" {
			t.Fatalf("restore %+v, %v (asked %v)", r, err, asked)
		}
		f.open(t)
		f.expect(t, "Before 100")
	})
	t.Run("a member, or a failed sign-in", func(t *testing.T) {
		f := newRestoreFixture(t)
		f.close(t)
		for _, signIn := range []func(*Backend) (access.Actor, error){
			func(*Backend) (access.Actor, error) {
				return access.Actor{UserID: 2, Name: "bob", Role: access.RoleMember}, nil
			},
			func(*Backend) (access.Actor, error) { return access.Actor{}, errors.New("wrong password") },
		} {
			if _, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, signIn); err == nil {
				t.Fatal("restored without an admin")
			}
		}
		if got := restoreLeftovers(t, f.dir); len(got) != 0 {
			t.Fatalf("left %v", got)
		}
		f.open(t)
		f.expect(t, "After 150")
	})
	t.Run("into a folder with no database", func(t *testing.T) {
		f := newRestoreFixture(t)
		f.close(t)
		empty := t.TempDir()
		r, err := RestoreNow(context.Background(), Options{DataDir: empty}, f.backup, func(*Backend) (access.Actor, error) {
			t.Fatal("there is nobody to sign in as in an empty folder")
			return access.Actor{}, nil
		})
		if err != nil || r.Kept != "" || r.StagedBy != "(no database yet)" {
			t.Fatalf("restore %+v: %v", r, err)
		}
		entries, err := os.ReadDir(empty)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), "before-restore") {
				t.Fatalf("kept %s: an empty database made only to be set aside", e.Name())
			}
		}
		f.dir = empty
		f.open(t)
		f.expect(t, "Before 100")
	})
	t.Run("over a database from a newer version", func(t *testing.T) {
		f := newRestoreFixture(t)
		f.close(t)
		db, err := sql.Open("sqlite", "file:"+filepath.Join(f.dir, store.FileName))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99999, '99999_future.sql', '2030-01-01')")
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		r, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, func(*Backend) (access.Actor, error) {
			t.Fatal("a newer version's database cannot be signed in to")
			return access.Actor{}, nil
		})
		if err != nil || r.StagedBy != "(current database could not be opened)" {
			t.Fatalf("restore %+v: %v", r, err)
		}
		f.open(t)
		f.expect(t, "Before 100")
	})
	t.Run("over a finish a crash cut short", func(t *testing.T) {
		f := newRestoreFixture(t)
		first := f.stage(t)
		f.close(t)
		live := filepath.Join(f.dir, store.FileName)
		if err := os.Rename(live, filepath.Join(f.dir, first.Previous)); err != nil { // the crash: live kept, copy not yet in
			t.Fatal(err)
		}
		admin := func(*Backend) (access.Actor, error) {
			return access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin}, nil
		}
		second, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, admin)
		if err != nil {
			t.Fatal(err)
		}
		f.open(t)
		f.expect(t, "Before 100")
		// The first restore was finished, not replaced by an empty database:
		// the second kept what the first restored, and the first kept the
		// database from before it.
		for file, want := range map[string]string{first.Previous: "After", second.Previous: "Before"} {
			if got := keptWorkspace(t, filepath.Join(f.dir, file)); got != want {
				t.Errorf("%s holds %q, want %q", file, got, want)
			}
		}
	})
	t.Run("over a damaged database", func(t *testing.T) {
		f := newRestoreFixture(t)
		f.close(t)
		live := filepath.Join(f.dir, store.FileName)
		junk := []byte("SQLite format 3\x00 but then nothing a database would hold")
		if err := os.WriteFile(live, junk, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, f.backup, func(*Backend) (access.Actor, error) {
			t.Fatal("a damaged database cannot be signed in to")
			return access.Actor{}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if kept, _ := os.ReadFile(filepath.Join(f.dir, r.Previous)); !bytes.Equal(kept, junk) {
			t.Fatalf("the damaged database was not kept as %s", r.Previous)
		}
		f.open(t)
		f.expect(t, "Before 100")
	})
}

// TestFinishPendingResumesAfterACrash: a finish stopped between its steps
// completes at the next open, and a stale -wal never sits beside the
// restored database.
//
// With LeaveRestore (`restore --status`, `--cancel`, `--check`) a restore
// not yet begun stays staged, but one cut short is finished all the same:
// opening the half-swapped folder would create an empty database, or leave
// the commits of a -wal moved aside out of the live one.
func TestFinishPendingResumesAfterACrash(t *testing.T) {
	for _, c := range []struct {
		stop  string
		leave bool
	}{
		{"before any rename", false},
		{"after keeping the -wal", false},
		{"after keeping the live files", false},
		{"after moving the copy in", false},
		{"after keeping the -wal", true},
		{"after keeping the live files", true},
		{"after moving the copy in", true},
	} {
		stop := c.stop
		name := stop
		if c.leave {
			name += ", opened with LeaveRestore"
		}
		t.Run(name, func(t *testing.T) {
			f := newRestoreFixture(t)
			r := f.stage(t)
			f.close(t)
			live := filepath.Join(f.dir, store.FileName)
			prev := filepath.Join(f.dir, r.Previous)
			staged := filepath.Join(f.dir, restoreDirName, store.FileName)
			staleWAL := []byte("a -wal file left by a crash")
			if err := os.WriteFile(live+"-wal", staleWAL, 0o600); err != nil {
				t.Fatal(err)
			}
			switch stop {
			case "after keeping the -wal":
				if err := os.Rename(live+"-wal", prev+"-wal"); err != nil {
					t.Fatal(err)
				}
			case "after keeping the live files":
				for _, sfx := range []string{"-wal", ""} {
					if err := os.Rename(live+sfx, prev+sfx); err != nil {
						t.Fatal(err)
					}
				}
			case "after moving the copy in":
				for _, sfx := range []string{"-wal", ""} {
					if err := os.Rename(live+sfx, prev+sfx); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.Rename(staged, live); err != nil {
					t.Fatal(err)
				}
			}
			b, err := Open(context.Background(), Options{DataDir: f.dir, LeaveRestore: c.leave})
			if err != nil {
				t.Fatal(err)
			}
			f.b = b
			f.expect(t, "Before 100")
			if got, _ := os.ReadFile(prev + "-wal"); !bytes.Equal(got, staleWAL) {
				t.Fatalf("the stale -wal was not kept beside %s", r.Previous)
			}
			if _, err := os.Stat(filepath.Join(f.dir, restoreDirName)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the staging folder is still there: %v", err)
			}
		})
	}
}

func TestDamagedStagedRestoreIsReported(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, restoreDirName), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, restoreDirName, restoreMetaName), []byte(`{"previous":"../x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a database was created: %v", err)
	}
}

func TestLeaveRestoreLeavesItStaged(t *testing.T) {
	f := newRestoreFixture(t)
	f.stage(t)
	f.close(t)
	b, err := Open(context.Background(), Options{DataDir: f.dir, LeaveRestore: true})
	if err != nil {
		t.Fatal(err)
	}
	f.b = b
	if st, err := f.b.RestoreStatus(f.alice); err != nil || st.Pending == nil || f.state(t) != "After 150" {
		t.Fatalf("status %+v (%v), state %q", st, err, f.state(t))
	}
	f.reopen(t)
	f.expect(t, "Before 100")
}

// TestStagedRestoreReplacesADamagedDatabase: a database that Open would
// refuse is still replaced by a restore staged for it.
func TestStagedRestoreReplacesADamagedDatabase(t *testing.T) {
	f := newRestoreFixture(t)
	f.stage(t)
	f.close(t)
	if err := os.WriteFile(filepath.Join(f.dir, store.FileName), []byte("SQLite format 3\x00 and nothing else"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	f.expect(t, "Before 100")
}

// TestLeftoversOfACutShortStagingAreRemoved: a .restore-* folder (a copy
// being checked when the process died) and a restore-pending folder without
// its restore.json are removed at an open that has the folder to itself,
// and left alone while another process has it (it may be staging).
func TestLeftoversOfACutShortStagingAreRemoved(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	plant := func() {
		for _, p := range []string{filepath.Join(dir, ".restore-123", store.FileName), filepath.Join(dir, restoreDirName, store.FileName)} {
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("a copy"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	plant()
	other, err := Open(context.Background(), Options{DataDir: dir}) // b is open: left alone
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	if got := restoreLeftovers(t, dir); len(got) != 2 {
		t.Fatalf("removed while another process had the folder: %v", got)
	}
	b.Close()
	again, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := restoreLeftovers(t, dir); len(got) != 0 {
		t.Fatalf("left: %v", got)
	}
}

// TestBackupWithItsWAL: a copy of a live database with its -wal is read
// with the commits in the -wal, and nothing is written beside it.
func TestBackupWithItsWAL(t *testing.T) {
	f := newRestoreFixture(t)
	live := t.TempDir()
	src, err := Open(context.Background(), Options{DataDir: live})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	src.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if _, err := src.Team.Setup(context.Background(), team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "In the WAL", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "zoe", SecretKind: team.SecretPassword, Secret: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	copied := t.TempDir()
	for _, sfx := range []string{"", "-wal"} {
		raw, err := os.ReadFile(filepath.Join(live, store.FileName+sfx))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(copied, "copy.db"+sfx), raw, 0o400); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := f.b.CheckBackup(f.alice, filepath.Join(copied, "copy.db"))
	if err != nil || sum.Workspace != "In the WAL" {
		t.Fatalf("summary %+v (%v), want the workspace set up in the -wal", sum, err)
	}
	entries, _ := os.ReadDir(copied)
	if len(entries) != 2 {
		t.Fatalf("written beside the backup: %v", entries)
	}
	if got := restoreLeftovers(t, f.dir); len(got) != 0 {
		t.Fatalf("left: %v", got)
	}
}

// keptWorkspace opens a copy of a kept database file and returns its
// workspace name.
func keptWorkspace(t *testing.T, file string) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.FileName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	w, err := b.Team.Workspace(access.WithActor(context.Background(), access.System))
	if err != nil {
		t.Fatal(err)
	}
	return w.Name
}

// TestRefusedRestoreMakesNoLockFile: `meterdesk restore FILE` in a data
// folder with a database but no meterdesk.lock (a folder copied without it,
// or from before the lock file) left a new lock file behind when the
// restore was refused: the folder was locked, which makes the file, before
// the backup was checked and the admin signed in. A refused restore now
// removes the lock file it made, while it still holds it, and leaves the
// folder as it was; one that restores keeps it, as any opening does (the
// lock file is never removed by an opening that succeeds, see
// LockFileName).
func TestRefusedRestoreMakesNoLockFile(t *testing.T) {
	admin := func(*Backend) (access.Actor, error) {
		return access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin}, nil
	}
	notBackup := filepath.Join(t.TempDir(), "notbk.db")
	if err := os.WriteFile(notBackup, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		file   func(f *restoreFixture) string
		signIn func(*Backend) (access.Actor, error)
		want   string // "" = restored
	}{
		{"not a backup", func(*restoreFixture) string { return notBackup }, admin, "not an SQLite database"},
		{"a missing backup", func(*restoreFixture) string { return filepath.Join(t.TempDir(), "missing.db") }, admin, "no such file"},
		{"a member", func(f *restoreFixture) string { return f.backup }, func(*Backend) (access.Actor, error) {
			return access.Actor{UserID: 2, Name: "bob", Role: access.RoleMember}, nil
		}, "admin"},
		{"a failed sign-in", func(f *restoreFixture) string { return f.backup }, func(*Backend) (access.Actor, error) {
			return access.Actor{}, errors.New("wrong password")
		}, "wrong password"},
		{"restored", func(f *restoreFixture) string { return f.backup }, admin, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			f.close(t)
			lockFile := filepath.Join(f.dir, LockFileName)
			if err := os.Remove(lockFile); err != nil {
				t.Fatal(err)
			}
			before := dirstate.Of(t, f.dir)
			_, err := RestoreNow(context.Background(), Options{DataDir: f.dir}, c.file(f), c.signIn)
			_, lerr := os.Stat(lockFile)
			if c.want == "" {
				if err != nil || lerr != nil {
					t.Fatalf("restore: %v; lock file: %v", err, lerr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
			if !errors.Is(lerr, os.ErrNotExist) {
				t.Fatalf("the refused restore left a lock file (%v)", lerr)
			}
			if after := dirstate.Of(t, f.dir); after != before {
				t.Fatalf("the refused restore changed the folder:\nbefore %s\nafter  %s", before, after)
			}
			f.open(t)
			f.expect(t, "After 150")
		})
	}
}
