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

// anthropicStart is an Anthropic stream up to the reply's end: message_start
// reports 30 input, 20 cache-read and 7 cache-write tokens (and a
// provisional output count), a thinking block, then the text "Hello".
const anthropicStart = `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m1","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":30,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

`

// anthropicEnd ends a stream after a message_delta with usage u.
func anthropicEnd(u string) string {
	return `event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":` + u + `}

event: message_stop
data: {"type":"message_stop"}

`
}

// TestAnthropicDeltaNeverLowersCounts: message_delta's counts are
// cumulative, so a server that sends "input_tokens":0 there (SGLang, some
// gateways) does not erase message_start's input and cache counts; a delta
// that repeats them, or gives only output_tokens, changes nothing either.
func TestAnthropicDeltaNeverLowersCounts(t *testing.T) {
	want := metering.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 45, Requests: 1}
	for _, tc := range []struct{ name, usage string }{
		{"input_tokens 0 in message_delta", `{"input_tokens":0,"output_tokens":45}`},
		{"all zero but output", `{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":45}`},
		{"only output_tokens (Anthropic)", `{"output_tokens":45}`},
		{"every count repeated (Anthropic)", `{"input_tokens":30,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"output_tokens":45,"server_tool_use":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := rawServer(t, anthropicStart+anthropicEnd(tc.usage))
			res, err, _ := collect(context.Background(), rawClient(t, srv, providers.KindAnthropic), request("claude-sonnet-4-5"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			if res.Text != "Hello" || res.FinishReason != "stop" || res.Usage == nil || *res.Usage != want {
				t.Fatalf("text %q finish %q usage %+v, want %+v", res.Text, res.FinishReason, res.Usage, want)
			}
		})
	}
}
