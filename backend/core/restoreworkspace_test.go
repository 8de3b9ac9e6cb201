package core

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
