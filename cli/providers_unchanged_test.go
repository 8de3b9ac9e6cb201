package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestProvidersUpdateSaysUnchanged: `providers update` with what the
// provider has already (its name, kind and address, however written; the
// stored key typed again) says "unchanged" (--json: "unchanged": true)
// and writes nothing, no provider.update entry either, as `credits policy`
// and `users update` do; a real change says "updated" and is audited.
// Before, it printed "updated provider …" for a save that did nothing, and
// the stored key typed again was stored anew and audited as a new key.
func TestProvidersUpdateSaysUnchanged(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	const key = "sk-box-SECRET-0123456789"
	srv := fake.NewOpenAI(fake.Script{Models: []string{"m1"}})
	defer srv.Close()
	srv.RequireKey(key)
	d := newDataDir(t, key+"\n")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL(), "--key-stdin")
	entries := func() int {
		t.Helper()
		var list []struct{}
		if err := json.Unmarshal([]byte(d.must("--json", "audit", "list", "--action", "provider.update")), &list); err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	t.Setenv("SAME_KEY", key)
	t.Setenv("OTHER_KEY", "sk-box-OTHER-9876543210")
	unchanged := `provider 1 "Box" (openai_compatible, ` + srv.BaseURL() + `) unchanged: it had these settings already (nothing written or audited)` + "\n"
	for _, c := range []struct {
		args []string
		want string // stdout; "" = any "updated provider" line
	}{
		{[]string{"--name", "Box"}, unchanged},
		{[]string{"--name", " box ", "--url", srv.BaseURL() + "/chat/completions/"}, ""}, // "box" is another spelling: a rename
		{[]string{"--name", "Box"}, ""},
		{[]string{"--kind", "openai_compatible", "--url", srv.BaseURL() + "/"}, unchanged},
		{[]string{"--key-stdin"}, unchanged},
		{[]string{"--key-env", "SAME_KEY", "--name", "Box"}, unchanged},
		{[]string{"--key-env", "OTHER_KEY"}, ""},
		{[]string{"--key-env", "OTHER_KEY"}, unchanged},
		{[]string{"--key-env", "SAME_KEY"}, ""},
	} {
		n, before := entries(), dbDump(t, d.dir)
		code, out, errs := d.run(append([]string{"providers", "update", "1"}, c.args...)...)
		if code != 0 || strings.Contains(errs, key) || strings.Contains(out, key) {
			t.Fatalf("%v: exit %d, %q, %q", c.args, code, out, errs)
		}
		if c.want != "" {
			if out != c.want {
				t.Errorf("%v: %q, want %q", c.args, out, c.want)
			}
			if dbDump(t, d.dir) != before || entries() != n {
				t.Errorf("%v (unchanged) wrote or audited something", c.args)
			}
			continue
		}
		if !strings.HasPrefix(out, "updated provider 1 ") || entries() != n+1 {
			t.Errorf("%v: %q, %d entries written; want updated and 1", c.args, out, entries()-n)
		}
	}
	for _, c := range []struct {
		args      []string
		unchanged bool
	}{
		{[]string{"--name", "Box"}, true},
		{[]string{"--name", "Box 2"}, false},
	} {
		var p struct {
			Name      string `json:"name"`
			Unchanged bool   `json:"unchanged"`
		}
		out := d.must(append([]string{"--json", "providers", "update", "1"}, c.args...)...)
		if err := json.Unmarshal([]byte(out), &p); err != nil || p.Unchanged != c.unchanged || p.Name != c.args[1] {
			t.Errorf("--json %v: %s", c.args, out)
		}
	}
}
