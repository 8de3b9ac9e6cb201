package core

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckedBackupOutlivesALongSignIn: `restore --check FILE` copies and
// checks the backup (PrecheckCopy), then asks for the admin's sign-in,
// then describes that copy (CheckCheckedBackup). A sign-in left waiting
// over an hour (staleCheckAge) must not make the description's own sweep
// of killed checks remove the copy and describe an empty database as the
// backup: it describes the backup.
func TestCheckedBackupOutlivesALongSignIn(t *testing.T) {
	home, backup, b, alice := checkHome(t)
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}
	emptyTempFolder(t)
	c, err := PrecheckCopy(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
	if err != nil || c == nil {
		t.Fatalf("precheck: %v, %v", c, err)
	}
	defer c.Close()
	// The sign-in took two hours: nothing changed in the copy's folder.
	old := time.Now().Add(-2 * time.Hour)
	_ = filepath.Walk(c.dir, func(p string, _ os.FileInfo, _ error) error { return os.Chtimes(p, old, old) })
	s, err := b.CheckCheckedBackup(alice, backup, c)
	if err != nil || s.Workspace != "Acme" || s.Members == 0 {
		t.Fatalf("the check after a long sign-in describes %+v, %v; want the backup's workspace Acme", s, err)
	}
}

// TestCheckedBackupSweptMeanwhileIsCheckedAgain: a copy another check
// swept during the sign-in is not described as an empty database: the
// backup is checked again.
func TestCheckedBackupSweptMeanwhileIsCheckedAgain(t *testing.T) {
	home, backup, b, alice := checkHome(t)
	if err := b.Backup(alice, backup); err != nil {
		t.Fatal(err)
	}
	emptyTempFolder(t)
	c, err := PrecheckCopy(context.Background(), Options{DataDir: home, ReplaceWorkspace: true}, backup)
	if err != nil || c == nil {
		t.Fatalf("precheck: %v, %v", c, err)
	}
	defer c.Close()
	if err := os.RemoveAll(c.dir); err != nil {
		t.Fatal(err)
	}
	s, err := b.CheckCheckedBackup(alice, backup, c)
	if err != nil || s.Workspace != "Acme" || s.Members == 0 {
		t.Fatalf("the check of a swept copy describes %+v, %v; want the backup's workspace Acme", s, err)
	}
	if got := restoreLeftovers(t, home); len(got) != 0 {
		t.Fatalf("the check left %v", got)
	}
}
