package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportsWriteWholeFilesOrNothing: every export's --out takes "-" for
// standard output; a refused export (bad filter, unknown invoice, bad month)
// leaves no file and keeps a file that was there; a good one replaces it.
func TestExportsWriteWholeFilesOrNothing(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "10", "--currency", "EUR")
	admin("conversations", "new")
	admin("conversations", "set", "1", "--title", "Plans")
	out := t.TempDir()

	// "-" is standard output, and no file named "-" appears.
	wd, _ := os.Getwd()
	if err := os.Chdir(out); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"rates", "export", "--out", "-"}, "provider,model,input"},
		{[]string{"conversations", "export", "1", "--out", "-"}, "# Plans"},
		{[]string{"audit", "export", "--out", "-"}, "credits.topup"},
		{[]string{"statement", "--month", "2026-11", "--format", "csv", "--out", "-"}, "time_zone"},
		{[]string{"statement", "--month", "2026-11", "--out", "-"}, "%PDF-"},
		{[]string{"statement", "--month", " 2026-11 ", "--format", "csv", "--out", "-"}, "month,2026-11,,,,,,,,,\r\n"}, // trimmed, as other fields
		{[]string{"invoice", "pdf", "INV-000001", "--out", "-"}, "%PDF-"},
	} {
		if got := admin(c.args...); !strings.Contains(got, c.want) || strings.Contains(got, "written to") {
			t.Errorf("%v: %.200q, want %q on stdout", c.args, got, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "-")); err == nil {
		t.Fatal(`an export wrote a file named "-"`)
	}

	// Refused exports leave no file, and an existing one as it was.
	kept := filepath.Join(out, "kept.csv")
	if err := os.WriteFile(kept, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"audit", "export", "--out", "new.csv", "--limit", "200000"},
		{"audit", "export", "--out", "new.csv", "--since", "2026-12-01", "--until", "2026-11-01"},
		{"audit", "export", "--out", kept, "--limit", "200000"},
		{"invoice", "pdf", "INV-000009", "--out", "new.pdf"},
		{"statement", "--month", "2026-13", "--out", "new.csv", "--format", "csv"},
		{"conversations", "export", "99", "--out", "new.md"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code == 0 {
			t.Errorf("%v succeeded", args)
		}
		if strings.Contains(errs, "exists") {
			t.Errorf("%v: %s", args, errs)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "kept.csv" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("refused exports left files: %v", names)
	}
	if b, _ := os.ReadFile(kept); string(b) != "keep me" {
		t.Fatalf("a refused export changed an existing file: %q", b)
	}

	// A good export replaces the file whole; audit list shows the zone.
	admin("audit", "export", "--out", kept)
	if b, _ := os.ReadFile(kept); !strings.HasPrefix(string(b), "id,") || !strings.Contains(string(b), "credits.topup") {
		t.Fatalf("the audit export did not replace the file: %.200q", b)
	}
	if got := admin("audit", "list"); !strings.Contains(got, "WHEN (Europe/Berlin)") || strings.Contains(got, "Z\t") {
		t.Fatalf("audit list: %q", got)
	}
}
