package cli

import (
	"bytes"
	"testing"

	"meterdesk/backend/providers"
)

// TestProvidersSavedButKeyNote: a save whose key check did not pass (the
// backend's Provider.KeyError: OpenRouter, whose model list answers any
// key, refused the key or could not check it) is not a plain "saved":
// stderr says so and how to test it again; the save stands. (The backend's
// TestOpenRouterSaveChecksTheKey makes the check against an OpenRouter-like
// server, which the CLI cannot reach at openrouter.ai.)
func TestProvidersSavedButKeyNote(t *testing.T) {
	for _, c := range []struct {
		p    providers.Provider
		want string
	}{
		{providers.Provider{ID: 3}, ""},
		{providers.Provider{ID: 3, KeyError: "the key was refused: key check: provider error 401 Unauthorized: No auth credentials found"},
			"saved, but the key was refused: key check: provider error 401 Unauthorized: No auth credentials found\n(check the key: meterdesk providers test 3)\n"},
		{providers.Provider{ID: 3, KeyError: "the key could not be checked: offline: the provider cannot be reached: …"},
			"saved, but the key could not be checked: offline: the provider cannot be reached: …\n(check the key: meterdesk providers test 3)\n"},
		{providers.Provider{ID: 3, ModelsError: "list models: provider error 404 Not Found"},
			"saved, but listing the models failed: list models: provider error 404 Not Found\n(check the base URL and the key: meterdesk providers test 3)\n"},
	} {
		var errw bytes.Buffer
		modelsNote(&Env{Err: &errw}, c.p)
		if errw.String() != c.want {
			t.Errorf("%+v: %q, want %q", c.p, errw.String(), c.want)
		}
	}
}
