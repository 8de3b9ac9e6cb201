package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatTakesTheRateTablesModelName: `chat --model local/m1`, the name
// `rates list`, `rates set local m1` and the Getting started checklist give
// a local server's model, was sent as a model called "local/m1" and
// charged the default rate with a note that it has no rate of its own. It
// now goes to the local server as m1, priced by its row.
func TestChatTakesTheRateTablesModelName(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2},
		Models: []string{"m1"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL())
	d.must("rates", "set", "local", "m1", "--input", "0.001", "--output", "0.002")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	code, out, errs := d.run("--json", "chat", "--model", "local/m1", "--max-tokens", "10", "Hi")
	if code != 0 || strings.Contains(errs, "note:") || strings.Contains(errs, "warning:") {
		t.Fatalf("exit %d, stderr %q; want 0 and no note of a default rate", code, errs)
	}
	var got struct {
		Charge struct {
			Provider string `json:"provider"`
			Model    string `json:"model"`
			Amount   string `json:"amount"`
		} `json:"charge"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if m := got.Charge; m.Provider != "Box" || m.Model != "m1" || m.Amount != "0.014" {
		t.Errorf("sent to %q %q for %s; want Box m1 for 0.014 (10 × 0.001 + 2 × 0.002): %s", m.Provider, m.Model, m.Amount, out)
	}
	var sent struct{ Model string }
	reqs := srv.Requests()
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &sent); err != nil || sent.Model != "m1" {
		t.Errorf("the server was asked for %q (%v), want m1", sent.Model, err)
	}
}

// TestChatSendsAnOrgModelNameWhereItWentBefore: with an OpenAI-compatible
// router (OpenRouter, whose last listing has openai/gpt-4o but not the
// model added since) and an openai provider, `chat --model
// openai/gpt-4o-mini` goes to the router as openai/gpt-4o-mini, as a name
// with a '/' always did: it was split into OpenAI's gpt-4o-mini, the
// prompt sent to another company. --provider openai still splits it.
func TestChatSendsAnOrgModelNameWhereItWentBefore(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	router := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2},
		Models: []string{"openai/gpt-4o"}})
	defer router.Close()
	openai := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2},
		Models: []string{"gpt-4o", "gpt-4o-mini"}})
	defer openai.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "OpenRouter", "--kind", "openai_compatible", "--url", router.BaseURL())
	d.must("providers", "add", "--name", "openai", "--kind", "openai", "--url", openai.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o-mini", "--input", "0.001", "--output", "0.002")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	for _, tc := range []struct {
		args         []string
		srv          *fake.Server
		wantProvider string
		wantModel    string
	}{
		{[]string{"--model", "openai/gpt-4o-mini"}, router, "OpenRouter", "openai/gpt-4o-mini"},
		{[]string{"--provider", "openai", "--model", "openai/gpt-4o-mini"}, openai, "openai", "gpt-4o-mini"},
	} {
		before := len(tc.srv.Requests())
		args := append(append([]string{"--json", "chat"}, tc.args...), "--max-tokens", "10", "Hi")
		code, out, errs := d.run(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", tc.args, code, errs)
		}
		var got struct {
			Charge struct {
				Provider string `json:"provider"`
				Model    string `json:"model"`
			} `json:"charge"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if got.Charge.Provider != tc.wantProvider || got.Charge.Model != tc.wantModel {
			t.Errorf("%v: sent to %q %q, want %s %s", tc.args, got.Charge.Provider, got.Charge.Model, tc.wantProvider, tc.wantModel)
		}
		reqs := tc.srv.Requests()
		var sent struct{ Model string }
		if len(reqs) == before || json.Unmarshal(reqs[len(reqs)-1].Body, &sent) != nil || sent.Model != tc.wantModel {
			t.Errorf("%v: %s's server was asked for %q, want %s", tc.args, tc.wantProvider, sent.Model, tc.wantModel)
		}
	}
}
