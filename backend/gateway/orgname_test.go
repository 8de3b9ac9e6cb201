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

// TestOrgNameRefusedInTheAPIsWords: with an openai provider and an
// OpenAI-compatible server on this computer whose models are not known yet
// (an Ollama not running), "openai/gpt-4o-mini" is refused with a 400 that
// an API caller can act on: ask for "gpt-4o-mini" (which goes to openai),
// the command line's --provider named as the command line's. It said only
// "ask for openai's model with --provider openai, or for the name as it is
// with --provider Ollama", a flag the local API has no field for. Nothing
// is sent or charged; "gpt-4o-mini" is then sent to openai.
func TestOrgNameRefusedInTheAPIsWords(t *testing.T) {
	e := newEnv(t, "100")
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	res := chat.StaticResolver{
		{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI, Kind: providers.KindOpenAI,
			Models: []string{"gpt-4o", "gpt-4o-mini"}}, Client: client},
		{Info: chat.TargetInfo{Name: "Lab", RateProvider: rates.OpenAI, Kind: providers.KindOpenAI,
			Models: []string{"gpt-4o-mini"}}, Client: client},
		{Info: chat.TargetInfo{Name: "Ollama", RateProvider: rates.Local, Kind: providers.KindCompatible,
			Local: true, Unreported: true}, Client: client},
	}
	meter := chat.New(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, res, nil, e.clock.Now).Meter()
	gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	k, err := gw.CreateKey(e.as(e.bob), e.bob.ID, "org")
	if err != nil {
		t.Fatal(err)
	}
	post := func(model string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions",
			strings.NewReader(`{"model":"`+model+`","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`))
		req.Header.Set("Authorization", "Bearer "+k.Secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	before := len(e.fake.Requests())
	resp := post("openai/gpt-4o-mini")
	body := decode[apiErr](t, resp.Body)
	resp.Body.Close()
	const want = `invalid chat request: "openai/gpt-4o-mini" may be openai's gpt-4o-mini or a model of Ollama (on this computer, its models not known yet) named "openai/gpt-4o-mini": ask for "gpt-4o-mini" for openai's, or on the command line add --provider openai for openai's or --provider Ollama for the name as it is`
	if resp.StatusCode != http.StatusBadRequest || body.Error.Message != want {
		t.Errorf("%d %q\nwant 400 %q", resp.StatusCode, body.Error.Message, want)
	}
	if n := len(e.fake.Requests()); n != before || e.charged() != "0" {
		t.Errorf("%d requests sent, %s charged", n-before, e.charged())
	}
	// Lab's gpt-4o-mini ("lab/gpt-4o-mini", Lab's name as PROVIDER) is not
	// what "gpt-4o-mini" asks for (openai answers it): no such advice.
	resp = post("lab/gpt-4o-mini")
	body = decode[apiErr](t, resp.Body)
	resp.Body.Close()
	const lab = `invalid chat request: "lab/gpt-4o-mini" may be Lab's gpt-4o-mini or a model of Ollama (on this computer, its models not known yet) named "lab/gpt-4o-mini": on the command line add --provider Lab for Lab's or --provider Ollama for the name as it is`
	if resp.StatusCode != http.StatusBadRequest || body.Error.Message != lab {
		t.Errorf("%d %q\nwant 400 %q", resp.StatusCode, body.Error.Message, lab)
	}
	// What the words say to ask for goes to openai.
	resp = post("gpt-4o-mini")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(e.fake.Requests()) != before+1 {
		t.Errorf("gpt-4o-mini: %d %s", resp.StatusCode, b)
	}
}
