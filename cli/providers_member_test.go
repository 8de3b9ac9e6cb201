package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestProvidersListRedactedForAMember: `providers list` shows a member each
// provider's id, name and kind, with "-" for the base URL and "set" for a
// key, never the address (it may name an internal host) or the key's last
// characters; --json leaves "baseUrl" and "keyHint" empty and says
// "redacted". An admin's list shows both.
func TestProvidersListRedactedForAMember(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o-mini"}})
	defer srv.Close()
	dir := teamWorkspace(t)
	t.Setenv("LAB_KEY", "sk-lab-0123456789wxyz")
	alice := asAlice(t, dir)
	alice("providers", "add", "--name", "Lab", "--kind", "openai_compatible", "--url", srv.BaseURL(), "--key-env", "LAB_KEY")
	host := strings.TrimPrefix(srv.BaseURL(), "http://")

	if out := alice("providers", "list"); !strings.Contains(out, srv.BaseURL()) || !strings.Contains(out, "…wxyz") {
		t.Errorf("admin's list: %q, want the base URL and the key hint", out)
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	for _, args := range [][]string{{"providers", "list"}, {"--json", "providers", "list"}} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
		if code != 0 {
			t.Fatalf("%v as bob: exit %d %s", args, code, errs)
		}
		if strings.Contains(out, host) || strings.Contains(out, "wxyz") {
			t.Errorf("%v as bob shows the address or the key hint: %q", args, out)
		}
		if args[0] == "--json" {
			var list []map[string]any
			if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 ||
				list[0]["name"] != "Lab" || list[0]["kind"] != "openai_compatible" || list[0]["redacted"] != true {
				t.Errorf("--json as bob: %q %v", out, err)
			}
		} else if !strings.Contains(out, "Lab") || !strings.Contains(out, "openai_compatible") ||
			!strings.Contains(out, "  -  ") || !strings.Contains(out, "set") {
			t.Errorf("list as bob: %q, want the name, kind, - and set", out)
		}
	}
}
