package providers

import (
	"reflect"
	"testing"
)

// TestURLCredentialOf: what start-up takes out of a stored base URL
// (MoveURLCredentials), and whether it can be the provider's key.
func TestURLCredentialOf(t *testing.T) {
	for _, tc := range []struct {
		kind    Kind
		raw     string
		ok      bool
		base    string
		key     string
		secrets []string
		what    string
		host    string
	}{
		{KindCompatible, "http://sk-tok1234@localhost:11434/v1/", true, "http://localhost:11434/v1", "sk-tok1234", []string{"sk-tok1234"}, "a token", ""},
		{KindOpenAI, "https://sk-abc123/def456@api.openai.com/v1", true, "https://api.openai.com/v1", "sk-abc123/def456", []string{"sk-abc123/def456"}, "a token", "sk-abc123"},
		{KindCompatible, "http://sk-abc/def@ollama/v1", true, "http://ollama/v1", "sk-abc/def", []string{"sk-abc/def"}, "a token", "sk-abc"},
		{KindCompatible, "https://bob:pa/ss@proxy.example.com/v1", true, "https://proxy.example.com/v1", "", []string{"bob:pa/ss"}, "a user name and password", ""},
		{KindAnthropic, "https://sk-ant-x%2Fy@api.anthropic.com/v1", true, "https://api.anthropic.com", "sk-ant-x/y", []string{"sk-ant-x%2Fy"}, "a token", ""},
		{KindGemini, "https://generativelanguage.googleapis.com/v1beta?key=AIza%2Bk", true, "https://generativelanguage.googleapis.com", "AIza+k", []string{"AIza%2Bk"}, "an API key in its query (key=)", ""},
		{KindCompatible, "https://host.example/v1?api_key=abcd1234&x=1", true, "https://host.example/v1", "", []string{"abcd1234"}, "a credential in its query (api_key=)", ""},
		{KindOpenAI, "https://sk-1@api.openai.com/v1?token=t0k3n", true, "https://api.openai.com/v1", "sk-1", []string{"sk-1", "t0k3n"}, "a token and a credential in its query (token=)", ""},
		// No credential: as the row has it.
		{KindCompatible, "http://localhost:11434/v1", false, "", "", nil, "", ""},
		{KindCompatible, "https://host.example/v1?api-version=2024-02-01", false, "", "", nil, "", ""},
		{KindCompatible, "http://ollama/v1/@x", false, "", "", nil, "", ""},
		{KindCompatible, "https://host.example/v1/me@x", false, "", "", nil, "", ""},
	} {
		c, ok := urlCredentialOf(tc.kind, tc.raw)
		if ok != tc.ok {
			t.Errorf("%s: ok %v, want %v (%+v)", tc.raw, ok, tc.ok, c)
			continue
		}
		if !ok {
			continue
		}
		if c.base != tc.base || c.key != tc.key || !reflect.DeepEqual(c.secrets, tc.secrets) || c.what != tc.what || c.host != tc.host {
			t.Errorf("%s: %+v; want base %q key %q secrets %q what %q host %q", tc.raw, c, tc.base, tc.key, tc.secrets, tc.what, tc.host)
		}
	}
}
