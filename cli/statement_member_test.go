package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatementMemberNamesOnlyThemselves: a member's `statement` is their
// own. --member anyone else, a name nobody has or an id no member has, and
// --department any department or none, are refused alike (exit 3, the same
// words for each flag, the name not echoed, no file), as `credits history
// --member` is; before, a name or id that matched nobody was "no such
// member or department" (exit 5) and a real one "not allowed" (exit 3), so a
// member could find out which members and departments exist, and --member
// bob printed the ids of bob and of a removed member of that name. A member
// naming themselves gets no note about a removed member of their name. An
// admin is still told a member or department does not exist.
func TestStatementMemberNamesOnlyThemselves(t *testing.T) {
	dir := teamWorkspace(t) // alice 1 (admin), bob 2, carol 3, department 1 Research
	admin := asAlice(t, dir)
	// carol is removed and a new carol (4, PIN 4321) added: a removed
	// member shares her name.
	admin("users", "remove", "carol")
	if code, _, errs := runIn(t, "4321\n", "--data-dir", dir, "--user", "alice", "users", "add", "carol", "--pin"); code != 0 {
		t.Fatalf("users add carol: %s", errs)
	}
	out := filepath.Join(t.TempDir(), "s.csv")
	refused := map[string]string{} // flag -> the first refusal's words
	for _, c := range []struct{ flag, who string }{
		{"--member", "alice"}, {"--member", "1"}, {"--member", "carol"}, {"--member", "3"},
		{"--member", "nobody"}, {"--member", "999"}, {"--member", "Alice"},
		{"--department", "Research"}, {"--department", "1"}, {"--department", "nowhere"}, {"--department", "999"},
	} {
		t.Setenv("METERDESK_PASSWORD", "1234")
		code, stdout, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "statement", "--month", "2026-01",
			c.flag, c.who, "--format", "csv", "--out", out)
		if code != ExitRefused || stdout != "" || !strings.Contains(errs, "not allowed for your role") ||
			strings.Contains(errs, c.who) || strings.Contains(errs, "note:") {
			t.Errorf("bob, %s %s: exit %d %q %q; want %d, refused", c.flag, c.who, code, stdout, errs, ExitRefused)
		}
		if first, ok := refused[c.flag]; !ok {
			refused[c.flag] = errs
		} else if errs != first {
			t.Errorf("bob, %s %s: %q, want the same words as %q", c.flag, c.who, errs, first)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("bob, %s %s: a refused statement wrote %s", c.flag, c.who, out)
		}
	}
	for _, self := range []string{"bob", "Bob", "2"} {
		if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "statement", "--month", "2026-01",
			"--member", self, "--format", "csv", "--out", out); code != 0 {
			t.Errorf("bob, --member %s: exit %d %q", self, code, errs)
		}
	}
	// The new carol names herself: no note about the removed carol (3).
	for _, args := range [][]string{
		{"statement", "--month", "2026-01", "--member", "carol", "--format", "csv", "--out", out},
		{"credits", "history", "--member", "carol"},
	} {
		t.Setenv("METERDESK_PASSWORD", "4321")
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "carol"}, args...)...)
		if code != 0 || errs != "" {
			t.Errorf("new carol, %v: exit %d, stderr %q; want 0 and no note", args, code, errs)
		}
	}
	// An admin is told a member or department does not exist, and gets the note.
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, c := range []struct{ flag, who string }{{"--member", "999"}, {"--member", "nobody"}, {"--department", "nowhere"}} {
		if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "statement", "--month", "2026-01",
			c.flag, c.who, "--format", "csv", "--out", out); code != ExitNotFound {
			t.Errorf("alice, %s %s: exit %d %q, want %d", c.flag, c.who, code, errs, ExitNotFound)
		}
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "statement", "--month", "2026-01",
		"--member", "carol", "--format", "csv", "--out", out)
	if code != 0 || !strings.Contains(errs, "note:") || !strings.Contains(errs, "--member 3") {
		t.Errorf("alice, --member carol: exit %d %q; want the note naming the removed carol", code, errs)
	}
}

// TestStatementMemberDefaultsToOwn: a member's `statement` without
// --member or --department is their own, as the window's Statements page
// opens on it and as `credits history` and `credits balance` read their
// own: it was refused as "workspace statement: not allowed for your role
// (admin only)" (exit 3), which named what they had not asked for. An
// admin's is still the workspace's; a member's empty --member says what
// leaving it out gives them.
func TestStatementMemberDefaultsToOwn(t *testing.T) {
	dir := teamWorkspace(t) // alice 1 (admin), bob 2, carol 3
	t.Setenv("METERDESK_PASSWORD", "1234")
	for _, format := range []string{"csv", "pdf", "detail-csv"} {
		code, stdout, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "statement", "--month", "2026-01",
			"--format", format, "--out", "-")
		if code != 0 || errs != "" {
			t.Fatalf("bob, no scope, %s: exit %d, stderr %q; want his own statement", format, code, errs)
		}
		if format == "csv" && (!strings.Contains(stdout, "statement,,,scope,member,") || !strings.Contains(stdout, "statement,,,name,bob,")) {
			t.Errorf("bob, no scope: %q, want bob's member statement", stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "s.pdf")
	code, stdout, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "statement", "--month", "2026-01", "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "member statement 2026-01 (bob) written to ") {
		t.Errorf("bob, no scope: exit %d %q %q", code, stdout, errs)
	}
	code, _, errs = runIn(t, "", "--data-dir", dir, "--user", "bob", "statement", "--month", "2026-01", "--member", "", "--out", out)
	if code != ExitUsage || !strings.Contains(errs, "--member must not be empty (leave it out for your own statement)") {
		t.Errorf("bob, --member \"\": exit %d %q", code, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	code, stdout, errs = runIn(t, "", "--data-dir", dir, "--user", "alice", "statement", "--month", "2026-01", "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, "workspace statement 2026-01 (Acme) written to ") {
		t.Errorf("alice, no scope: exit %d %q %q", code, stdout, errs)
	}
}
