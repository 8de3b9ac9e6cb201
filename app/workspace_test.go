package app

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/team"
)

// TestPatchWorkspaceFromTheWindow: a Settings card sends the settings it
// edited with the workspace it showed (Read). One someone else changed
// since (here a command, on the same database) is refused with the
// message the card shows, nothing written; a patch of another setting
// with the same Read is saved and keeps the other's change.
func TestPatchWorkspaceFromTheWindow(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	tm := &Team{app: a}
	shown, err := tm.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	paris := "Europe/Paris"
	if _, err := b.Team.PatchWorkspace(alice, team.WorkspacePatch{TimeZone: &paris}); err != nil { // `workspace update --timezone`
		t.Fatal(err)
	}

	tokyo := "Asia/Tokyo"
	before := dumpDB(t, a)
	_, err = tm.PatchWorkspace(team.WorkspacePatch{TimeZone: &tokyo, Read: &shown})
	want := "the time zone was changed by someone else since you opened it (now Europe/Paris): reload and try again"
	if !errors.Is(err, team.ErrChanged) || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("stale patch: %v, want ErrChanged ending %q", err, want)
	}
	if dumpDB(t, a) != before {
		t.Fatal("a refused patch wrote")
	}

	lock := 30
	ch, err := tm.PatchWorkspace(team.WorkspacePatch{IdleLockMinutes: &lock, Read: &shown})
	if err != nil || ch.Unchanged || ch.IdleLockMinutes != 30 || ch.TimeZone != paris || ch.Name != "Acme" {
		t.Fatalf("patch of the idle lock: %+v (%v), want 30 minutes in Europe/Paris", ch, err)
	}
}
