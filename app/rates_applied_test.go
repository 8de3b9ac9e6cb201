package app

import (
	"context"
	"testing"

	"meterdesk/backend/rates"
)

// TestRatesApplyNamesTheVersionItApplied: the table the window's save
// gets back carries the version that save made, or found in force when it
// changed nothing (AppliedVersion), for its toast to name: the table's own
// version is read after, and names another save's when one came between.
func TestRatesApplyNamesTheVersionItApplied(t *testing.T) {
	a, b := openApp(t)
	setUp(t, b)
	admin, err := b.Team.Authenticate(context.Background(), "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(admin)
	r := &Rates{app: a}
	change := rates.Change{Edits: []rates.Edit{{Provider: "openai", Model: "gpt-4o", Field: "input", Value: "0.002"}}}
	made, err := r.Apply(change)
	if err != nil || made.Unchanged || made.AppliedVersion == 0 || made.AppliedVersion != made.Version.ID {
		t.Fatalf("a change: unchanged %v, applied %d, table's %d, %v", made.Unchanged, made.AppliedVersion, made.Version.ID, err)
	}
	same, err := r.Apply(change)
	if err != nil || !same.Unchanged || same.AppliedVersion != made.AppliedVersion {
		t.Fatalf("the same again: unchanged %v, applied %d, want %d, %v", same.Unchanged, same.AppliedVersion, made.AppliedVersion, err)
	}
	if read, err := r.Table(); err != nil || read.AppliedVersion != 0 || read.Unchanged {
		t.Fatalf("a table read: %d %v %v", read.AppliedVersion, read.Unchanged, err)
	}
}
