package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
	if code, out, errs := run(t, d("rates", "import", file)...); code != 0 || out != "imported: rate version 3 in force (import rates (csv))\n" {
		t.Fatalf("import of a change: exit %d %q %s", code, out, errs)
	}
	if _, out, _ := run(t, d("--json", "rates", "import", file)...); json.Unmarshal([]byte(out), &r) != nil || !r.Unchanged || r.Version != 3 {
		t.Fatalf("--json again: %s", out)
	}
}

// TestRatesAddedModelOnly: an import (or a set) that only adds a model to
// the catalogue (a blank row of a new model, the rates as they are) made
// no version, yet printed "imported: rate version N in force" (and the
// set the version's old reason). It now says what happened: the model
// added, the version in force staying; --json names the models
// (modelsAddedOnly) and gives no reason, the version's not being this
// change's.
func TestRatesAddedModelOnly(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	file := filepath.Join(t.TempDir(), "rates.csv")
	if code, _, errs := run(t, d("rates", "export", "--out", file)...); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	two := filepath.Join(t.TempDir(), "two.csv")
	if err := os.WriteFile(two, append(append([]byte(nil), data...), "local,new-b,,,,,,,\nlocal,new-c,,,,,,,\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(t.TempDir(), "one.csv")
	if err := os.WriteFile(one, append(append([]byte(nil), data...), "local,new-a,,,,,,,\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	type result struct {
		Version         int64    `json:"version"`
		Unchanged       bool     `json:"unchanged"`
		Reason          *string  `json:"reason"`
		ModelsAddedOnly []string `json:"modelsAddedOnly"`
	}
	for _, c := range []struct {
		args  []string
		text  string
		added []string
	}{
		{[]string{"rates", "import", one}, "imported: added model local/new-a to the catalogue; rate version 1 stays in force\n", []string{"local/new-a"}},
		{[]string{"rates", "import", two}, "imported: added models local/new-b, local/new-c to the catalogue; rate version 1 stays in force\n", []string{"local/new-b", "local/new-c"}},
		{[]string{"rates", "set", "local", "new-d", "--input", "default"}, "added model local/new-d to the catalogue; rate version 1 stays in force\n", []string{"local/new-d"}},
	} {
		code, out, errs := run(t, d(c.args...)...)
		if code != 0 || out != c.text {
			t.Fatalf("%v: exit %d %q %s, want %q", c.args, code, out, errs, c.text)
		}
		// Again with another new model's name, as --json.
		args := append([]string(nil), c.args...)
		for i, a := range args {
			args[i] = strings.Replace(a, "new-d", "new-e", 1)
		}
		want := c.added
		if args[1] == "set" {
			want = []string{"local/new-e"}
		} else {
			// The file's models are in the catalogue now: a new copy of it
			// with one more blank row.
			f := filepath.Join(t.TempDir(), "more.csv")
			b, _ := os.ReadFile(args[2])
			if err := os.WriteFile(f, append(b, "local,more-"+filepath.Base(args[2])+",,,,,,,\n"...), 0o600); err != nil {
				t.Fatal(err)
			}
			args[2], want = f, []string{"local/more-" + filepath.Base(c.args[2])}
		}
		var r result
		_, out, errs = run(t, d(append([]string{"--json"}, args...)...)...)
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.Unchanged || r.Reason != nil || r.Version != 1 || !reflect.DeepEqual(r.ModelsAddedOnly, want) {
			t.Errorf("%v --json: %+v %v (%s %s), want added %q", args, r, err, out, errs, want)
		}
	}
}
