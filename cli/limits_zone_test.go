package cli

import (
	"regexp"
	"strings"
	"testing"
)

// limits list prints when each limit resets in the workspace's zone, named
// in the column's header as every other table names it ("RESETS
// (Europe/Berlin)", as audit list's "WHEN (Europe/Berlin)"), not with
// Go's abbreviation after each time ("2026-11-24 00:00 CET").
func TestLimitsListResetsInTheWorkspaceZone(t *testing.T) {
	dir := teamWorkspace(t) // bob: a daily limit of 50
	admin := asAlice(t, dir)
	admin("limits", "set", "bob", "monthly", "500")
	row := regexp.MustCompile(`(?m)^(daily|monthly) .* (\d{4}-\d{2}-\d{2} 00:00)$`)
	for _, zone := range []string{"Europe/Berlin", "Etc/UTC", "America/New_York", "Asia/Kolkata"} {
		admin("workspace", "update", "--timezone", zone)
		out := admin("limits", "list", "bob")
		header, _, _ := strings.Cut(out, "\n")
		if !strings.HasSuffix(header, "RESETS ("+zone+")") {
			t.Errorf("%s: header %q, want it to end RESETS (%s)", zone, header, zone)
		}
		if audit, _, _ := strings.Cut(admin("audit", "list"), "\n"); !strings.Contains(audit, "("+zone+")") {
			t.Errorf("%s: audit list's header %q names the zone otherwise", zone, audit)
		}
		rows := row.FindAllStringSubmatch(out, -1)
		if len(rows) != 2 {
			t.Fatalf("%s: want a daily and a monthly row ending at a local midnight, with no zone after it:\n%s", zone, out)
		}
		for _, r := range rows {
			if r[1] == "monthly" && !strings.HasSuffix(r[2], "-01 00:00") {
				t.Errorf("%s: the monthly limit resets at %s, not on the 1st", zone, r[2])
			}
		}
	}
}
