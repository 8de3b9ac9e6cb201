package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmptyScopeFlagIsRefused: a scope or filter flag given with nothing in
// it, as a script's empty variable gives it (`--member "$WHO"`), is refused
// (exit 2, nothing written), where it was read as left out: `statement
// --member ""` wrote the whole workspace's statement for an admin, `credits
// history --member ""` listed every member's transfers and `audit list
// --actor ""` every entry. Left out, the flags still mean what they did.
func TestEmptyScopeFlagIsRefused(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	out := filepath.Join(t.TempDir(), "s.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"statement", "--month", "2026-01", "--member", "", "--format", "csv", "--out", out}, "--member must not be empty (leave it out for the workspace's statement)"},
		{[]string{"statement", "--month", "2026-01", "--member", " ", "--format", "csv", "--out", out}, "--member must not be empty"},
		{[]string{"statement", "--month", "2026-01", "--department=", "--format", "pdf", "--out", out}, "--department must not be empty"},
		{[]string{"statement", "--month", "2026-01", "--department", "", "--format", "detail-csv", "--out", "-"}, "--department must not be empty"},
		{[]string{"credits", "history", "--member", ""}, "--member must not be empty"},
		{[]string{"audit", "list", "--actor", ""}, "--actor must not be empty"},
		{[]string{"audit", "export", "--actor", "\t", "--out", out}, "--actor must not be empty"},
		// The other scope flags of those commands alike: each read as left
		// out, every account's transfers, every action's or target's entries.
		{[]string{"credits", "history", "--account", ""}, "--account must not be empty (leave it out for every account's transfers you may read)"},
		{[]string{"audit", "list", "--action", ""}, "--action must not be empty (leave it out for every action's entries)"},
		{[]string{"audit", "list", "--target", " "}, "--target must not be empty (leave it out for every target's entries)"},
		{[]string{"audit", "export", "--target=", "--out", out}, "--target must not be empty"},
	} {
		code, stdout, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != ExitUsage || stdout != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, stdout, errs, ExitUsage, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q wrote %s", c.args, out)
		}
	}
	// Left out, they read as before.
	if got := admin("statement", "--month", "2026-01", "--format", "csv", "--out", out); !strings.Contains(got, "workspace statement 2026-01") {
		t.Errorf("statement without a scope: %q", got)
	}
	admin("credits", "history")
	admin("audit", "list")
}
