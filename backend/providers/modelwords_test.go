package providers_test

import (
	"testing"
	"time"

	"meterdesk/backend/providers"
)

// TestListWords: the one wording of a listing, which `meterdesk providers
// models` fails with ("provider \"NAME\": WHY; SHOWN") or says on stderr
// (SHOWN) and Settings → Providers → Models shows as it is: why (offline,
// a refused key, a live list that is empty), and which list it is (live,
// fetched at its time; never listed, an empty last list, the last list
// from its date; times in the workspace's zone), with 1 or N of the rate
// catalogue's models. A live list's time used to be formatted in the
// frontend ("… (Europe/Berlin)"), apart from the CLI and the stale lines.
func TestListWords(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	const (
		offline = "offline: the provider cannot be reached: nothing answers at its address"
		refused = "provider error 401 Unauthorized: invalid key"
		at      = "2026-11-20T09:30:00.61932035Z"
		cat     = " of the rate catalogue the chat offers for it (not fetched from the provider)"
	)
	for _, c := range []struct {
		name      string
		ml        providers.ModelList
		why, show string
	}{
		{"live", providers.ModelList{Models: []string{"a"}, CheckedAt: at}, "", "fetched from the provider 2026-11-20 10:30:00 Europe/Berlin"},
		{"live, empty", providers.ModelList{Models: []string{}, CheckedAt: at}, "it lists no models, so no model can be chosen for it", "fetched from the provider 2026-11-20 10:30:00 Europe/Berlin"},
		{"offline, never listed, none in the catalogue",
			providers.ModelList{Models: []string{}, Stale: true, Offline: true, Error: offline},
			offline, "no last known list (it never listed its models)"},
		{"offline, never listed, N catalogue models",
			providers.ModelList{Models: []string{"gpt-4o", "gpt-4o-mini"}, FromCatalogue: []string{"gpt-4o", "gpt-4o-mini"}, Stale: true, Offline: true, Error: offline},
			offline, "no last known list (it never listed its models); 2 models" + cat},
		{"refused key, never listed, 1 catalogue model",
			providers.ModelList{Models: []string{"gpt-4o"}, FromCatalogue: []string{"gpt-4o"}, Stale: true, Error: refused},
			"listing the models failed: " + refused, "no last known list (it never listed its models); 1 model" + cat},
		{"offline, empty last list",
			providers.ModelList{Models: []string{}, Stale: true, Offline: true, Error: offline, CheckedAt: at},
			offline, "the last known list, from 2026-11-20 10:30:00 Europe/Berlin, was empty"},
		{"refused key, empty last list, 1 catalogue model",
			providers.ModelList{Models: []string{"gpt-4o"}, FromCatalogue: []string{"gpt-4o"}, Stale: true, Error: refused, CheckedAt: at},
			"listing the models failed: " + refused, "the last known list, from 2026-11-20 10:30:00 Europe/Berlin, was empty; 1 model" + cat},
		{"refused key, last list",
			providers.ModelList{Models: []string{"llama3"}, Stale: true, Error: refused, CheckedAt: at},
			"listing the models failed: " + refused, "the last known list, from 2026-11-20 10:30:00 Europe/Berlin"},
		{"offline, last list, N catalogue models",
			providers.ModelList{Models: []string{"llama3", "gpt-4o", "o3"}, FromCatalogue: []string{"gpt-4o", "o3"}, Stale: true, Offline: true, Error: offline, CheckedAt: at},
			offline, "the last known list, from 2026-11-20 10:30:00 Europe/Berlin; 2 models" + cat},
	} {
		t.Run(c.name, func(t *testing.T) {
			why, shown := providers.ListWords(c.ml, berlin)
			if why != c.why || shown != c.show {
				t.Errorf("got\n  why   %q\n  shown %q\nwant\n  why   %q\n  shown %q", why, shown, c.why, c.show)
			}
		})
	}
	// No zone: UTC, named.
	if _, shown := providers.ListWords(providers.ModelList{Models: []string{"x"}, Stale: true, CheckedAt: at}, nil); shown != "the last known list, from 2026-11-20 09:30:00 UTC" {
		t.Errorf("nil zone: %q", shown)
	}
	if _, shown := providers.ListWords(providers.ModelList{Models: []string{"x"}, CheckedAt: at}, nil); shown != "fetched from the provider 2026-11-20 09:30:00 UTC" {
		t.Errorf("nil zone, live: %q", shown)
	}
}
