package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// reasoningFields is the part of a request body a reasoning level may
// change, per wire format: OpenAI's reasoning_effort and output budget,
// Anthropic's thinking, output_config and max_tokens (and the sampling it
// restricts), Gemini's generationConfig thinkingConfig and maxOutputTokens.
func reasoningFields(t *testing.T, kind providers.Kind, body []byte) map[string]any {
	t.Helper()
	var all map[string]any
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	from, names := all, []string{"reasoning_effort", "max_completion_tokens", "max_tokens"}
	switch kind {
	case providers.KindAnthropic:
		names = []string{"thinking", "output_config", "max_tokens", "temperature", "top_p"}
	case providers.KindGemini:
		from, _ = all["generationConfig"].(map[string]any)
		names = []string{"thinkingConfig", "maxOutputTokens"}
	}
	out := map[string]any{}
	for _, n := range names {
		if v, ok := from[n]; ok {
			out[n] = v
		}
	}
	return out
}

// TestReasoningOnTheWire: what each reasoning level sends, per kind and
// model, byte for byte as the provider reads it: Anthropic's extended
// thinking with a budget of 1,024 / 4,096 / 16,384 tokens inside max_tokens,
// OpenAI's reasoning_effort for its reasoning models (also on a remote
// compatible server), Gemini's thinkingBudget of 1,024 / 8,192 / 24,576
// (0 for Off on 2.5 Flash); nothing for Default, for a model that does not
// reason, for DeepSeek and for a server on this machine or the member's
// own network. The output budget
// is the caller's (chat adds the thinking budget to the answer's).
func TestReasoningOnTheWire(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		remote    bool
		model     string
		level     providers.Reasoning
		maxTokens int
		want      string // reasoningFields of the body
	}{
		// OpenAI: reasoning_effort for its reasoning models only; Off and
		// Default send nothing (they always reason).
		{"openai o3-mini default", fake.OpenAI, providers.KindOpenAI, true, "o3-mini", providers.ReasoningDefault, 16384, `{"max_completion_tokens":16384}`},
		{"openai o3-mini unset", fake.OpenAI, providers.KindOpenAI, true, "o3-mini", "", 16384, `{"max_completion_tokens":16384}`},
		{"openai o3-mini off", fake.OpenAI, providers.KindOpenAI, true, "o3-mini", providers.ReasoningOff, 16384, `{"max_completion_tokens":16384}`},
		{"openai o3-mini low", fake.OpenAI, providers.KindOpenAI, true, "o3-mini", providers.ReasoningLow, 16384, `{"max_completion_tokens":16384,"reasoning_effort":"low"}`},
		{"openai o4-mini medium", fake.OpenAI, providers.KindOpenAI, true, "o4-mini", providers.ReasoningMedium, 16384, `{"max_completion_tokens":16384,"reasoning_effort":"medium"}`},
		{"openai gpt-5 high", fake.OpenAI, providers.KindOpenAI, true, "gpt-5", providers.ReasoningHigh, 16384, `{"max_completion_tokens":16384,"reasoning_effort":"high"}`},
		{"openai gpt-4o high: not a reasoning model", fake.OpenAI, providers.KindOpenAI, true, "gpt-4o", providers.ReasoningHigh, 4096, `{"max_completion_tokens":4096}`},
		{"litellm o3 high", fake.OpenAI, providers.KindCompatible, true, "o3", providers.ReasoningHigh, 16384, `{"max_completion_tokens":16384,"reasoning_effort":"high"}`},
		{"compatible llama high", fake.OpenAI, providers.KindCompatible, true, "llama3.2", providers.ReasoningHigh, 2048, `{"max_tokens":2048}`},
		{"openrouter openai/o3 high", fake.OpenAI, providers.KindCompatible, true, "openai/o3", providers.ReasoningHigh, 2048, `{"max_tokens":2048}`},
		{"local server named o3 high", fake.OpenAI, providers.KindCompatible, false, "o3", providers.ReasoningHigh, 2048, `{"max_tokens":2048}`},
		// DeepSeek: deepseek-reasoner always reasons, with no setting.
		{"deepseek-reasoner high", fake.DeepSeek, providers.KindDeepSeek, true, "deepseek-reasoner", providers.ReasoningHigh, 16384, `{"max_tokens":16384}`},
		// Anthropic: extended thinking; max_tokens (the caller's) holds it.
		{"claude default", fake.Anthropic, providers.KindAnthropic, true, "claude-sonnet-4-5", providers.ReasoningDefault, 4096, `{"max_tokens":4096}`},
		{"claude off", fake.Anthropic, providers.KindAnthropic, true, "claude-sonnet-4-5", providers.ReasoningOff, 4096, `{"max_tokens":4096}`},
		{"claude low", fake.Anthropic, providers.KindAnthropic, true, "claude-sonnet-4-5", providers.ReasoningLow, 5120,
			`{"max_tokens":5120,"thinking":{"type":"enabled","budget_tokens":1024}}`},
		{"claude medium", fake.Anthropic, providers.KindAnthropic, true, "claude-opus-4-1", providers.ReasoningMedium, 8192,
			`{"max_tokens":8192,"thinking":{"type":"enabled","budget_tokens":4096}}`},
		{"claude 3.7 high", fake.Anthropic, providers.KindAnthropic, true, "claude-3-7-sonnet-latest", providers.ReasoningHigh, 20480,
			`{"max_tokens":20480,"thinking":{"type":"enabled","budget_tokens":16384}}`},
		{"claude high without a budget of its own", fake.Anthropic, providers.KindAnthropic, true, "claude-sonnet-4-5", providers.ReasoningHigh, 0,
			`{"max_tokens":20480,"thinking":{"type":"enabled","budget_tokens":16384}}`},
		{"claude 3.5 high: no extended thinking", fake.Anthropic, providers.KindAnthropic, true, "claude-3-5-sonnet-latest", providers.ReasoningHigh, 4096, `{"max_tokens":4096}`},
		// Gemini: thinkingBudget; maxOutputTokens (the caller's) holds it.
		{"gemini flash default", fake.Gemini, providers.KindGemini, true, "gemini-2.5-flash", providers.ReasoningDefault, 8192, `{"maxOutputTokens":8192}`},
		{"gemini flash off", fake.Gemini, providers.KindGemini, true, "gemini-2.5-flash", providers.ReasoningOff, 8192,
			`{"maxOutputTokens":8192,"thinkingConfig":{"thinkingBudget":0}}`},
		{"gemini flash-lite low", fake.Gemini, providers.KindGemini, true, "gemini-2.5-flash-lite", providers.ReasoningLow, 9216,
			`{"maxOutputTokens":9216,"thinkingConfig":{"thinkingBudget":1024}}`},
		{"gemini pro medium", fake.Gemini, providers.KindGemini, true, "gemini-2.5-pro", providers.ReasoningMedium, 16384,
			`{"maxOutputTokens":16384,"thinkingConfig":{"thinkingBudget":8192}}`},
		{"gemini pro off: it cannot stop thinking", fake.Gemini, providers.KindGemini, true, "gemini-2.5-pro", providers.ReasoningOff, 8192, `{"maxOutputTokens":8192}`},
		// Gemini 3: thinkingLevel, never with a budget (a 400); the
		// caller's maxOutputTokens holds the High budget's room.
		{"gemini 3 high", fake.Gemini, providers.KindGemini, true, "gemini-3-pro-preview", providers.ReasoningHigh, 32768,
			`{"maxOutputTokens":32768,"thinkingConfig":{"thinkingLevel":"HIGH"}}`},
		{"gemini 3 pro low", fake.Gemini, providers.KindGemini, true, "gemini-3-pro-preview", providers.ReasoningLow, 9216,
			`{"maxOutputTokens":9216,"thinkingConfig":{"thinkingLevel":"LOW"}}`},
		{"gemini 3.1 pro medium (3.1 Pro added it)", fake.Gemini, providers.KindGemini, true, "gemini-3.1-pro-preview", providers.ReasoningMedium, 16384,
			`{"maxOutputTokens":16384,"thinkingConfig":{"thinkingLevel":"MEDIUM"}}`},
		{"gemini 3 flash medium", fake.Gemini, providers.KindGemini, true, "gemini-3-flash-preview", providers.ReasoningMedium, 16384,
			`{"maxOutputTokens":16384,"thinkingConfig":{"thinkingLevel":"MEDIUM"}}`},
		{"gemini 3 flash off: nothing (minimal is not off)", fake.Gemini, providers.KindGemini, true, "gemini-3-flash-preview", providers.ReasoningOff, 8192,
			`{"maxOutputTokens":8192}`},
		{"gemini 2.0 high: no thinking", fake.Gemini, providers.KindGemini, true, "gemini-2.0-flash", providers.ReasoningHigh, 8192, `{"maxOutputTokens":8192}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkReasoningSent(t, tc.flavor, tc.kind, tc.remote, tc.model, tc.level, tc.maxTokens, providers.Sampling{}, tc.want)
		})
	}
}

// TestReasoningPerModelOnTheWire: what each level sends to the models whose
// documented rule differs from their family's (each row failed before:
// a 400 from the provider, or a setting the model does not take):
//   - Claude Opus 4.7 and later, Claude 5, Mythos and Fable refuse
//     `"type": "enabled"` and take `"type": "adaptive"` with
//     output_config.effort, the thinking within max_tokens (no budget
//     added), and so do Opus and Sonnet 4.6, which deprecate the budget;
//     Opus 4.5 and Haiku 4.5 keep a budget; a Claude name whose rule is
//     not documented yet is sent nothing;
//   - OpenAI's gpt-5-chat-latest, gpt-5.x chat models, o1-mini and
//     o1-preview take no reasoning_effort; gpt-5.1 and later take "none"
//     for Off;
//   - Gemini's image and speech models, and names without a version but
//     the documented "-latest" aliases, take no thinking budget;
//   - Claude's thinking allows a temperature of 1 and a top_p from 0.95.
func TestReasoningPerModelOnTheWire(t *testing.T) {
	one, topP := 1.0, 0.95
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		model     string
		level     providers.Reasoning
		maxTokens int
		s         providers.Sampling
		want      string
	}{
		{"claude opus 4.7 high: adaptive", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningHigh, 4096, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"high"}}`},
		{"claude opus 4.7 low without max tokens", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningLow, 0, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"low"}}`},
		{"claude opus 4.7 off", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningOff, 4096, providers.Sampling{}, `{"max_tokens":4096}`},
		{"claude opus 4.8 medium", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-8", providers.ReasoningMedium, 2048, providers.Sampling{},
			`{"max_tokens":2048,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"medium"}}`},
		{"claude mythos preview medium", fake.Anthropic, providers.KindAnthropic, "claude-mythos-preview", providers.ReasoningMedium, 8192, providers.Sampling{},
			`{"max_tokens":8192,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"medium"}}`},
		{"claude mythos 5 off: it always thinks", fake.Anthropic, providers.KindAnthropic, "claude-mythos-5", providers.ReasoningOff, 8192, providers.Sampling{}, `{"max_tokens":8192}`},
		{"claude fable 5.1 high", fake.Anthropic, providers.KindAnthropic, "claude-fable-5-1", providers.ReasoningHigh, 8192, providers.Sampling{},
			`{"max_tokens":8192,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"high"}}`},
		{"claude opus 5 off: disabled, as it thinks unless told not to", fake.Anthropic, providers.KindAnthropic, "claude-opus-5", providers.ReasoningOff, 4096, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"disabled"}}`},
		{"claude sonnet 5 off: disabled", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-5", providers.ReasoningOff, 4096, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"disabled"}}`},
		{"claude opus 5 default: nothing (it thinks)", fake.Anthropic, providers.KindAnthropic, "claude-opus-5", providers.ReasoningDefault, 4096, providers.Sampling{},
			`{"max_tokens":4096}`},
		{"claude sonnet 5.5 off: nothing, it refuses disabled", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-5-5", providers.ReasoningOff, 4096, providers.Sampling{},
			`{"max_tokens":4096}`},
		{"claude haiku 5.5 off: nothing, its disabled is not documented", fake.Anthropic, providers.KindAnthropic, "claude-haiku-5-5", providers.ReasoningOff, 4096, providers.Sampling{},
			`{"max_tokens":4096}`},
		{"claude sonnet 5 low", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-5", providers.ReasoningLow, 4096, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"low"}}`},
		{"claude opus 4.7 default with temperature 1 and top_p 1: neither sent", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningDefault, 4096,
			providers.Sampling{Temperature: &one, TopP: ptr(1)}, `{"max_tokens":4096}`},
		{"claude opus 4.1 high at its ceiling", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-1-20250805", providers.ReasoningHigh, 32000, providers.Sampling{},
			`{"max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":16384}}`},
		{"openai gpt-5-pro high", fake.OpenAI, providers.KindOpenAI, "gpt-5-pro", providers.ReasoningHigh, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384,"reasoning_effort":"high"}`},
		{"openai gpt-5-pro off: nothing, it always reasons", fake.OpenAI, providers.KindOpenAI, "gpt-5-pro-2025-10-06", providers.ReasoningOff, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384}`},
		{"openai gpt-5.2-pro high: efforts not documented, nothing sent", fake.OpenAI, providers.KindOpenAI, "gpt-5.2-pro", providers.ReasoningHigh, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384}`},
		{"claude opus 4.6 high: adaptive, its budget deprecated", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-6", providers.ReasoningHigh, 4096, providers.Sampling{},
			`{"max_tokens":4096,"thinking":{"type":"adaptive"},"output_config":{"effort":"high"}}`},
		{"claude sonnet 4.6 off", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-6", providers.ReasoningOff, 4096, providers.Sampling{}, `{"max_tokens":4096}`},
		{"claude opus 4.5 high keeps a budget", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-5-20251101", providers.ReasoningHigh, 20480, providers.Sampling{},
			`{"max_tokens":20480,"thinking":{"type":"enabled","budget_tokens":16384}}`},
		{"claude haiku 4.5 low keeps a budget", fake.Anthropic, providers.KindAnthropic, "claude-haiku-4-5-20251001", providers.ReasoningLow, 5120, providers.Sampling{},
			`{"max_tokens":5120,"thinking":{"type":"enabled","budget_tokens":1024}}`},
		{"claude opus 4.9 high: not documented, nothing sent", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-9", providers.ReasoningHigh, 4096, providers.Sampling{}, `{"max_tokens":4096}`},
		{"claude 6 high: not documented, nothing sent", fake.Anthropic, providers.KindAnthropic, "claude-opus-6", providers.ReasoningHigh, 4096, providers.Sampling{}, `{"max_tokens":4096}`},
		{"claude thinking with temperature 1 and top_p 0.95", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningLow, 5120,
			providers.Sampling{Temperature: &one, TopP: &topP},
			`{"max_tokens":5120,"thinking":{"type":"enabled","budget_tokens":1024},"temperature":1,"top_p":0.95}`},
		{"openai gpt-5-chat-latest high: no effort", fake.OpenAI, providers.KindOpenAI, "gpt-5-chat-latest", providers.ReasoningHigh, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai gpt-5.1-chat-latest high: no effort", fake.OpenAI, providers.KindOpenAI, "gpt-5.1-chat-latest", providers.ReasoningHigh, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai gpt-5.2-chat-latest low: no effort", fake.OpenAI, providers.KindOpenAI, "gpt-5.2-chat-latest", providers.ReasoningLow, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai o1-mini high: no effort", fake.OpenAI, providers.KindOpenAI, "o1-mini", providers.ReasoningHigh, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai o1-preview medium: no effort", fake.OpenAI, providers.KindOpenAI, "o1-preview-2024-09-12", providers.ReasoningMedium, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai gpt-5.1 off: none", fake.OpenAI, providers.KindOpenAI, "gpt-5.1", providers.ReasoningOff, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384,"reasoning_effort":"none"}`},
		{"openai gpt-5.2 snapshot off: none", fake.OpenAI, providers.KindOpenAI, "gpt-5.2-2025-12-11", providers.ReasoningOff, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384,"reasoning_effort":"none"}`},
		{"openai gpt-5.1 low", fake.OpenAI, providers.KindOpenAI, "gpt-5.1", providers.ReasoningLow, 16384, providers.Sampling{},
			`{"max_completion_tokens":16384,"reasoning_effort":"low"}`},
		{"openai gpt-5 off: it always reasons", fake.OpenAI, providers.KindOpenAI, "gpt-5", providers.ReasoningOff, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"openai gpt-5-mini off: it always reasons", fake.OpenAI, providers.KindOpenAI, "gpt-5-mini", providers.ReasoningOff, 16384, providers.Sampling{}, `{"max_completion_tokens":16384}`},
		{"gemini 2.5 flash image high: no thinking", fake.Gemini, providers.KindGemini, "gemini-2.5-flash-image", providers.ReasoningHigh, 8192, providers.Sampling{}, `{"maxOutputTokens":8192}`},
		{"gemini 2.5 flash image off", fake.Gemini, providers.KindGemini, "gemini-2.5-flash-image-preview", providers.ReasoningOff, 8192, providers.Sampling{}, `{"maxOutputTokens":8192}`},
		{"gemini tts high: no thinking", fake.Gemini, providers.KindGemini, "gemini-2.5-flash-preview-tts", providers.ReasoningHigh, 8192, providers.Sampling{}, `{"maxOutputTokens":8192}`},
		{"gemini-exp-1206 high: no version", fake.Gemini, providers.KindGemini, "gemini-exp-1206", providers.ReasoningHigh, 8192, providers.Sampling{}, `{"maxOutputTokens":8192}`},
		{"gemini-pro high: no version", fake.Gemini, providers.KindGemini, "gemini-pro", providers.ReasoningHigh, 8192, providers.Sampling{}, `{"maxOutputTokens":8192}`},
		{"gemini-pro-latest medium: a documented alias", fake.Gemini, providers.KindGemini, "gemini-pro-latest", providers.ReasoningMedium, 16384, providers.Sampling{},
			`{"maxOutputTokens":16384,"thinkingConfig":{"thinkingBudget":8192}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkReasoningSent(t, tc.flavor, tc.kind, true, tc.model, tc.level, tc.maxTokens, tc.s, tc.want)
		})
	}
}

// checkReasoningSent sends one request at level to model and checks the
// reasoningFields of the body the fake received against want.
func checkReasoningSent(t *testing.T, flavor fake.Flavor, kind providers.Kind, remote bool, model string, level providers.Reasoning,
	maxTokens int, s providers.Sampling, want string) {
	t.Helper()
	start := fake.New
	if remote {
		start = fake.NewTLS
	}
	srv := start(flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
	defer srv.Close()
	c := newClient(t, srv, kind, 0)
	if remote {
		c = remoteClient(t, srv, kind)
	}
	req := request(model)
	req.MaxTokens, req.Reasoning, req.Sampling = maxTokens, level, s
	if _, err, _ := collect(context.Background(), c, req); err != nil {
		t.Fatalf("stream: %v", err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad test body: %v", err)
	}
	if got := reasoningFields(t, kind, reqs[0].Body); !reflect.DeepEqual(got, w) {
		t.Errorf("sent %v, want %s\nbody %s", got, want, reqs[0].Body)
	}
}

// TestReasoningRequestRefused: a level that is none of the five, a Claude
// request whose max tokens leave no room above its thinking budget (the
// API requires budget_tokens below max_tokens), and a Claude request that
// thinks with a temperature other than 1 or a top_p below 0.95 (the API
// refuses both with a 400) are refused before anything is sent.
func TestReasoningRequestRefused(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		model     string
		level     providers.Reasoning
		maxTokens int
		s         providers.Sampling
		param     string // the SamplingError's, when it is one
	}{
		{"unknown level, openai", fake.OpenAI, providers.KindOpenAI, "o3", "extreme", 1000, providers.Sampling{}, ""},
		{"unknown level, anthropic", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", "High ", 1000, providers.Sampling{}, ""},
		{"unknown level, gemini", fake.Gemini, providers.KindGemini, "gemini-2.5-flash", "max", 1000, providers.Sampling{}, ""},
		{"claude budget equal to max tokens", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningHigh, 16384, providers.Sampling{}, ""},
		{"claude budget above max tokens", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningLow, 1000, providers.Sampling{}, ""},
		{"claude thinking at temperature 0.5", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningHigh, 20480,
			providers.Sampling{Temperature: ptr(0.5)}, "temperature"},
		{"claude thinking at temperature 0", fake.Anthropic, providers.KindAnthropic, "claude-3-7-sonnet-latest", providers.ReasoningLow, 5120,
			providers.Sampling{Temperature: ptr(0)}, "temperature"},
		{"claude adaptive thinking at top_p 0.9", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningMedium, 4096,
			providers.Sampling{TopP: ptr(0.9)}, "top_p"},
		{"claude opus 4.7 at temperature 0.5 without thinking", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-7", providers.ReasoningDefault, 4096,
			providers.Sampling{Temperature: ptr(0.5)}, "temperature"},
		{"claude opus 4.8 off at top_p 0.95", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-8", providers.ReasoningOff, 4096,
			providers.Sampling{TopP: ptr(0.95)}, "top_p"},
		{"claude opus 4.1 max output 30,000 plus high's 16,384 above its 32,000", fake.Anthropic, providers.KindAnthropic, "claude-opus-4-1", providers.ReasoningHigh, 46384,
			providers.Sampling{}, ""},
		{"claude sonnet 4.5 max tokens above its 64,000", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningDefault, 64001,
			providers.Sampling{}, ""},
		{"gpt-5-pro low", fake.OpenAI, providers.KindOpenAI, "gpt-5-pro", providers.ReasoningLow, 16384, providers.Sampling{}, ""},
		{"gpt-5-pro medium", fake.OpenAI, providers.KindOpenAI, "gpt-5-pro", providers.ReasoningMedium, 16384, providers.Sampling{}, ""},
		{"gemini 3 pro medium", fake.Gemini, providers.KindGemini, "gemini-3-pro-preview", providers.ReasoningMedium, 16384, providers.Sampling{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			req := request(tc.model)
			req.MaxTokens, req.Reasoning, req.Sampling = tc.maxTokens, tc.level, tc.s
			_, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), req)
			if !errors.Is(err, providers.ErrBadRequest) {
				t.Fatalf("err = %v, want ErrBadRequest", err)
			}
			var se *providers.SamplingError
			if tc.param != "" && (!errors.As(err, &se) || se.Param != tc.param) {
				t.Errorf("err = %v, want a SamplingError about %s", err, tc.param)
			}
			var le *providers.LevelError
			if errors.As(err, &le) != (tc.model == "gpt-5-pro" || tc.model == "gemini-3-pro-preview") {
				t.Errorf("err = %v: a LevelError only for a level the model does not take", err)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests reached the provider, want 0", n)
			}
		})
	}
}

// TestParseReasoning: the five levels as a person types them (case and
// blanks aside, "" the default); anything else is ErrBadReasoning naming it.
func TestParseReasoning(t *testing.T) {
	for in, want := range map[string]providers.Reasoning{
		"": providers.ReasoningDefault, " default ": providers.ReasoningDefault, "off": providers.ReasoningOff,
		"Low": providers.ReasoningLow, "MEDIUM": providers.ReasoningMedium, "high\n": providers.ReasoningHigh,
	} {
		if got, err := providers.ParseReasoning(in); err != nil || got != want {
			t.Errorf("ParseReasoning(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"extreme", "max", "minimal", "none", "1", "on", "hi gh"} {
		got, err := providers.ParseReasoning(in)
		if !errors.Is(err, providers.ErrBadReasoning) || !errors.Is(err, providers.ErrBadRequest) || got != "" {
			t.Errorf("ParseReasoning(%q) = %q, %v; want ErrBadReasoning", in, got, err)
		}
	}
	// The refusal's reason (the window's words) names what was given too.
	_, err := providers.ParseReasoning("lots")
	if want := `invalid chat request: reasoning must be default, off, low, medium or high (not "lots")`; err.Error() != want {
		t.Errorf("text %q, want %q", err, want)
	}
	if got, want := inputerr.Reason(err), `reasoning must be default, off, low, medium or high (not "lots")`; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	var in *inputerr.Error
	if !errors.As(err, &in) || in.Reason() != inputerr.Reason(err) {
		t.Errorf("%v is no refusal with its own reason", err)
	}
}

// TestReasoningFor: which models take the setting (the window says when
// one does not), whether Off turns their thinking off, and the tokens a
// level adds to the output budget.
func TestReasoningFor(t *testing.T) {
	for _, tc := range []struct {
		kind                providers.Kind
		local               bool
		model               string
		applies, canDisable bool
		highBudget          int
	}{
		// Claude: a budget where documented, adaptive thinking (no
		// budget) on the models that refuse one, nothing for a name
		// whose rule is not documented.
		{providers.KindAnthropic, false, "claude-opus-4-6", true, true, 0},
		{providers.KindAnthropic, false, "claude-sonnet-4-6", true, true, 0},
		{providers.KindAnthropic, false, "claude-opus-4-5", true, true, 16384},
		{providers.KindAnthropic, false, "claude-sonnet-4-5-20250929", true, true, 16384},
		{providers.KindAnthropic, false, "claude-opus-4-1-20250805", true, true, 16384},
		{providers.KindAnthropic, false, "claude-opus-4-7", true, true, 0},
		{providers.KindAnthropic, false, "Claude-Opus-4.8", true, true, 0},
		// Vertex AI's names carry their date after an @.
		{providers.KindAnthropic, false, "claude-haiku-4-5@20251001", true, true, 16384},
		{providers.KindAnthropic, false, "claude-opus-4@20250514", true, true, 16384},
		{providers.KindAnthropic, false, "claude-opus-4-7@20260416", true, true, 0},
		{providers.KindAnthropic, false, "claude-sonnet-4-6@20260217", true, true, 0},
		// Claude 5 thinks when sent nothing: Opus 5 and Sonnet 5 take
		// "disabled" (Off), Claude 5.5 refuses it (no Off).
		{providers.KindAnthropic, false, "claude-opus-5", true, true, 0},
		{providers.KindAnthropic, false, "claude-sonnet-5", true, true, 0},
		{providers.KindAnthropic, false, "claude-opus-5-5", true, false, 0},
		{providers.KindAnthropic, false, "claude-sonnet-5-5", true, false, 0},
		{providers.KindAnthropic, false, "claude-haiku-5-5", true, false, 0},
		{providers.KindAnthropic, false, "claude-opus-5-1", true, false, 0},
		{providers.KindAnthropic, false, "claude-mythos-preview", true, false, 0},
		{providers.KindAnthropic, false, "claude-mythos-5-1", true, false, 0},
		{providers.KindAnthropic, false, "claude-fable-5", true, false, 0},
		{providers.KindAnthropic, false, "claude-opus-4-9", false, false, 0},
		{providers.KindAnthropic, false, "claude-sonnet-6", false, false, 0},
		{providers.KindAnthropic, false, "claude-poem-1", false, false, 0},
		{providers.KindAnthropic, false, "claude-instant-1.2", false, false, 0},
		// OpenAI: no reasoning_effort for the chat models and o1-mini /
		// o1-preview; Off is "none" from gpt-5.1.
		{providers.KindOpenAI, false, "gpt-5-chat-latest", false, false, 0},
		{providers.KindOpenAI, false, "gpt-5.1-chat-latest", false, false, 0},
		{providers.KindCompatible, false, "gpt-5.2-chat-latest", false, false, 0},
		{providers.KindOpenAI, false, "o1-mini", false, false, 0},
		{providers.KindOpenAI, false, "o1-preview", false, false, 0},
		{providers.KindOpenAI, false, "gpt-5.1", true, true, 0},
		{providers.KindOpenAI, false, "GPT-5.2", true, true, 0},
		{providers.KindOpenAI, false, "gpt-5.1-2025-11-13", true, true, 0},
		{providers.KindOpenAI, false, "gpt-5.1-codex", true, false, 0},
		{providers.KindOpenAI, false, "gpt-5", true, false, 0},
		{providers.KindOpenAI, false, "o3", true, false, 0},
		{providers.KindOpenAI, false, "gpt-5-pro", true, false, 0},
		{providers.KindOpenAI, false, "gpt-5.2-pro", false, false, 0},
		{providers.KindGemini, false, "gemini-3-pro-preview", true, false, 24576},
		// Gemini: no image or speech models, no unversioned names but the
		// documented aliases.
		{providers.KindGemini, false, "gemini-2.5-flash-image", false, false, 0},
		{providers.KindGemini, false, "gemini-2.5-pro-preview-tts", false, false, 0},
		{providers.KindGemini, false, "gemini-3-pro-image-preview", false, false, 0},
		{providers.KindGemini, false, "gemini-exp-1206", false, false, 0},
		{providers.KindGemini, false, "gemini-pro", false, false, 0},
		{providers.KindGemini, false, "gemini-embedding-001", false, false, 0},
		{providers.KindGemini, false, "gemini-flash-lite-latest", true, false, 24576},
		{providers.KindGemini, false, "gemini-pro-latest", true, false, 24576},
		{providers.KindGemini, false, "gemini-2.5-flash-preview-09-2025", true, true, 24576},
		{providers.KindAnthropic, false, "claude-sonnet-4-20250514", true, true, 16384},
		{providers.KindAnthropic, false, "claude-haiku-4-5", true, true, 16384},
		{providers.KindAnthropic, false, "Claude-3.7-Sonnet", true, true, 16384},
		{providers.KindAnthropic, false, "claude-3-5-haiku-latest", false, false, 0},
		{providers.KindAnthropic, false, "claude-3-opus-20240229", false, false, 0},
		{providers.KindAnthropic, false, "claude-2.1", false, false, 0},
		{providers.KindAnthropic, false, "glm-4.6", false, false, 0},
		{providers.KindOpenAI, false, "o1", true, false, 0},
		{providers.KindOpenAI, false, "gpt-5-mini", true, false, 0},
		{providers.KindOpenAI, false, "gpt-4.1", false, false, 0},
		{providers.KindCompatible, false, "o3-mini", true, false, 0},
		{providers.KindCompatible, true, "o3-mini", false, false, 0},       // on this machine or the member's network
		{providers.KindCompatible, true, "o3-mini-local", false, false, 0}, // Ollama's own name
		{providers.KindOpenAI, true, "o3-mini", true, false, 0},            // the openai kind is OpenAI's, wherever it points
		{providers.KindDeepSeek, false, "deepseek-reasoner", false, false, 0},
		{providers.KindGemini, false, "gemini-2.5-flash", true, true, 24576},
		{providers.KindGemini, false, "gemini-2.5-flash-lite", true, true, 24576},
		{providers.KindGemini, false, "gemini-2.5-pro", true, false, 24576},
		{providers.KindGemini, false, "gemini-3-flash-preview", true, false, 24576},
		{providers.KindGemini, false, "gemini-flash-latest", true, false, 24576},
		{providers.KindGemini, false, "gemini-2.0-flash", false, false, 0},
		{providers.KindGemini, false, "gemini-1.5-pro", false, false, 0},
		{providers.KindGemini, false, "gemma-3-27b-it", false, false, 0},
	} {
		p := providers.ReasoningFor(tc.kind, tc.local, tc.model, providers.ReasoningHigh)
		if p.Applies != tc.applies || p.CanDisable != tc.canDisable || p.Budget != tc.highBudget {
			t.Errorf("%s %s: %+v, want applies %v, off %v, budget %d", tc.kind, tc.model, p, tc.applies, tc.canDisable, tc.highBudget)
		}
		if d := providers.ReasoningFor(tc.kind, tc.local, tc.model, providers.ReasoningDefault); d.Sends() || d.Applies != tc.applies {
			t.Errorf("%s %s default: %+v sends something", tc.kind, tc.model, d)
		}
	}
}

// TestFakesRefuseWhatTheAPIRefuses: the fake providers answer with the
// real API's 400 each request the rules above keep Meterdesk from sending
// (so a wire test through a fake proves it is never sent), and answer the
// forms Meterdesk does send.
func TestFakesRefuseWhatTheAPIRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		path   string
		body   string
		status int
	}{
		{"gpt-5-pro low", fake.OpenAI, "/v1/chat/completions", `{"model":"gpt-5-pro","reasoning_effort":"low","messages":[{"role":"user","content":"hi"}]}`, 400},
		{"gpt-5-pro high", fake.OpenAI, "/v1/chat/completions", `{"model":"gpt-5-pro","reasoning_effort":"high","messages":[{"role":"user","content":"hi"}]}`, 200},
		{"opus 4.7 temperature", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-4-7","max_tokens":100,"temperature":0.5,"messages":[]}`, 400},
		{"opus 4.7 budget", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-4-7","max_tokens":9000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[]}`, 400},
		{"opus 4.7 adaptive", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-4-7","max_tokens":9000,"thinking":{"type":"adaptive","display":"summarized"},"messages":[]}`, 200},
		{"opus 4.1 above its ceiling", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-4-1","max_tokens":46384,"messages":[]}`, 400},
		{"opus 4.1 at its ceiling", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-4-1","max_tokens":32000,"messages":[]}`, 200},
		{"opus 5 disabled", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-5","max_tokens":100,"thinking":{"type":"disabled"},"messages":[]}`, 200},
		{"sonnet 5 disabled", fake.Anthropic, "/v1/messages", `{"model":"claude-sonnet-5","max_tokens":100,"thinking":{"type":"disabled"},"messages":[]}`, 200},
		{"opus 5.5 disabled", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-5-5","max_tokens":100,"thinking":{"type":"disabled"},"messages":[]}`, 400},
		{"sonnet 5.5 disabled", fake.Anthropic, "/v1/messages", `{"model":"claude-sonnet-5-5","max_tokens":100,"thinking":{"type":"disabled"},"messages":[]}`, 400},
		{"opus 5 above its ceiling", fake.Anthropic, "/v1/messages", `{"model":"claude-opus-5","max_tokens":128001,"messages":[]}`, 400},
		{"haiku 5.5 at its ceiling", fake.Anthropic, "/v1/messages", `{"model":"claude-haiku-5-5","max_tokens":128000,"messages":[]}`, 200},
		{"gemini 3 pro medium", fake.Gemini, "/v1beta/models/gemini-3-pro-preview:streamGenerateContent",
			`{"generationConfig":{"thinkingConfig":{"thinkingLevel":"MEDIUM"}}}`, 400},
		{"gemini 3 level and budget", fake.Gemini, "/v1beta/models/gemini-3-flash-preview:streamGenerateContent",
			`{"generationConfig":{"thinkingConfig":{"thinkingLevel":"LOW","thinkingBudget":1024}}}`, 400},
		{"gemini 3 pro high", fake.Gemini, "/v1beta/models/gemini-3-pro-preview:streamGenerateContent",
			`{"generationConfig":{"thinkingConfig":{"thinkingLevel":"HIGH"}}}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			resp, err := http.Post(srv.URL+tc.path+"?alt=sse", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

// TestReasoningHonours: which levels do on a model what they ask, the rule
// by which the local API refuses a reasoning_effort it cannot send as
// asked (chat.MeterRequest.ExactReasoning): Default always; Low to High
// where the model takes a setting; Off where the model thinks only when
// asked or can be told not to.
func TestReasoningHonours(t *testing.T) {
	for _, tc := range []struct {
		kind              providers.Kind
		local             bool
		model             string
		off, low, defaulT bool
	}{
		{providers.KindOpenAI, false, "gpt-5.1", true, true, true},
		{providers.KindOpenAI, false, "gpt-5", false, true, true},
		{providers.KindOpenAI, false, "o3-mini", false, true, true},
		{providers.KindOpenAI, false, "gpt-4o", false, false, true},
		{providers.KindOpenAI, false, "gpt-5-chat-latest", false, false, true},
		{providers.KindCompatible, true, "gpt-5.1", false, false, true},
		{providers.KindDeepSeek, false, "deepseek-reasoner", false, false, true},
		{providers.KindAnthropic, false, "claude-sonnet-4-5", true, true, true},
		{providers.KindAnthropic, false, "claude-opus-4-7", true, true, true},
		{providers.KindAnthropic, false, "claude-mythos-preview", false, true, true},
		{providers.KindAnthropic, false, "claude-opus-5", true, true, true},
		{providers.KindAnthropic, false, "claude-sonnet-5", true, true, true},
		{providers.KindAnthropic, false, "claude-opus-5-5", false, true, true},
		{providers.KindAnthropic, false, "claude-3-5-sonnet-latest", false, false, true},
		{providers.KindGemini, false, "gemini-2.5-flash", true, true, true},
		{providers.KindGemini, false, "gemini-2.5-pro", false, true, true},
		{providers.KindGemini, false, "gemini-2.0-flash", false, false, true},
	} {
		for level, want := range map[providers.Reasoning]bool{providers.ReasoningOff: tc.off, providers.ReasoningLow: tc.low,
			providers.ReasoningHigh: tc.low, providers.ReasoningDefault: tc.defaulT, "": tc.defaulT} {
			if got := providers.ReasoningFor(tc.kind, tc.local, tc.model, level).Honours(level); got != want {
				t.Errorf("%s %s (local %v) honours %q: %v, want %v", tc.kind, tc.model, tc.local, level, got, want)
			}
		}
	}
}
