package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIPolicyUnchanged: `credits policy` with the policy the account
// already has says "unchanged" (text) and "unchanged": true (--json), and
// writes nothing, no credits.policy audit entry either; a real change
// says what the policy was and is audited with before and after. Before,
// every call wrote an entry.
func TestCLIPolicyUnchanged(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2
	admin := asAlice(t, dir)
	policyEntries := func() int {
		t.Helper()
		var entries []struct {
			Action string `json:"action"`
		}
		if err := json.Unmarshal([]byte(admin("--json", "audit", "list", "--action", "credits.policy")), &entries); err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	type result struct {
		Account   string `json:"account"`
		Kind      string `json:"kind"`
		Limit     string `json:"limit"`
		Before    struct{ Kind, Limit string }
		Unchanged bool `json:"unchanged"`
	}
	for _, c := range []struct {
		args      []string
		unchanged bool
		text      string
	}{
		{[]string{"user:2", "--kind", "blocked"}, true, "user:2: policy blocked (limit 0.00) unchanged: it had it already"},
		{[]string{"user:2", "--kind", "overdraft", "--limit", "500"}, false, "user:2: policy overdraft (limit 500.00), was blocked (limit 0.00)"},
		{[]string{"user:2", "--kind", "overdraft", "--limit", "500.00"}, true, "user:2: policy overdraft (limit 500.00) unchanged"},
		{[]string{"user:2", "--kind", "overdraft", "--limit", "600"}, false, "was overdraft (limit 500.00)"},
	} {
		entries, before := policyEntries(), dbDump(t, dir)
		out := admin(append([]string{"credits", "policy"}, c.args...)...)
		if !strings.Contains(out, c.text) {
			t.Fatalf("credits policy %v printed %q, want %q", c.args, out, c.text)
		}
		written := 1
		if c.unchanged {
			written = 0
			if dbDump(t, dir) != before {
				t.Fatalf("credits policy %v (unchanged) wrote something", c.args)
			}
		}
		if n := policyEntries() - entries; n != written {
			t.Fatalf("credits policy %v: %d credits.policy entries written, want %d", c.args, n, written)
		}
		var r result
		if err := json.Unmarshal([]byte(admin(append([]string{"--json", "credits", "policy"}, c.args...)...)), &r); err != nil {
			t.Fatal(err)
		}
		// Repeated with --json, every policy is now the account's own.
		if !r.Unchanged || r.Account != "user:2" || r.Kind != c.args[2] || r.Before.Kind != c.args[2] {
			t.Fatalf("--json credits policy %v: %+v", c.args, r)
		}
	}
}

// TestCLIPolicyShown: `credits policy ACCOUNT` with no change asked for
// failed with `invalid request: policy ""`. It now shows the account's
// policy (text and --json), writing nothing; --limit alone is a usage
// mistake and an unknown account is not found.
func TestCLIPolicyShown(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2
	admin := asAlice(t, dir)
	admin("credits", "policy", "user:2", "--kind", "overdraft", "--limit", "25")
	before := dbDump(t, dir)
	for _, c := range []struct{ account, text string }{
		{"user:2", "user:2: policy overdraft (limit 25.00)\n"},
		{"pool", "pool: policy blocked (limit 0.00)\n"},
	} {
		if out := admin("credits", "policy", c.account); out != c.text {
			t.Errorf("credits policy %s: %q, want %q", c.account, out, c.text)
		}
	}
	var r struct {
		Account string `json:"account"`
		Kind    string `json:"kind"`
		Limit   string `json:"limit"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "credits", "policy", "user:2")), &r); err != nil ||
		r.Account != "user:2" || r.Kind != "overdraft" || r.Limit != "25" {
		t.Errorf("--json: %+v %v", r, err)
	}
	if dbDump(t, dir) != before {
		t.Error("showing a policy wrote something")
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"credits", "policy", "user:2", "--limit", "5"}, ExitUsage, "--limit goes with --kind"},
		{[]string{"credits", "policy", "user:99"}, ExitNotFound, "user:99"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}
