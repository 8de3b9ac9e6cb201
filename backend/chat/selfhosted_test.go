package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestServerOnTheNetworkTakesNoReasoningSetting: an OpenAI-compatible
// server on the member's own network (Ollama at 192.168.1.20) serving a
// model it named like OpenAI's reasoning models ("o3-mini-local") is,
// as a server on this machine is, one no reasoning setting applies to:
// the picker offers none, a send of the local API's reasoning_effort
// (ExactReasoning) is refused before anything is held or sent, and a chat
// send at High goes out with no reasoning_effort and its Max output as
// max_tokens, the field Ollama reads. Before, it was sent
// reasoning_effort, which such a server refuses, and max_completion_tokens,
// which Ollama ignores, so the answer ran past what was held.
func TestServerOnTheNetworkTakesNoReasoningSetting(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	e.fund("1000")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"o3-mini-local"}, Chunks: []string{"42"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{Catalogue: e.rates, HTTPClient: &http.Client{Transport: tr}})
	p, err := ps.Add(adminCtx, providers.Input{Name: "Ollama box", Kind: providers.KindCompatible, BaseURL: "http://192.168.1.20:11434/v1"})
	if err != nil || p.ModelsError != "" || p.Local || !p.SelfHosted {
		t.Fatalf("add: %+v, %v; want a self-hosted provider that is not on this machine", p, err)
	}
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: append(append([]rates.Row{}, testRates...),
		rates.Row{Provider: rates.Local, Model: "o3-mini-local", Input: "0.001", Output: "0.002"}), Reason: "box"}); err != nil {
		t.Fatal(err)
	}
	svc := chat.New(e.db, e.led, e.rates, nil, chat.NewProviderService(ps), nil, nil)
	opts, err := svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	checkSupport(t, opts, map[string]*chat.ReasoningSupport{"o3-mini-local": nil})

	run := func(exact bool) error {
		_, _, err := svc.Meter().Run(adminCtx, chat.MeterRequest{ID: chat.NewID(), Model: "o3-mini-local", Source: chat.SourceAPI, MaxTokens: 500,
			Messages: []providers.Message{{Role: "user", Content: "Think"}}, Reasoning: providers.ReasoningHigh, ExactReasoning: exact}, nil)
		return err
	}
	const refusal = "invalid chat request: o3-mini-local takes no reasoning level Meterdesk can send (Reasoning high); " +
		"leave the level to the provider (nothing was sent or charged)"
	if err := run(true); !errors.Is(err, chat.ErrInvalid) || err.Error() != refusal {
		t.Fatalf("exact high: %v\nwant %s", err, refusal)
	}
	if n := srv.ChatRequests(); n != 0 || e.charged() != "0" {
		t.Fatalf("%d requests, charged %s after the refusal", n, e.charged())
	}
	if err := run(false); err != nil {
		t.Fatalf("high: %v", err)
	}
	reqs := srv.Requests()
	var sent map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if _, ok := sent["reasoning_effort"]; ok || sent["max_tokens"] != float64(500) || sent["max_completion_tokens"] != nil {
		t.Errorf("sent %s; want max_tokens 500 and no reasoning_effort", reqs[len(reqs)-1].Body)
	}
	if !strings.Contains(string(reqs[len(reqs)-1].Body), `"model":"o3-mini-local"`) {
		t.Errorf("sent %s", reqs[len(reqs)-1].Body)
	}
	e.checkLedger()
}
