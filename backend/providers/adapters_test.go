package providers_test

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

const testKey = "sk-test-SECRET-0123456789abcdef"

// flavourCase ties a fake flavour to the provider kind that talks to it and
// the normalised usage docs/architecture.md prescribes for fake.Usage
// {Prompt: 100, Cached: 40, CacheWrite: 25, Completion: 30, Reasoning: 10}.
type flavourCase struct {
	name   string
	flavor fake.Flavor
	kind   providers.Kind
	want   metering.Usage
	model  string
}

var reported = fake.Usage{Prompt: 100, Cached: 40, CacheWrite: 25, Completion: 30, Reasoning: 10}

var flavourCases = []flavourCase{
	// OpenAI: Input = prompt - cached, Output = completion - reasoning.
	{"openai", fake.OpenAI, providers.KindOpenAI, metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, "gpt-4o-mini"},
	// A generic OpenAI-compatible server uses the same wire format.
	{"compatible", fake.OpenAI, providers.KindCompatible, metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, "llama3.2"},
	// DeepSeek: Input = prompt_cache_miss_tokens, CacheRead = prompt_cache_hit_tokens.
	{"deepseek", fake.DeepSeek, providers.KindDeepSeek, metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, "deepseek-chat"},
	// Anthropic: input_tokens excludes both cache counts; output from the cumulative message_delta.
	{"anthropic", fake.Anthropic, providers.KindAnthropic, metering.Usage{Input: 100, CacheRead: 40, CacheWrite: 25, Output: 30, Requests: 1}, "claude-sonnet-4-5"},
	// Gemini: Input = promptTokenCount - cachedContentTokenCount, thoughts beside candidates.
	{"gemini", fake.Gemini, providers.KindGemini, metering.Usage{Input: 60, CacheRead: 40, Output: 30, Reasoning: 10, Requests: 1}, "gemini-2.5-flash"},
}

func newClient(t *testing.T, srv *fake.Server, kind providers.Kind, idle time.Duration) providers.Client {
	t.Helper()
	c, err := providers.New(providers.Config{Kind: kind, BaseURL: srv.BaseURL(), APIKey: testKey, IdleTimeout: idle})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

func request(model string) providers.Request {
	return providers.Request{Model: model, Messages: []providers.Message{
		{Role: "system", Content: "Be brief."},
		{Role: "user", Content: "Say hello"},
	}}
}

// collect streams req and returns the result, the error and the deltas seen.
func collect(ctx context.Context, c providers.Client, req providers.Request) (providers.Result, error, []string) {
	var deltas []string
	res, err := c.Stream(ctx, req, func(s string) error {
		deltas = append(deltas, s)
		return nil
	})
	return res, err, deltas
}

func TestStreamTextAndUsage(t *testing.T) {
	chunks := []string{"Hel", "lo, ", "wörld ", "\"quoted\" <tag> & \\ \n", "😀"}
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: chunks, Usage: reported})
			defer srv.Close()
			srv.RequireKey(testKey)
			res, err, deltas := collect(context.Background(), newClient(t, srv, tc.kind, 0), request(tc.model))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			if want := strings.Join(chunks, ""); res.Text != want {
				t.Errorf("text = %q, want %q", res.Text, want)
			}
			if strings.Join(deltas, "") != res.Text {
				t.Errorf("deltas %q do not add up to the text", deltas)
			}
			if res.Usage == nil {
				t.Fatal("usage is nil")
			}
			if *res.Usage != tc.want {
				t.Errorf("usage = %+v, want %+v", *res.Usage, tc.want)
			}
			if res.FinishReason != "stop" {
				t.Errorf("finish = %q, want stop", res.FinishReason)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			body := string(reqs[0].Body)
			if tc.flavor == fake.OpenAI || tc.flavor == fake.DeepSeek {
				if !strings.Contains(body, `"stream_options":{"include_usage":true}`) {
					t.Errorf("request does not ask for usage: %s", body)
				}
			}
			if tc.flavor == fake.Gemini && reqs[0].RawQuery != "alt=sse" {
				t.Errorf("gemini query = %q, want alt=sse", reqs[0].RawQuery)
			}
			if !strings.Contains(body, "Be brief.") || !strings.Contains(body, "Say hello") {
				t.Errorf("messages missing from request: %s", body)
			}
		})
	}
}

func TestStreamFaults(t *testing.T) {
	chunks := []string{"first ", "second ", "third"}
	type fault struct {
		name     string
		script   fake.Script
		idle     time.Duration
		wantErr  error // sentinel, or nil when wantAPI is set
		wantAPI  int   // expected APIError status (0 = not an APIError)
		wantText string
		wantNoUs bool
	}
	faults := []fault{
		{name: "dropped", script: fake.Script{Fault: fake.Drop, FailAfter: 1}, wantErr: providers.ErrInterrupted, wantText: "first ", wantNoUs: true},
		{name: "hung up before answering", script: fake.Script{Fault: fake.HangUp}, wantErr: providers.ErrInterrupted, wantNoUs: true},
		{name: "malformed", script: fake.Script{Fault: fake.Malformed, FailAfter: 2}, wantErr: providers.ErrMalformed, wantText: "first second ", wantNoUs: true},
		// The idle timer runs from the request: 1 s, not 300 ms, so that a first
		// chunk a loaded machine delays is not taken for the hang (flake hunt).
		{name: "hang", script: fake.Script{Fault: fake.Hang, FailAfter: 1}, idle: time.Second, wantErr: providers.ErrTimeout, wantText: "first ", wantNoUs: true},
		{name: "hang before first token", script: fake.Script{Fault: fake.Hang}, idle: 300 * time.Millisecond, wantErr: providers.ErrTimeout, wantNoUs: true},
		{name: "500", script: fake.Script{Fault: fake.ServerError}, wantAPI: 500, wantNoUs: true},
		{name: "stream error event", script: fake.Script{Fault: fake.StreamError, FailAfter: 1}, wantAPI: -1, wantText: "first ", wantNoUs: true},
		{name: "no usage", script: fake.Script{Fault: fake.NoUsage}, wantText: "first second third", wantNoUs: true},
		// Usage so far on every chunk (vLLM's continuous_usage_stats; the
		// OpenAI flavour): a cut-off stream's partial counts are dropped,
		// a finished one's final usage counts.
		{name: "dropped after running usage", script: fake.Script{RunningUsage: true, Fault: fake.Drop, FailAfter: 2}, wantErr: providers.ErrInterrupted, wantText: "first second ", wantNoUs: true},
		{name: "running usage", script: fake.Script{RunningUsage: true}, wantText: "first second third"},
		{name: "slow first token", script: fake.Script{FirstDelay: 300 * time.Millisecond}, idle: 10 * time.Second, wantText: "first second third"},
	}
	for _, tc := range flavourCases {
		for _, f := range faults {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				sc := f.script
				sc.Chunks, sc.Usage = chunks, reported
				srv := fake.New(tc.flavor, sc)
				defer srv.Close()
				res, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, f.idle), request(tc.model))
				if res.Text != f.wantText {
					t.Errorf("text = %q, want %q", res.Text, f.wantText)
				}
				if f.wantNoUs && res.Usage != nil {
					t.Errorf("usage = %+v, want nil", *res.Usage)
				}
				if !f.wantNoUs && (res.Usage == nil || *res.Usage != tc.want) {
					t.Errorf("usage = %v, want %+v", res.Usage, tc.want)
				}
				switch {
				case f.wantAPI != 0:
					var ae *providers.APIError
					if !errors.As(err, &ae) {
						t.Fatalf("err = %v, want *APIError", err)
					}
					if f.wantAPI > 0 && ae.Status != f.wantAPI {
						t.Errorf("status = %d, want %d", ae.Status, f.wantAPI)
					}
					if ae.Status < 400 || ae.Message == "" {
						t.Errorf("api error lacks status or message: %+v", ae)
					}
				case f.wantErr != nil:
					if !errors.Is(err, f.wantErr) {
						t.Fatalf("err = %v, want %v", err, f.wantErr)
					}
				default:
					if err != nil {
						t.Fatalf("err = %v, want none", err)
					}
				}
			})
		}
	}
}

// TestAnErrorStatusReadsTheSameFromEveryProvider: an error status in
// answer to a chat is the chat's ("chat: provider error 500 …"), whichever
// provider's SDK reports it: OpenAI's did when the request was made,
// Anthropic's and Gemini's on the stream's first read, which read "chat
// stream: provider error 500 …" for the same fault. An error event inside
// a stream that began is the stream's.
func TestAnErrorStatusReadsTheSameFromEveryProvider(t *testing.T) {
	for _, tc := range flavourCases {
		for _, f := range []struct {
			name   string
			script fake.Script
			step   string
		}{
			{"500", fake.Script{Fault: fake.ServerError}, "chat: "},
			{"429", fake.Script{Fault: fake.RateLimited, RetryAfter: "7"}, "chat: "},
			{"error event in the stream", fake.Script{Fault: fake.StreamError, FailAfter: 1}, "chat stream: "},
		} {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				sc := f.script
				sc.Chunks, sc.Usage = []string{"first ", "second"}, reported
				srv := fake.New(tc.flavor, sc)
				defer srv.Close()
				_, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), request(tc.model))
				var ae *providers.APIError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v, want *APIError", err)
				}
				if want := f.step + ae.Error(); err.Error() != want {
					t.Errorf("err = %q, want %q", err, want)
				}
			})
		}
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Fault: fake.RateLimited, RetryAfter: "13"})
			defer srv.Close()
			res, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), request(tc.model))
			var ae *providers.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.Status != 429 || ae.RetryAfter != 13*time.Second {
				t.Errorf("got status %d retry %s, want 429 / 13s", ae.Status, ae.RetryAfter)
			}
			if res.Text != "" || res.Usage != nil {
				t.Errorf("result = %+v, want empty", res)
			}
			if len(srv.Requests()) != 1 {
				t.Errorf("%d requests: the adapter must not retry on its own", len(srv.Requests()))
			}
		})
	}
}

func TestUnauthorizedErrorHidesKey(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Fault: fake.Unauthorized})
			defer srv.Close()
			c := newClient(t, srv, tc.kind, 0)
			_, err, _ := collect(context.Background(), c, request(tc.model))
			var ae *providers.APIError
			if !errors.As(err, &ae) || ae.Status != 401 {
				t.Fatalf("err = %v, want 401 APIError", err)
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(ae.Message, testKey) {
				t.Errorf("error leaks the key: %v", err)
			}
			if !strings.Contains(err.Error(), "[redacted]") {
				t.Errorf("error %q: the echoed key should show as [redacted]", err)
			}
			terr := c.Test(context.Background())
			if terr == nil || strings.Contains(terr.Error(), testKey) {
				t.Errorf("test error = %v: want an error without the key", terr)
			}
		})
	}
}

// keyRun returns a run of 8 or more characters of key that msg contains
// (compared case-insensitively), or "".
func keyRun(msg, key string) string {
	msg, key = strings.ToLower(msg), strings.ToLower(key)
	for i := 0; i+8 <= len(key); i++ {
		if strings.Contains(msg, key[i:i+8]) {
			return key[i : i+8]
		}
	}
	return ""
}

// TestErrorsHideKeyParts: a provider that echoes the key cut short, masked
// at one end or lower-cased leaks none of it through any kind's errors
// (the chat stream, the model list, the connection test).
func TestErrorsHideKeyParts(t *testing.T) {
	echoes := []struct {
		name string
		echo func(string) string
	}{
		{"last character cut", func(k string) string { return k[:len(k)-1] }},
		{"first characters cut", func(k string) string { return k[5:] }},
		{"masked at the start", func(k string) string { return strings.Repeat("*", 12) + k[12:] }},
		{"masked at the end", func(k string) string { return k[:len(k)-8] + strings.Repeat("*", 8) }},
		{"lower-cased", strings.ToLower},
		{"upper-cased, cut", func(k string) string { return strings.ToUpper(k[:len(k)-3]) }},
	}
	for _, tc := range flavourCases {
		for _, e := range echoes {
			t.Run(tc.name+"/"+e.name, func(t *testing.T) {
				srv := fake.New(tc.flavor, fake.Script{Fault: fake.Unauthorized, EchoKey: e.echo})
				defer srv.Close()
				c := newClient(t, srv, tc.kind, 0)
				_, serr, _ := collect(context.Background(), c, request(tc.model))
				_, merr := c.Models(context.Background())
				terr := c.Test(context.Background())
				for step, err := range map[string]error{"stream": serr, "models": merr, "test": terr} {
					var ae *providers.APIError
					if !errors.As(err, &ae) || ae.Status != 401 {
						t.Fatalf("%s: err = %v, want a 401 APIError", step, err)
					}
					if run := keyRun(err.Error(), testKey); run != "" {
						t.Errorf("%s: error shows %q of the key: %v", step, run, err)
					}
					if !strings.Contains(err.Error(), "Incorrect API key provided: [redacted]. You can find") {
						t.Errorf("%s: error %q: want the echo shown as [redacted], the rest kept", step, err)
					}
				}
			})
		}
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			// The server hangs after the first chunk and the idle timeout is
			// long: only the cancel can end the call.
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"one ", "two"}, Fault: fake.Hang, FailAfter: 1})
			defer srv.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := newClient(t, srv, tc.kind, time.Hour)
			res, err := c.Stream(ctx, request(tc.model), func(string) error { cancel(); return nil })
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if res.Text != "one " {
				t.Errorf("text = %q, want the delivered part", res.Text)
			}
		})
	}
}

func TestOnDeltaErrorStops(t *testing.T) {
	stop := errors.New("client went away")
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"a", "b", "c"}, Usage: reported})
			defer srv.Close()
			n := 0
			res, err := newClient(t, srv, tc.kind, 0).Stream(context.Background(), request(tc.model), func(string) error {
				n++
				if n == 2 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || res.Text != "ab" {
				t.Errorf("got %q, %v; want \"ab\", %v", res.Text, err, stop)
			}
		})
	}
}

func TestModels(t *testing.T) {
	for _, tc := range flavourCases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Models: []string{"m-b", "m-a"}})
			defer srv.Close()
			c := newClient(t, srv, tc.kind, 0)
			got, err := c.Models(context.Background())
			if err != nil {
				t.Fatalf("models: %v", err)
			}
			if strings.Join(got, ",") != "m-a,m-b" {
				t.Errorf("models = %v, want [m-a m-b] (sorted, chat models only)", got)
			}
			if err := c.Test(context.Background()); err != nil {
				t.Errorf("test: %v", err)
			}
		})
	}
}

// TestSamplingOnTheWire: temperature, top_p and stop reach each provider
// under its own documented names, and a zero temperature is sent rather
// than dropped; without them the request names none.
func TestSamplingOnTheWire(t *testing.T) {
	zero, half := 0.0, 0.5
	for _, tc := range []struct {
		flavor fake.Flavor
		kind   providers.Kind
		model  string
		want   []string // in the body
	}{
		// A zero temperature is sent as 0 (not dropped, nor 1e-45).
		{fake.OpenAI, providers.KindOpenAI, "gpt-4o", []string{`"temperature":0,`, `"top_p":0.5`, `"stop":["END","\n\n"]`,
			`"seed":-7`, `"presence_penalty":1.5`, `"frequency_penalty":-0.5`}},
		{fake.DeepSeek, providers.KindDeepSeek, "deepseek-chat", []string{`"temperature":0,`, `"top_p":0.5`, `"stop":["END","\n\n"]`,
			`"seed":-7`, `"presence_penalty":1.5`, `"frequency_penalty":-0.5`}},
		// Anthropic's Messages API has no seed or penalties: not sent.
		{fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", []string{`"temperature":0`, `"top_p":0.5`, `"stop_sequences":["END","\n\n"]`}},
		{fake.Gemini, providers.KindGemini, "gemini-2.5-flash", []string{`"temperature":0`, `"topP":0.5`, `"stopSequences":["END","\n\n"]`,
			`"seed":-7`, `"presencePenalty":1.5`, `"frequencyPenalty":-0.5`}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			c := newClient(t, srv, tc.kind, 0)
			req := request(tc.model)
			if _, err, _ := collect(context.Background(), c, req); err != nil {
				t.Fatal(err)
			}
			seed := int64(-7)
			req.Sampling = providers.Sampling{Temperature: &zero, TopP: &half, Stop: []string{"END", "\n\n"},
				Seed: &seed, PresencePenalty: ptr(1.5), FrequencyPenalty: ptr(-0.5)}
			if _, err, _ := collect(context.Background(), c, req); err != nil {
				t.Fatal(err)
			}
			reqs := srv.Requests()
			plain, sampled := string(reqs[0].Body), string(reqs[1].Body)
			for _, w := range tc.want {
				if !strings.Contains(sampled, w) {
					t.Errorf("body lacks %s: %s", w, sampled)
				}
			}
			for _, name := range []string{"temperature", "top_p", "topP", "stop", "seed", "presence", "frequency"} {
				if strings.Contains(plain, `"`+name) {
					t.Errorf("request without sampling names %s: %s", name, plain)
				}
			}
			if tc.kind == providers.KindAnthropic {
				for _, name := range []string{"seed", "penalty"} {
					if strings.Contains(sampled, name) {
						t.Errorf("Anthropic request names %s: %s", name, sampled)
					}
				}
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	srv := fake.NewOpenAI(fake.Script{})
	defer srv.Close()
	c := newClient(t, srv, providers.KindOpenAI, 0)
	for name, req := range map[string]providers.Request{
		"no model":    {Messages: []providers.Message{{Role: "user", Content: "hi"}}},
		"no messages": {Model: "gpt-4o"},
		"bad role":    {Model: "gpt-4o", Messages: []providers.Message{{Role: "tool", Content: "hi"}}},
		"negative":    {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, MaxTokens: -1},
		"temperature": {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{Temperature: ptr(2.5)}},
		"cold":        {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{Temperature: ptr(-0.1)}},
		"top_p":       {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{TopP: ptr(1.01)}},
		"stop count":  {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{Stop: []string{"a", "b", "c", "d", "e"}}},
		"empty stop":  {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{Stop: []string{""}}},
		"presence":    {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{PresencePenalty: ptr(2.01)}},
		"frequency":   {Model: "gpt-4o", Messages: []providers.Message{{Role: "user", Content: "hi"}}, Sampling: providers.Sampling{FrequencyPenalty: ptr(math.Inf(-1))}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Stream(context.Background(), req, func(string) error { return nil }); !errors.Is(err, providers.ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := map[string]struct {
		cfg  providers.Config
		want error
	}{
		"unknown kind":   {providers.Config{Kind: "azure", APIKey: "k"}, providers.ErrUnknownKind},
		"ftp url":        {providers.Config{Kind: providers.KindOpenAI, BaseURL: "ftp://x", APIKey: "k"}, providers.ErrBadURL},
		"no host":        {providers.Config{Kind: providers.KindOpenAI, BaseURL: "http://", APIKey: "k"}, providers.ErrBadURL},
		"credentials":    {providers.Config{Kind: providers.KindCompatible, BaseURL: "http://u:p@localhost:1/v1"}, providers.ErrBadURL},
		"generic no url": {providers.Config{Kind: providers.KindCompatible}, providers.ErrBadURL},
		"missing key":    {providers.Config{Kind: providers.KindAnthropic}, providers.ErrNoKey},
		"gemini no key":  {providers.Config{Kind: providers.KindGemini}, providers.ErrNoKey},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := providers.New(tc.cfg); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestOffline(t *testing.T) {
	// A port nothing listens on: connection refused on localhost.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dnsFail := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.openai.com", IsNotFound: true}}
	}}}
	unreachable := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", "127.0.0.1:1") // refused: stands in for "no route"
	}}}
	for _, tc := range flavourCases {
		for name, cfg := range map[string]providers.Config{
			"local refused": {BaseURL: "http://" + addr + "/v1"},
			"dns failure":   {BaseURL: "https://api.example.com/v1", HTTPClient: dnsFail},
			"no route":      {BaseURL: "https://api.example.com/v1", HTTPClient: unreachable},
		} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				cfg.Kind, cfg.APIKey = tc.kind, testKey
				c, err := providers.New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				res, err, _ := collect(context.Background(), c, request(tc.model))
				if !errors.Is(err, providers.ErrOffline) {
					t.Fatalf("stream err = %v, want ErrOffline", err)
				}
				if res.Text != "" || res.Usage != nil {
					t.Errorf("result = %+v, want empty", res)
				}
				if _, err := c.Models(context.Background()); !errors.Is(err, providers.ErrOffline) {
					t.Errorf("models err = %v, want ErrOffline", err)
				}
				if strings.Contains(err.Error(), testKey) {
					t.Errorf("error leaks key: %v", err)
				}
			})
		}
	}
}

func TestKeylessLocalServerSendsNoAuthorization(t *testing.T) {
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"hi"}})
	defer srv.Close()
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.BaseURL()})
	if err != nil {
		t.Fatal(err)
	}
	if !providers.IsLocal(srv.BaseURL()) {
		t.Errorf("IsLocal(%s) = false", srv.BaseURL())
	}
	if res, err, _ := collect(context.Background(), c, request("llama3.2")); err != nil || res.Text != "hi" {
		t.Fatalf("stream: %q, %v", res.Text, err)
	}
	if h := srv.Requests()[0].Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization = %q, want none", h)
	}
}

func ptr(v float64) *float64 { return &v }

// TestGeminiSeedRange: Gemini takes a 32-bit seed; a larger one is refused
// before anything is sent (OpenAI-compatible providers take 64 bits).
func TestGeminiSeedRange(t *testing.T) {
	srv := fake.New(fake.Gemini, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
	defer srv.Close()
	c := newClient(t, srv, providers.KindGemini, 0)
	for _, seed := range []int64{math.MaxInt32 + 1, math.MinInt32 - 1} {
		req := request("gemini-2.5-flash")
		req.Sampling.Seed = &seed
		if _, err := c.Stream(context.Background(), req, func(string) error { return nil }); !errors.Is(err, providers.ErrBadRequest) {
			t.Errorf("seed %d: %v, want ErrBadRequest", seed, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for a refused seed", n)
	}
	seed := int64(math.MaxInt32)
	req := request("gemini-2.5-flash")
	req.Sampling.Seed = &seed
	if _, err, _ := collect(context.Background(), c, req); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
}
