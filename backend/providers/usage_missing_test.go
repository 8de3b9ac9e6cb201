package providers_test

import (
	"context"
	"testing"

	"meterdesk/backend/metering"
	"meterdesk/backend/providers"
)

// anthropicDelta is a message_delta with stop reason stop ("null" while the
// message goes on, as between a server tool's turns) and usage u ("" = no
// usage object at all).
func anthropicDelta(stop, u string) string {
	usage := ""
	if u != "" {
		usage = `,"usage":` + u
	}
	return `event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":` + stop + `,"stop_sequence":null}` + usage + `}

`
}

// TestAnthropicLaterDeltaKeepsTheCounts: message_delta's usage is
// cumulative, and a stream may send several (a server tool's turns);
// output_tokens is the only field Anthropic documents as always there, but
// an Anthropic-compatible server may leave it out of a later one. A later
// delta that leaves a count out, or sends it as 0, keeps the last known
// count, final as it was (earlier such a delta made the usage merely
// partial, so the reply was estimated from its text instead of charged
// what the provider reported); a larger count replaces it.
func TestAnthropicLaterDeltaKeepsTheCounts(t *testing.T) {
	first := anthropicDelta("null", `{"input_tokens":30,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"output_tokens":40}`)
	want := metering.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 40, Requests: 1}
	for _, tc := range []struct {
		name, later string
		output      int64
	}{
		{"no usage object", "", 40},
		{"empty usage", `{}`, 40},
		{"output_tokens 0", `{"output_tokens":0}`, 40},
		{"only input and cache counts", `{"input_tokens":30,"cache_read_input_tokens":20}`, 40},
		{"input and cache counts 0, no output", `{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}`, 40},
		{"a larger output count replaces it", `{"output_tokens":45}`, 45},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream := anthropicStart + first + anthropicDelta(`"end_turn"`, tc.later) + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), providers.KindAnthropic), request("claude-sonnet-4-5"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			w := want
			w.Output = tc.output
			if res.Text != "Hello" || res.FinishReason != "stop" || res.Partial != nil || res.Usage == nil || *res.Usage != w {
				t.Fatalf("text %q finish %q usage %+v partial %+v, want final usage %+v", res.Text, res.FinishReason, res.Usage, res.Partial, w)
			}
		})
	}
}

// TestAnthropicContentAfterTheLastOutputCount: a later message_delta
// without output_tokens keeps the counts final only when nothing was
// generated after the last delta that had it. Text, thinking or a tool
// call after it makes that count stale, so the usage is partial (input and
// cache exact, the output estimated from what was delivered), as it was
// before the later-delta rule; a delta with output_tokens after the
// content makes it final again. Earlier such a reply was charged the stale
// count as exact.
func TestAnthropicContentAfterTheLastOutputCount(t *testing.T) {
	first := anthropicDelta("null", `{"input_tokens":30,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"output_tokens":40}`)
	counts := metering.Usage{Input: 30, CacheRead: 20, CacheWrite: 7, Output: 40, Requests: 1}
	block := func(i, start, delta string) string {
		return `event: content_block_start
data: {"type":"content_block_start","index":` + i + `,"content_block":` + start + `}

event: content_block_delta
data: {"type":"content_block_delta","index":` + i + `,"delta":` + delta + `}

event: content_block_stop
data: {"type":"content_block_stop","index":` + i + `}

`
	}
	moreText := block("2", `{"type":"text","text":""}`, `{"type":"text_delta","text":" and more"}`)
	moreThinking := block("2", `{"type":"thinking","thinking":"","signature":""}`, `{"type":"thinking_delta","thinking":"again"}`)
	toolCall := block("2", `{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}`, `{"type":"input_json_delta","partial_json":"{\"q\":\"x\"}"}`)
	for _, tc := range []struct {
		name, after, last string
		final             bool
		tools             int64
	}{
		{"text after it, a last delta without usage", moreText, "", false, 0},
		{"text after it, a last delta without output_tokens", moreText, `{"input_tokens":30}`, false, 0},
		{"thinking after it", moreThinking, "", false, 0},
		{"a tool call after it", toolCall, "", false, 1},
		{"text after it, then a delta with output_tokens: final", moreText, `{"output_tokens":52}`, true, 0},
		{"nothing after it: final", "", "", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream := anthropicStart + first + tc.after + anthropicDelta(`"end_turn"`, tc.last) + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), providers.KindAnthropic), request("claude-sonnet-4-5"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			w := counts
			w.ToolCalls = tc.tools
			if tc.last == `{"output_tokens":52}` {
				w.Output = 52
			}
			got, other := res.Partial, res.Usage
			if tc.final {
				got, other = res.Usage, res.Partial
			}
			if res.FinishReason != "stop" || other != nil || got == nil || *got != w {
				t.Fatalf("finish %q usage %+v partial %+v, want final %v with %+v", res.FinishReason, res.Usage, res.Partial, tc.final, w)
			}
		})
	}
}

// geminiChunk is one Gemini SSE event with text and usageMetadata um ("" =
// none); finish ends the candidate.
func geminiChunk(text, um string, finish bool) string {
	f := ""
	if finish {
		f = `,"finishReason": "STOP"`
	}
	u := ""
	if um != "" {
		u = `,"usageMetadata": ` + um
	}
	return `data: {"candidates": [{"content": {"parts": [{"text": "` + text + `"}],"role": "model"}` + f + `,"index": 0}]` + u + `,"modelVersion": "m1"}

`
}

// TestGeminiLastChunkKeepsTheCounts: Gemini repeats usageMetadata on its
// chunks, each with the counts so far, the last one's final. A last chunk
// whose usageMetadata leaves a count out (Gemini omits a zero field: a
// chunk with the thoughts but no candidates yet, or a compatible server's
// last chunk with the prompt only) keeps what an earlier chunk reported;
// a count present replaces it when larger. Earlier the last usageMetadata
// replaced the earlier ones whole, so a missing candidatesTokenCount
// charged the reply no output.
func TestGeminiLastChunkKeepsTheCounts(t *testing.T) {
	earlier := `{"promptTokenCount": 4012,"candidatesTokenCount": 3,"totalTokenCount": 4315,"cachedContentTokenCount": 4000,"thoughtsTokenCount": 300}`
	for _, tc := range []struct {
		name, last string
		want       metering.Usage
	}{
		{"no usageMetadata on the last chunk", "",
			metering.FromGemini(4012, 4000, 3, 300)},
		{"the last chunk's counts, larger", `{"promptTokenCount": 4012,"candidatesTokenCount": 9,"totalTokenCount": 4321,"cachedContentTokenCount": 4000,"thoughtsTokenCount": 300}`,
			metering.FromGemini(4012, 4000, 9, 300)},
		{"the last chunk has the prompt only", `{"promptTokenCount": 4012,"totalTokenCount": 4012}`,
			metering.FromGemini(4012, 4000, 3, 300)},
		{"the last chunk without thoughts nor cache", `{"promptTokenCount": 4012,"candidatesTokenCount": 9,"totalTokenCount": 4021}`,
			metering.FromGemini(4012, 4000, 9, 300)},
		{"the last chunk's candidates 0", `{"promptTokenCount": 4012,"candidatesTokenCount": 0,"cachedContentTokenCount": 4000,"thoughtsTokenCount": 300}`,
			metering.FromGemini(4012, 4000, 3, 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream := geminiChunk("Partial answer", earlier, false) + geminiChunk(" and the rest", tc.last, true)
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), providers.KindGemini), request("gemini-2.5-flash"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			tc.want.Requests = 1
			if res.Text != "Partial answer and the rest" || res.Partial != nil || res.Usage == nil || *res.Usage != tc.want {
				t.Fatalf("text %q usage %+v partial %+v, want final usage %+v", res.Text, res.Usage, res.Partial, tc.want)
			}
		})
	}
}

// TestOpenAILaterUsageKeepsTheCounts: a server that sends usage on several
// chunks (vLLM's continuous usage stats, the counts so far, then the final
// usage chunk) is charged the last counts reported, each growing count the
// largest seen: a later usage object that leaves a count out
// (completion_tokens, or the cache split: TestUsageCacheSplitFromTheLatestObject)
// keeps the earlier one. Earlier the last usage
// object replaced the earlier ones whole, so a final chunk with the prompt
// only charged the reply no output.
func TestOpenAILaterUsageKeepsTheCounts(t *testing.T) {
	earlier := `{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":4,"prompt_tokens_details":{"cached_tokens":8}}`
	for _, tc := range []struct {
		name, last string
		kind       providers.Kind
		want       metering.Usage
	}{
		{"compatible, the final usage larger", `{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":8}}`,
			providers.KindCompatible, metering.FromOpenAI(12, 8, 7, 0, 19)},
		{"compatible, the final usage with the prompt only", `{"prompt_tokens":12,"total_tokens":12}`,
			providers.KindCompatible, metering.FromOpenAI(12, 8, 5, 0, 17)},
		{"compatible, the final usage with completion 0", `{"prompt_tokens":12,"completion_tokens":0,"total_tokens":12}`,
			providers.KindCompatible, metering.FromOpenAI(12, 8, 5, 0, 17)},
		{"deepseek, the final usage without its cache fields", `{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}`,
			providers.KindDeepSeek, metering.FromDeepSeek(8, 4, 7, 0)},
		{"deepseek, the final usage with the prompt only", `{"prompt_tokens":12,"total_tokens":12}`,
			providers.KindDeepSeek, metering.FromDeepSeek(8, 4, 5, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFinalUsage(t, tc.kind, earlier, tc.last, tc.want)
		})
	}
}

// TestUsageCacheSplitFromTheLatestObject: the cached part of the prompt is
// no running count but a split of the prompt (DeepSeek: hit + miss =
// prompt; OpenAI-kind and Gemini: cached <= prompt). It comes whole from
// the latest usage object that has it, an earlier one's only when a later
// one leaves it out, clamped to the prompt. Earlier each cache count was
// the largest seen: an early {hit 0, miss 12} and a final {hit 8, miss 4}
// charged 12 tokens at the full rate and 8 read from the cache (20 for a
// prompt of 12), and a cached count corrected downwards charged the larger.
func TestUsageCacheSplitFromTheLatestObject(t *testing.T) {
	for _, tc := range []struct {
		name, earlier, last string
		kind                providers.Kind
		want                metering.Usage
	}{
		{"deepseek, an early all-miss split, the final one with hits",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":4}`,
			providers.KindDeepSeek, metering.Usage{Input: 4, CacheRead: 8, Output: 7}},
		{"deepseek, the hits corrected downwards",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":4}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_cache_hit_tokens":2,"prompt_cache_miss_tokens":10}`,
			providers.KindDeepSeek, metering.Usage{Input: 10, CacheRead: 2, Output: 7}},
		{"deepseek, the final split without its miss count: the rest of the prompt",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_cache_hit_tokens":8}`,
			providers.KindDeepSeek, metering.Usage{Input: 4, CacheRead: 8, Output: 7}},
		{"deepseek, no prompt count: never fewer input tokens than an earlier object",
			`{"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"completion_tokens":7,"prompt_cache_hit_tokens":8}`,
			providers.KindDeepSeek, metering.Usage{Input: 4, CacheRead: 8, Output: 7}},
		{"deepseek, the final miss count short of the prompt: the rest of it",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":2}`,
			providers.KindDeepSeek, metering.Usage{Input: 4, CacheRead: 8, Output: 7}},
		{"deepseek, a split over the prompt clamped to it",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":4}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_cache_hit_tokens":10,"prompt_cache_miss_tokens":5}`,
			providers.KindDeepSeek, metering.Usage{Input: 2, CacheRead: 10, Output: 7}},
		{"compatible, the cached count corrected downwards",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":8}}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":2}}`,
			providers.KindCompatible, metering.Usage{Input: 10, CacheRead: 2, Output: 7}},
		{"compatible, the final usage without details keeps the earlier cached count",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":8}}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}`,
			providers.KindCompatible, metering.Usage{Input: 4, CacheRead: 8, Output: 7}},
		{"compatible, a cached count over the prompt clamped to it",
			`{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":8}}`,
			`{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":20}}`,
			providers.KindCompatible, metering.Usage{Input: 0, CacheRead: 12, Output: 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFinalUsage(t, tc.kind, tc.earlier, tc.last, tc.want)
		})
	}
}

// TestGeminiCachedCountFromTheLatestChunk: Gemini's cachedContentTokenCount
// is a part of the prompt: the latest chunk's, an earlier one's only when
// the latest leaves it out (Gemini omits a zero count), clamped to the
// prompt. Earlier it was the largest seen, so a count corrected downwards
// charged the earlier, larger one at the cache rate.
func TestGeminiCachedCountFromTheLatestChunk(t *testing.T) {
	earlier := `{"promptTokenCount": 4012,"candidatesTokenCount": 3,"totalTokenCount": 4315,"cachedContentTokenCount": 4000,"thoughtsTokenCount": 300}`
	for _, tc := range []struct {
		name, last string
		want       metering.Usage
	}{
		{"the cached count corrected downwards", `{"promptTokenCount": 4012,"candidatesTokenCount": 9,"totalTokenCount": 4321,"cachedContentTokenCount": 1000,"thoughtsTokenCount": 300}`,
			metering.Usage{Input: 3012, CacheRead: 1000, Output: 9, Reasoning: 300}},
		{"the cached count left out keeps the earlier one", `{"promptTokenCount": 4012,"candidatesTokenCount": 9,"totalTokenCount": 4321,"thoughtsTokenCount": 300}`,
			metering.Usage{Input: 12, CacheRead: 4000, Output: 9, Reasoning: 300}},
		{"a cached count over the prompt clamped to it", `{"promptTokenCount": 4012,"candidatesTokenCount": 9,"totalTokenCount": 4321,"cachedContentTokenCount": 5000,"thoughtsTokenCount": 300}`,
			metering.Usage{Input: 0, CacheRead: 4012, Output: 9, Reasoning: 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream := geminiChunk("Partial answer", earlier, false) + geminiChunk(" and the rest", tc.last, true)
			res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), providers.KindGemini), request("gemini-2.5-flash"))
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			tc.want.Requests = 1
			if res.Text != "Partial answer and the rest" || res.Partial != nil || res.Usage == nil || *res.Usage != tc.want {
				t.Fatalf("text %q usage %+v partial %+v, want final usage %+v", res.Text, res.Usage, res.Partial, tc.want)
			}
		})
	}
}

// openAIChunk is one OpenAI-format stream chunk of text, its finish_reason
// (JSON: null or "stop") and its usage object ("" for none), as the wire has
// it.
func openAIChunk(text, finish, usage string) string {
	u := ""
	if usage != "" {
		u = `,"usage":` + usage
	}
	return `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"` +
		text + `"},"finish_reason":` + finish + `}]` + u + "}\n\n"
}

// wantFinalUsage streams "Hello" from a server of kind whose first chunk
// carries the usage earlier and whose last usage-only chunk carries last,
// and fails unless the reply's usage is final and exactly want.
func wantFinalUsage(t *testing.T, kind providers.Kind, earlier, last string, want metering.Usage) {
	t.Helper()
	stream := openAIChunk("Hel", "null", earlier) + openAIChunk("lo", `"stop"`, "") +
		`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m1","choices":[],"usage":` + last + "}\n\ndata: [DONE]\n\n"
	res, err, _ := collect(context.Background(), rawClient(t, rawServer(t, stream), kind), request("m1"))
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	want.Requests = 1
	if res.Text != "Hello" || res.Partial != nil || res.Usage == nil || *res.Usage != want {
		t.Fatalf("text %q usage %+v partial %+v, want final usage %+v", res.Text, res.Usage, res.Partial, want)
	}
}
