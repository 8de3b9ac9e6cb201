package fileout

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStalePartFilesAreSwept: a write killed outright leaves its hidden
// part file (".NAME.part-meterdesk-*") beside the target. The next write in
// that folder removes such files of ours that nothing has written to for
// an hour, and the unmarked ".NAME.part-N" of earlier versions only for the
// NAME it writes, and nothing else: a fresh one (a write under way), a
// look-alike with another mode, name or kind (another program's
// ".thesis.tex.part-2", 0600, in ~/Downloads), and other files stay.
func TestStalePartFilesAreSwept(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	plant := func(name string, mode os.FileMode, age time.Time) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("part"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, age, age); err != nil {
			t.Fatal(err)
		}
		return name
	}
	gone := []string{
		plant(".statement.pdf.part-meterdesk-3406361202", 0o600, old),
		plant(".meterdesk-backup.db.part-meterdesk-17", 0o600, old),
		plant(".new.csv.part-42", 0o600, old), // unmarked, an earlier version's, of the file written
	}
	kept := []string{
		plant(".thesis.tex.part-2", 0o600, old),                      // another program's (or an earlier version's for another file)
		plant(".statement.csv.part-meterdesk-99", 0o600, time.Now()), // fresh: a write under way
		plant(".notes.txt.part-meterdesk-123", 0o644, old),           // not our mode
		plant(".notes.txt.part-meterdesk-12a", 0o600, old),           // not CreateTemp's digits
		plant("statement.pdf.part-meterdesk-5", 0o600, old),          // not hidden
		plant(".part-meterdesk-5", 0o600, old),                       // no NAME
		plant(".statement.pdf.part-meterdesk-", 0o600, old),          // no digits
		plant(".statement.pdf.partial-5", 0o600, old),                // another pattern
		plant(".new.csv.part-4x", 0o600, old),                        // unmarked, not digits
		plant("report.pdf", 0o600, old),                              // a file of the user's
	}
	if err := os.Mkdir(filepath.Join(dir, ".folder.part-meterdesk-7"), 0o700); err != nil { // not a regular file
		t.Fatal(err)
	}
	_ = os.Chtimes(filepath.Join(dir, ".folder.part-meterdesk-7"), old, old)
	kept = append(kept, ".folder.part-meterdesk-7")

	if err := WriteBytes(filepath.Join(dir, "new.csv"), 0o600, []byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	for _, n := range gone {
		if _, err := os.Lstat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s: stale part file kept (%v)", n, err)
		}
	}
	for _, n := range append(kept, "new.csv") {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s: removed (%v)", n, err)
		}
	}
}
