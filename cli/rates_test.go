package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/store"
)

func TestRatesCommands(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	if code, out, errs := run(t, d("rates", "set", "openai", "gpt-4-turbo", "--input", "10", "--output", "10")...); code != 0 || !strings.Contains(out, "rate version 2") {
		t.Fatalf("set: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, d("rates", "set", "openai", "gpt-4o", "--unit", "1m", "--input", "2.5", "--cache-read", "1.25")...); code != 0 {
		t.Fatalf("set per 1M: %d %s", code, errs)
	}
	if code, _, errs := run(t, d("rates", "set", "--default-output", "2")...); code != 0 {
		t.Fatalf("set default: %d %s", code, errs)
	}
	// Only the given flag changes; "default" clears.
	if code, _, errs := run(t, d("rates", "set", "openai", "gpt-4o", "--cache-read", "default")...); code != 0 {
		t.Fatalf("clear: %d %s", code, errs)
	}
	code, out, _ := run(t, d("--json", "rates", "list", "--provider", "openai")...)
	var tab struct {
		Version   struct{ ID int64 }
		Defaults  struct{ Input, Output string }
		Providers []struct {
			Models []struct {
				Model            string
				Rates, Effective map[string]string
			}
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &tab) != nil || len(tab.Providers) != 1 {
		t.Fatalf("list --json: %d %s", code, out)
	}
	if tab.Version.ID != 5 || tab.Defaults.Output != "2" {
		t.Fatalf("table header %+v", tab)
	}
	for _, m := range tab.Providers[0].Models {
		if m.Model == "gpt-4o" && (m.Rates["input"] != "0.0000025" || m.Rates["cacheRead"] != "" || m.Effective["cacheRead"] != "0.0000025" || m.Effective["output"] != "2") {
			t.Errorf("gpt-4o = %+v", m)
		}
	}
	if code, out, _ := run(t, d("rates", "list", "--unit", "1m")...); code != 0 || !strings.Contains(out, "gpt-4-turbo") || !strings.Contains(out, "10000000") {
		t.Errorf("list per 1M: %d\n%s", code, out)
	}
	// Export, import into another data folder, export again: identical.
	for _, ext := range []string{"csv", "json"} {
		file := filepath.Join(t.TempDir(), "rates."+ext)
		if code, _, errs := run(t, d("rates", "export", "--out", file)...); code != 0 {
			t.Fatalf("export %s: %d %s", ext, code, errs)
		}
		other := newDatabase(t)
		if code, _, errs := run(t, "--data-dir", other, "rates", "import", file); code != 0 {
			t.Fatalf("import %s: %d %s", ext, code, errs)
		}
		_, a, _ := run(t, d("rates", "export", "--format", ext)...)
		_, b, _ := run(t, "--data-dir", other, "rates", "export", "--format", ext)
		want, _ := os.ReadFile(file)
		if a != b || a != string(want) {
			t.Errorf("%s round trip differs:\n%s\n---\n%s", ext, a, b)
		}
	}
	// Standard input, with the format given after the "-".
	code, js, errs := run(t, d("rates", "export", "--format", "json")...)
	if code != 0 || !strings.Contains(js, "gpt-4o") {
		t.Fatalf("export --format json: %d %s\n%s", code, errs, js)
	}
	viaStdin := newDatabase(t)
	if code, _, errs := runIn(t, js, "--data-dir", viaStdin, "rates", "import", "-", "--format", "json"); code != 0 {
		t.Fatalf("import - --format json: %d %s", code, errs)
	}
	if _, b, _ := run(t, "--data-dir", viaStdin, "rates", "export", "--format", "json"); b != js {
		t.Errorf("stdin round trip differs:\n%s\n---\n%s", js, b)
	}
	// A bad file: exit 1, every bad row named, nothing applied.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call\nopenai,gpt-4o,-1,,,,,,\nacme,x,1,1,,,,,\nopenai,o1,1,1,,,,,\n"), 0o600)
	code, _, errs = run(t, d("rates", "import", bad)...)
	if code != ExitUsage || !strings.Contains(errs, "row 2 (openai/gpt-4o)") || !strings.Contains(errs, "row 3 (acme/x)") {
		t.Errorf("bad import: %d %q", code, errs)
	}
	_, vs, _ := run(t, d("--json", "rates", "versions")...)
	var versions []map[string]any
	if json.Unmarshal([]byte(vs), &versions) != nil || len(versions) != 5 {
		t.Errorf("versions after a bad import: %s", vs)
	}
	// Usage errors exit 2.
	for _, args := range [][]string{
		{"rates"}, {"rates", "frob"}, {"rates", "set", "openai"}, {"rates", "set", "openai", "gpt-4o"},
		{"rates", "list", "--unit", "1g"}, {"rates", "export", "--format", "xml"}, {"rates", "calc", "--markup", "1"},
	} {
		if code, _, errs := run(t, d(args...)...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
	if code, _, errs := run(t, d("rates", "set", "openai", "gpt-4o", "--input", "1e400")...); code != ExitUsage || !strings.Contains(errs, "--input") {
		t.Errorf("bad value: %d %q", code, errs)
	}
	if code, out, _ := run(t, d("--json", "rates", "calc", "--price", "2.50", "--unit", "1m", "--markup", "20", "--credit-value", "0.01")...); code != 0 || !strings.Contains(out, `"perToken": "0.0003"`) {
		t.Errorf("calc: %d %s", code, out)
	}
	if code, _, errs := run(t, d("rates", "add-model", "local", "llama3")...); code != 0 {
		t.Errorf("add-model: %d %s", code, errs)
	}
	if code, _, errs := run(t, d("rates", "remove-model", "local", "llama3")...); code != 0 {
		t.Errorf("remove-model: %d %s", code, errs)
	}
}

// `rates set` changes only the fields it is given, as they are when the
// change is written: a version another process saves between the command
// starting and its write (here while it waits for the write lock) keeps
// its fields.
func TestRatesSetKeepsAChangeSavedMeanwhile(t *testing.T) {
	dir := newDatabase(t)
	if code, _, errs := run(t, "--data-dir", dir, "rates", "set", "openai", "gpt-4o", "--unit", "1m", "--input", "2.5", "--output", "10"); code != 0 {
		t.Fatalf("set: %d %s", code, errs)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Writer().BeginTx(ctx, nil) // BEGIN IMMEDIATE: the command's write waits for it
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := run(t, "--data-dir", dir, "rates", "set", "openai", "gpt-4o", "--unit", "1m", "--input", "3")
		done <- result{code, out, errs}
	}()
	time.Sleep(time.Second) // the command has started, read what it reads and waits for the lock
	// Another process: rates set openai gpt-4o --unit 1m --output 20 --cache-read 1.
	res, err := tx.Exec(`INSERT INTO rate_versions(effective_at, created_by, reason, default_input, default_output)
		VALUES (?, 'Bob', 'meanwhile', '1', '1')`, store.FormatTimeNano(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	if _, err := tx.Exec(`INSERT INTO rate_entries(version_id, provider, model, input, output, cache_read)
		VALUES (?, 'openai', 'gpt-4o', '0.0000025', '0.00002', '0.000001')`, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.code != 0 || !strings.Contains(r.out, "rate version 4") {
		t.Fatalf("set while another process saved: %d %q %q", r.code, r.out, r.errs)
	}
	_, out, _ := run(t, "--data-dir", dir, "--json", "rates", "export", "--format", "json")
	for _, want := range []string{`"input": "0.000003"`, `"output": "0.00002"`, `"cache_read": "0.000001"`} {
		if !strings.Contains(out, want) {
			t.Errorf("after both changes gpt-4o lacks %s:\n%s", want, out)
		}
	}
}
