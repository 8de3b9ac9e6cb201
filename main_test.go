package main

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// A mistyped global flag, or no display, never opens (or crashes trying to
// open) the window: a clear error and exit 2 / 1, and no data folder made.
func TestRunRefusesWhatCannotOpenTheWindow(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	dir := filepath.Join(t.TempDir(), "data")
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"unknown flag before a command", []string{"--bogus", "users", "list"}, 2},
		{"mistyped --data-dir", []string{"--dta-dir", dir, "users", "list"}, 2},
		{"mistyped --user", []string{"--data-dir", dir, "--usr", "alice", "users", "list"}, 2},
		{"no display for the window", []string{"--data-dir", dir}, 1},
		{"--version", []string{"--version"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(c.args); got != c.want {
				t.Fatalf("exit %d, want %d", got, c.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("the data folder was created (%v)", err)
			}
		})
	}
}

// The "cannot start" page offers to restore a backup exactly when one helps
// (a damaged database, or one from a newer version), and shows the cause as
// text, never as markup.
func TestStartupPageOffersARestoreWhenOneHelps(t *testing.T) {
	for _, c := range []struct {
		cause   error
		restore bool
	}{
		{fmt.Errorf("%w: /data/meterdesk.db: <b>malformed</b>", store.ErrCorrupt), true},
		{fmt.Errorf("%w (schema 999): /data/meterdesk.db", store.ErrNewerSchema), true},
		{fmt.Errorf("%w: /data: permission denied", store.ErrNotWritable), false},
	} {
		page := startupPage(c.cause)
		if strings.Contains(page, `id="restore"`) != c.restore {
			t.Errorf("%v: restore button %v, want %v", c.cause, !c.restore, c.restore)
		}
		if strings.Contains(page, "<b>malformed</b>") {
			t.Errorf("%v: the cause is markup on the page", c.cause)
		}
	}
}

// The page's Restore puts a chosen backup in place of a damaged database
// (kept beside it), without a sign-in, then starts Meterdesk again and
// closes the window; a cancelled choice changes nothing.
func TestStartupRestorePutsTheBackupInPlace(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	ctx := context.Background()
	src := t.TempDir()
	b, err := core.Open(ctx, core.Options{DataDir: src})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.Setup(ctx, team.WorkspaceSetup{Workspace: team.Workspace{Name: "From the backup", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := b.Backup(access.WithActor(ctx, access.System), backup); err != nil {
		t.Fatal(err)
	}
	b.Close()

	dir := t.TempDir()
	damaged := []byte("this is not a database\n")
	if err := os.WriteFile(filepath.Join(dir, store.FileName), damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	var relaunched, quit int
	choice := ""
	sr := &StartupRestore{dataDir: dir, ctx: ctx,
		choose:   func(context.Context) (string, error) { return choice, nil },
		relaunch: func() error { relaunched++; return nil },
		quit:     func(context.Context) { quit++ }}

	if said, err := sr.Restore(); err != nil || said != "" || relaunched+quit != 0 {
		t.Fatalf("cancelled: %q, %v, relaunched %d, quit %d", said, err, relaunched, quit)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, store.FileName)); string(got) != string(damaged) {
		t.Fatal("a cancelled restore changed the database")
	}

	choice = backup
	said, err := sr.Restore()
	if err != nil || !strings.Contains(said, "the old database is kept as") || relaunched != 1 || quit != 1 {
		t.Fatalf("restore: %q, %v, relaunched %d, quit %d", said, err, relaunched, quit)
	}
	b, err = core.Open(ctx, core.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("the restored folder does not open: %v", err)
	}
	defer b.Close()
	w, err := b.Team.Workspace(access.WithActor(ctx, access.System))
	if err != nil || w.Name != "From the backup" {
		t.Fatalf("workspace after the restore: %+v, %v", w, err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, store.FileName+".before-restore-*"))
	if len(kept) != 1 {
		t.Fatalf("kept files: %v", kept)
	}
	if got, _ := os.ReadFile(kept[0]); string(got) != string(damaged) {
		t.Fatal("the damaged file was not kept as it was")
	}
}

// The binary carries the IANA zone data (time/tzdata), so a workspace zone
// loads on a computer without any (Windows has none Go can read): lot
// expiry, limits and statements count days in it. Linux has zone files, so
// what is checked here is that main imports it.
func TestMainEmbedsTheZoneData(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range f.Imports {
		if im.Path.Value == `"time/tzdata"` {
			return
		}
	}
	t.Error(`main.go does not import _ "time/tzdata": a build for Windows cannot load the workspace's time zone`)
}
