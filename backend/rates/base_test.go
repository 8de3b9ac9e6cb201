package rates

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
)

func countAudit(t *testing.T, f fixture) int {
	t.Helper()
	var n int
	if err := f.db.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The window's save names the version it showed: when another admin (or
// the CLI) saved rates meanwhile, the save is refused with who did it and
// nothing is written; against the version in force it is applied.
func TestApplyWithAStaleBaseIsRefusedAndWritesNothing(t *testing.T) {
	f := newFixture(t)
	bob := access.WithActor(context.Background(), access.Actor{UserID: 3, Name: "Bob", Role: access.RoleAdmin})
	shown, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.0000025", Output: "0.00001"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile, in a terminal: rates set openai gpt-4o --unit 1m --output 20 --cache-read 1.
	theirs, err := f.svc.Apply(bob, Change{Edits: []Edit{
		{Provider: OpenAI, Model: "gpt-4o", Field: "output", Value: "0.00002"},
		{Provider: OpenAI, Model: "gpt-4o", Field: "cache_read", Value: "0.000001"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	versions, audits, evs := countVersions(t, f.db), countAudit(t, f), f.rec.Count(events.RatesChanged)

	// The window saves what it showed with the input edited.
	mine := Change{BaseVersion: shown.ID, Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.000003", Output: "0.00001"}}}
	_, err = f.svc.Apply(f.admin, mine)
	var ce *ChangedError
	if !errors.As(err, &ce) || !errors.Is(err, ErrChanged) {
		t.Fatalf("stale base: %v, want a ChangedError", err)
	}
	if *ce != (ChangedError{Base: shown.ID, Latest: theirs.ID, By: "Bob"}) {
		t.Errorf("ChangedError = %+v", *ce)
	}
	want := "the rates changed since you opened them (version 3 by Bob); review and save again"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	if countVersions(t, f.db) != versions || countAudit(t, f) != audits || f.rec.Count(events.RatesChanged) != evs {
		t.Fatal("a refused change wrote a version, an audit entry or an event")
	}
	// A stale base is refused even for an edit, and for a preview-only
	// difference of nothing at all.
	for _, c := range []Change{
		{BaseVersion: shown.ID, Edits: []Edit{{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.000003"}}},
		{BaseVersion: shown.ID, Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.0000025", Output: "0.00002", CacheRead: "0.000001"}}},
	} {
		if _, err := f.svc.Apply(f.admin, c); !errors.Is(err, ErrChanged) {
			t.Errorf("stale base %+v: %v", c, err)
		}
	}
	cur, _ := f.svc.Current(f.memb)
	if cur.ID != theirs.ID {
		t.Fatalf("current version %d, want %d", cur.ID, theirs.ID)
	}

	// Against the version now in force, the window's edit applies onto it.
	v, err := f.svc.Apply(f.admin, Change{BaseVersion: theirs.ID, Edits: []Edit{{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.000003"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := v.Row(OpenAI, "gpt-4o")
	if got != (Row{Provider: OpenAI, Model: "gpt-4o", Input: "0.000003", Output: "0.00002", CacheRead: "0.000001"}) {
		t.Fatalf("after the second save: %+v", got)
	}
	if v.ID != theirs.ID+1 || v.Reason != "change openai/gpt-4o" {
		t.Fatalf("version %d %q", v.ID, v.Reason)
	}

	// Without a base, a row replaces the model's row as before (whatever
	// was saved since).
	v, err = f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.000004"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := v.Row(OpenAI, "gpt-4o"); got != (Row{Provider: OpenAI, Model: "gpt-4o", Input: "0.000004"}) {
		t.Fatalf("row without a base: %+v", got)
	}
}

// A base version that is not a version is refused, not taken for a stale one.
func TestApplyWithABadBaseIsRefused(t *testing.T) {
	f := newFixture(t)
	edit := []Edit{{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "2"}}
	_, err := f.svc.Apply(f.admin, Change{BaseVersion: 99, Edits: edit})
	if !errors.Is(err, ErrNoVersion) || errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "base rate version 99") {
		t.Errorf("base 99: %v", err)
	}
	_, err = f.svc.Apply(f.admin, Change{BaseVersion: -1, Edits: edit})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "base version -1: must be a version id") {
		t.Errorf("base -1: %v", err)
	}
	if n := countVersions(t, f.db); n != 1 {
		t.Fatalf("%d versions after refused changes", n)
	}
}

// An edit changes one field of the rates as they are when it is written:
// a change saved after the editor read the table is kept, even without a
// base version.
func TestEditsKeepWhatOthersChanged(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "2", Output: "10"}}}); err != nil {
		t.Fatal(err)
	}
	mine := Change{Edits: []Edit{
		{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "3"},
		{Field: "input", Value: "0.5"},
		{Provider: Local, Model: "llama3", Field: "per-request", Value: "+0.10"},
	}}
	// Someone else, after the edits were made and before they are saved.
	if _, err := f.svc.Apply(f.admin, Change{Defaults: &Defaults{Input: "1", Output: "4"},
		Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "2", Output: "20", CacheRead: "1"}}}); err != nil {
		t.Fatal(err)
	}
	diffs, err := f.svc.Preview(f.memb, mine)
	if err != nil {
		t.Fatal(err)
	}
	want := []Diff{
		{Field: "default_input", Old: "1", New: "0.5"},
		{Provider: OpenAI, Model: "gpt-4o", Field: "input", Old: "2", New: "3"},
		{Provider: Local, Model: "llama3", Field: "per_request", Old: "", New: "0.1"},
	}
	if len(diffs) != len(want) {
		t.Fatalf("preview = %+v, want %+v", diffs, want)
	}
	for i := range want {
		if diffs[i] != want[i] {
			t.Errorf("preview[%d] = %+v, want %+v", i, diffs[i], want[i])
		}
	}
	v, err := f.svc.Apply(f.admin, mine)
	if err != nil {
		t.Fatal(err)
	}
	if v.Defaults != (Defaults{Input: "0.5", Output: "4"}) {
		t.Errorf("defaults %+v", v.Defaults)
	}
	if got, _ := v.Row(OpenAI, "gpt-4o"); got != (Row{Provider: OpenAI, Model: "gpt-4o", Input: "3", Output: "20", CacheRead: "1"}) {
		t.Errorf("gpt-4o %+v", got)
	}
	if got, _ := v.Row(Local, "llama3"); got != (Row{Provider: Local, Model: "llama3", PerRequest: "0.1"}) {
		t.Errorf("llama3 %+v", got)
	}
	if v.Reason != "change 2 models and the defaults" {
		t.Errorf("reason %q", v.Reason)
	}
	tab, err := f.svc.Table(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	custom := false
	for _, p := range tab.Providers {
		for _, m := range p.Models {
			custom = custom || (m.Model == "llama3" && m.Source == SourceCustom)
		}
	}
	if !custom {
		t.Error("an edit of an unknown model did not add it as a custom model")
	}
	// Clearing the last field of a row removes the row.
	v, err = f.svc.Apply(f.admin, Change{Edits: []Edit{{Provider: Local, Model: "llama3", Field: "per_request", Value: ""}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.Row(Local, "llama3"); ok {
		t.Error("an all-blank row was kept")
	}
}

func TestBadEditsAreRefusedAllOrNothing(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Apply(f.admin, Change{Edits: []Edit{
		{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "5"}, // fine, but must not be applied
		{Provider: OpenAI, Model: "gpt-4o", Field: "colour", Value: "1"},
		{Provider: OpenAI, Model: "gpt-4o", Field: "output", Value: "-1"},
		{Provider: "acme", Model: "x", Field: "input", Value: "1"},
		{Provider: OpenAI, Model: "gpt-4o", Field: "Input", Value: "6"},
		{Field: "input", Value: " "},
		{Field: "reasoning", Value: "1"},
		{Field: "output", Value: "1e3"},
	}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`(openai/gpt-4o): unknown rate field "colour"`,
		`(openai/gpt-4o): output -1 is negative`,
		`(acme/x): unknown provider "acme"`,
		`(openai/gpt-4o): input: edited twice`,
		`default input: must not be blank`,
		`default reasoning: only the input and output rates have defaults`,
		`default output: "1e3" is not a plain decimal`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if len(ve.Problems) != 7 {
		t.Errorf("%d problems, want 7: %s", len(ve.Problems), msg)
	}
	if n := countVersions(t, f.db); n != 1 {
		t.Fatalf("%d versions after a rejected change", n)
	}
}

// An unknown provider in a change that edits several fields of one model
// is one problem, not one per field (`rates set bogus m --input 1
// --output 2` said it twice); every other problem of each edit stays.
func TestApplyReportsARowsProblemOnce(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Apply(f.admin, Change{Edits: []Edit{
		{Provider: "bogus", Model: "m", Field: "input", Value: "1"},
		{Provider: "bogus", Model: "m", Field: "output", Value: "-2"},
		{Provider: "bogus", Model: "n", Field: "input", Value: "1"},
	}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Apply = %v, want a *ValidationError", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.String())
	}
	unknown := `unknown provider "bogus" (want one of openai, deepseek, gemini, anthropic, local)`
	want := []string{"(bogus/m): " + unknown, `(bogus/m): output -2 is negative`, "(bogus/n): " + unknown}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// ApplyChange says whether a change made a version: a change to the rates
// as they are (an edit to the same value, written otherwise) makes none
// and says Unchanged, with the version in force; a real change does not.
func TestApplyChangeSaysUnchanged(t *testing.T) {
	f := newFixture(t)
	for i, c := range []struct {
		edit      Edit
		unchanged bool
	}{
		{Edit{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.0000025"}, false},
		{Edit{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.00000250"}, true},
		{Edit{Field: "input", Value: "1"}, true}, // the default as it is
		{Edit{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.000003"}, false},
	} {
		before := countVersions(t, f.db)
		a, err := f.svc.ApplyChange(f.admin, Change{Edits: []Edit{c.edit}})
		if err != nil {
			t.Fatal(err)
		}
		made := countVersions(t, f.db) - before
		if a.Unchanged != c.unchanged || made != map[bool]int{true: 0, false: 1}[c.unchanged] {
			t.Errorf("%d %+v: unchanged %v, %d versions made", i, c.edit, a.Unchanged, made)
		}
		if cur, err := f.svc.Current(f.admin); err != nil || a.Version == nil || cur.ID != a.Version.ID {
			t.Errorf("%d: version %+v, in force %+v (%v)", i, a.Version, cur, err)
		}
	}
}

// TestTableAfterSaysWhetherTheChangeIsInForce: the table returned after a
// save or an import names the version that change made (or found) and says
// whether it is still the one in force at that read; a save elsewhere in
// between (another admin, the CLI) makes it false, so the window's toast
// does not call a superseded version "in force". A table read says neither.
func TestTableAfterSaysWhetherTheChangeIsInForce(t *testing.T) {
	f := newFixture(t)
	edit := func(v string) Applied {
		t.Helper()
		a, err := f.svc.ApplyChange(f.admin, Change{Edits: []Edit{{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: v}}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	imp := func() Applied {
		t.Helper()
		v, err := f.svc.Import(f.admin, FormatCSV, []byte("provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call\nopenai,gpt-4o,0.000005,0.000008,,,,,\n"))
		if err != nil {
			t.Fatal(err)
		}
		return Applied{Version: v}
	}
	check := func(name string, a Applied, unchanged, inForce bool) {
		t.Helper()
		tbl, err := f.svc.TableAfter(f.admin, a)
		if err != nil || tbl.AppliedVersion != a.Version.ID || tbl.Unchanged != unchanged || tbl.AppliedInForce != inForce {
			t.Errorf("%s: applied %d (want %d), unchanged %v (want %v), in force %v (want %v), table's version %d, %v",
				name, tbl.AppliedVersion, a.Version.ID, tbl.Unchanged, unchanged, tbl.AppliedInForce, inForce, tbl.Version.ID, err)
		}
	}
	saved := edit("0.000002")
	check("a save", saved, false, true)
	same := edit("0.0000020") // the rates as they are: no version made
	check("the same again", same, true, true)
	edit("0.000003") // a save elsewhere, before the table is read
	check("a save, another after it", saved, false, false)
	check("the same again, another after it", same, true, false)
	imported := imp()
	check("an import", imported, false, true)
	edit("0.000004")
	check("an import, a save after it", imported, false, false)
	if read, err := f.svc.Table(f.admin); err != nil || read.AppliedInForce || read.AppliedVersion != 0 || read.Unchanged {
		t.Errorf("a table read: %+v %v", read.Version, err)
	}
}

// TestImportAddingAModelIsNoUnchanged: a file with the rates as they are
// and a blank row of a model the table had not adds that model to the
// table (a custom model, at the default rates) though it makes no
// version; it was reported Unchanged, so the window said "The file holds
// the rates as they are" and the CLI "unchanged: … nothing written" of an
// import that had added a model. The same file again is unchanged.
func TestImportAddingAModelIsNoUnchanged(t *testing.T) {
	f := newFixture(t)
	data, err := f.svc.Export(f.admin, FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, "local,brand-new,,,,,,,\n"...)
	for i, wantUnchanged := range []bool{false, true} {
		a, err := f.svc.ImportChange(f.admin, FormatCSV, data)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := f.svc.Table(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range tbl.Providers {
			for _, m := range p.Models {
				found = found || m.Model == "brand-new"
			}
		}
		if a.Unchanged != wantUnchanged || !found {
			t.Errorf("import %d: unchanged %v, want %v; the model in the table: %v", i+1, a.Unchanged, wantUnchanged, found)
		}
	}
}
