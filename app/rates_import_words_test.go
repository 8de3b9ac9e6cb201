package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRatesImportFileRefusalsInTheCLIsWords: the window's rates import
// (Rates.ImportFromFile, after its dialog) refuses a file it cannot read
// in the words of `meterdesk rates import FILE` (fileout.ReadGiven), not
// Go's "open PATH: …" / "read PATH: is a directory", and imports nothing.
func TestRatesImportFileRefusalsInTheCLIsWords(t *testing.T) {
	a, _, _, _ := adminApp(t)
	r := &Rates{app: a}
	dir := t.TempDir()
	file := filepath.Join(dir, "rates.csv")
	if err := os.WriteFile(file, []byte("provider,model,input,output\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before, err := r.Table()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "gone.csv"), "import rates: " + filepath.Join(dir, "gone.csv") + ": no such file"},
		{dir, "import rates: " + dir + " cannot be read: it is a folder; give a file"},
		{file + "/", "import rates: " + file + "/ cannot be read: " + file + " is a file, not a folder; give " + file},
	} {
		_, err := r.importFile(c.path)
		if err == nil {
			t.Fatalf("%s: imported", c.path)
		}
		if got := FormatError(err); got != c.want {
			t.Errorf("%s: the window gets %q, want %q", c.path, got, c.want)
		}
	}
	after, err := r.Table()
	if err != nil || after.Version.ID != before.Version.ID {
		t.Fatalf("after the refusals the table is version %d (%v), want %d: something was imported", after.Version.ID, err, before.Version.ID)
	}
}
