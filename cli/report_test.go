package cli

import (
	"strings"
	"testing"
)

// TestReportUsageHasAHeader: the human output names its columns (the
// count's column was unlabelled).
func TestReportUsageHasAHeader(t *testing.T) {
	dir := teamWorkspace(t)
	for by, want := range map[string]string{"model": "MODEL", "member": "MEMBER", "day": "DAY"} {
		code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "--user", "alice", "report", "usage", "--from", "2026-01-01", "--to", "2026-01-31", "--by", by)
		lines := strings.Split(out, "\n")
		if code != 0 || len(lines) < 2 || strings.Fields(lines[0])[0] != want || !strings.Contains(lines[0], "CHARGES") || !strings.Contains(lines[0], "CREDITS") {
			t.Errorf("report usage --by %s: %d %q %q", by, code, out, errs)
		}
	}
}
