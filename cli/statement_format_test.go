package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatementFormatFromFileName: without --format, `statement --out
// FILE` writes the CSV to a FILE ending .csv (any case) and the PDF to any
// other, where it wrote a PDF named s.csv; --format, in any case, still
// says which, whatever the name.
func TestStatementFormatFromFileName(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	tmp := t.TempDir()
	for _, c := range []struct {
		format, name, want string // want: the file's first bytes
	}{
		{"", "s.csv", "section,date,"},
		{"", "S.CSV", "section,date,"},
		{"", "s.pdf", "%PDF-"},
		{"", "statement", "%PDF-"},
		{"", "s.csv.txt", "%PDF-"},
		{"pdf", "s2.csv", "%PDF-"},
		{"CSV", "s3.pdf", "section,date,"},
		{"Detail-CSV", "d.csv", "id,time,member,"},
	} {
		out := filepath.Join(tmp, c.name)
		args := []string{"statement", "--month", "2026-01", "--out", out}
		if c.format != "" {
			args = append(args, "--format", c.format)
		}
		admin(args...)
		b, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(b), c.want) {
			t.Errorf("--format %q --out %s: %.20q %v, want it to start %q", c.format, c.name, b, err, c.want)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "statement", "--month", "2026-01", "--format", "xls",
		"--out", filepath.Join(tmp, "x.csv")); code != ExitUsage || !strings.Contains(errs, "--format must be pdf, csv or detail-csv") {
		t.Errorf("--format xls: exit %d %q", code, errs)
	}
}
