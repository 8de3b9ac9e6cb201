package core

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/store"
)

// TestStageRestoreOfAnotherWorkspace: the window's restore (CheckBackup,
// then StageRestore) of a backup of another workspace is described as one
// (OtherWorkspace, both names, the note its confirmation shows) and staged
// only when the admin agreed (replaceOther); refused, nothing is staged. A
// backup of this workspace under its older name is not another's.
func TestStageRestoreOfAnotherWorkspace(t *testing.T) {
	f := newRestoreFixture(t) // "Before", backed up, renamed "After"
	g := newRestoreFixture(t) // another workspace, also called "Before" then "After"

	own, err := f.b.CheckBackup(f.alice, f.backup)
	if err != nil || own.OtherWorkspace || own.WorkspaceNote != "" {
		t.Fatalf("own backup: %+v %v", own, err)
	}
	s, err := f.b.CheckBackup(f.alice, g.backup)
	want := `this backup is of another workspace, "Before", not of "After", the one in this data folder`
	if err != nil || !s.OtherWorkspace || s.CurrentWorkspace != "After" || !strings.HasPrefix(s.WorkspaceNote, want) {
		t.Fatalf("other backup: %+v %v", s, err)
	}
	_, err = f.b.StageRestore(f.alice, g.backup, false)
	var oe *OtherWorkspaceError
	if !errors.Is(err, ErrOtherWorkspace) || !errors.As(err, &oe) || oe.Current != "After" || oe.Backup != "Before" ||
		!strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("stage without consent: %v", err)
	}
	entries, _ := os.ReadDir(f.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "restore") {
			t.Fatalf("a refused stage left %s", e.Name())
		}
	}
	r, err := f.b.StageRestore(f.alice, g.backup, true)
	if err != nil || !r.Backup.OtherWorkspace {
		t.Fatalf("stage with consent: %+v %v", r, err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, restoreDirName)); err != nil {
		t.Fatalf("not staged: %v", err)
	}
}

// TestAnotherWorkspaceOfTheSameName: two workspaces of one name are told
// apart in the note by when each was set up (it read `another workspace,
// "Before", not of "Before"`), and the note says plainly what a restore
// does. Where this database has no setup entry (set up before it was
// written), a workspace is told by its name: the same name is not
// another's, another name is (no dates to give then).
func TestAnotherWorkspaceOfTheSameName(t *testing.T) {
	f := newRestoreFixture(t) // "Before", backed up, renamed "After"
	g := newRestoreFixture(t) // another workspace whose backup is called "Before"
	rename := func(name string) {
		t.Helper()
		w, err := f.b.Team.Workspace(f.alice)
		if err != nil {
			t.Fatal(err)
		}
		w.Name = name
		if _, err := f.b.Team.UpdateWorkspace(f.alice, w); err != nil {
			t.Fatal(err)
		}
	}
	rename("Before")
	const at = `\(set up \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?\)` // to the second when one to the minute
	want := regexp.MustCompile(`^this backup is of another workspace, "Before" ` + at + `, not of "Before" ` + at +
		`, the one in this data folder: restoring it replaces "Before" ` + at +
		`: its members, you too, can then sign in only as members of "Before" ` + at + `$`)
	s, err := f.b.CheckBackup(f.alice, g.backup)
	if err != nil || !s.OtherWorkspace || !want.MatchString(s.WorkspaceNote) {
		t.Fatalf("same name: %q %v", s.WorkspaceNote, err)
	}
	if _, err := f.b.StageRestore(f.alice, g.backup, false); !errors.Is(err, ErrOtherWorkspace) ||
		!strings.Contains(err.Error(), s.WorkspaceNote+"; nothing was changed") {
		t.Fatalf("stage without consent: %v", err)
	}

	// No setup entry here: told by name.
	if err := f.b.DB.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM audit_log WHERE action = 'workspace.setup'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s, err := f.b.CheckBackup(f.alice, g.backup); err != nil || s.OtherWorkspace || s.WorkspaceNote != "" {
		t.Fatalf("same name, no setup entry: %+v %v", s, err)
	}
	rename("Other")
	s, err = f.b.CheckBackup(f.alice, g.backup)
	if err != nil || !s.OtherWorkspace || s.WorkspaceNote != `this backup is of another workspace, "Before", not of "Other", the one in this data folder: `+
		`restoring it replaces "Other": its members, you too, can then sign in only as members of "Before"` {
		t.Fatalf("another name, no setup entry: %q %v", s.WorkspaceNote, err)
	}
}

// TestSetUpTimesOfTheSameNameDiffer: two workspaces of one name set up in
// the same minute (a test, a second laptop set up straight after) were
// told apart by two equal times, "(set up 2026-11-03 14:05)" twice; they
// are then written to the second.
func TestSetUpTimesOfTheSameNameDiffer(t *testing.T) {
	at := func(s string) string {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return store.FormatTimeNano(tm)
	}
	for _, tc := range []struct {
		name            string
		backup, current string
		want            string
	}{
		{"other minutes", "2026-11-03T14:05:07Z", "2026-11-03T14:06:01Z",
			`"Acme" (set up 2026-11-03 14:05), not of "Acme" (set up 2026-11-03 14:06)`},
		{"same minute", "2026-11-03T14:05:07Z", "2026-11-03T14:05:52Z",
			`"Acme" (set up 2026-11-03 14:05:07), not of "Acme" (set up 2026-11-03 14:05:52)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			note := otherWorkspaceNote(workspaceIdentity{name: "Acme", setupAt: at(tc.backup)},
				workspaceIdentity{name: "Acme", setupAt: at(tc.current)})
			if !strings.Contains(note, tc.want) {
				t.Errorf("note %q, want %q in it", note, tc.want)
			}
		})
	}
}
