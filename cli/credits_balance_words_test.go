package cli

import (
	"strings"
	"testing"
)

// `credits balance` said "pending" for the credits held for replies still
// being written, which the window's Credits card calls "Reserved" (and
// history's notes "reserved, then settled"): one thing, two words. It now
// says "reserved"; --json keeps the ledger's key "pending" for scripts.
func TestCreditsBalanceSaysReservedAsTheWindow(t *testing.T) {
	dir := newDatabase(t)
	code, out, errs := run(t, "--data-dir", dir, "credits", "balance", "pool")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "\n  reserved   0.00\n") || strings.Contains(out, "pending") {
		t.Errorf("balance reads:\n%s\nwant a line \"  reserved   0.00\" and no \"pending\"", out)
	}
	code, out, errs = run(t, "--data-dir", dir, "--json", "credits", "balance", "pool")
	if code != 0 || !strings.Contains(out, `"pending": "0"`) {
		t.Errorf("--json: exit %d %s %s; want its key \"pending\" kept", code, out, errs)
	}
}
