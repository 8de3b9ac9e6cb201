package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// reasoningFields is the part of a request body a reasoning level may
// change, per wire format: OpenAI's reasoning_effort and output budget,
// Anthropic's thinking and max_tokens, Gemini's generationConfig
// thinkingConfig and maxOutputTokens.
func reasoningFields(t *testing.T, kind providers.Kind, body []byte) map[string]any {
	t.Helper()
	var all map[string]any
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	from, names := all, []string{"reasoning_effort", "max_completion_tokens", "max_tokens"}
	switch kind {
	case providers.KindAnthropic:
		names = []string{"thinking", "max_tokens", "temperature"}
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
// reason, for DeepSeek and for a server on this machine. The output budget
// is the caller's (chat adds the thinking budget to the answer's).
func TestReasoningOnTheWire(t *testing.T) {
	const none = `{}`
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
		{"gemini 3 high", fake.Gemini, providers.KindGemini, true, "gemini-3-pro-preview", providers.ReasoningHigh, 32768,
			`{"maxOutputTokens":32768,"thinkingConfig":{"thinkingBudget":24576}}`},
		{"gemini 2.0 high: no thinking", fake.Gemini, providers.KindGemini, true, "gemini-2.0-flash", providers.ReasoningHigh, 8192, `{"maxOutputTokens":8192}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := fake.New
			if tc.remote {
				start = fake.NewTLS
			}
			srv := start(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			c := newClient(t, srv, tc.kind, 0)
			if tc.remote {
				c = remoteClient(t, srv, tc.kind)
			}
			req := request(tc.model)
			req.MaxTokens, req.Reasoning = tc.maxTokens, tc.level
			if _, err, _ := collect(context.Background(), c, req); err != nil {
				t.Fatalf("stream: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatalf("bad test body: %v", err)
			}
			if tc.want == none {
				want = map[string]any{}
			}
			if got := reasoningFields(t, tc.kind, reqs[0].Body); !reflect.DeepEqual(got, want) {
				t.Errorf("sent %v, want %s\nbody %s", got, tc.want, reqs[0].Body)
			}
		})
	}
}

// TestReasoningRequestRefused: a level that is none of the five, and a
// Claude request whose max tokens leave no room above its thinking budget
// (the API requires budget_tokens below max_tokens), are refused before
// anything is sent.
func TestReasoningRequestRefused(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		model     string
		level     providers.Reasoning
		maxTokens int
	}{
		{"unknown level, openai", fake.OpenAI, providers.KindOpenAI, "o3", "extreme", 1000},
		{"unknown level, anthropic", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", "High ", 1000},
		{"unknown level, gemini", fake.Gemini, providers.KindGemini, "gemini-2.5-flash", "max", 1000},
		{"claude budget equal to max tokens", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningHigh, 16384},
		{"claude budget above max tokens", fake.Anthropic, providers.KindAnthropic, "claude-sonnet-4-5", providers.ReasoningLow, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 5, Completion: 1}})
			defer srv.Close()
			req := request(tc.model)
			req.MaxTokens, req.Reasoning = tc.maxTokens, tc.level
			_, err, _ := collect(context.Background(), newClient(t, srv, tc.kind, 0), req)
			if !errors.Is(err, providers.ErrBadRequest) {
				t.Fatalf("err = %v, want ErrBadRequest", err)
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
		{providers.KindCompatible, true, "o3-mini", false, false, 0},
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
