package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestStatementNoteTimesAreReadable: `statement` of the month not over yet
// prints its note's "… covers activity up to …" as the PDF and the
// Statements page write it (2026-11-24 09:29, the workspace's zone), where
// it printed the CSV's RFC 3339 time (2026-11-24T09:29:56+01:00); --json
// keeps the RFC 3339 time, for scripts.
func TestStatementNoteTimesAreReadable(t *testing.T) {
	dir := teamWorkspace(t) // Europe/Berlin
	admin := asAlice(t, dir)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	month := time.Now().In(berlin).Format("2006-01")
	out := filepath.Join(t.TempDir(), "s.csv")
	readable := regexp.MustCompile(`(?m)^  note: .*covers activity up to \d{4}-\d{2}-\d{2} \d{2}:\d{2}( [+-]\d{2}:\d{2})?\.$`)
	rfc3339 := regexp.MustCompile(`\d{2}T\d{2}:`)
	for _, format := range []string{"csv", "pdf"} {
		got := admin("statement", "--month", month, "--format", format, "--out", out)
		if now := time.Now().In(berlin).Format("2006-01"); now != month {
			// The month ended while the command ran (a run at midnight on
			// a month's last day): its statement is no longer of a month
			// not over yet. Read the new month's.
			month = now
			got = admin("statement", "--month", month, "--format", format, "--out", out)
		}
		if !readable.MatchString(got) || rfc3339.MatchString(got) {
			t.Errorf("--format %s: %q, want the note's time as 2026-11-24 09:29", format, got)
		}
	}
	var res struct {
		Statement struct{ Message string } `json:"statement"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "statement", "--month", month, "--format", "csv", "--out", out)), &res); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`up to \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)\.$`).MatchString(res.Statement.Message) {
		t.Errorf("--json message %q, want its RFC 3339 time", res.Statement.Message)
	}
}
