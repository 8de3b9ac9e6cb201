package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIUpdateUnchanged: `departments update` and `users update` with
// what the department or member has already (500.00 for 500, a name with
// spaces around it) say "unchanged" (a line after the table; "unchanged":
// true in each --json element, false on a change) and write nothing, no
// department.update or member.update audit entry either; a real change is
// written and audited. Before, every update wrote an entry.
func TestCLIUpdateUnchanged(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2, Research department 1
	admin := asAlice(t, dir)
	for _, c := range []unchangedCase{
		{[]string{"departments", "update", "1"}, "department.update", true,
			"department 1 (Research) unchanged: it had these settings already (nothing written or audited)"},
		{[]string{"departments", "update", "1", "--name", " Research ", "--overdraft", "0.00"}, "department.update", true, "unchanged"},
		{[]string{"departments", "update", "1", "--overdraft", "500"}, "department.update", false, "Research"},
		{[]string{"departments", "update", "1", "--overdraft", "500.00"}, "department.update", true, "department 1 (Research) unchanged"},
		{[]string{"departments", "update", "1", "--budget", "300"}, "department.update", false, "300"},
		{[]string{"departments", "update", "1", "--budget", "300.0"}, "department.update", true, "unchanged"},
		{[]string{"users", "update", "bob"}, "member.update", true,
			"member bob unchanged: they had these settings already (nothing written or audited)"},
		{[]string{"users", "update", "bob", "--role", "member", "--funding", "pool", "--min-balance", "0.000"}, "member.update", true, "member bob unchanged"},
		{[]string{"users", "update", "bob", "--display", "Bob B."}, "member.update", false, "Bob B."},
		{[]string{"users", "update", "bob", "--display", "  Bob B. "}, "member.update", true, "member bob unchanged"},
		{[]string{"users", "update", "bob", "--department", "1"}, "member.update", false, "bob"},
		{[]string{"users", "update", "2", "--department", "1"}, "member.update", true, "member bob unchanged"},
	} {
		c.run(t, dir, admin)
	}
	// --json: the list of one the other subcommands print, with
	// "unchanged" in the element.
	for _, c := range []struct {
		args      []string
		unchanged bool
		name      string
	}{
		{[]string{"departments", "update", "1", "--overdraft", "500"}, true, "Research"},
		{[]string{"departments", "update", "1", "--overdraft", "25"}, false, "Research"},
		{[]string{"users", "update", "bob", "--display", "Bob B."}, true, "bob"},
		{[]string{"users", "update", "bob", "--display", "Bobby"}, false, "bob"},
	} {
		var got []struct {
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			Unchanged *bool  `json:"unchanged"`
		}
		out := admin(append([]string{"--json"}, c.args...)...)
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("--json %v: %v\n%s", c.args, err, out)
		}
		if len(got) != 1 || got[0].Name != c.name || got[0].Unchanged == nil || *got[0].Unchanged != c.unchanged {
			t.Fatalf("--json %v: %s", c.args, out)
		}
	}
}

// unchangedCase is one update in a table of the "unchanged" tests: what it
// runs, the audit action a change writes, whether it changes nothing, and
// a text its output holds.
type unchangedCase struct {
	args      []string
	action    string
	unchanged bool
	text      string
}

// run runs c as the admin in dir and checks its output: "unchanged" in it
// exactly when c.unchanged, and then nothing written (the database dumps
// the same) and no audit entry; otherwise one entry of c.action.
func (c unchangedCase) run(t *testing.T, dir string, admin func(args ...string) string) {
	t.Helper()
	n, before := auditEntries(t, admin, c.action), dbDump(t, dir)
	out := admin(c.args...)
	if !strings.Contains(out, c.text) || strings.Contains(out, "unchanged") != c.unchanged {
		t.Fatalf("%v printed %q, want %q (unchanged %v)", c.args, out, c.text, c.unchanged)
	}
	written := 1
	if c.unchanged {
		written = 0
		if dbDump(t, dir) != before {
			t.Fatalf("%v (unchanged) wrote something", c.args)
		}
	}
	if got := auditEntries(t, admin, c.action) - n; got != written {
		t.Fatalf("%v: %d %s entries written, want %d", c.args, got, c.action, written)
	}
}

// auditEntries counts the audit log's entries of action, as
// `audit list --action` lists them.
func auditEntries(t *testing.T, admin func(args ...string) string, action string) int {
	t.Helper()
	var list []struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "audit", "list", "--action", action)), &list); err != nil {
		t.Fatal(err)
	}
	return len(list)
}
