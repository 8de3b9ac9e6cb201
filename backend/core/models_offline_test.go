package core

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// refusedURL is the base URL of a server that refuses connections: a port
// that was listened on and closed.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr + "/v1"
}

// TestModelsOfAnOfflineCloudProvider: the local API's GET /v1/models lists
// what the window's model picker offers (one list, chat.Meter.Models),
// also for a cloud provider whose model listing cannot be fetched (its
// server refuses connections) and whose models have no rates yet: the
// catalogue's models of its kind, charged the default rate, when it never
// listed; the ones it last listed, when it did before going offline. It
// listed nothing for it: only models with a priced row counted.
func TestModelsOfAnOfflineCloudProvider(t *testing.T) {
	for _, c := range []struct {
		name   string
		kind   providers.Kind
		listed []string // what the provider listed before it went offline; nil: it never answered
		want   []string // some of what both lists hold (the catalogue grows)
	}{
		{"openai never listed", providers.KindOpenAI, nil, []string{"gpt-4o", "gpt-4o-mini"}},
		{"anthropic never listed", providers.KindAnthropic, nil, []string{"claude-sonnet-4-20250514"}},
		{"gemini never listed", providers.KindGemini, nil, []string{"gemini-2.5-flash"}},
		{"deepseek never listed", providers.KindDeepSeek, nil, []string{"deepseek-chat", "deepseek-reasoner"}},
		{"deepseek listed, then offline", providers.KindDeepSeek, []string{"deepseek-chat"}, []string{"deepseek-chat"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, b, alice := checkHome(t)
			url := refusedURL(t)
			if c.listed != nil {
				f := fake.NewDeepSeek(fake.Script{Models: c.listed})
				url = f.BaseURL()
				defer f.Close()
			}
			p, err := b.Providers.Add(alice, providers.Input{Name: "cloud", Kind: c.kind, BaseURL: url, APIKey: "sk-test-0123456789abcdef"})
			if err != nil {
				t.Fatal(err)
			}
			if c.listed != nil {
				ml, err := b.Providers.Models(alice, p.ID)
				if err != nil || ml.Stale || !slices.Equal(ml.Models, c.listed) {
					t.Fatalf("listing while online: %+v %v", ml, err)
				}
				if _, err := b.Providers.Update(alice, p.ID, providers.Input{Name: "cloud", Kind: c.kind, BaseURL: refusedURL(t), APIKey: "sk-test-0123456789abcdef"}); err != nil {
					t.Fatal(err)
				}
			}
			if ml, err := b.Providers.Models(alice, p.ID); err != nil || !ml.Stale {
				t.Fatalf("listing while offline: %+v %v", ml, err)
			}

			var picker []string
			opts, err := b.Chat.Models(alice)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range opts {
				if o.Provider != "cloud" || !o.DefaultRate {
					t.Errorf("picker offers %+v; want cloud's, at the default rate", o)
				}
				picker = append(picker, o.Model)
			}

			// `meterdesk providers models` lists the same (ProviderModels):
			// the last known list, completed with what the picker offers,
			// those named as not fetched (FromCatalogue); it was empty,
			// "no last known list", for a provider that never listed.
			ml, err := b.ProviderModels(alice, p.ID)
			if err != nil || !ml.Stale || !slices.Equal(ml.Models, picker) {
				t.Errorf("ProviderModels = %+v, %v; want stale, the picker's %v", ml, err, picker)
			}
			if added := ml.FromCatalogue; c.listed == nil && !slices.Equal(added, picker) || c.listed != nil && len(added) != 0 {
				t.Errorf("FromCatalogue = %v (listed before: %v)", added, c.listed)
			}

			admin, _ := access.FromContext(alice)
			key, err := b.Gateway.CreateKey(alice, admin.UserID, "test")
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(b.Gateway.Handler())
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/models", nil)
			req.Header.Set("Authorization", "Bearer "+key.Secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var list struct {
				Data []struct {
					ID      string `json:"id"`
					OwnedBy string `json:"owned_by"`
				} `json:"data"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /v1/models: %d %v", resp.StatusCode, err)
			}
			var api []string
			for _, m := range list.Data {
				if m.OwnedBy != "cloud" {
					t.Errorf("%s owned by %q", m.ID, m.OwnedBy)
				}
				api = append(api, m.ID)
			}
			if !slices.Equal(api, picker) {
				t.Errorf("GET /v1/models %v; the picker offers %v", api, picker)
			}
			for _, w := range c.want {
				if !slices.Contains(api, w) {
					t.Errorf("GET /v1/models %v; want %s among them", api, w)
				}
			}
			if c.listed != nil && !slices.Equal(api, c.listed) {
				t.Errorf("GET /v1/models %v; want only what it last listed, %v", api, c.listed)
			}
		})
	}
}
