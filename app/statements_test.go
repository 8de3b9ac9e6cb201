package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/statements"
)

// TestStatementExportsShowTopUpNotes: a top-up made in the window with a
// note has that note in the statement the window exports, as CSV (the note
// column) and as PDF, the same backend writers the CLI's statement uses.
func TestStatementExportsShowTopUpNotes(t *testing.T) {
	a, _, _, _ := adminApp(t)
	if _, err := (&Credits{app: a}).TopUp(TopUpInput{ID: "t1", Amount: "100", Price: "0", Note: "PO 4711 発注書"}); err != nil {
		t.Fatal(err)
	}
	s := &Statements{app: a}
	dir := t.TempDir()
	export := func(kind, name string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		a.saves.grant(path)
		id, err := s.Export(statements.ExportRequest{Kind: kind, Statement: statements.Request{Month: time.Now().UTC().Format("2006-01")}, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			st, err := s.Status(id)
			if err != nil || st.State == "failed" || time.Now().After(deadline) {
				t.Fatalf("export %s: %+v %v", kind, st, err)
			}
			if st.State == "done" {
				return path
			}
		}
	}
	b2, err := os.ReadFile(export(statements.KindStatementCSV, "s.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b2), ",count,note,member_id,department_id\r\n") || !strings.Contains(string(b2), ",100,100,,PO 4711 発注書,,\r\n") {
		t.Errorf("the CSV lacks the note column or the top-up's note:\n%s", b2)
	}
	text, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", export(statements.KindStatementPDF, "s.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Note: PO 4711 発注書") {
		t.Errorf("the PDF lacks the top-up's note:\n%s", text)
	}
}
