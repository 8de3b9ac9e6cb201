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
// server on this computer whose models are unknown (it reported none: an
// Ollama not running, offline) and an openai provider, `chat --model
// openai/gpt-4o-mini` is refused (exit 2, nothing sent to either) naming
// both ways to say which: it went to the server as openai/gpt-4o-mini with
// a warning, where the user meant OpenAI's model; split, the prompt would
// go to another company than a server that may serve the name. A remote
// router (OpenRouter) still gets the name whole (chat's
// TestRateRowModelNameOfACloudKey). With an Ollama
// on this computer that lists llama3.2 instead, the name goes to openai as
// gpt-4o-mini at its rate, as before there was any such server: it went to
// the Ollama as "openai/gpt-4o-mini" at the default rate (12 credits, not
// 0.014). --provider openai always splits it.
func TestChatSendsAnOrgModelNameWhereItWentBefore(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	for _, v := range []struct {
		name       string
		models     []string // what the compatible server lists
		wantServer bool     // the name is refused without --provider; --provider Server sends it whole
	}{
		{"server on this computer whose models are unknown", []string{}, true},
		{"local Ollama listing llama3.2", []string{"llama3.2"}, false},
	} {
		t.Run(v.name, func(t *testing.T) {
			server := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2},
				Models: v.models})
			defer server.Close()
			openai := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 2},
				Models: []string{"gpt-4o", "gpt-4o-mini"}})
			defer openai.Close()
			d := newDataDir(t, "sk-test-0123456789\n")
			d.must("providers", "add", "--name", "Server", "--kind", "openai_compatible", "--url", server.BaseURL())
			d.must("providers", "add", "--name", "openai", "--kind", "openai", "--url", openai.BaseURL(), "--key-stdin")
			d.must("rates", "set", "openai", "gpt-4o-mini", "--input", "0.001", "--output", "0.002")
			d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

			srv, provider, model, amount := server, "Server", "openai/gpt-4o-mini", "" // the default rate
			if !v.wantServer {
				srv, provider, model, amount = openai, "openai", "gpt-4o-mini", "0.014"
			}
			for _, tc := range []struct {
				args         []string
				srv          *fake.Server
				wantProvider string
				wantModel    string
				wantAmount   string
			}{
				{[]string{"--model", "openai/gpt-4o-mini"}, srv, provider, model, amount},
				{[]string{"--provider", "openai", "--model", "openai/gpt-4o-mini"}, openai, "openai", "gpt-4o-mini", "0.014"},
				{[]string{"--provider", "Server", "--model", "openai/gpt-4o-mini"}, server, "Server", "openai/gpt-4o-mini", ""},
			} {
				before := len(tc.srv.Requests())
				args := append(append([]string{"--json", "chat"}, tc.args...), "--max-tokens", "10", "Hi")
				if v.wantServer && len(tc.args) == 2 {
					sentBefore := server.ChatRequests() + openai.ChatRequests()
					code, _, errs := d.run(args...)
					want := `"openai/gpt-4o-mini" may be openai's gpt-4o-mini or a model of Server (on this computer, its models not known yet) named "openai/gpt-4o-mini": ask for "gpt-4o-mini" for openai's, or on the command line add --provider openai for openai's or --provider Server for the name as it is`
					if code != ExitUsage || !strings.Contains(errs, want) || server.ChatRequests()+openai.ChatRequests() != sentBefore {
						t.Errorf("%v: exit %d, stderr %q; want 2 and %s, nothing sent", tc.args, code, errs, want)
					}
					continue
				}
				code, out, errs := d.run(args...)
				if code != 0 {
					t.Fatalf("%v: exit %d, stderr %q", tc.args, code, errs)
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
				if got.Charge.Provider != tc.wantProvider || got.Charge.Model != tc.wantModel {
					t.Errorf("%v: sent to %q %q, want %s %s", tc.args, got.Charge.Provider, got.Charge.Model, tc.wantProvider, tc.wantModel)
				}
				if tc.wantAmount != "" && got.Charge.Amount != tc.wantAmount {
					t.Errorf("%v: charged %s, want %s (10 × 0.001 + 2 × 0.002)", tc.args, got.Charge.Amount, tc.wantAmount)
				}
				reqs := tc.srv.Requests()
				var sent struct{ Model string }
				if len(reqs) == before || json.Unmarshal(reqs[len(reqs)-1].Body, &sent) != nil || sent.Model != tc.wantModel {
					t.Errorf("%v: %s's server was asked for %q, want %s", tc.args, tc.wantProvider, sent.Model, tc.wantModel)
				}
			}
		})
	}
}
