// Package providers configures the AI providers a workspace talks to (OpenAI,
// DeepSeek, Gemini, Anthropic Claude and any OpenAI-compatible server such as
// Ollama, LM Studio, llama.cpp or OpenRouter), keeps their API keys out of the
// database in plain text (OS keychain, or AES-256-GCM at rest), and streams
// chat replies through one Client interface whose Result carries usage
// normalised to metering.Usage.
//
// Adapters: OpenAI-compatible kinds send their chat request themselves and
// decode its stream into github.com/sashabaranov/go-openai's types (go-openai's
// own chat call refuses requests for models named like OpenAI's reasoning
// models before sending; DeepSeek's prompt_cache_hit/miss_tokens are read from
// the raw final SSE usage chunk, which go-openai's Usage struct drops), and
// list models with go-openai; Anthropic uses
// github.com/anthropics/anthropic-sdk-go; Gemini uses google.golang.org/genai.
// Every adapter runs its HTTP traffic through one transport that records the
// response status and Retry-After, enforces an idle timeout, and lets errors
// be mapped to ErrOffline, ErrTimeout, ErrInterrupted, ErrMalformed or
// *APIError.
package providers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"meterdesk/backend/metering"
)

// Message is one turn of a conversation sent to a provider.
type Message struct {
	Role    string `json:"role"` // system|user|assistant
	Content string `json:"content"`
}

// Request is one streamed chat completion.
type Request struct {
	Model     string    `json:"model"`
	Messages  []Message `json:"messages"`
	MaxTokens int       `json:"maxTokens"` // 0 = provider default (Anthropic: DefaultAnthropicMaxTokens)
	Sampling  Sampling  `json:"sampling"`
	// Reasoning asks a reasoning model to think more or less
	// (ReasoningFor decides what each kind sends; "" or ReasoningDefault:
	// nothing). A thinking budget counts within MaxTokens: the caller adds
	// ReasoningPlan.Budget to the answer's budget (chat does).
	Reasoning Reasoning `json:"reasoning,omitempty"`
	// OnReasoning, when set, is called with each piece of reasoning text as
	// it arrives (Result.Reasoning's pieces), so that the caller can bound
	// it as it bounds the reply's text. An error from it stops the stream
	// and is returned, as one from onDelta does.
	OnReasoning func(text string) error `json:"-"`
}

// reasoned passes a piece of reasoning text to req.OnReasoning, if set.
func (req *Request) reasoned(text string) error {
	if req.OnReasoning == nil || text == "" {
		return nil
	}
	return req.OnReasoning(text)
}

// Sampling holds the sampling parameters every provider takes; a nil or
// empty field leaves the provider's default. They steer the model, not the
// charge (nothing here is money). Ranges are OpenAI's (checkRequest); a
// provider with a narrower one (Anthropic's temperature is 0 to 1) answers
// a request outside it with its own error.
//
// Seed and the two penalties reach OpenAI-compatible providers and Gemini;
// Anthropic's Messages API has none of them, so they are not sent there.
type Sampling struct {
	Temperature      *float64 `json:"temperature,omitempty"`      // 0 to 2
	TopP             *float64 `json:"topP,omitempty"`             // 0 to 1
	Stop             []string `json:"stop,omitempty"`             // up to MaxStop non-empty sequences
	Seed             *int64   `json:"seed,omitempty"`             // best-effort determinism (Gemini: 32 bits)
	PresencePenalty  *float64 `json:"presencePenalty,omitempty"`  // -2 to 2
	FrequencyPenalty *float64 `json:"frequencyPenalty,omitempty"` // -2 to 2
}

// MaxStop is the most stop sequences a request may carry (OpenAI's limit).
const MaxStop = 4

// Result is what a stream delivered. Text, Reasoning, Partial and
// FinishReason are filled even when Stream returns an error midway, so that
// the caller can charge for what was delivered. Usage is nil when the
// provider reported no final usage (metering.EstimateDelivered then counts
// Text and Reasoning, with the Partial counts).
type Result struct {
	Text         string          `json:"text"`
	Usage        *metering.Usage `json:"usage"`
	FinishReason string          `json:"finishReason"`
	ToolCalls    int             `json:"toolCalls"`
	// Partial is the usage the provider reported before its stream ended
	// without the final figures (Anthropic's message_start, Gemini's
	// usageMetadata on an earlier chunk, an OpenAI-compatible server's
	// running usage): its input side is exact, its output and reasoning
	// counts are those so far. Nil when Usage is set or nothing was reported.
	Partial *metering.Usage `json:"partial,omitempty"`
	// Reasoning is the reasoning text streamed beside Text (the
	// OpenAI-compatible delta.reasoning_content of DeepSeek and others, or
	// delta.reasoning of OpenRouter and vLLM; Anthropic's thinking_delta,
	// Gemini's thought parts). It is never
	// shown; it is counted only when Usage is nil.
	Reasoning string `json:"-"`
	// ReasoningInOutput: the provider counts and bills reasoning as output
	// tokens (Anthropic), so Reasoning is counted as output.
	ReasoningInOutput bool `json:"-"`
	// ToolText is what the model generated for its tool calls, as the
	// stream delivered it: each call's name and arguments (the
	// OpenAI-compatible delta.tool_calls' function name and arguments,
	// Anthropic's tool_use name and input_json_delta, Gemini's
	// functionCall name and args as JSON). Providers bill it as output; it
	// is never shown, and counted as output only when Usage is nil (a cut
	// or stopped stream).
	ToolText string `json:"-"`
	// ReasoningHidden: the model reasoned where the stream shows none of
	// it, or only a summary (OpenAI's reasoning models, o1, o3, gpt-5…,
	// stream no reasoning; Claude 4 and later stream a summary of their
	// thinking), and the provider bills all of it. When no final usage came
	// (a cut or stopped stream), what was not shown cannot be counted: the
	// charge says so (metering.Breakdown.ReasoningHidden) rather than
	// claim the count is complete.
	ReasoningHidden bool `json:"-"`
}

// Produced reports whether the stream delivered anything the provider
// generated and bills: reply text, reasoning text or tool-call text.
func (r Result) Produced() bool { return r.Text != "" || r.Reasoning != "" || r.ToolText != "" }

// usable returns u, or nil when u counts no token at all although the
// stream delivered text, reasoning text or tool calls: some
// OpenAI-compatible servers fill the usage object with zeros, which would
// make the reply free. With nil the caller counts the reply instead
// (estimated).
func usable(u *metering.Usage, res *Result) *metering.Usage {
	if u != nil && u.Input == 0 && u.CacheRead == 0 && u.CacheWrite == 0 && u.Output == 0 && u.Reasoning == 0 && res.Produced() {
		return nil
	}
	return u
}

// Client streams completions from one configured provider.
type Client interface {
	// Stream sends req and calls onDelta with each piece of text as it arrives.
	// An error from onDelta stops the stream and is returned.
	Stream(ctx context.Context, req Request, onDelta func(text string) error) (Result, error)
	// Models lists the model ids the provider reports.
	Models(ctx context.Context) ([]string, error)
	// Test checks that the provider answers with the configured key.
	Test(ctx context.Context) error
}

// Kind is the wire format a provider speaks.
type Kind string

// The supported kinds.
const (
	KindOpenAI     Kind = "openai"
	KindDeepSeek   Kind = "deepseek"
	KindAnthropic  Kind = "anthropic"
	KindGemini     Kind = "gemini"
	KindCompatible Kind = "openai_compatible" // Ollama, LM Studio, llama.cpp server, OpenRouter, ...
)

// Kinds lists every supported kind.
func Kinds() []Kind {
	return []Kind{KindOpenAI, KindDeepSeek, KindAnthropic, KindGemini, KindCompatible}
}

// Valid reports whether k is a supported kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds() {
		if k == v {
			return true
		}
	}
	return false
}

// NeedsKey reports whether the kind always requires an API key (local
// OpenAI-compatible servers usually do not).
func (k Kind) NeedsKey() bool { return k != KindCompatible }

// Preset is a ready-made configuration the UI and CLI offer.
type Preset struct {
	ID      string `json:"id"`    // e.g. "ollama"
	Label   string `json:"label"` // e.g. "Ollama (local)"
	Kind    Kind   `json:"kind"`
	BaseURL string `json:"baseUrl"`
	NeedKey bool   `json:"needKey"`
}

// Presets returns the known providers with their documented base URLs.
func Presets() []Preset {
	return []Preset{
		{ID: "openai", Label: "OpenAI", Kind: KindOpenAI, BaseURL: "https://api.openai.com/v1", NeedKey: true},
		{ID: "deepseek", Label: "DeepSeek", Kind: KindDeepSeek, BaseURL: "https://api.deepseek.com", NeedKey: true},
		{ID: "anthropic", Label: "Anthropic Claude", Kind: KindAnthropic, BaseURL: "https://api.anthropic.com", NeedKey: true},
		{ID: "gemini", Label: "Google Gemini", Kind: KindGemini, BaseURL: "https://generativelanguage.googleapis.com", NeedKey: true},
		{ID: "openrouter", Label: "OpenRouter", Kind: KindCompatible, BaseURL: "https://openrouter.ai/api/v1", NeedKey: true},
		{ID: "ollama", Label: "Ollama (local)", Kind: KindCompatible, BaseURL: "http://localhost:11434/v1"},
		{ID: "lmstudio", Label: "LM Studio (local)", Kind: KindCompatible, BaseURL: "http://localhost:1234/v1"},
		{ID: "llamacpp", Label: "llama.cpp server (local)", Kind: KindCompatible, BaseURL: "http://localhost:8080/v1"},
	}
}

// DefaultBaseURL is the documented base URL for a kind ("" for generic
// OpenAI-compatible servers, which must be given one).
func DefaultBaseURL(k Kind) string {
	for _, p := range Presets() {
		if p.Kind == k && k != KindCompatible {
			return p.BaseURL
		}
	}
	return ""
}

// DefaultAnthropicMaxTokens is sent when Request.MaxTokens is 0, because the
// Messages API requires max_tokens.
const DefaultAnthropicMaxTokens = 4096

// DefaultIdleTimeout is how long a request may wait for the next byte (the
// response headers, or the next piece of a stream) before it fails with
// ErrTimeout.
const DefaultIdleTimeout = 120 * time.Second

// DefaultListTimeout bounds a model listing, and so a connection test, from
// start to end. A listing is small and quick; a server that accepted the
// connection but sends nothing (busy loading a model, or wedged) is
// reported after this rather than after DefaultIdleTimeout. A chat stream
// keeps DefaultIdleTimeout: its first token may come late.
const DefaultListTimeout = 15 * time.Second

// DefaultCommentsOnlyTimeout bounds how long an OpenAI-style chat stream
// may go on sending nothing but SSE comments (": keep-alive",
// ": OPENROUTER PROCESSING") with no data line, from the start of the
// response or since its last chunk, before it fails with ErrTimeout.
// Comments reset the idle timeout, so without this a proxy that keeps
// sending them would hold the send (its credit hold, a local API client)
// until the user pressed Stop. OpenRouter documents no limit to its
// processing comments; 10 minutes is as long as OpenAI's own SDKs wait for
// an answer by default, and leaves a reasoning model that streams no
// reasoning ample time to think. A stream whose reasoning text arrives as
// data is not bound by it.
const DefaultCommentsOnlyTimeout = 10 * time.Minute

// Config is what an adapter needs to talk to one provider.
type Config struct {
	Kind    Kind
	BaseURL string
	APIKey  string
	// HTTPClient carries the traffic; nil (or a nil Transport) = the shared
	// transport (NewTransport: connecting and the TLS handshake bounded to
	// 10 s each). Its Transport is wrapped, never replaced.
	HTTPClient *http.Client
	// IdleTimeout bounds the silence before ErrTimeout; 0 = DefaultIdleTimeout.
	IdleTimeout time.Duration
	// ListTimeout bounds a whole model listing (Models, Test: the connection
	// test and the model picker); 0 = DefaultListTimeout.
	ListTimeout time.Duration
	// CommentsOnlyTimeout bounds how long an OpenAI-style chat stream may
	// send nothing but comments (keep-alives) since its last data line or
	// its start; 0 = DefaultCommentsOnlyTimeout.
	CommentsOnlyTimeout time.Duration
	// MaxWholeAnswer bounds, in bytes, a whole JSON answer to a streaming
	// chat request (a server that ignored "stream") or to a model listing
	// read into memory; 0 = DefaultMaxWholeAnswer. A longer chat answer is
	// delivered as far as it was read, cut off there (see unstreamed.go).
	MaxWholeAnswer int
	// Now is the clock used to read HTTP-date Retry-After values; nil = time.Now.
	Now func() time.Time
}

// New returns the streaming client for cfg.
func New(cfg Config) (Client, error) {
	if !cfg.Kind.Valid() {
		return nil, fmt.Errorf("provider kind %q: %w", cfg.Kind, ErrUnknownKind)
	}
	if cfg.APIKey == "" && cfg.Kind.NeedsKey() {
		return nil, fmt.Errorf("%s provider: %w", cfg.Kind, ErrNoKey)
	}
	// A base URL saved before NormalizeBaseURL existed (an Anthropic one
	// ending in /v1, a cloud kind over http://) is cleaned, or refused, here.
	base, err := NormalizeBaseURL(cfg.Kind, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.ListTimeout <= 0 {
		cfg.ListTimeout = DefaultListTimeout
	}
	if cfg.CommentsOnlyTimeout <= 0 {
		cfg.CommentsOnlyTimeout = DefaultCommentsOnlyTimeout
	}
	if cfg.MaxWholeAnswer <= 0 {
		cfg.MaxWholeAnswer = DefaultMaxWholeAnswer
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := newHTTP(cfg)
	switch cfg.Kind {
	case KindAnthropic:
		return newAnthropic(cfg, h), nil
	case KindGemini:
		return newGemini(cfg, h)
	default:
		return newOpenAI(cfg, h), nil
	}
}
