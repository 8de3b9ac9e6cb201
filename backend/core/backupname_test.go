package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/fileout"
	"meterdesk/backend/team"
)

// TestBackupName: the name offered is the first of meterdesk-backup-DATE.db,
// -2, -3 … that names nothing in the folder (a file or a folder), so the
// day's second backup is not offered the first one's name, which the
// backup then refused (exit 6).
func TestBackupName(t *testing.T) {
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		taken []string
		want  string
	}{
		{"an empty folder", nil, "meterdesk-backup-2026-03-09.db"},
		{"the day's first backup there", []string{"meterdesk-backup-2026-03-09.db"}, "meterdesk-backup-2026-03-09-2.db"},
		{"the first two", []string{"meterdesk-backup-2026-03-09.db", "meterdesk-backup-2026-03-09-2.db"}, "meterdesk-backup-2026-03-09-3.db"},
		{"a gap is used", []string{"meterdesk-backup-2026-03-09.db", "meterdesk-backup-2026-03-09-3.db"}, "meterdesk-backup-2026-03-09-2.db"},
		{"a folder of that name", []string{"meterdesk-backup-2026-03-09.db/"}, "meterdesk-backup-2026-03-09-2.db"},
		{"another day's backup", []string{"meterdesk-backup-2026-03-08.db"}, "meterdesk-backup-2026-03-09.db"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range c.taken {
				p := filepath.Join(dir, n)
				var err error
				if strings.HasSuffix(n, "/") {
					err = os.Mkdir(p, 0o700)
				} else {
					err = os.WriteFile(p, nil, 0o600)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := BackupName(now, dir); got != c.want {
				t.Fatalf("BackupName = %q, want %q", got, c.want)
			}
		})
	}
}

// TestSuggestBackupNameInTheWorkspaceZone: the date is the workspace's
// (Auckland's 10 March at 23:30 UTC on 9 March, as its statements count
// days), and a backup to a folder names a file free there: the second
// backup of the day made with the name suggested is written, where it was
// refused.
func TestSuggestBackupNameInTheWorkspaceZone(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC)
	b, err := Open(ctx, Options{DataDir: t.TempDir(), Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Kiwi", Currency: "NZD", CreditValue: "0.01", TimeZone: "Pacific/Auckland"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(ctx, admin)
	folder := t.TempDir()
	if got := b.SuggestBackupName(alice, folder); got != "meterdesk-backup-2026-03-10.db" {
		t.Fatalf("SuggestBackupName = %q, want Auckland's date", got)
	}
	for i, want := range []string{"meterdesk-backup-2026-03-10.db", "meterdesk-backup-2026-03-10-2.db"} {
		err := b.Backup(alice, folder)
		if !errors.Is(err, fileout.ErrIsFolder) || !strings.HasSuffix(err.Error(), "such as "+filepath.Join(folder, want)) {
			t.Fatalf("backup %d to the folder: %v, want it to suggest %s", i+1, err, want)
		}
		if err := b.Backup(alice, filepath.Join(folder, b.SuggestBackupName(alice, folder))); err != nil {
			t.Fatalf("backup %d under the name suggested: %v", i+1, err)
		}
	}
}
