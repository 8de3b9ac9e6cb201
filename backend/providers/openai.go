package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"

	"github.com/sashabaranov/go-openai"

	"meterdesk/backend/metering"
)

// openaiClient speaks the OpenAI chat-completions wire format through
// go-openai: OpenAI, DeepSeek and any OpenAI-compatible server.
type openaiClient struct {
	h   *httpLayer
	api *openai.Client
}

func newOpenAI(cfg Config, h *httpLayer) *openaiClient {
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = h.client
	return &openaiClient{h: h, api: openai.NewClientWithConfig(oc)}
}

// deepseekUsage is DeepSeek's usage object, which go-openai's Usage drops
// prompt_cache_hit_tokens / prompt_cache_miss_tokens from.
type deepseekUsage struct {
	PromptTokens     int64  `json:"prompt_tokens"`
	CompletionTokens int64  `json:"completion_tokens"`
	CacheHit         *int64 `json:"prompt_cache_hit_tokens"`
	CacheMiss        *int64 `json:"prompt_cache_miss_tokens"`
	Details          *struct {
		Reasoning int64 `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
}

// rawTap reads the raw SSE lines beside go-openai: it keeps the last
// non-null usage object (DeepSeek's cache fields), an in-stream error
// event, and the reasoning text of delta.reasoning (OpenRouter, vLLM), a
// field go-openai does not decode. go-openai itself misreads an error event
// that follows a ": keep-alive" comment (DeepSeek, OpenRouter), so the
// tap's copy is used.
type rawTap struct {
	usage *deepseekUsage
	err   *streamError
	// reasoning is all of delta.reasoning so far; taken is how much of it
	// takeReasoning has handed out. The tap reads ahead of go-openai (it
	// sees the body as it is buffered), so this is not per chunk.
	reasoning strings.Builder
	taken     int
}

// takeReasoning returns the delta.reasoning text read since its last call.
func (t *rawTap) takeReasoning() string {
	s := t.reasoning.String()[t.taken:]
	t.taken = t.reasoning.Len()
	return s
}

// streamError is an {"error": {...}} object sent inside a 200 stream.
type streamError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Code    any    `json:"code"`
}

func (t *rawTap) line(line []byte) {
	data, ok := bytes.CutPrefix(line, []byte("data:"))
	if !ok {
		return
	}
	data = bytes.TrimSpace(data)
	if bytes.HasPrefix(data, []byte(`{"error"`)) {
		var e struct {
			Error *streamError `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != nil {
			t.err = e.Error
		}
		return
	}
	if bytes.Contains(data, []byte(`"reasoning":`)) { // not "reasoning_content", nor inside a string (escaped quotes)
		var chunk struct {
			Choices []struct {
				Index int `json:"index"`
				Delta struct {
					Reasoning string `json:"reasoning"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if json.Unmarshal(data, &chunk) == nil {
			for _, ch := range chunk.Choices {
				if ch.Index == 0 {
					t.reasoning.WriteString(ch.Delta.Reasoning)
				}
			}
		}
	}
	if !hasUsageObject(data) {
		return // OpenAI sends "usage":null on every chunk but the last
	}
	var chunk struct {
		Usage *deepseekUsage `json:"usage"`
	}
	if json.Unmarshal(data, &chunk) == nil && chunk.Usage != nil {
		t.usage = chunk.Usage
	}
}

// hasUsageObject reports whether a chunk's JSON has a "usage" key whose
// value is an object, without decoding it. Inside JSON strings quotes are
// escaped, so a reply that mentions "usage" does not match.
func hasUsageObject(data []byte) bool {
	key := []byte(`"usage"`)
	for i := bytes.Index(data, key); i >= 0; {
		rest := bytes.TrimLeft(data[i+len(key):], " \t\r\n")
		if v, ok := bytes.CutPrefix(rest, []byte(":")); ok && bytes.HasPrefix(bytes.TrimLeft(v, " \t\r\n"), []byte("{")) {
			return true
		}
		next := bytes.Index(data[i+len(key):], key)
		if next < 0 {
			break
		}
		i += len(key) + next
	}
	return false
}

// apiError turns a captured in-stream error event into an *APIError.
func (e *streamError) apiError(key string) *APIError {
	status := http.StatusInternalServerError
	if n, ok := e.Code.(float64); ok && n >= 400 && n < 600 {
		status = int(n)
	} else if e.Type == "rate_limit_exceeded" || e.Code == "rate_limit_exceeded" {
		status = http.StatusTooManyRequests
	}
	return &APIError{Status: status, Message: redact(e.Message, key)}
}

func (c *openaiClient) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	var res Result
	if err := checkRequest(req); err != nil {
		return res, err
	}
	wctx, w := c.h.begin(ctx)
	defer w.end()
	tap := &rawTap{}
	w.tap = tap.line
	creq := openai.ChatCompletionRequest{
		Model:         req.Model,
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	}
	for _, m := range req.Messages {
		creq.Messages = append(creq.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	if t := req.Sampling.Temperature; t != nil {
		// go-openai omits a zero temperature (omitempty), which would mean
		// the provider's default (1); the smallest float32 is its
		// documented stand-in for 0.
		creq.Temperature = max(float32(*t), math.SmallestNonzeroFloat32)
	}
	if p := req.Sampling.TopP; p != nil {
		creq.TopP = max(float32(*p), math.SmallestNonzeroFloat32)
	}
	creq.Stop = req.Sampling.Stop
	if sd := req.Sampling.Seed; sd != nil {
		seed := int(*sd)
		creq.Seed = &seed
	}
	// A zero penalty is the default, so go-openai's omitempty loses nothing.
	if p := req.Sampling.PresencePenalty; p != nil {
		creq.PresencePenalty = float32(*p)
	}
	if p := req.Sampling.FrequencyPenalty; p != nil {
		creq.FrequencyPenalty = float32(*p)
	}
	if req.MaxTokens > 0 {
		if c.h.cfg.Kind == KindOpenAI {
			creq.MaxCompletionTokens = req.MaxTokens
		} else {
			creq.MaxTokens = req.MaxTokens
		}
	}
	stream, err := c.api.CreateChatCompletionStream(wctx, creq)
	if err != nil {
		return res, c.h.classify(ctx, w, err, "chat")
	}
	defer stream.Close()

	var text, reasoning strings.Builder
	var usage *openai.Usage
	tools := map[int]bool{}
	finished := false
	// A server sends reasoning as delta.reasoning_content (DeepSeek,
	// older vLLM) or delta.reasoning (OpenRouter, newer vLLM), some as both
	// with the same text: delta.reasoning counts only while no
	// reasoning_content has come.
	sawContent := false
	done := func(err error) (Result, error) {
		res.Text, res.Reasoning = text.String(), reasoning.String()
		if !sawContent {
			res.Reasoning = tap.reasoning.String()
		}
		// Usage counts as final only from a finished stream: the usage
		// chunk comes after the finish_reason. Counts some servers send
		// earlier (vLLM's continuous usage stats) are partial: an
		// interrupted stream keeps them as Partial (exact prompt, output so
		// far) and is estimated.
		if finished {
			res.Usage = usable(c.usage(usage, tap.usage, len(tools)), &res)
		} else {
			res.Partial = usable(c.usage(usage, tap.usage, len(tools)), &res)
		}
		return res, err
	}
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if tap.err != nil && ctx.Err() == nil && !w.timedOut.Load() {
				return done(fmt.Errorf("chat stream: %w", tap.err.apiError(c.h.cfg.APIKey)))
			}
			return done(c.h.classify(ctx, w, err, "chat stream"))
		}
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			for _, tc := range ch.Delta.ToolCalls {
				i := len(tools)
				if tc.Index != nil {
					i = *tc.Index
				}
				tools[i] = true
			}
			if r := ch.Delta.ReasoningContent; r != "" {
				sawContent = true
				reasoning.WriteString(r)
				if err := req.reasoned(r); err != nil {
					return done(err)
				}
			}
			if ch.Delta.Content != "" {
				text.WriteString(ch.Delta.Content)
				if err := onDelta(ch.Delta.Content); err != nil {
					return done(err)
				}
			}
			if ch.FinishReason != "" {
				res.FinishReason = string(ch.FinishReason)
				finished = true
			}
		}
		if r := tap.takeReasoning(); r != "" && !sawContent {
			if err := req.reasoned(r); err != nil {
				return done(err)
			}
		}
	}
	if !finished {
		return done(fmt.Errorf("chat stream %s: %w (no finish_reason)", c.h.host, ErrInterrupted))
	}
	res.ToolCalls = len(tools)
	return done(nil)
}

// usage normalises the reported usage; nil when none was reported.
func (c *openaiClient) usage(u *openai.Usage, raw *deepseekUsage, toolCalls int) *metering.Usage {
	var out metering.Usage
	switch {
	case c.h.cfg.Kind == KindDeepSeek && raw != nil && raw.CacheHit != nil && raw.CacheMiss != nil:
		var reasoning int64
		if raw.Details != nil {
			reasoning = raw.Details.Reasoning
		}
		out = metering.FromDeepSeek(*raw.CacheHit, *raw.CacheMiss, raw.CompletionTokens, reasoning)
	case u != nil:
		var cached, reasoning int64
		if u.PromptTokensDetails != nil {
			cached = int64(u.PromptTokensDetails.CachedTokens)
		}
		if u.CompletionTokensDetails != nil {
			reasoning = int64(u.CompletionTokensDetails.ReasoningTokens)
		}
		out = metering.FromOpenAI(int64(u.PromptTokens), cached, int64(u.CompletionTokens), reasoning, int64(u.TotalTokens))
	default:
		return nil
	}
	out.ToolCalls = int64(toolCalls)
	return &out
}

func (c *openaiClient) Models(ctx context.Context) ([]string, error) {
	wctx, w := c.h.beginList(ctx)
	defer w.end()
	list, err := c.api.ListModels(wctx)
	if err != nil {
		return nil, c.h.classify(ctx, w, err, "list models")
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		if m.ID != "" {
			ids = append(ids, m.ID)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func (c *openaiClient) Test(ctx context.Context) error {
	_, err := c.Models(ctx)
	return err
}

// checkRequest rejects a request no provider would accept.
func checkRequest(req Request) error {
	if strings.TrimSpace(req.Model) == "" {
		return fmt.Errorf("%w: no model", ErrBadRequest)
	}
	if len(req.Messages) == 0 {
		return fmt.Errorf("%w: no messages", ErrBadRequest)
	}
	for i, m := range req.Messages {
		switch m.Role {
		case "system", "user", "assistant":
		default:
			return fmt.Errorf("%w: message %d has role %q (want system, user or assistant)", ErrBadRequest, i, m.Role)
		}
	}
	if req.MaxTokens < 0 {
		return fmt.Errorf("%w: max tokens %d is negative", ErrBadRequest, req.MaxTokens)
	}
	return CheckSampling(req.Sampling)
}
