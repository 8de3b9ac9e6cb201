package providers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
)

// rawServer answers every chat request (POST) with body, byte for byte, as a
// text/event-stream; the connection is closed after it, so a body without
// the provider's terminator is a cut stream.
func rawServer(t *testing.T, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// rawClient is a client of kind for a rawServer.
func rawClient(t *testing.T, srv *httptest.Server, kind providers.Kind) providers.Client {
	t.Helper()
	base := srv.URL
	if kind == providers.KindOpenAI || kind == providers.KindCompatible {
		base += "/v1"
	}
	c, err := providers.New(providers.Config{Kind: kind, BaseURL: base, APIKey: testKey})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	return c
}

// xaiStream is xAI's (Grok's) chat.completion.chunk stream for a reasoning
// model: reasoning_content deltas, then the reply, then a usage chunk whose
// completion_tokens leave the reasoning out (total_tokens = 12 + 2 + 317).
const xaiStream = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Let me think"},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":331,"prompt_tokens_details":{"text_tokens":12,"audio_tokens":0,"image_tokens":0,"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":317,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"num_sources_used":0}}

data: [DONE]

`

// TestReasoningBesideCompletion: a provider that reports reasoning_tokens
// outside completion_tokens (total_tokens says so) is charged for all its
// reasoning tokens beside the output tokens (xAI: 317 reasoning and 2
// output, not 2 reasoning), also when there are fewer reasoning than
// completion tokens (only total_tokens tells); OpenAI's own convention
// (total = prompt + completion) keeps reasoning inside completion.
func TestReasoningBesideCompletion(t *testing.T) {
	const usageXAI = `"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":331,`
	for _, tc := range []struct {
		name   string
		stream string
		want   metering.Usage
	}{
		{"xai, more reasoning than completion", xaiStream, metering.Usage{Input: 12, Output: 2, Reasoning: 317, Requests: 1}},
		{"beside, less reasoning than completion",
			strings.Replace(xaiStream, usageXAI, `"usage":{"prompt_tokens":12,"completion_tokens":400,"total_tokens":729,`, 1),
			metering.Usage{Input: 12, Output: 400, Reasoning: 317, Requests: 1}},
		{"openai convention, reasoning inside",
			strings.Replace(xaiStream, usageXAI, `"usage":{"prompt_tokens":12,"completion_tokens":400,"total_tokens":412,`, 1),
			metering.Usage{Input: 12, Output: 83, Reasoning: 317, Requests: 1}},
	} {
		for _, kind := range []providers.Kind{providers.KindCompatible, providers.KindOpenAI} {
			t.Run(tc.name+"/"+string(kind), func(t *testing.T) {
				if !strings.Contains(tc.stream, `"reasoning_tokens":317`) {
					t.Fatal("bad test stream")
				}
				res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, tc.stream), kind), request("grok-3-mini"))
				if err != nil {
					t.Fatalf("stream: %v", err)
				}
				if res.Text != "Hi" || res.Usage == nil || *res.Usage != tc.want {
					t.Fatalf("text %q usage %+v, want %+v", res.Text, res.Usage, tc.want)
				}
			})
		}
	}
}
