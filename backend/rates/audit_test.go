package rates

import (
	"reflect"
	"strconv"
	"testing"

	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/events"
)

// Every new rate version and every custom model added or removed is in the
// audit log by the admin who made it; a change that changes nothing, a
// refused change and a member's attempt log nothing.
func TestRateChangesAreAudited(t *testing.T) {
	f := newFixture(t)
	change := Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008"}}, Reason: "new prices"}
	v, err := f.svc.Apply(f.admin, change)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(f.admin, change); err != nil { // the same again: no new version
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(f.memb, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "1"}}}); err == nil {
		t.Fatal("a member changed rates")
	}
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "-1"}}}); err == nil {
		t.Fatal("a negative rate was accepted")
	}
	if err := f.svc.AddModel(f.admin, Local, "llama3.1:8b"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddModel(f.admin, Local, "llama3.1:8b"); err == nil {
		t.Fatal("a duplicate model was accepted")
	}
	if err := f.svc.RemoveModel(f.admin, Local, "llama3.1:8b"); err != nil { // no rates of its own: no version
		t.Fatal(err)
	}
	got := audittest.Entries(t, f.db)
	want := []audittest.Entry{
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "rates.change", Target: "rates:v" + strconv.FormatInt(v.ID, 10),
			Before: "null", After: `{"version":` + strconv.FormatInt(v.ID, 10) + `,"reason":"new prices","defaults":{"input":"` +
				v.Defaults.Input + `","output":"` + v.Defaults.Output + `"},"models":` + strconv.Itoa(len(v.Rows)) + `}`},
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "rates.model.add", Target: "model:local/llama3.1:8b", Before: "null", After: "null"},
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "rates.model.remove", Target: "model:local/llama3.1:8b", Before: "null", After: "null"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("audit log\n got %+v\nwant %+v", got, want)
	}
}

// TestImportAddingAModelIsAudited: an import (or a change) whose row
// names a model the catalogue had not adds it as a custom model, as
// AddModel does, and is audited as AddModel is (rates.model.add), and the
// windows are told (RatesChanged): a file with the rates as they are and a
// blank row of a new model made no version, so the model was added with
// no entry in the log and no window refreshed. One with a rate of its own
// has its version's entry too. The same file again logs nothing.
func TestImportAddingAModelIsAudited(t *testing.T) {
	f := newFixture(t)
	data, err := f.svc.Export(f.admin, FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	blank := append(append([]byte(nil), data...), "local,brand-new,,,,,,,\n"...)
	for i := 0; i < 2; i++ {
		if _, err := f.svc.ImportChange(f.admin, FormatCSV, blank); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.rec.Count(events.RatesChanged); n != 1 {
		t.Errorf("RatesChanged emitted %d times, want 1", n)
	}
	priced := append(append([]byte(nil), blank...), "local,priced-new,0.001,0.002,,,,,\n"...)
	a, err := f.svc.ImportChange(f.admin, FormatCSV, priced)
	if err != nil || a.Unchanged {
		t.Fatalf("import of a priced new model: %+v %v", a, err)
	}
	var got []string
	for _, e := range audittest.Entries(t, f.db) {
		got = append(got, e.Action+" "+e.Target)
	}
	want := []string{"rates.model.add model:local/brand-new", "rates.model.add model:local/priced-new", "rates.change rates:v" + strconv.FormatInt(a.Version.ID, 10)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit log\n got %q\nwant %q", got, want)
	}
}

// TestAppliedNamesModelsAddedOnly: a change or an import that only adds a
// model to the catalogue (a blank row of a new model, the rates as they
// are) made no version, and says so by naming the model
// (ModelsAddedOnly), so neither the CLI nor the window says "rate version
// N is now in force" of the version that was in force already; one that
// made a version, or changed nothing, names none.
func TestAppliedNamesModelsAddedOnly(t *testing.T) {
	f := newFixture(t)
	data, err := f.svc.Export(f.admin, FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	before, err := f.svc.Current(f.admin)
	if err != nil {
		t.Fatal(err)
	}
	imp := func(rows string) func() (Applied, error) {
		return func() (Applied, error) {
			return f.svc.ImportChange(f.admin, FormatCSV, append(append([]byte(nil), data...), rows...))
		}
	}
	for _, c := range []struct {
		name       string
		do         func() (Applied, error)
		added      []string
		newVersion bool
	}{
		{"import of a blank new row", imp("local,blank-a,,,,,,,\nlocal,blank-b,,,,,,,\n"), []string{"local/blank-a", "local/blank-b"}, false},
		{"the same import again", imp("local,blank-a,,,,,,,\nlocal,blank-b,,,,,,,\n"), nil, false},
		{"a change of a blank new model", func() (Applied, error) {
			return f.svc.ApplyChange(f.admin, Change{Edits: []Edit{{Provider: Local, Model: "blank-c", Field: "input", Value: ""}}})
		}, []string{"local/blank-c"}, false},
		{"an import of a priced new row", imp("local,blank-a,,,,,,,\nlocal,blank-b,,,,,,,\nlocal,priced,0.001,0.002,,,,,\n"), nil, true},
	} {
		a, err := c.do()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(a.ModelsAddedOnly, c.added) {
			t.Errorf("%s: ModelsAddedOnly %q, want %q", c.name, a.ModelsAddedOnly, c.added)
		}
		if made := a.Version.ID != before.ID; made != c.newVersion {
			t.Errorf("%s: version %d (was %d), want a new one %v", c.name, a.Version.ID, before.ID, c.newVersion)
		}
		if a.Unchanged != (c.added == nil && !c.newVersion) {
			t.Errorf("%s: Unchanged %v", c.name, a.Unchanged)
		}
		tbl, err := f.svc.TableAfter(f.admin, a)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tbl.ModelsAddedOnly, c.added) || tbl.AppliedVersion != a.Version.ID {
			t.Errorf("%s: table after: added %q, applied version %d", c.name, tbl.ModelsAddedOnly, tbl.AppliedVersion)
		}
	}
}
