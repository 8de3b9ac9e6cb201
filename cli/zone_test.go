package cli

import (
	"strings"
	"testing"
	"time"
)

// TestDatesInWorkspaceZone: the CLI reads a date as a date in the workspace
// time zone, the last day of a range included (credits history --from/--to,
// audit list --since/--until), and a date it cannot read is refused with a
// clear message. The zone is picked so that
// its date differs from the UTC date right now (UTC+14 late in the UTC day,
// UTC-11 early in it), so that reading the dates as UTC would fail.
func TestDatesInWorkspaceZone(t *testing.T) {
	zone := "Pacific/Kiritimati" // UTC+14
	if time.Now().UTC().Hour() < 10 {
		zone = "Pacific/Pago_Pago" // UTC-11
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	d := emptyDataDir(t, "correct horse\n")
	d.must("workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice", "--timezone", zone)
	d.must("credits", "topup", "--amount", "12.5", "--price", "1", "--id", "zone-1")
	now := time.Now().In(loc)
	yesterday, today := now.AddDate(0, 0, -1).Format(time.DateOnly), now.Format(time.DateOnly)
	if today == time.Now().UTC().Format(time.DateOnly) {
		t.Skip("the local date changed while the test ran")
	}
	// --to is the last day included.
	if out := d.must("credits", "history", "--from", today, "--to", today); !strings.Contains(out, "12.5") {
		t.Errorf("history of %s (%s) lacks today's top-up:\n%s", today, zone, out)
	}
	if out := d.must("credits", "history", "--to", yesterday); strings.Contains(out, "12.5") {
		t.Errorf("history up to %s (%s) shows today's top-up:\n%s", yesterday, zone, out)
	}
	// The audit log reads its dates the same way (setting up the
	// workspace was audited just now).
	if out := d.must("--json", "audit", "list", "--since", today, "--until", today); !strings.Contains(out, `"action"`) {
		t.Errorf("audit of %s (%s) is empty:\n%s", today, zone, out)
	}
	if out := d.must("--json", "audit", "list", "--until", yesterday); strings.Contains(out, `"action"`) {
		t.Errorf("audit up to %s (%s) shows today's entries:\n%s", yesterday, zone, out)
	}
	// Lists with times name the zone they are in, and show them in it.
	d.must("conversations", "new")
	if out := d.must("conversations", "list"); !strings.Contains(out, "UPDATED ("+zone+")") || !strings.Contains(out, today) {
		t.Errorf("conversations list is not in %s:\n%s", zone, out)
	}
	d.must("apikeys", "create", "--member", "alice", "--name", "ci")
	if out := d.must("apikeys", "list"); !strings.Contains(out, "CREATED ("+zone+")") || !strings.Contains(out, today) {
		t.Errorf("apikeys list is not in %s:\n%s", zone, out)
	}
	// The balance's lots and last transfer, and the rate versions, too.
	if out := d.must("credits", "balance", "pool"); !strings.Contains(out, "at "+today) || !strings.Contains(out, zone) ||
		!strings.Contains(out, "expires "+now.AddDate(1, 0, 0).Format(time.DateOnly)) {
		t.Errorf("credits balance is not in %s:\n%s", zone, out)
	}
	d.must("rates", "set", "openai", "gpt-4o", "--input", "2", "--output", "3")
	if out := d.must("rates", "versions"); !strings.Contains(out, "EFFECTIVE ("+zone+")") || !strings.Contains(out, today) {
		t.Errorf("rates versions is not in %s:\n%s", zone, out)
	}
	if out := d.must("rates", "list"); !strings.Contains(out, today) || !strings.Contains(out, zone) {
		t.Errorf("rates list is not in %s:\n%s", zone, out)
	}
	// A date it cannot read is named by the flag it was typed in.
	for _, bad := range [][]string{
		{"credits", "history", "--from", "yesterday"},
		{"credits", "history", "--to", "2025-02-30"},
		{"audit", "list", "--until", "soon"},
		{"audit", "list", "--since", "x"},
	} {
		code, _, errs := d.run(bad...)
		if code != 2 || !strings.Contains(errs, bad[2]+": not a date: \""+bad[3]+"\": want YYYY-MM-DD or RFC 3339") {
			t.Errorf("%v: exit %d %q, want 2, the flag and the accepted forms", bad, code, errs)
		}
	}
}
