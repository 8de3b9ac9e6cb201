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
