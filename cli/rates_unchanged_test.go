package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestRatesSetUnchanged: `rates set` with the values a rate has already
// printed "rate version N in force (change …)", as if it had made one. It
// now says "unchanged: …" as other commands do, and --json says
// "unchanged": true; no version is made. A real change still names its
// new version.
func TestRatesSetUnchanged(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	type result struct {
		Version   int64   `json:"version"`
		Unchanged bool    `json:"unchanged"`
		Reason    *string `json:"reason"` // not the version in force's when unchanged: none
	}
	for i, c := range []struct {
		args      []string
		text      string
		unchanged bool
	}{
		{[]string{"rates", "set", "openai", "gpt-4o", "--input", "0.002"}, "rate version 2 in force (", false},
		{[]string{"rates", "set", "openai", "gpt-4o", "--input", "0.0020"}, "unchanged: the rates were these already, rate version 2 stays in force", true},
		{[]string{"rates", "set", "openai", "gpt-4o", "--unit", "1k", "--input", "2"}, "unchanged: ", true},
		{[]string{"rates", "set", "--default-output", "1"}, "unchanged: ", true},
		{[]string{"rates", "set", "openai", "gpt-4o", "--input", "0.003"}, "rate version 3 in force (", false},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, d(c.args...)...)
		if code != 0 || !strings.HasPrefix(out, c.text) {
			t.Fatalf("%d %v: exit %d %q %q, want %q…", i, c.args, code, out, errs, c.text)
		}
		if c.unchanged && dbDump(t, dir) != before {
			t.Fatalf("%v: an unchanged set wrote something", c.args)
		}
		if c.unchanged {
			var r result
			_, out, _ := run(t, d(append([]string{"--json"}, append(c.args, "--reason", "typed")...)...)...)
			if err := json.Unmarshal([]byte(out), &r); err != nil || !r.Unchanged || r.Reason != nil {
				t.Errorf("%v --json: %+v %v (%s)", c.args, r, err, out)
			}
		}
	}
}

// TestRatesImportUnchanged: `rates import` of a file with the rates as
// they are printed "imported: rate version N in force", as if it had made
// one, where the window says "The file holds the rates as they are: rate
// version N stays in force." (rates.ImportChange). It now says so as
// `rates set` does, --json with "unchanged": true, nothing written; a file
// that changes a rate still names its new version.
func TestRatesImportUnchanged(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	file := filepath.Join(t.TempDir(), "rates.csv")
	if code, _, errs := run(t, d("rates", "export", "--out", file)...); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	before := dbDump(t, dir)
	code, out, errs := run(t, d("rates", "import", file)...)
	if code != 0 || out != "unchanged: the file holds the rates as they are, rate version 1 stays in force (nothing written or audited)\n" {
		t.Fatalf("import as it is: exit %d %q %s", code, out, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("an unchanged import wrote something")
	}
	var r struct {
		Version   int64 `json:"version"`
		Unchanged bool  `json:"unchanged"`
	}
	if _, out, _ := run(t, d("--json", "rates", "import", file)...); json.Unmarshal([]byte(out), &r) != nil || !r.Unchanged || r.Version != 1 {
		t.Fatalf("--json: %s", out)
	}
	if code, _, errs := run(t, d("rates", "set", "openai", "gpt-4o", "--input", "0.002")...); code != 0 {
		t.Fatalf("set: %s", errs)
	}
	if code, out, errs := run(t, d("rates", "import", file)...); code != 0 || out != "imported: rate version 3 in force\n" {
		t.Fatalf("import of a change: exit %d %q %s", code, out, errs)
	}
	if _, out, _ := run(t, d("--json", "rates", "import", file)...); json.Unmarshal([]byte(out), &r) != nil || !r.Unchanged || r.Version != 3 {
		t.Fatalf("--json again: %s", out)
	}
}
