package core

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/team"
)

// BenchmarkRestoreLargeBackup measures `meterdesk restore FILE`
// (RestoreNow) of a backup of about 40 MB (a workspace with 40,000
// notifications of 1 KB each, built once) into a data folder with a
// database: the backup's checks, its copy brought up to this version, the
// ledger verified and the swap. Each iteration restores into a fresh copy
// of the same live folder (the copy not timed). docs/benchmarks.md has
// the figures before and after the backup was checked once.
//
//	go test -run '^$' -bench RestoreLargeBackup -benchtime 5x ./backend/core/
func BenchmarkRestoreLargeBackup(b *testing.B) {
	ctx := context.Background()
	live := b.TempDir()
	bk, err := Open(ctx, Options{DataDir: live})
	if err != nil {
		b.Fatal(err)
	}
	bk.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := bk.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("x", 1000)
	if err := bk.DB.Write(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 40000; i++ {
			if _, err := tx.Exec(`INSERT INTO notifications(created_at, kind, level, title, body)
				VALUES ('2026-01-01T00:00:00Z', 'alert', 'info', 'padding', ?)`, body); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	backup := filepath.Join(b.TempDir(), "backup.db")
	if err := bk.Backup(access.WithActor(ctx, admin), backup); err != nil {
		b.Fatal(err)
	}
	if err := bk.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(backup)
	if err != nil {
		b.Fatal(err)
	}
	signIn := func(*Backend) (access.Actor, error) { return admin, nil }
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "data")
		if err := os.CopyFS(dir, os.DirFS(live)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := RestoreNow(ctx, Options{DataDir: dir}, backup, signIn); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "backupMB")
}
