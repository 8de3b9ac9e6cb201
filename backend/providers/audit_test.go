package providers_test

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// Adding, editing and removing a provider each leave one audit entry by
// the admin, naming the provider and where its key is kept; no entry holds
// the key or its hint, and a refused change leaves none.
func TestProviderChangesAreAuditedWithoutTheKey(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: "https://api.openai.com/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	// Refused: a taken name, a member, an unknown provider.
	if _, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: testKey}); err == nil {
		t.Fatal("a taken name was accepted")
	}
	if _, err := f.svc.Update(as(member), p.ID, providers.Input{Name: "Mine", Kind: providers.KindOpenAI}); err == nil {
		t.Fatal("a member edited a provider")
	}
	if err := f.svc.Remove(as(admin), p.ID+100); err == nil {
		t.Fatal("removed an unknown provider")
	}
	newKey := "sk-second-key-0987654321"
	if _, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "OpenAI EU", Kind: providers.KindOpenAI,
		BaseURL: "https://eu.api.openai.com/v1", APIKey: newKey}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Remove(as(admin), p.ID); err != nil {
		t.Fatal(err)
	}
	target := "provider:" + strconv.FormatInt(p.ID, 10)
	want := []audittest.Entry{
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "provider.add", Target: target, Before: "null",
			After: `{"name":"OpenAI","kind":"openai","baseUrl":"https://api.openai.com/v1","key":"sealed"}`},
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "provider.update", Target: target,
			Before: `{"name":"OpenAI","kind":"openai","baseUrl":"https://api.openai.com/v1","key":"sealed"}`,
			After:  `{"name":"OpenAI EU","kind":"openai","baseUrl":"https://eu.api.openai.com/v1","key":"sealed","keyChanged":true}`},
		{ActorID: admin.UserID, ActorName: admin.Name, Action: "provider.remove", Target: target,
			Before: `{"name":"OpenAI EU","kind":"openai","baseUrl":"https://eu.api.openai.com/v1","key":"sealed"}`, After: "null"},
	}
	got := audittest.Entries(t, f.db)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("audit log\n got %+v\nwant %+v", got, want)
	}
	for _, e := range got {
		for _, secret := range []string{testKey, newKey, testKey[len(testKey)-4:], newKey[len(newKey)-4:]} {
			if strings.Contains(e.Before+e.After, secret) {
				t.Fatalf("entry %s holds key material %q", e.Action, secret)
			}
		}
	}
}

// TestConnectionTestsWithTheSavedKeyAreAudited: a test that sends a saved
// key records where it went and how it went; a test with a typed key, or a
// refused one, records nothing.
func TestConnectionTestsWithTheSavedKeyAreAudited(t *testing.T) {
	f := newFixture(t, nil)
	srv := fake.NewAnthropic(fake.Script{Fault: fake.Unauthorized})
	defer srv.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Claude", Kind: providers.KindAnthropic, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Test(as(admin), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.TestInput(as(admin), p.ID, providers.Input{Kind: providers.KindAnthropic, BaseURL: srv.BaseURL(), APIKey: "sk-typed-key-1234567890"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Test(as(member), p.ID); err == nil {
		t.Fatal("a member tested a provider")
	}
	target := "provider:" + strconv.FormatInt(p.ID, 10)
	var tests []audittest.Entry
	for _, e := range audittest.Entries(t, f.db) {
		if e.Action == "provider.test" {
			tests = append(tests, e)
		}
	}
	want := []audittest.Entry{{ActorID: admin.UserID, ActorName: admin.Name, Action: "provider.test", Target: target, Before: "null",
		After: `{"name":"Claude","kind":"anthropic","baseUrl":"` + srv.BaseURL() + `","ok":false,"status":401}`}}
	if !reflect.DeepEqual(tests, want) {
		t.Fatalf("audit log\n got %+v\nwant %+v", tests, want)
	}
}

// A connection test whose provider is removed while it runs is logged all
// the same: the saved key was sent before the removal, and the audit log
// must say so. The entry after provider.remove reads as the removed
// provider's ("lab (removed)" in the audit list, one target, not a
// provider split in two). The test's result is still returned. Its entry
// was once left out, hiding that the key had been sent.
func TestAConnectionTestOfARemovedProviderIsAudited(t *testing.T) {
	f := newFixture(t, nil)
	var id atomic.Int64 // set: the next model listing removes provider id first
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pid := id.Swap(0); pid != 0 {
			if err := f.svc.Remove(as(admin), pid); err != nil {
				t.Errorf("remove during the test: %v", err)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}`))
	}))
	defer srv.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "lab", Kind: providers.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, removed := range []bool{false, true} {
		if removed {
			id.Store(p.ID)
		}
		res, err := f.svc.Test(as(admin), p.ID)
		if err != nil || !res.OK {
			t.Fatalf("test (removed meanwhile: %v): %+v, %v", removed, res, err)
		}
	}
	target := "provider:" + strconv.FormatInt(p.ID, 10)
	after := `{"name":"lab","kind":"openai","baseUrl":"` + srv.URL + `/v1","ok":true}`
	var got []string
	for _, e := range audittest.Entries(t, f.db) {
		got = append(got, e.Action+" "+e.Target)
		if e.Action == "provider.test" && e.After != after {
			t.Errorf("%s after = %s, want %s", e.Action, e.After, after)
		}
	}
	if want := []string{"provider.add " + target, "provider.test " + target, "provider.remove " + target, "provider.test " + target}; !reflect.DeepEqual(got, want) {
		t.Fatalf("audit log\n got %q\nwant %q", got, want)
	}

	// The audit list names every entry, the late test's too, "lab (removed)".
	led := ledger.New(f.db, nil, nil)
	defer led.Close()
	tm := team.New(f.db, led, nil, nil)
	page, err := tm.ListAuditPage(as(admin), team.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range page.Items { // newest first
		names = append(names, e.Action+" "+e.TargetName)
	}
	if want := []string{"provider.test lab (removed)", "provider.remove lab (removed)", "provider.test lab (removed)", "provider.add lab (removed)"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("audit list\n got %q\nwant %q", names, want)
	}
	targets, err := tm.ListAuditTargets(as(admin))
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || targets[0].Name != "lab (removed)" {
		t.Fatalf("audit targets %+v, want one, lab (removed)", targets)
	}
}
