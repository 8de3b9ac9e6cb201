package app

import (
	"strings"
	"testing"

	"meterdesk/backend/rates"
)

// TestRatesApplyNamesTheVersionItApplied: the table the window's save
// gets back carries the version that save made, or found in force when it
// changed nothing (AppliedVersion), for its toast to name: the table's own
// version is read after, and names another save's when one came between.
func TestRatesApplyNamesTheVersionItApplied(t *testing.T) {
	a, _, _, _ := adminApp(t)
	r := &Rates{app: a}
	change := rates.Change{Edits: []rates.Edit{{Provider: "openai", Model: "gpt-4o", Field: "input", Value: "0.002"}}}
	made, err := r.Apply(change)
	if err != nil || made.Unchanged || made.AppliedVersion == 0 || made.AppliedVersion != made.Version.ID || !made.AppliedInForce {
		t.Fatalf("a change: unchanged %v, applied %d, table's %d, %v", made.Unchanged, made.AppliedVersion, made.Version.ID, err)
	}
	same, err := r.Apply(change)
	if err != nil || !same.Unchanged || same.AppliedVersion != made.AppliedVersion || !same.AppliedInForce {
		t.Fatalf("the same again: unchanged %v, applied %d, want %d, %v", same.Unchanged, same.AppliedVersion, made.AppliedVersion, err)
	}
	// An import says the same of the version it made, or found: the
	// table as it is makes none (rates.TableAfter).
	exported, err := r.Export(rates.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.Import(rates.FormatCSV, exported)
	if err != nil || !again.Unchanged || again.AppliedVersion != made.AppliedVersion || !again.AppliedInForce {
		t.Fatalf("the table imported as it is: unchanged %v, applied %d, in force %v, %v", again.Unchanged, again.AppliedVersion, again.AppliedInForce, err)
	}
	imported, err := r.Import(rates.FormatCSV, strings.Replace(exported, "0.002", "0.003", 1))
	if err != nil || imported.Unchanged || imported.AppliedVersion <= made.AppliedVersion || !imported.AppliedInForce {
		t.Fatalf("an import: unchanged %v, applied %d, in force %v, %v", imported.Unchanged, imported.AppliedVersion, imported.AppliedInForce, err)
	}
	if read, err := r.Table(); err != nil || read.AppliedVersion != 0 || read.Unchanged || read.AppliedInForce {
		t.Fatalf("a table read: %d %v %v", read.AppliedVersion, read.Unchanged, err)
	}
}
