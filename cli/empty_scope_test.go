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
