package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

func provRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

// dataDir runs commands of the CLI on one data folder, each with stdin.
type dataDir struct {
	t     *testing.T
	dir   string
	stdin string
}

// newDataDir is a data folder with a workspace set up (newDatabase).
func newDataDir(t *testing.T, stdin string) *dataDir {
	return &dataDir{t: t, dir: newDatabase(t), stdin: stdin}
}

// emptyDataDir is an empty data folder, for `workspace setup`.
func emptyDataDir(t *testing.T, stdin string) *dataDir {
	return &dataDir{t: t, dir: t.TempDir(), stdin: stdin}
}

// on is d for the test or subtest t: a subtest that runs commands in its
// parent's folder reports its failures on its own t (FailNow must run on
// the calling test's goroutine).
func (d *dataDir) on(t *testing.T) *dataDir {
	c := *d
	c.t = t
	return &c
}

// run runs a command and returns its exit code, stdout and stderr.
func (d *dataDir) run(args ...string) (int, string, string) {
	d.t.Helper()
	return provRun(d.t, d.stdin, append([]string{"--data-dir", d.dir}, args...)...)
}

// must runs a command that has to succeed and returns its stdout.
func (d *dataDir) must(args ...string) string {
	d.t.Helper()
	code, out, errs := d.run(args...)
	if code != 0 {
		d.t.Fatalf("%v: %d %s %s", args, code, out, errs)
	}
	return out
}

func TestProvidersCommands(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	const key = "sk-cli-SECRET-abcdef0123456789"
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o-mini"}})
	defer srv.Close()
	srv.RequireKey(key)
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }

	code, out, errs := provRun(t, key+"\n", d("providers", "add", "--name", "Work", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")...)
	if code != 0 || !strings.Contains(out, "added provider 1") || !strings.Contains(out, "kept in the database, encrypted (sealed)") {
		t.Fatalf("add: %d %q %q", code, out, errs)
	}
	// A key too short to hint at: said without a gap where the hint was.
	if code, out, errs := provRun(t, "sk-1\n", d("providers", "add", "--name", "Short", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")...); code != 0 ||
		!strings.Contains(out, ", key kept in the database, encrypted (sealed)") {
		t.Fatalf("add with a short key: %d %q %q", code, out, errs)
	}
	if code, _, errs := provRun(t, "", d("providers", "remove", "Short")...); code != 0 {
		t.Fatalf("remove Short: %d %s", code, errs)
	}
	t.Setenv("MY_KEY", key)
	if code, _, errs := provRun(t, "", d("providers", "add", "--name", "Work2", "--kind", "openai", "--url", srv.BaseURL(), "--key-env", "MY_KEY")...); code != 0 {
		t.Fatalf("add from env: %d %s", code, errs)
	}
	// A key given as a positional value is refused (it would show in ps).
	if code, _, _ := provRun(t, "", d("providers", "add", "--name", "X", "--kind", "openai", key)...); code != 2 {
		t.Errorf("positional key: exit %d, want 2", code)
	}
	for name, c := range map[string]struct {
		args []string
		code int
	}{
		"unknown kind": {[]string{"providers", "add", "--name", "Y", "--kind", "azure", "--key-env", "MY_KEY"}, ExitUsage},
		"duplicate":    {[]string{"providers", "add", "--name", "work", "--kind", "openai", "--key-env", "MY_KEY"}, ExitConflict},
		"no name":      {[]string{"providers", "add", "--kind", "openai", "--key-env", "MY_KEY"}, ExitUsage},
		"no key":       {[]string{"providers", "add", "--name", "Z", "--kind", "anthropic"}, ExitUsage},
	} {
		if code, _, errs := provRun(t, "", d(c.args...)...); code != c.code || errs == "" {
			t.Errorf("%s: exit %d %q, want %d with a message", name, code, errs, c.code)
		}
	}
	code, out, _ = provRun(t, "", d("--json", "providers", "list")...)
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 2 {
		t.Fatalf("list: %d %s", code, out)
	}
	if strings.Contains(out, key) {
		t.Fatal("list output contains the key")
	}
	// After the name's colon the message's first word is in lower case,
	// as the CLI writes after a colon (it said "Work: Connected: …");
	// --json keeps the window's sentence.
	if code, out, errs := provRun(t, "", d("providers", "test", "work")...); code != 0 || !strings.HasPrefix(out, "Work: connected: ") {
		t.Errorf("test: %d %q %q", code, out, errs)
	}
	if code, out, errs := provRun(t, "", d("--json", "providers", "test", "work")...); code != 0 || !strings.Contains(out, `"message": "Connected: `) {
		t.Errorf("test --json: %d %q %q", code, out, errs)
	}
	if code, out, _ := provRun(t, "", d("providers", "models", "1")...); code != 0 || strings.TrimSpace(out) != "gpt-4o-mini" {
		t.Errorf("models: %d %q", code, out)
	}
	if code, _, _ := provRun(t, "", d("providers", "remove", "Work2")...); code != 0 {
		t.Errorf("remove: %d", code)
	}
	if code, _, _ := provRun(t, "", d("providers", "remove", "Work2")...); code != ExitNotFound {
		t.Errorf("remove again: %d, want 5", code)
	}
	srv.Close()
	if code, _, errs := provRun(t, "", d("providers", "test", "work")...); code != 1 || !strings.Contains(errs, "failed") || strings.Contains(errs, key) {
		t.Errorf("test offline: %d %q", code, errs)
	}
	db, err := os.ReadFile(filepath.Join(dir, "meterdesk.db"))
	if err != nil || len(db) == 0 {
		t.Fatalf("read the database to search it for the key: %d bytes, %v", len(db), err)
	}
	wal, err := os.ReadFile(filepath.Join(dir, "meterdesk.db-wal"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if bytes.Contains(append(db, wal...), []byte(key)) {
		t.Fatal("database contains the key")
	}
}

// TestProvidersNeverEchoAMistypedKey: a key typed as an argument, or as
// --key-env's value instead of a variable's name, is refused (exit 2)
// without being shown on stderr or stdout (which a terminal's scrollback, a
// CI log or a screen share keep); a real variable name still is.
func TestProvidersNeverEchoAMistypedKey(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	const key = "sk-ant-api03-SECRET-0123456789abcdef"
	const nameLikeKey = "AIzaSyDk3J9x0Qm7Lw2Pz8Vn4Rt6Yb1Hc5Fg0Ke" // a Gemini-style key is a valid name
	srv := fake.NewOpenAI(fake.Script{})
	defer srv.Close()
	d := newDataDir(t, "")
	t.Setenv("GOOD_KEY", "sk-good-0123456789")
	d.must("providers", "add", "--name", "Lab", "--kind", "openai_compatible", "--url", srv.BaseURL(), "--key-env", "GOOD_KEY")
	const stray = "unexpected argument (not shown: it may be a key; use --key-stdin or --key-env NAME)"
	const notName = "--key-env takes the NAME of an environment variable"
	for _, c := range []struct {
		name   string
		args   []string
		want   string
		secret string // must not be shown
	}{
		{"add, key as argument", []string{"providers", "add", "--name", "X", "--kind", "anthropic", key}, stray, key},
		{"add, key between flags", []string{"providers", "add", "--name", "X", key, "--kind", "anthropic"}, stray, key},
		{"update, key as argument", []string{"providers", "update", "Lab", key}, stray, key},
		{"add, key as --key-env", []string{"providers", "add", "--name", "X", "--kind", "anthropic", "--key-env", key}, notName, key},
		{"add, key as --key-env=", []string{"providers", "add", "--name", "X", "--kind", "anthropic", "--key-env=" + key}, notName, key},
		{"update, key as --key-env", []string{"providers", "update", "Lab", "--key-env", key}, notName, key},
		{"add, name-shaped key as --key-env", []string{"providers", "add", "--name", "X", "--kind", "gemini", "--key-env", nameLikeKey}, notName, nameLikeKey},
		{"update, name-shaped key as --key-env", []string{"providers", "update", "Lab", "--key-env", nameLikeKey}, notName, nameLikeKey},
		{"add, unset variable", []string{"providers", "add", "--name", "X", "--kind", "anthropic", "--key-env", "UNSET_KEY_VAR"}, "$UNSET_KEY_VAR is empty or unset", ""},
		{"update, unset variable", []string{"providers", "update", "Lab", "--key-env", "unset_key_var"}, "$unset_key_var is empty or unset", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := d.run(c.args...)
			if code != 2 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 with %q", code, errs, c.want)
			}
			if c.secret != "" && (strings.Contains(errs, c.secret[4:16]) || strings.Contains(out, c.secret[4:16])) {
				t.Errorf("the key is shown: stdout %q, stderr %q", out, errs)
			}
		})
	}
	if out := d.must("providers", "list"); strings.Count(out, "\n") != 2 {
		t.Errorf("a refused command added a provider:\n%s", out)
	}
}

// providers update changes a provider as the window's edit does (Update):
// flags not given keep their value, the key is kept unless a new one comes
// from stdin or an environment variable or --clear-key removes it, and a
// kept key never follows the provider to another server; the new server's
// models are listed at once. Refused updates write nothing.
func TestProvidersUpdate(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	const key1, key2 = "sk-one-SECRET-0123456789", "sk-two-SECRET-9876543210"
	a := fake.NewOpenAI(fake.Script{Models: []string{"model-a"}})
	defer a.Close()
	a.RequireKey(key1)
	b := fake.NewOpenAI(fake.Script{Models: []string{"model-b"}})
	defer b.Close()
	b.RequireKey(key2)
	d := newDataDir(t, key1+"\n")
	d.must("providers", "add", "--name", "Lab", "--kind", "openai_compatible", "--url", a.BaseURL(), "--key-stdin")
	if out := d.must("providers", "update", "lab", "--name", "Lab server"); !strings.Contains(out, `updated provider 1 "Lab server" (openai_compatible, `+a.BaseURL()+`), key `) {
		t.Fatalf("rename: %q", out)
	}
	before := dbDump(t, d.dir)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"providers", "update", "1"}, 2, "nothing to change"},
		{[]string{"providers", "update", "1", "--clear-key", "--key-env", "X"}, 2, "one of --key-stdin, --key-env and --clear-key"},
		{[]string{"providers", "update", "1", "sk-in-argv"}, 2, "unexpected argument (not shown: it may be a key"},
		{[]string{"providers", "update", "Nope", "--name", "X"}, ExitNotFound, "not found"},
		{[]string{"providers", "update", "1", "--url", b.BaseURL()}, ExitUsage, ""}, // the kept key does not follow
		{[]string{"providers", "update", "1", "--key-env", "UNSET_KEY_VAR"}, 2, "empty or unset"},
		{[]string{"providers", "update", "1", "--kind", "azure"}, ExitUsage, "azure"},
	} {
		code, _, errs := d.run(c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d %q, want %d with %q", c.args, code, errs, c.code, c.msg)
		}
	}
	if dbDump(t, d.dir) != before {
		t.Fatal("a refused update wrote")
	}
	t.Setenv("KEY_TWO", key2)
	if out := d.must("providers", "update", "Lab server", "--url", b.BaseURL(), "--key-env", "KEY_TWO"); !strings.Contains(out, b.BaseURL()) {
		t.Fatalf("move to server b: %q", out)
	}
	if out := d.must("providers", "models", "1"); strings.TrimSpace(out) != "model-b" {
		t.Fatalf("models after the move: %q", out)
	}
	if out := d.must("providers", "update", "1", "--clear-key"); !strings.HasSuffix(out, ", no key\n") {
		t.Fatalf("clear key: %q", out)
	}
}

// TestProvidersBaseURLMistakes: the base URLs people paste. An Ollama
// address without /v1 is saved, but add says the listing failed and what
// the URL should be (not a plain "added"); `providers models` fails (exit
// 1) saying on stderr that the listing failed (not "unreachable") and that
// there is no last known list, or, offline, that the last known one was
// printed; an endpoint pasted whole is saved as its base URL; a
// space, http:// for a cloud kind, and OpenRouter without a key are
// refused (exit 2) and nothing is written.
func TestProvidersBaseURLMistakes(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	ollama := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/models" {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"llama3.2","object":"model"}]}`)
	}))
	defer ollama.Close()
	d := newDataDir(t, "")
	hint := "did you mean " + ollama.URL + "/v1?"

	code, out, errs := d.run("providers", "add", "--name", "Ollama", "--kind", "openai_compatible", "--url", ollama.URL)
	if code != 0 || !strings.HasPrefix(out, `added provider 1 "Ollama"`) ||
		!strings.Contains(errs, "saved, but listing the models failed: list models: provider error 404 Not Found: 404 page not found; "+hint) {
		t.Fatalf("add without /v1: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = d.run("providers", "models", "Ollama")
	if code != ExitFailed || out != "" ||
		errs != `meterdesk providers models: provider "Ollama": listing the models failed: list models: provider error 404 Not Found: 404 page not found; `+
			hint+"; no last known list (it never listed its models)\n" {
		t.Errorf("models, never listed: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = d.run("--json", "providers", "update", "Ollama", "--url", ollama.URL+"/v1/chat/completions")
	var p map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p["baseUrl"] != ollama.URL+"/v1" || p["modelsError"] != nil || errs != "" {
		t.Fatalf("update to the pasted endpoint: exit %d, %q, stderr %q", code, out, errs)
	}
	if out := d.must("providers", "models", "Ollama"); out != "llama3.2\n" {
		t.Errorf("models with /v1: %q", out)
	}
	ollama.Close()
	code, out, errs = d.run("providers", "models", "Ollama")
	if code != ExitFailed || out != "llama3.2\n" ||
		!strings.HasPrefix(errs, `meterdesk providers models: provider "Ollama": offline: the provider cannot be reached: nothing is answering at `) ||
		!strings.Contains(errs, "; the last known list, from 20") {
		t.Errorf("models offline: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	before := dbDump(t, d.dir)
	t.Setenv("SOME_KEY", "sk-some-0123456789abcdef")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--url", "http://127.0.0.1:11434/ v1", "--kind", "openai_compatible"}, "a base URL has no spaces"},
		{[]string{"--url", "http://api.example.com/v1", "--kind", "openai", "--key-env", "SOME_KEY"}, "use https://api.example.com/v1"},
		{[]string{"--url", "http://api.example.com/v1", "--kind", "anthropic", "--key-env", "SOME_KEY"}, "use https://api.example.com "},
		{[]string{"--url", "https://openrouter.ai/api/v1", "--kind", "openai_compatible"}, "OpenRouter answers only with one"},
		{[]string{"--url", "https://api.openai.com/v1", "--kind", "anthropic", "--key-env", "SOME_KEY"},
			"api.openai.com is OpenAI's server, not Anthropic Claude's: choose the kind openai (or openai_compatible), or Anthropic Claude's URL https://api.anthropic.com"},
	} {
		code, _, errs := d.run(append([]string{"providers", "add", "--name", "X"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errs, c.msg) {
			t.Errorf("add %v: exit %d %q, want %d with %q", c.args, code, errs, ExitUsage, c.msg)
		}
	}
	if code, _, errs := d.run("providers", "update", "Ollama", "--url", "http://127.0.0.1:11434/ v1"); code != ExitUsage || !strings.Contains(errs, "no spaces") {
		t.Errorf("update with a space: exit %d %q", code, errs)
	}
	if dbDump(t, d.dir) != before {
		t.Fatal("a refused add or update wrote")
	}
}
