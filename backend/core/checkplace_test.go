package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRestoreCheckCopyPlace: where `meterdesk restore --check FILE` in a
// folder with a database (PrecheckCopy, before the sign-in) copies the
// backup it checks. It was always the system's temporary folder, which on
// many systems is a tmpfs held in memory: a multi-GB backup was copied into
// RAM. It is now the data folder where that is another file system with
// room for the copy and checkRoomMargin besides, and the temporary folder
// otherwise (the same file system: the same disk either way; no room; file
// systems that cannot be told apart, as on Windows). The copy checked is
// the one described after the sign-in (CheckCheckedBackup), and nothing of
// the check is left in either folder.
func TestRestoreCheckCopyPlace(t *testing.T) {
	home, backup, b, alice := checkHome(t)
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}
	tmp, noCopyLeft := emptyTempFolder(t)
	size := backupSize(backup)
	if size == 0 {
		t.Fatal("no backup")
	}
	t.Cleanup(func() { diskOf = diskSpace })
	const enough = uint64(1) << 40
	for _, c := range []struct {
		name     string
		tmpDev   uint64
		homeDev  uint64
		homeFree uint64
		known    bool
		want     string // "home" or "tmp"
	}{
		{"another file system with room", 1, 2, enough, true, "home"},
		{"another file system, room for the copy and the margin exactly", 1, 2, uint64(size) + checkRoomMargin, true, "home"},
		{"another file system, room for the copy but not the margin", 1, 2, uint64(size) + checkRoomMargin - 1, true, "tmp"},
		{"another file system without room", 1, 2, 0, true, "tmp"},
		{"the same file system", 1, 1, enough, true, "tmp"},
		{"file systems not told apart (Windows)", 0, 0, 0, false, "tmp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			diskOf = func(p string) (uint64, uint64, bool) {
				if p == home {
					return c.homeDev, c.homeFree, c.known
				}
				return c.tmpDev, enough, c.known
			}
			want := map[string]string{"home": home, "tmp": tmp}[c.want]
			if got := checkCopyPlace(home, size); got != want {
				t.Fatalf("checkCopyPlace = %s, want %s", got, want)
			}
			// A killed check's copy left in the place chosen over an hour
			// ago is swept there, as in the temporary folder.
			killed := filepath.Join(want, checkPrefix+"killed")
			if err := os.Mkdir(killed, 0o700); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-2 * staleCheckAge)
			if err := os.Chtimes(killed, old, old); err != nil {
				t.Fatal(err)
			}
			cb, err := PrecheckCopy(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
			if _, serr := os.Stat(killed); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("a killed check's copy in %s was not swept: %v", want, serr)
			}
			if err != nil || cb == nil {
				t.Fatalf("precheck: %v, %v", cb, err)
			}
			defer cb.Close()
			if got := filepath.Dir(cb.dir); got != want || !strings.HasPrefix(filepath.Base(cb.dir), checkPrefix) {
				t.Fatalf("the copy was made in %s, want a %s* folder in %s", cb.dir, checkPrefix, want)
			}
			s, err := b.CheckCheckedBackup(alice, backup, cb)
			if err != nil || s.Workspace != "Acme" || s.Members == 0 {
				t.Fatalf("the check describes %+v, %v; want the backup's workspace Acme", s, err)
			}
			noCopyLeft(c.name)
			entries, err := os.ReadDir(home)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), checkPrefix) || strings.HasPrefix(e.Name(), stagingPrefix) {
					t.Errorf("the check left %s in the data folder", e.Name())
				}
			}
		})
	}
}

// TestDiskSpace: the real diskOf tells this machine's folders' file
// systems and free room (on Linux and macOS; never ok elsewhere).
func TestDiskSpace(t *testing.T) {
	dev1, free, ok := diskSpace(t.TempDir())
	dev2, _, ok2 := diskSpace(t.TempDir())
	if !ok || !ok2 {
		t.Skip("file systems are not told apart here")
	}
	if dev1 != dev2 || free == 0 {
		t.Fatalf("two folders of one temporary folder: devices %d and %d, %d bytes free", dev1, dev2, free)
	}
	if _, _, ok := diskSpace(filepath.Join(t.TempDir(), "missing")); ok {
		t.Fatal("a missing folder is told")
	}
}

// TestKilledCheckInTheDataFolderIsSweptWhereverTheNextCheckCopies: a
// `restore --check` killed (SIGKILL, a power loss) while its copy was in
// the data folder leaves a whole copy of a backup there. It was swept only
// by a later check that chose the data folder again; one that copied into
// the temporary folder (the same file system; the data folder too full,
// perhaps by that very copy; Windows) left it for good, taking the room
// that sent the check elsewhere. Every check now sweeps both places,
// before it measures the room, and the window's check does too; a check's
// folder under an hour old is left.
func TestKilledCheckInTheDataFolderIsSweptWhereverTheNextCheckCopies(t *testing.T) {
	home, backup, b, alice := checkHome(t)
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}
	emptyTempFolder(t)
	t.Cleanup(func() { diskOf = diskSpace })
	for _, c := range []struct {
		name string
		disk func(string) (uint64, uint64, bool)
		run  func() error
	}{
		{"restore --check, the data folder too full", func(p string) (uint64, uint64, bool) {
			if p == home {
				return 2, 0, true
			}
			return 1, 1 << 40, true
		}, func() error {
			return precheckBackup(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
		}},
		{"restore --check, the same file system", func(string) (uint64, uint64, bool) { return 1, 1 << 40, true },
			func() error {
				return precheckBackup(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
			}},
		{"restore --check, file systems not told apart", func(string) (uint64, uint64, bool) { return 0, 0, false },
			func() error {
				return precheckBackup(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
			}},
		{"the window's check", func(string) (uint64, uint64, bool) { return 1, 1 << 40, true },
			func() error { _, err := b.CheckBackup(alice, backup); return err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			diskOf = c.disk
			killed := filepath.Join(home, checkPrefix+"killed")
			recent := filepath.Join(home, checkPrefix+"recent")
			for _, d := range []string{killed, recent} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(d, "meterdesk.db"), []byte("a copy"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			old := time.Now().Add(-2 * staleCheckAge)
			for _, p := range []string{filepath.Join(killed, "meterdesk.db"), killed} {
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.run(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(killed); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a killed check's copy in the data folder was left: %v", err)
			}
			if _, err := os.Stat(recent); err != nil {
				t.Errorf("a check's folder under %v old was swept: %v", staleCheckAge, err)
			}
			os.RemoveAll(recent)
		})
	}
}
