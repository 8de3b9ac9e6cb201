package ledger

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestOpLabelsAgreeWithTheWindow: a posted hold read "Usage charge" in
// Credits → History, "Usage" on the Usage page and "post" in `meterdesk
// credits history`. OpLabel is the one set of words, every operation has
// one, a usage transfer and a posted hold read alike, and
// testdata/op_labels.json (which frontend/src/lib/labels.test.ts reads too)
// pins the window's table to it.
func TestOpLabelsAgreeWithTheWindow(t *testing.T) {
	raw, err := os.ReadFile("testdata/op_labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Op, Label string }
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Op == "" {
			continue // the comment
		}
		seen[r.Op] = true
		if got := OpLabel(r.Op); got != r.Label {
			t.Errorf("OpLabel(%q) = %q, want %q (as the window says it)", r.Op, got, r.Label)
		}
	}
	for _, op := range Ops {
		if !seen[op] {
			t.Errorf("operation %s has no row in testdata/op_labels.json", op)
		}
		if OpLabel(op) == op {
			t.Errorf("operation %s has no label", op)
		}
	}
	if OpLabel(OpPost) != OpLabel(OpUsage) {
		t.Errorf("a posted hold reads %q, a usage transfer %q: one charge for usage, two words", OpLabel(OpPost), OpLabel(OpUsage))
	}
	seenLabel := map[string]string{}
	for _, op := range FilterOps() {
		if other, dup := seenLabel[OpLabel(op)]; dup {
			t.Errorf("the history filter offers %q twice (%s and %s)", OpLabel(op), other, op)
		}
		seenLabel[OpLabel(op)] = op
	}
	if !slices.Contains(FilterOps(), OpUsage) {
		t.Error("the history filter does not offer usage")
	}
	if got := OpLabel("steal"); got != "steal" {
		t.Errorf("OpLabel(steal) = %q, want the op as it is", got)
	}
}
