package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/statements"
)

// TestExportsWriteOnlyChosenFiles: the window's exports and backups write
// only a file the user chose in the save dialog, once; any other path the
// frontend names (the database, say) is refused and left alone.
func TestExportsWriteOnlyChosenFiles(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	actor, _ := access.FromContext(alice)
	a.SetActor(actor)
	s := &Statements{app: a}
	dir := t.TempDir()
	req := func(path string) statements.ExportRequest {
		return statements.ExportRequest{Kind: statements.KindStatementCSV,
			Statement: statements.Request{Month: time.Now().UTC().Format("2006-01")}, Path: path}
	}

	db := filepath.Join(b.DataDir, "meterdesk.db")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{db, filepath.Join(dir, "unchosen.csv"), ""} {
		if _, err := s.Export(req(path)); !errors.Is(err, ErrPathNotChosen) {
			t.Fatalf("export to %q: %v", path, err)
		}
	}
	if _, err := s.ExportTransactions(req("").Filter, db); !errors.Is(err, ErrPathNotChosen) {
		t.Fatalf("transactions to the database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "unchosen.csv")); !os.IsNotExist(err) {
		t.Fatalf("an unchosen file was written: %v", err)
	}

	chosen := filepath.Join(dir, "statement.csv")
	a.saves.grant(chosen)
	id, err := s.Export(req(chosen))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		st, err := s.Status(id)
		if err != nil || st.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("export: %+v %v", st, err)
		}
		if st.State == "done" {
			break
		}
	}
	if _, err := os.Stat(chosen); err != nil {
		t.Fatalf("the chosen file: %v", err)
	}
	// Chosen once, written once.
	if _, err := s.Export(req(chosen)); !errors.Is(err, ErrPathNotChosen) {
		t.Fatalf("a second export to the same choice: %v", err)
	}
	// A backup (the whole database) likewise.
	sys := &System{app: a}
	if _, err := sys.Backup(filepath.Join(dir, "unchosen-backup.db")); !errors.Is(err, ErrPathNotChosen) {
		t.Fatalf("backup to an unchosen file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "unchosen-backup.db")); !os.IsNotExist(err) {
		t.Fatalf("an unchosen backup was written: %v", err)
	}
	a.saves.grant(filepath.Join(dir, "backup.db"))
	if _, err := sys.Backup(filepath.Join(dir, "backup.db")); err != nil {
		t.Fatalf("backup to the chosen file: %v", err)
	}
	if after, _ := os.ReadFile(db); len(after) < len(before) {
		t.Fatal("the database shrank")
	}
}
