package cli

import (
	"strings"
	"testing"
)

// TestCreditValueOneRule: `credits value`, `workspace setup` and `workspace
// update` accept and refuse what a credit is worth by one rule (a positive
// decimal with at most 12 places, ledger.ParseCreditValue), and a value
// stored by one does not make the other fail on an unrelated change.
func TestCreditValueOneRule(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	if out := admin("credits", "value", "--set", "0.0000000137", "--currency", "EUR"); out != "1 credit = 0.0000000137 EUR\n" {
		t.Fatalf("credits value --set: %q", out)
	}
	// Any other field still saves; the stored value is kept.
	if out := admin("workspace", "update", "--name", "Acme Research"); !strings.Contains(out, "credit:      0.0000000137 EUR\n") {
		t.Fatalf("workspace update --name after a 10-place credit value:\n%s", out)
	}
	if out := admin("workspace", "update", "--credit-value", "0.000000000001"); !strings.Contains(out, "credit:      0.000000000001 EUR\n") {
		t.Fatalf("workspace update --credit-value with 12 places:\n%s", out)
	}
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"credits", "value", "--set", "0.0000000000001", "--currency", "EUR"},
		{"workspace", "update", "--credit-value", "0.0000000000001"},
		{"workspace", "update", "--credit-value", "0"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != ExitUsage || !strings.Contains(errs, "must be a positive decimal with at most 12 decimal places") {
			t.Errorf("%v: exit %d %q, want 2 and the 12-place rule", args, code, errs)
		}
	}
	if dbDump(t, dir) != before {
		t.Error("a refused credit value changed the database")
	}

	// Set-up accepts what `credits value` accepts.
	d := emptyDataDir(t, "correct horse\n")
	d.must("workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.000000000001", "--admin", "alice")
	if out := d.must("credits", "value"); out != "1 credit = 0.000000000001 EUR\n" {
		t.Errorf("after set-up: %q", out)
	}
	code, _, errs := emptyDataDir(t, "correct horse\n").run("workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.0000000000001", "--admin", "alice")
	if code != ExitUsage || !strings.Contains(errs, "at most 12 decimal places") {
		t.Errorf("setup with 13 places: exit %d %q", code, errs)
	}
}
