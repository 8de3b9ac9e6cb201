package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestProvidersSaveSaysNoModels: `providers add` and `update` whose
// listing right after answered with no models said nothing, as if the
// provider could be chatted with; they now say on stderr "saved; the
// server lists no models: …" (exit 0, --json "noModels"), as `providers
// test` says "connected, but the server lists no models: …". A save whose
// server lists a model says nothing more.
func TestProvidersSaveSaysNoModels(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	empty := fake.NewOpenAI(fake.Script{Models: []string{}})
	defer empty.Close()
	full := fake.NewOpenAI(fake.Script{Models: []string{"m1"}})
	defer full.Close()
	const none = "saved; the server lists no models: load or pull a model on it (Ollama: ollama pull NAME; LM Studio: load one), then test again.\n" +
		"(test it again: meterdesk providers test 1)\n"
	d := newDataDir(t, "")
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", empty.BaseURL()}, none},
		{[]string{"providers", "update", "Box", "--url", full.BaseURL()}, ""},
		{[]string{"providers", "update", "Box", "--url", empty.BaseURL()}, none},
	} {
		code, out, errs := d.run(c.args...)
		if code != 0 || errs != c.stderr || out == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", c.args, code, out, errs, c.stderr)
		}
	}
	var p struct {
		NoModels string `json:"noModels"`
	}
	code, out, errs := d.run("--json", "providers", "update", "Box", "--name", "Box 2")
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || !strings.HasPrefix(p.NoModels, "the server lists no models") {
		t.Fatalf("--json: exit %d %s %s", code, out, errs)
	}
	// Its test connects, but no model can be chosen: exit 1 (it was 0),
	// stderr saying so.
	code, out, errs = d.run("providers", "test", "Box 2")
	if !strings.HasPrefix(out, "Box 2: connected, but the server lists no models: load or pull a model on it") || code != ExitFailed ||
		errs != "meterdesk providers test: provider \"Box 2\" connected, but its test is incomplete: it lists no models, so no model can be chosen for it\n" {
		t.Errorf("test: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// Its models: none, said on stderr, exit 1 (it printed nothing and
	// exited 0), as test does; --json prints the (empty) list too.
	for _, json := range []bool{false, true} {
		args := []string{"providers", "models", "Box 2"}
		if json {
			args = append([]string{"--json"}, args...)
		}
		code, out, errs = d.run(args...)
		if code != ExitFailed || (out == "") == json ||
			!regexp.MustCompile(`^meterdesk providers models: provider "Box 2": it lists no models, so no model can be chosen for it; fetched from the provider `+fetchedAt+`\n$`).MatchString(errs) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	d.must("providers", "update", "Box 2", "--url", full.BaseURL())
	// A live list: the list on stdout, and when it was fetched on stderr,
	// the line the window shows (ModelList.Shown, formatted in Go as every
	// time is printed; the window used to format its own).
	code, out, errs = d.run("providers", "models", "Box 2")
	if code != ExitOK || out != "m1\n" || !regexp.MustCompile(`^fetched from the provider `+fetchedAt+`\n$`).MatchString(errs) {
		t.Errorf("models with a model: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	var ml struct {
		Shown string `json:"shown"`
	}
	code, out, jerrs := d.run("--json", "providers", "models", "Box 2")
	if code != ExitOK || json.Unmarshal([]byte(out), &ml) != nil || jerrs != "" || !strings.HasPrefix(ml.Shown, "fetched from the provider ") {
		t.Errorf("--json models: exit %d, stdout %q, stderr %q; want the line in shown, stderr empty", code, out, jerrs)
	}
	if out := d.must("providers", "test", "Box 2"); !strings.HasPrefix(out, "Box 2: connected: 1 models available") {
		t.Errorf("test with a model: %q", out)
	}
}

// TestProvidersUpdateJSONAlwaysSaysUnchanged: `providers update --json`
// printed "unchanged" only when true, where every other update prints it
// false on a change too; a script reading it found no field.
func TestProvidersUpdateJSONAlwaysSaysUnchanged(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"m1"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL())
	for _, c := range []struct {
		name string
		want any
	}{
		{"Box 2", false},
		{"Box 2", true},
	} {
		var p map[string]any
		out := d.must("--json", "providers", "update", "1", "--name", c.name)
		if err := json.Unmarshal([]byte(out), &p); err != nil || p["unchanged"] != c.want || p["name"] != c.name {
			t.Errorf("--name %s: %s, want \"unchanged\": %v", c.name, out, c.want)
		}
	}
	// The list and add carry no "unchanged".
	if out := d.must("--json", "providers", "list"); strings.Contains(out, "unchanged") {
		t.Errorf("providers list --json: %s", out)
	}
}

// fetchedAt is a live list's time as every time is printed: the
// workspace's zone, to the second, then the zone's name.
const fetchedAt = `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+`
