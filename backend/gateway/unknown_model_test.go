package gateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// TestUnlistedModelRefusalSaysWhy: with one provider configured, a model
// it does not offer (a misspelled "gpt-4oo", which GET /v1/models/{id}
// answers 404) still goes to it, as routing documents (a model new since
// its last listing may be real), priced at the default rate; a payer who
// cannot cover that is refused 402. The 402 now says why first, after its
// cost: the model is not one GET /v1/models lists (check its name), so it
// is priced at the default rate. Before, the default rate came last, after
// a max_tokens that fits, with nothing saying the name is not listed. A
// listed model without a rate of its own keeps the plain words.
func TestUnlistedModelRefusalSaysWhy(t *testing.T) {
	e := newEnv(t, "100")
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	// The only provider, taking any name (the real routing's last resort:
	// chat.ProviderService sends an unknown model to the only provider).
	res := chat.StaticResolver{{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI, Kind: providers.KindOpenAI,
		Listed: []string{"gpt-4o", "gpt-4o-mini", "gpt-4.1"}}, Client: client}}
	meter := chat.New(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, res, nil, e.clock.Now).Meter()
	gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	k, err := gw.CreateKey(e.as(e.bob), e.bob.ID, "typo")
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+k.Secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		model  string
		listed bool // GET /v1/models/{id} finds it
		want   string
	}{
		{"gpt-4oo", false, `"message":"This request to gpt-4oo may cost up to 4106 credits (what is held while it runs), but only 100 are ` +
			`available to bob (this API key's member) from the workspace pool. gpt-4oo is not a model GET /v1/models lists (check its ` +
			`name), so it has no rate of its own and is priced at the default rate (1 credit per token). The prompt costs 10;`},
		{"gpt-4.1", true, `gpt-4.1 has no rate of its own, so the default rate applies (1 credit per token); an admin can give it one.`},
	} {
		before := e.fake.ChatRequests()
		status, body := do(http.MethodPost, "/v1/chat/completions", `{"model":"`+tc.model+`","messages":[{"role":"user","content":"Hi"}]}`)
		if status != http.StatusPaymentRequired || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s\nwant 402 with %s", tc.model, status, body, tc.want)
		}
		if says := strings.Contains(body, "not a model GET /v1/models lists"); says == tc.listed {
			t.Errorf("%s: says it is not listed %v, want %v: %s", tc.model, says, !tc.listed, body)
		}
		if strings.Count(body, "1 credit per token") != 1 {
			t.Errorf("%s: the default rate said more than once: %s", tc.model, body)
		}
		if e.fake.ChatRequests() != before || e.charged() != "0" {
			t.Errorf("%s: sent to the provider or charged", tc.model)
		}
		if st, _ := do(http.MethodGet, "/v1/models/"+tc.model, ""); (st == http.StatusOK) != tc.listed {
			t.Errorf("GET /v1/models/%s: %d, listed %v", tc.model, st, tc.listed)
		}
	}
}
