package app

import (
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestProvidersModelsIsTheCLIsList: Settings → Providers → Models
// (Providers.Models) is the list `meterdesk providers models` prints
// (core.Backend.ProviderModels), for a member too, as the backend lets any
// signed-in member list models: live, the provider's list and when it was
// fetched; offline before it ever listed, the rate catalogue's models the
// chat offers for it, marked not fetched (FromCatalogue), not the bare
// providers.Service.Models list, which is empty then; and a member's error
// names no address.
func TestProvidersModelsIsTheCLIsList(t *testing.T) {
	a, alice, _, _ := memberWindow(t)
	f := fake.NewOpenAI(fake.Script{Models: []string{"gpt-live-1"}})
	defer f.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String() + "/v1"
	l.Close()

	for _, c := range []struct {
		name      string
		url       string
		stale     bool
		want      []string // in Models
		fromCat   bool     // want are FromCatalogue
		checkedAt bool
	}{
		{"live", f.BaseURL(), false, []string{"gpt-live-1"}, false, true},
		{"offline, never listed", refused, true, []string{"gpt-4o", "gpt-4o-mini"}, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := a.Backend.Providers.Add(alice, providers.Input{Name: "cloud " + c.name, Kind: providers.KindOpenAI, BaseURL: c.url, APIKey: "sk-test-0123456789abcdef"})
			if err != nil {
				t.Fatal(err)
			}
			ml, err := (&Providers{app: a}).Models(p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ml.Stale != c.stale || (ml.CheckedAt != "") != c.checkedAt {
				t.Fatalf("stale %v, checkedAt %q; want stale %v", ml.Stale, ml.CheckedAt, c.stale)
			}
			for _, m := range c.want {
				if !slices.Contains(ml.Models, m) || c.fromCat != slices.Contains(ml.FromCatalogue, m) {
					t.Errorf("%s: models %v, from the catalogue %v", m, ml.Models, ml.FromCatalogue)
				}
			}
			if c.stale && (!ml.Offline || ml.Error == "" || strings.Contains(ml.Error, "127.0.0.1") || strings.Contains(ml.Why, "127.0.0.1")) {
				t.Errorf("a member's offline error: %q, why %q (offline %v), want it without the address", ml.Error, ml.Why, ml.Offline)
			}
			// The window shows the backend's words (providers.ListWords), the CLI's.
			if c.stale && (ml.Why != ml.Error || !strings.HasPrefix(ml.Shown, "no last known list (it never listed its models); ") ||
				!strings.HasSuffix(ml.Shown, " models of the rate catalogue the chat offers for it (not fetched from the provider)")) ||
				!c.stale && (ml.Why != "" || !regexp.MustCompile(`^fetched from the provider \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$`).MatchString(ml.Shown)) {
				t.Errorf("why %q, shown %q", ml.Why, ml.Shown)
			}
		})
	}
	if _, err := (&Providers{app: a}).Models(999); err == nil {
		t.Error("models of no provider: no error")
	}
}
