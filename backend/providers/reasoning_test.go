package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// remoteClient is a client of kind whose base URL names a server that is
// not on this machine (https://llm.example.test) while its connections go
// to srv, started with fake.NewTLS (a cloud kind is refused http:// for a
// remote host): what Meterdesk sends a remote LiteLLM, Azure or
// OpenRouter. httptest's certificate names example.com, which the
// handshake checks instead.
func remoteClient(t *testing.T, srv *fake.Server, kind providers.Kind) providers.Client {
	t.Helper()
	return clientAt(t, srv, kind, "https://llm.example.test")
}

// clientAt is a client of kind whose base URL is origin (scheme and host,
// the fake's path kept) while its connections go to srv: an https origin
// needs srv started with fake.NewTLS, whose certificate (example.com) the
// handshake checks instead; an http one, fake.New.
func clientAt(t *testing.T, srv *fake.Server, kind providers.Kind, origin string) providers.Client {
	t.Helper()
	addr := srv.Listener.Addr().String()
	var tr *http.Transport
	if strings.HasPrefix(origin, "https://") {
		tr = srv.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.ServerName = "example.com"
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil
	}
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	base := strings.Replace(srv.BaseURL(), srv.URL, origin, 1)
	c, err := providers.New(providers.Config{Kind: kind, BaseURL: base, APIKey: testKey, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestChatRequestBody: the exact body sent for OpenAI's reasoning models
// (o1…, o3…, o4…, gpt-5…) and others, on each OpenAI-style kind. The
// output budget goes as max_completion_tokens for OpenAI, and for a
// reasoning-named model on an Azure OpenAI host (which refuses max_tokens
// for them), else as max_tokens: DeepSeek, and every other compatible
// server, on this machine, on the member's own network or remote (Ollama,
// LM Studio and llama.cpp read only max_tokens, so an answer sent
// max_completion_tokens ran past what was held; a remote LiteLLM maps
// max_tokens itself). reasoning_effort goes to a reasoning-named model on
// OpenAI, Azure or a remote compatible server, never to a server on this
// machine or the member's own network, whatever its model is called.
// temperature, top_p and penalties go out as set, 0 as 0, whatever the
// model (the provider says what it takes). go-openai refused most of these
// before sending, and sent a zero temperature as 1e-45.
func TestChatRequestBody(t *testing.T) {
	const msgs = `"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}],` +
		`"stream":true,"stream_options":{"include_usage":true}`
	zero, low, half := 0.0, 0.2, 0.5
	seed := int64(3)
	const (
		here   = ""                                            // the fake's own address (127.0.0.1)
		remote = "https://llm.example.test"                    // a LiteLLM, a vLLM or a router on the internet
		azure  = "https://contoso.openai.azure.com"            // Azure OpenAI
		foundy = "https://contoso.services.ai.azure.com"       // Azure AI Foundry's OpenAI endpoint
		lan    = "http://192.168.1.20:11434"                   // Ollama on another machine of the network
		box    = "http://gpu-box:1234"                         // LM Studio by a name without a dot
		mdns   = "http://studio.local:8080"                    // llama.cpp by its mDNS name
		cgnat  = "http://100.101.102.103:11434"                // Ollama over Tailscale
		cogsvc = "https://contoso.cognitiveservices.azure.com" // Azure OpenAI, its other host name
	)
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		origin    string // where the base URL points ("" = the fake's own)
		model     string
		reasoning providers.Reasoning
		s         providers.Sampling
		want      string // the whole body
	}{
		{"openai gpt-5.1 with a temperature", fake.OpenAI, providers.KindOpenAI, remote, "gpt-5.1", "",
			providers.Sampling{Temperature: &low},
			`{"model":"gpt-5.1",` + msgs + `,"max_completion_tokens":1000,"temperature":0.2}`},
		{"openai gpt-4o at temperature 0", fake.OpenAI, providers.KindOpenAI, remote, "gpt-4o", "",
			providers.Sampling{Temperature: &zero, TopP: &half},
			`{"model":"gpt-4o",` + msgs + `,"max_completion_tokens":1000,"temperature":0,"top_p":0.5}`},
		{"openai o3 at temperature 0", fake.OpenAI, providers.KindOpenAI, remote, "o3", "",
			providers.Sampling{Temperature: &zero},
			`{"model":"o3",` + msgs + `,"max_completion_tokens":1000,"temperature":0}`},
		{"remote gateway to openai, o3-mini high: max_completion_tokens, and the effort", fake.OpenAI, providers.KindCompatible, remote, "o3-mini", providers.ReasoningHigh,
			providers.Sampling{},
			`{"model":"o3-mini",` + msgs + `,"max_completion_tokens":1000,"reasoning_effort":"high"}`},
		{"azure gpt-5 deployment at temperature 0", fake.OpenAI, providers.KindCompatible, azure, "gpt-5", "",
			providers.Sampling{Temperature: &zero, TopP: &half},
			`{"model":"gpt-5",` + msgs + `,"max_completion_tokens":1000,"temperature":0,"top_p":0.5}`},
		{"azure o4-mini high on its other host name", fake.OpenAI, providers.KindCompatible, cogsvc, "o4-mini", providers.ReasoningHigh,
			providers.Sampling{},
			`{"model":"o4-mini",` + msgs + `,"max_completion_tokens":1000,"reasoning_effort":"high"}`},
		{"azure ai foundry gpt-5.1", fake.OpenAI, providers.KindCompatible, foundy, "gpt-5.1", "",
			providers.Sampling{},
			`{"model":"gpt-5.1",` + msgs + `,"max_completion_tokens":1000}`},
		{"azure gpt-4o keeps max_tokens", fake.OpenAI, providers.KindCompatible, azure, "gpt-4o", "",
			providers.Sampling{},
			`{"model":"gpt-4o",` + msgs + `,"max_tokens":1000}`},
		{"remote compatible gpt-5-chat-latest with penalties: a reasoning name, max_completion_tokens", fake.OpenAI, providers.KindCompatible, remote, "gpt-5-chat-latest", "",
			providers.Sampling{Temperature: &half, PresencePenalty: &half, FrequencyPenalty: &low, Seed: &seed, Stop: []string{"END"}},
			`{"model":"gpt-5-chat-latest",` + msgs + `,"max_completion_tokens":1000,"temperature":0.5,"stop":["END"],"seed":3,"presence_penalty":0.5,"frequency_penalty":0.2}`},
		{"remote compatible o4-mini, upper case: max_completion_tokens", fake.OpenAI, providers.KindCompatible, remote, "O4-Mini", "",
			providers.Sampling{},
			`{"model":"O4-Mini",` + msgs + `,"max_completion_tokens":1000}`},
		{"compatible llama at temperature 0", fake.OpenAI, providers.KindCompatible, remote, "llama3.2", "",
			providers.Sampling{Temperature: &zero},
			`{"model":"llama3.2",` + msgs + `,"max_tokens":1000,"temperature":0}`},
		{"openrouter openai/o3 keeps max_tokens", fake.OpenAI, providers.KindCompatible, remote, "openai/o3", "",
			providers.Sampling{Temperature: &zero},
			`{"model":"openai/o3",` + msgs + `,"max_tokens":1000,"temperature":0}`},
		{"gpt-4o and gpt-oss are not reasoning names", fake.OpenAI, providers.KindCompatible, remote, "gpt-oss-20b", "",
			providers.Sampling{Temperature: &zero},
			`{"model":"gpt-oss-20b",` + msgs + `,"max_tokens":1000,"temperature":0}`},
		{"local server named o3 high: max_tokens, no effort", fake.OpenAI, providers.KindCompatible, here, "o3", providers.ReasoningHigh,
			providers.Sampling{Temperature: &low},
			`{"model":"o3",` + msgs + `,"max_tokens":1000,"temperature":0.2}`},
		{"ollama on the network, o3-mini-local high: max_tokens, no effort", fake.OpenAI, providers.KindCompatible, lan, "o3-mini-local", providers.ReasoningHigh,
			providers.Sampling{},
			`{"model":"o3-mini-local",` + msgs + `,"max_tokens":1000}`},
		{"lm studio by a bare name, gpt-5-distill off", fake.OpenAI, providers.KindCompatible, box, "gpt-5-distill", providers.ReasoningOff,
			providers.Sampling{},
			`{"model":"gpt-5-distill",` + msgs + `,"max_tokens":1000}`},
		{"llama.cpp on .local, o1 low", fake.OpenAI, providers.KindCompatible, mdns, "o1", providers.ReasoningLow,
			providers.Sampling{},
			`{"model":"o1",` + msgs + `,"max_tokens":1000}`},
		{"ollama over tailscale, gpt-5.1 medium", fake.OpenAI, providers.KindCompatible, cgnat, "gpt-5.1", providers.ReasoningMedium,
			providers.Sampling{},
			`{"model":"gpt-5.1",` + msgs + `,"max_tokens":1000}`},
		{"deepseek-reasoner keeps max_tokens", fake.DeepSeek, providers.KindDeepSeek, remote, "deepseek-reasoner", "",
			providers.Sampling{Temperature: &zero},
			`{"model":"deepseek-reasoner",` + msgs + `,"max_tokens":1000,"temperature":0}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := fake.New
			if strings.HasPrefix(tc.origin, "https://") {
				start = fake.NewTLS
			}
			srv := start(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			c := newClient(t, srv, tc.kind, 0)
			if tc.origin != here {
				c = clientAt(t, srv, tc.kind, tc.origin)
			}
			req := request(tc.model)
			req.MaxTokens, req.Sampling, req.Reasoning = 1000, tc.s, tc.reasoning
			if _, err, _ := collect(context.Background(), c, req); err != nil {
				t.Fatalf("stream: %v (%d requests reached the server)", err, srv.ChatRequests())
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			var got, want map[string]any
			if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatalf("bad test body: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("body\n%s\nwant\n%s", reqs[0].Body, tc.want)
			}
			if h := reqs[0].Header; h.Get("Authorization") != "Bearer "+testKey || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("headers %v", h)
			}
		})
	}
}

// TestProviderRefusalComesBack: a parameter the model does not take is
// the provider's to refuse. The request goes out (one request) and its 400
// comes back as an *APIError with the provider's own words, not as an
// error made up before sending.
func TestProviderRefusalComesBack(t *testing.T) {
	low := 0.2
	for _, tc := range []struct {
		name, model, param string
		kind               providers.Kind
		s                  providers.Sampling
		msg                string
	}{
		{"gpt-5 temperature", "gpt-5", "temperature", providers.KindOpenAI, providers.Sampling{Temperature: &low},
			"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported."},
		{"o3-mini top_p on a compatible server", "o3-mini", "top_p", providers.KindCompatible, providers.Sampling{TopP: &low},
			"Unsupported value: 'top_p' does not support 0.2 with this model. Only the default (1) value is supported."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewTLS(fake.OpenAI, fake.Script{Fault: fake.BadRequest, BadParam: tc.param})
			defer srv.Close()
			req := request(tc.model)
			req.MaxTokens, req.Sampling = 500, tc.s
			res, err, _ := collect(context.Background(), remoteClient(t, srv, tc.kind), req)
			var ae *providers.APIError
			if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || ae.Message != tc.msg {
				t.Fatalf("err = %v, want the provider's 400 %q", err, tc.msg)
			}
			if errors.Is(err, providers.ErrBadRequest) || res.Usage != nil || res.Text != "" {
				t.Errorf("err %v, result %+v", err, res)
			}
			if n := srv.ChatRequests(); n != 1 {
				t.Errorf("%d requests reached the provider, want 1", n)
			}
		})
	}
}
