package rates

import (
	"reflect"
	"strconv"
	"testing"

	"meterdesk/backend/audit/audittest"
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
