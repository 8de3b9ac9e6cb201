package core

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestUnlistedModelIsChargedTheDefaultRate: a local API request (or a send
// with no provider) for a model that no provider lists goes to a provider
// of the kind its name suggests, else to the only provider there is
// (chat.ProviderService.serving), and, when that provider answers, is
// charged exactly the workspace's default rate, the admins' setting for
// every model without a rate of its own (factory 1 credit per token, or
// what they changed it to): never free unless they made the defaults
// free. What the provider refuses is charged nothing. The answer says so
// (X-Meterdesk-Default-Rate: true), as the window and the CLI warn before
// a send; a model with a rate of its own has no such header. (The decision
// in docs/chat.md "Providers": no hole for a member to run up charges the
// admins did not price.)
func TestUnlistedModelIsChargedTheDefaultRate(t *testing.T) {
	for _, c := range []struct {
		name     string
		model    string // listed by no provider
		defaults *rates.Defaults
		fault    fake.Fault
		charged  string // 10 prompt and 4 completion tokens
	}{
		{"kind by name, factory defaults", "org/mystery-model", nil, "", "14"},
		{"the only provider, factory defaults", "gpt-9", nil, "", "14"},
		{"the only provider, the admins' defaults", "gpt-9", &rates.Defaults{Input: "0.5", Output: "2"}, "", "13"},
		{"free defaults", "gpt-9", &rates.Defaults{Input: "0", Output: "0"}, "", "0"},
		{"refused by the provider", "gpt-9", nil, fake.BadRequest, "0"},
		{"priced: its own rate", "priced-model", nil, "", "7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, b, alice := checkHome(t)
			f := fake.NewOpenAI(fake.Script{Models: []string{"llama3:8b"}, Usage: fake.Usage{Prompt: 10, Completion: 4, Total: 14}, Fault: c.fault})
			defer f.Close()
			if _, err := b.Providers.Add(alice, providers.Input{Name: "router", Kind: providers.KindCompatible, BaseURL: f.BaseURL()}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: "local", Model: "priced-model", Input: "0.5", Output: "0.5"}},
				Reason: "test"}); err != nil {
				t.Fatal(err)
			}
			if c.defaults != nil {
				if _, err := b.Rates.Apply(alice, rates.Change{Defaults: c.defaults, Reason: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool,
				Credits: decimal.RequireFromString("1000"), Price: "0"}); err != nil {
				t.Fatal(err)
			}
			admin, _ := access.FromContext(alice)
			key, err := b.Gateway.CreateKey(alice, admin.UserID, "test")
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(b.Gateway.Handler())
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions",
				strings.NewReader(`{"model":"`+c.model+`","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}`))
			req.Header.Set("Authorization", "Bearer "+key.Secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := map[bool]int{true: http.StatusOK, false: http.StatusBadRequest}[c.fault == ""]; resp.StatusCode != want {
				t.Fatalf("status %d; want %d", resp.StatusCode, want)
			}
			if got, want := resp.Header.Get("X-Meterdesk-Default-Rate"), map[bool]string{true: "", false: "true"}[c.model == "priced-model"]; got != want {
				t.Errorf("X-Meterdesk-Default-Rate %q; want %q", got, want)
			}
			if got := resp.Header.Get("X-Meterdesk-Credits-Charged"); got != c.charged {
				t.Errorf("charged %q; want %s (the default rate)", got, c.charged)
			}
			bal, err := b.Ledger.Balance(alice, ledger.AccountPool)
			if err != nil {
				t.Fatal(err)
			}
			if want := decimal.RequireFromString("1000").Sub(decimal.RequireFromString(c.charged)); !bal.Balance.Equal(want) {
				t.Errorf("pool %s; want %s", bal.Balance, want)
			}
		})
	}
}
