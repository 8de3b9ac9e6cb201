package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/asnobody"
)

// TestRatesImportFolderWords: `rates import` of a folder, or of a file
// named as a folder ("rates.csv/"), says so in the CLI's words, as
// `restore` says it (it said Go's "read DIR: is a directory", "not a
// directory"), exit 2, nothing written.
func TestRatesImportFolderWords(t *testing.T) {
	dir := newDatabase(t)
	folder := filepath.Join(t.TempDir(), "rates.csv")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rates.csv")
	if err := os.WriteFile(file, []byte("provider,model\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := dbDump(t, dir)
	for _, c := range []struct{ path, want string }{
		{folder, folder + " cannot be read: it is a folder; give a file"},
		// A "/" after a file: Go said "not a directory".
		{file + "/", file + "/ cannot be read: " + file + " is a file, not a folder; give " + file},
		{file + "/x.csv", file + "/x.csv cannot be read: " + file + " is a file, not a folder"},
	} {
		code, out, errs := run(t, "--data-dir", dir, "rates", "import", c.path)
		want := "meterdesk rates import: " + c.want + "\n"
		if code != ExitUsage || errs != want || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", c.path, code, out, errs, want)
		}
	}
	if dbDump(t, dir) != before {
		t.Error("the database changed")
	}
}

// TestRatesImportUnreadableWords: a file this user may not read is said as
// `restore` says it ("FILE cannot be read: permission denied; check its
// permissions or copy it somewhere readable"), exit 1, nothing written, not
// Go's "open FILE: permission denied". Root reads a file of mode 0000: run
// as nobody (tests/asnobody).
func TestRatesImportUnreadableWords(t *testing.T) {
	if asnobody.Rerun(t) {
		return
	}
	dir := newDatabase(t)
	file := filepath.Join(t.TempDir(), "rates.csv")
	if err := os.WriteFile(file, []byte("provider,model\n"), 0); err != nil {
		t.Fatal(err)
	}
	before := dbDump(t, dir)
	code, out, errs := run(t, "--data-dir", dir, "rates", "import", file)
	want := "meterdesk rates import: " + file + " cannot be read: permission denied; check its permissions or copy it somewhere readable"
	if first, _, _ := strings.Cut(errs, "\n"); code != ExitFailed || first != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr\n%s\nwant exit 1 and\n%s", code, out, errs, want)
	}
	if dbDump(t, dir) != before {
		t.Error("the database changed")
	}
}
