package providers_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
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

// TestAnthropicDeltaWithoutOutputIsNotFinal: a message_delta that carries no
// output_tokens (an Anthropic-compatible server that sends no usage there)
// leaves message_start's provisional output count (1) as it was: the stream
// ends with no final usage (Usage nil) and message_start's counts as
// Partial, so the reply's output is counted, not billed as 1 token.
func TestAnthropicDeltaWithoutOutputIsNotFinal(t *testing.T) {
	want := metering.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 1, Requests: 1}
	for _, tc := range []struct{ name, usage string }{
		{"empty usage", `{}`},
		{"input counts only", `{"input_tokens":30,"cache_read_input_tokens":20}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := rawServer(t, anthropicStart+anthropicEnd(tc.usage))
			res, err, _ := collect(context.Background(), rawClient(t, srv, providers.KindAnthropic), request("claude-sonnet-4-5"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			if res.Text != "Hello" || res.Usage != nil || res.Partial == nil || *res.Partial != want {
				t.Fatalf("text %q usage %+v partial %+v, want no usage and partial %+v", res.Text, res.Usage, res.Partial, want)
			}
		})
	}
}

// geminiCut is one Gemini chunk, then nothing (the connection closes): its
// usageMetadata already has the prompt (4012, of which 4000 cached) and the
// thoughts so far (300), and 3 candidates tokens.
const geminiCut = `data: {"candidates": [{"content": {"parts": [{"text": "Partial answer"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 4012,"candidatesTokenCount": 3,"totalTokenCount": 4315,"cachedContentTokenCount": 4000,"thoughtsTokenCount": 300},"modelVersion": "m1"}

`

// deepseekReasoning is an OpenAI-compatible reasoning stream (DeepSeek's
// reasoning_content; JSON written with spaces, as Python servers do): 200
// reasoning chunks, then the start of the reply; the connection closes
// before any finish_reason or usage.
var deepseekReasoning = strings.Repeat(`data: {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m1", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": " thinking about it step"}, "finish_reason": null}]}

`, 200) + `data: {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m1", "choices": [{"index": 0, "delta": {"content": "The answer"}, "finish_reason": null}]}

`

// TestCutStreamKeepsWhatWasReported: a stream cut before the provider's
// final usage keeps the counts it already reported (Result.Partial: input
// side exact, output so far) and the reasoning text it streamed
// (Result.Reasoning), for the caller's estimate; Usage stays nil.
func TestCutStreamKeepsWhatWasReported(t *testing.T) {
	anthropicPartial := &metering.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 1, Requests: 1}
	for _, tc := range []struct {
		name      string
		kind      providers.Kind
		stream    string
		wantErr   error // nil: an *APIError
		text      string
		reasoning string
		inOutput  bool
		partial   *metering.Usage
	}{
		{"anthropic error event after text", providers.KindAnthropic,
			anthropicStart + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
			nil, "Hello", "hmm", true, anthropicPartial},
		{"anthropic hang-up after text", providers.KindAnthropic, anthropicStart,
			providers.ErrInterrupted, "Hello", "hmm", true, anthropicPartial},
		{"gemini hang-up after a chunk with usageMetadata", providers.KindGemini, geminiCut,
			providers.ErrInterrupted, "Partial answer", "", false,
			&metering.Usage{Input: 12, CacheRead: 4000, Output: 3, Reasoning: 300, Requests: 1}},
		{"openai-compatible hang-up after reasoning_content", providers.KindCompatible, deepseekReasoning,
			providers.ErrInterrupted, "The answer", strings.Repeat(" thinking about it step", 200), false, nil},
		{"deepseek hang-up after reasoning_content", providers.KindDeepSeek, deepseekReasoning,
			providers.ErrInterrupted, "The answer", strings.Repeat(" thinking about it step", 200), false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, tc.stream), tc.kind), request("m1"))
			var ae *providers.APIError
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) || tc.wantErr == nil && !errors.As(err, &ae) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if res.Usage != nil {
				t.Fatalf("usage %+v on a cut stream", *res.Usage)
			}
			if res.Text != tc.text || res.Reasoning != tc.reasoning || res.ReasoningInOutput != tc.inOutput {
				t.Fatalf("text %q reasoning %q (as output %v), want %q %q %v", res.Text, res.Reasoning, res.ReasoningInOutput,
					tc.text, tc.reasoning, tc.inOutput)
			}
			if (res.Partial == nil) != (tc.partial == nil) || res.Partial != nil && *res.Partial != *tc.partial {
				t.Fatalf("partial %+v, want %+v", res.Partial, tc.partial)
			}
		})
	}
}

// TestFakeThinking: each fake that streams reasoning text does so in its
// provider's format, and the adapter returns it as Result.Reasoning, never
// as text; the final usage is unchanged by it, and a stream dropped after
// the thinking and one text chunk keeps the counts reported so far.
func TestFakeThinking(t *testing.T) {
	thinking := []string{"Let me ", "think."}
	for _, tc := range []struct {
		name    string
		flavor  fake.Flavor
		kind    providers.Kind
		model   string
		want    metering.Usage
		partial *metering.Usage // after a drop once "Hel" was delivered
	}{
		{"deepseek", fake.DeepSeek, providers.KindDeepSeek, "deepseek-reasoner",
			metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, nil},
		{"openai-compatible on deepseek's format", fake.DeepSeek, providers.KindCompatible, "deepseek-reasoner",
			metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, nil},
		{"openai-compatible with delta.reasoning (OpenRouter, vLLM)", fake.OpenAI, providers.KindCompatible, "deepseek/deepseek-r1",
			metering.Usage{Input: 60, CacheRead: 40, Output: 20, Reasoning: 10, Requests: 1}, nil},
		{"anthropic", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5",
			metering.Usage{Input: 100, CacheRead: 40, CacheWrite: 25, Output: 30, Requests: 1},
			&metering.Usage{Input: 100, CacheRead: 40, CacheWrite: 25, Output: 1, Requests: 1}},
		{"gemini", fake.Gemini, providers.KindGemini, "gemini-2.5-flash",
			metering.Usage{Input: 60, CacheRead: 40, Output: 30, Reasoning: 10, Requests: 1},
			&metering.Usage{Input: 60, CacheRead: 40, Reasoning: 10, Requests: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Thinking: thinking, Chunks: []string{"Hel", "lo"}, Usage: reported})
			defer srv.Close()
			srv.Enqueue(fake.Script{Thinking: thinking, Chunks: []string{"Hel", "lo"}, Usage: reported, Fault: fake.Drop, FailAfter: 3})
			c := newClient(t, srv, tc.kind, 0)
			cut, err, _ := collect(context.Background(), c, request(tc.model))
			if !errors.Is(err, providers.ErrInterrupted) || cut.Text != "Hel" || cut.Reasoning != "Let me think." || cut.Usage != nil {
				t.Fatalf("dropped: err %v text %q reasoning %q usage %+v", err, cut.Text, cut.Reasoning, cut.Usage)
			}
			if (cut.Partial == nil) != (tc.partial == nil) || cut.Partial != nil && *cut.Partial != *tc.partial {
				t.Fatalf("partial %+v, want %+v", cut.Partial, tc.partial)
			}
			res, err, deltas := collect(context.Background(), c, request(tc.model))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			if res.Text != "Hello" || strings.Join(deltas, "") != "Hello" || res.Reasoning != "Let me think." {
				t.Fatalf("text %q deltas %q reasoning %q", res.Text, deltas, res.Reasoning)
			}
			if res.Usage == nil || *res.Usage != tc.want || res.Partial != nil {
				t.Fatalf("usage %+v partial %+v, want %+v", res.Usage, res.Partial, tc.want)
			}
		})
	}
}

// TestZeroUsageWithTextIsNoUsage: a usage object of zeros on a stream that
// delivered text (or reasoning text) is no usage at all (Usage nil: the
// caller counts the reply), not a free reply; on an empty reply it stands.
func TestZeroUsageWithTextIsNoUsage(t *testing.T) {
	const zeroOpenAI = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello there friend"},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}

data: [DONE]

`
	const zeroGemini = `data: {"candidates": [{"content": {"parts": [{"text": "Hello there friend"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 0,"totalTokenCount": 0},"modelVersion": "m1"}

`
	zeroAnthropic := strings.NewReplacer(`"input_tokens":30,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"output_tokens":1`,
		`"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0`).Replace(anthropicStart) +
		anthropicEnd(`{"output_tokens":0}`)
	for _, tc := range []struct {
		name, stream, text string
		kind               providers.Kind
	}{
		{"openai-compatible", zeroOpenAI, "Hello there friend", providers.KindCompatible},
		{"openai", zeroOpenAI, "Hello there friend", providers.KindOpenAI},
		{"anthropic-compatible", zeroAnthropic, "Hello", providers.KindAnthropic},
		{"gemini", zeroGemini, "Hello there friend", providers.KindGemini},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.kind == providers.KindAnthropic && !strings.Contains(tc.stream, `"input_tokens":0`) {
				t.Fatal("bad test stream")
			}
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, tc.stream), tc.kind), request("m1"))
			if err != nil || res.Text != tc.text || res.Usage != nil || res.Partial != nil {
				t.Fatalf("err %v text %q usage %+v partial %+v", err, res.Text, res.Usage, res.Partial)
			}
		})
	}
	// Reasoning text alone makes a zero usage unusable too.
	srv := fake.NewDeepSeek(fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{}})
	defer srv.Close()
	res, err, _ := collect(context.Background(), newClient(t, srv, providers.KindDeepSeek, 0), request("deepseek-reasoner"))
	if err != nil || res.Text != "" || res.Reasoning != "Let me think." || res.Usage != nil {
		t.Fatalf("reasoning only: err %v text %q reasoning %q usage %+v", err, res.Text, res.Reasoning, res.Usage)
	}
	// An empty reply's zero usage is believed.
	empty := fake.NewOpenAI(fake.Script{Chunks: []string{}})
	defer empty.Close()
	res, err, _ = collect(context.Background(), newClient(t, empty, providers.KindOpenAI, 0), request("gpt-4o"))
	if err != nil || res.Text != "" || res.Usage == nil || *res.Usage != (metering.Usage{Requests: 1}) {
		t.Fatalf("empty reply: err %v text %q usage %+v", err, res.Text, res.Usage)
	}
}

// TestReasoningFieldsCountOnce: a server that streams reasoning both as
// delta.reasoning_content and delta.reasoning (the same text; OpenRouter
// does for some models) has it counted once, and OnReasoning sees each
// piece once; a reply text that quotes "reasoning": is not reasoning.
func TestReasoningFieldsCountOnce(t *testing.T) {
	const both = `data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":"Let me ","reasoning":"Let me "},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"","reasoning_content":"think.","reasoning":"think."},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"say \"reasoning\": yes"},"finish_reason":"stop"}]}

data: [DONE]

`
	const only = `data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Let me "},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"","reasoning":"think."},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"say \"reasoning\": yes"},"finish_reason":"stop"}]}

data: [DONE]

`
	// The role first, then both fields: the tap reads the second chunk
	// before the loop takes the first (it handed the text out twice).
	const roleFirst = `data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"reasoning_content": "Let me ", "reasoning": "Let me "},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"reasoning_content":"think.","reasoning":"think."},"finish_reason":null}]}

data: {"id":"g1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"say \"reasoning\": yes"},"finish_reason":"stop"}]}

data: [DONE]

`
	for name, stream := range map[string]string{"both fields": both, "delta.reasoning only": only, "both fields after the role, spaced": roleFirst} {
		t.Run(name, func(t *testing.T) {
			req := request("m1")
			var pieces []string
			req.OnReasoning = func(s string) error { pieces = append(pieces, s); return nil }
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), providers.KindCompatible), req)
			if err != nil || res.Text != `say "reasoning": yes` || res.Reasoning != "Let me think." || strings.Join(pieces, "") != "Let me think." {
				t.Fatalf("err %v text %q reasoning %q pieces %q", err, res.Text, res.Reasoning, pieces)
			}
		})
	}
}

// TestOnReasoningStopsTheStream: an error from OnReasoning stops each
// adapter's stream before its reply text and is returned, with the
// reasoning read so far.
func TestOnReasoningStopsTheStream(t *testing.T) {
	stop := errors.New("too much thinking")
	for _, tc := range []struct {
		flavor fake.Flavor
		kind   providers.Kind
		model  string
	}{
		{fake.OpenAI, providers.KindCompatible, "deepseek/deepseek-r1"},
		{fake.DeepSeek, providers.KindDeepSeek, "deepseek-reasoner"},
		{fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5"},
		{fake.Gemini, providers.KindGemini, "gemini-2.5-flash"},
	} {
		t.Run(string(tc.flavor), func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Thinking: []string{"one ", "two ", "three"}, Chunks: []string{"Hello"}, Usage: reported})
			defer srv.Close()
			req := request(tc.model)
			seen := 0 // bytes; pieces vary (the OpenAI adapter's tap may read ahead)
			req.OnReasoning = func(s string) error {
				if seen += len(s); seen >= len("one two ") {
					return stop
				}
				return nil
			}
			res, err, deltas := collect(context.Background(), newClient(t, srv, tc.kind, 0), req)
			if !errors.Is(err, stop) || len(deltas) != 0 || res.Text != "" || !strings.HasPrefix(res.Reasoning, "one two ") || res.Usage != nil {
				t.Fatalf("err %v deltas %q text %q reasoning %q usage %+v", err, deltas, res.Text, res.Reasoning, res.Usage)
			}
		})
	}
}
