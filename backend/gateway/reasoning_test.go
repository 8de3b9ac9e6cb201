package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// reasoningGateway is a second gateway on e's database whose OpenAI
// provider (a fake answering script) serves gpt-5.1, priced 0.002 per
// input, 0.008 per output and 0.01 per reasoning token.
func reasoningGateway(t *testing.T, e *env, script fake.Script) (*httptest.Server, *fake.Server) {
	t.Helper()
	rs := rates.New(e.db, nil, e.clock.Now)
	if _, err := rs.Apply(e.admin, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-5.1",
		Input: "0.002", Output: "0.008", Reasoning: "0.01"}}, Reason: "gpt-5.1"}); err != nil {
		t.Fatal(err)
	}
	fk := fake.NewOpenAI(script)
	t.Cleanup(fk.Close)
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: fk.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	res := chat.StaticResolver{{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI,
		Models: []string{"gpt-5.1"}}, Client: client}}
	meter := chat.New(e.db, e.led, rs, e.team, res, nil, e.clock.Now).Meter()
	gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return srv, fk
}

// TestReasoningModelSampling: a request for gpt-5.1 with a temperature
// reaches the provider (with max_completion_tokens), which decides. When
// it takes the temperature (reasoning effort none) the reply is charged;
// when it refuses, its 400 and its own message come back as a 400 and
// nothing is charged. Meterdesk answered 500 without asking it before.
func TestReasoningModelSampling(t *testing.T) {
	const body = `{"model":"gpt-5.1","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"max_tokens":50%s}`
	for _, tc := range []struct {
		name   string
		stream bool
		script fake.Script
		status int
		msg    string // in the error message
		charge string
	}{
		{"taken", false, okScript, 200, "", okCharge},
		{"taken, streamed", true, okScript, 200, "", okCharge},
		{"refused", false, fake.Script{Fault: fake.BadRequest}, 400,
			"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", "0"},
		{"refused, streamed", true, fake.Script{Fault: fake.BadRequest}, 400,
			"Unsupported value: 'temperature' does not support 0.2 with this model.", "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			srv, fk := reasoningGateway(t, e, tc.script)
			extra := ""
			if tc.stream {
				extra = `,"stream":true`
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(strings.Replace(body, "%s", extra, 1)))
			req.Header.Set("Authorization", "Bearer "+e.bobKey)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, raw)
			}
			if n := fk.ChatRequests(); n != 1 {
				t.Fatalf("%d requests reached the provider, want 1", n)
			}
			var sent map[string]any
			if err := json.Unmarshal(fk.Requests()[0].Body, &sent); err != nil {
				t.Fatal(err)
			}
			if sent["temperature"] != 0.2 || sent["max_completion_tokens"] != 50.0 || sent["max_tokens"] != nil {
				t.Errorf("provider got %s", fk.Requests()[0].Body)
			}
			if tc.msg != "" {
				var ae apiErr
				if err := json.Unmarshal(raw, &ae); err != nil {
					t.Fatalf("error body %s: %v", raw, err)
				}
				if !strings.Contains(ae.Error.Message, tc.msg) || ae.Error.Type != "provider_error" {
					t.Errorf("error %+v, want the provider's %q", ae.Error, tc.msg)
				}
			}
			if got := e.charged(); got != tc.charge {
				t.Errorf("charged %s, want %s", got, tc.charge)
			}
			e.checkLedger()
		})
	}
}
