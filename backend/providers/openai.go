package providers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sashabaranov/go-openai"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/metering"
)

// openaiClient speaks the OpenAI chat-completions wire format: OpenAI,
// DeepSeek and any OpenAI-compatible server. It writes the chat request and
// reads its event stream itself (chatRequest, sseReader), decoding each
// chunk and error into go-openai's types; go-openai lists the models.
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
	// seen is the largest hit + miss of the usage objects read
	// (mergeDeepSeekUsage): the prompt's size when none counts it.
	seen int64
}

// rawTap reads the raw SSE lines beside the chunk decoding: it keeps the
// counts of the non-null usage objects (mergeDeepSeekUsage: the largest of
// each growing count, the latest cache split; DeepSeek's cache fields,
// which go-openai's Usage drops), and the reasoning text of delta.reasoning (OpenRouter, vLLM), a
// field go-openai's chunk type does not decode.
type rawTap struct {
	usage *deepseekUsage
	// reasoning is all of delta.reasoning so far; taken is how much of it
	// takeReasoning has handed out. The tap reads ahead of sseReader (it
	// sees the body as it is buffered), so this is not per chunk.
	reasoning strings.Builder
	taken     int
	// sawContent: a chunk with a non-empty delta.reasoning_content has been
	// read. A server that sends both fields sends the same text in each,
	// and the stream loop takes reasoning_content: delta.reasoning is then
	// not handed out (the tap reads ahead, so the loop may not have seen
	// that chunk yet).
	sawContent bool
}

// takeReasoning returns the delta.reasoning text read since its last call,
// or "" once reasoning_content has been seen.
func (t *rawTap) takeReasoning() string {
	if t.sawContent {
		return ""
	}
	s := t.reasoning.String()[t.taken:]
	t.taken = t.reasoning.Len()
	return s
}

func (t *rawTap) line(line []byte) {
	data, ok := bytes.CutPrefix(line, []byte("data:"))
	if !ok {
		return
	}
	data = bytes.TrimSpace(data)
	if bytes.HasPrefix(data, []byte(`{"error"`)) {
		return // sseReader.next's
	}
	if !t.sawContent && hasNonEmptyString(data, `"reasoning_content"`) {
		var chunk struct {
			Choices []struct {
				Index int `json:"index"`
				Delta struct {
					ReasoningContent string `json:"reasoning_content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if json.Unmarshal(data, &chunk) == nil {
			for _, ch := range chunk.Choices {
				t.sawContent = t.sawContent || ch.Index == 0 && ch.Delta.ReasoningContent != ""
			}
		}
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
		t.usage = mergeDeepSeekUsage(t.usage, chunk.Usage)
	}
}

// mergeDeepSeekUsage is the raw usage so far once a chunk's usage next has
// come (prev: nil before the first). The counts that only grow (prompt,
// completion, reasoning) are each the larger of the earlier and next's, so
// a field next leaves out keeps the earlier one (mergeUsage). The cache
// split is a pair (hit + miss = prompt): it comes as sent from the latest
// usage object that has either field, an earlier one's only when next has
// neither, so an early {hit 0, miss 12} and a final {hit 8, miss 4} are 4
// tokens at the full rate and 8 read from the cache, not 12 and 8, and a
// count corrected downwards is charged as corrected. seen keeps the
// largest hit + miss of any object, the prompt's size when no object
// counts the prompt. The split is made whole and clamped when the usage is
// read (deepseekSplit), the same for one object as for several.
func mergeDeepSeekUsage(prev, next *deepseekUsage) *deepseekUsage {
	reported := func(u *deepseekUsage) int64 {
		var n int64
		if u.CacheHit != nil {
			n += max(*u.CacheHit, 0)
		}
		if u.CacheMiss != nil {
			n += max(*u.CacheMiss, 0)
		}
		return n
	}
	if prev == nil {
		u := *next
		u.seen = reported(next)
		return &u
	}
	u := *prev
	u.PromptTokens = max(u.PromptTokens, next.PromptTokens)
	u.CompletionTokens = max(u.CompletionTokens, next.CompletionTokens)
	if next.CacheHit != nil || next.CacheMiss != nil {
		u.CacheHit, u.CacheMiss = next.CacheHit, next.CacheMiss
	}
	u.seen = max(u.seen, reported(next))
	if next.Details != nil && (u.Details == nil || next.Details.Reasoning > u.Details.Reasoning) {
		u.Details = next.Details
	}
	return &u
}

// deepseekSplit is the cache split of u (at least one of its fields set):
// of a prompt of p tokens (the prompt count; without one, the largest hit
// + miss any usage object reported, so that a later object with fewer
// never charges fewer input tokens: {hit 0, miss 12} then {hit 8} is 8
// and 4), the hit count at most p and the miss count the rest, as
// metering.FromOpenAI splits a cached count from its prompt; with only
// the miss count, that count at most p and the hits the rest. No token is
// charged twice, and none of the prompt goes uncharged.
func deepseekSplit(u *deepseekUsage) (hit, miss int64) {
	p := u.PromptTokens
	if p <= 0 {
		p = u.seen
	}
	if u.CacheHit == nil {
		miss = min(max(*u.CacheMiss, 0), p)
		return p - miss, miss
	}
	hit = min(max(*u.CacheHit, 0), p)
	return hit, p - hit
}

// mergeUsage is the usage so far once a chunk's usage next has come (a
// server may send usage on several chunks: vLLM's continuous usage stats,
// then the final usage chunk). The counts that only grow (prompt,
// completion, total, the completion details such as reasoning) are each
// the larger of the earlier (prev, nil before the first) and next's, so a
// count next leaves out (or sends as 0) never lowers it. The prompt's
// details (the cached part of the prompt) are a split of the prompt, not a
// running count: they come whole from the latest object that has them, an
// earlier one's only when next has none, and FromOpenAI clamps the cached
// count to the prompt.
func mergeUsage(prev, next *openai.Usage) *openai.Usage {
	if prev == nil {
		return next
	}
	u := openai.Usage{PromptTokens: max(prev.PromptTokens, next.PromptTokens),
		CompletionTokens: max(prev.CompletionTokens, next.CompletionTokens), TotalTokens: max(prev.TotalTokens, next.TotalTokens)}
	u.PromptTokensDetails = prev.PromptTokensDetails
	if next.PromptTokensDetails != nil {
		u.PromptTokensDetails = next.PromptTokensDetails
	}
	if prev.CompletionTokensDetails != nil || next.CompletionTokensDetails != nil {
		var d openai.CompletionTokensDetails
		for _, x := range []*openai.CompletionTokensDetails{prev.CompletionTokensDetails, next.CompletionTokensDetails} {
			if x != nil {
				d.AudioTokens, d.ReasoningTokens = max(d.AudioTokens, x.AudioTokens), max(d.ReasoningTokens, x.ReasoningTokens)
				d.AcceptedPredictionTokens = max(d.AcceptedPredictionTokens, x.AcceptedPredictionTokens)
				d.RejectedPredictionTokens = max(d.RejectedPredictionTokens, x.RejectedPredictionTokens)
			}
		}
		u.CompletionTokensDetails = &d
	}
	return &u
}

// hasNonEmptyString reports whether a chunk's JSON has key (quoted) with a
// non-empty string value, without decoding it.
func hasNonEmptyString(data []byte, key string) bool {
	return hasValue(data, key, func(v []byte) bool { return len(v) > 1 && v[0] == '"' && v[1] != '"' })
}

// hasUsageObject reports whether a chunk's JSON has a "usage" key whose
// value is an object, without decoding it.
func hasUsageObject(data []byte) bool {
	return hasValue(data, `"usage"`, func(v []byte) bool { return len(v) > 0 && v[0] == '{' })
}

// hasValue reports whether a chunk's JSON has key (quoted) followed by a
// colon and a value (from its first byte, blanks skipped) that is(v)
// accepts. Inside JSON strings quotes are escaped, so a reply that mentions
// the key does not match.
func hasValue(data []byte, key string, is func(v []byte) bool) bool {
	k := []byte(key)
	for i := bytes.Index(data, k); i >= 0; {
		rest := bytes.TrimLeft(data[i+len(k):], " \t\r\n")
		if v, ok := bytes.CutPrefix(rest, []byte(":")); ok && is(bytes.TrimLeft(v, " \t\r\n")) {
			return true
		}
		next := bytes.Index(data[i+len(k):], k)
		if next < 0 {
			break
		}
		i += len(k) + next
	}
	return false
}

// chatRequest is the body of POST {base}/chat/completions as Meterdesk
// writes it. It is Meterdesk's own rather than go-openai's
// ChatCompletionRequest, whose CreateChatCompletionStream (v1.43) refuses
// before sending, with no option to skip the check (ReasoningValidator),
// any request for a model named o1…, o3…, o4… or gpt-5… that carries
// max_tokens, a temperature or top_p other than 1, or a positive penalty,
// although gpt-5.1 and gpt-5.2 (reasoning effort none), gpt-5-chat-latest,
// and other servers' models so named take them; and whose float32 fields
// with omitempty cannot carry a temperature of 0. What a model takes is the
// provider's to say: its refusal comes back as an *APIError with its own
// message (a 400), which chat shows and the local API passes on.
type chatRequest struct {
	Model               string             `json:"model"`
	Messages            []chatMessage      `json:"messages"`
	Stream              bool               `json:"stream"`
	StreamOptions       *chatStreamOptions `json:"stream_options,omitempty"`
	MaxTokens           int                `json:"max_tokens,omitempty"`
	MaxCompletionTokens int                `json:"max_completion_tokens,omitempty"`
	ReasoningEffort     string             `json:"reasoning_effort,omitempty"`
	Temperature         *float64           `json:"temperature,omitempty"`
	TopP                *float64           `json:"top_p,omitempty"`
	Stop                []string           `json:"stop,omitempty"`
	Seed                *int64             `json:"seed,omitempty"`
	PresencePenalty     *float64           `json:"presence_penalty,omitempty"`
	FrequencyPenalty    *float64           `json:"frequency_penalty,omitempty"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatStreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// chatBody is req as this provider's request body: the sampling fields as
// they were set (a zero temperature is sent as 0), the output budget as
// max_completion_tokens or max_tokens (completionTokensField), and the
// reasoning level as reasoning_effort where it applies (openAIReasoning).
func (c *openaiClient) chatBody(req Request) chatRequest {
	b := chatRequest{
		Model:            req.Model,
		Stream:           true,
		StreamOptions:    &chatStreamOptions{IncludeUsage: true},
		Temperature:      req.Sampling.Temperature,
		TopP:             req.Sampling.TopP,
		Stop:             req.Sampling.Stop,
		Seed:             req.Sampling.Seed,
		PresencePenalty:  req.Sampling.PresencePenalty,
		FrequencyPenalty: req.Sampling.FrequencyPenalty,
	}
	for _, m := range req.Messages {
		b.Messages = append(b.Messages, chatMessage{Role: m.Role, Content: m.Content})
	}
	if req.MaxTokens > 0 {
		if c.completionTokensField(req.Model) {
			b.MaxCompletionTokens = req.MaxTokens
		} else {
			b.MaxTokens = req.MaxTokens
		}
	}
	b.ReasoningEffort = ReasoningFor(c.h.cfg.Kind, c.h.selfHosted(), req.Model, req.Reasoning).Effort
	return b
}

// completionTokensField reports whether the output budget goes out as
// max_completion_tokens rather than max_tokens:
//   - openai: always (OpenAI deprecated max_tokens, and its reasoning
//     models refuse it);
//   - deepseek: never (DeepSeek documents max_tokens);
//   - openai_compatible: only for a model named as OpenAI's reasoning
//     models are (reasoningModelName: o1, o3-mini, gpt-5.1…) on a server
//     that is not self-hosted (selfHosted): OpenAI itself behind a
//     pass-through gateway (Helicone, Cloudflare AI Gateway, a company
//     proxy) and Azure OpenAI refuse max_tokens for those models ("Use
//     'max_completion_tokens' instead"), as go-openai, which checks the
//     name whatever the API type, has it; LiteLLM takes either. Every
//     other model, and every self-hosted server whatever its models are
//     called, gets max_tokens, which they all read: Ollama, LM Studio and
//     llama.cpp read only max_tokens and ignore max_completion_tokens, so
//     the answer would run past the Max output that was held for; and
//     OpenRouter documents max_tokens (its names carry a vendor prefix,
//     openai/o3, which reasoningModelName does not match).
func (c *openaiClient) completionTokensField(model string) bool {
	switch c.h.cfg.Kind {
	case KindOpenAI:
		return true
	case KindCompatible:
		return !c.h.selfHosted() && reasoningModelName(model)
	}
	return false
}

// reasoningModelName reports whether model is named as OpenAI's reasoning
// models are: "o" and a digit (o1, o3-mini, o4-mini), or gpt-N with N of
// 5 or more (gpt-5, gpt-5.1, gpt-5-mini), case aside. go-openai's
// ReasoningValidator matches o1, o3, o4 and gpt-5 the same way, at the
// start of the name; so does this, so "openai/o3" on OpenRouter (which
// documents max_tokens) is not matched.
func reasoningModelName(model string) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	if rest, ok := strings.CutPrefix(m, "o"); ok {
		return rest != "" && rest[0] >= '1' && rest[0] <= '9'
	}
	rest, ok := strings.CutPrefix(m, "gpt-")
	if !ok {
		return false
	}
	n := 0
	i := 0
	for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && n < 1000; i++ {
		n = n*10 + int(rest[i]-'0')
	}
	return i > 0 && n >= 5
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// post sends a chat request body and returns the response of a stream
// that started (2xx); an error status is returned as an
// *openai.RequestError with the body (up to maxErrorBody), as go-openai
// returns an error body it cannot decode, which classify turns into an
// *APIError with the body's message (parseWireError: OpenAI's error object,
// TGI's and vLLM's string error, …) or else the body itself.
func (c *openaiClient) post(ctx context.Context, body []byte) (*http.Response, error) {
	u := strings.TrimRight(c.h.cfg.BaseURL, "/") + "/chat/completions"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "text/event-stream")
	hr.Header.Set("Cache-Control", "no-cache")
	if k := c.h.cfg.APIKey; k != "" {
		hr.Header.Set("Authorization", "Bearer "+k)
	}
	resp, err := c.h.client.Do(hr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= http.StatusOK && resp.StatusCode < http.StatusBadRequest {
		return resp, nil
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return nil, fmt.Errorf("reading the error response: %w", err)
	}
	return nil, &openai.RequestError{HTTPStatus: resp.Status, HTTPStatusCode: resp.StatusCode, Body: raw}
}

// maxBareBody bounds the non-SSE lines sseReader keeps.
const maxBareBody = 64 << 10

// maxLine bounds one line of an event stream (a chunk, a comment): a line
// that never ends fails the stream as malformed (errLineTooLong) instead of
// growing memory without limit. The largest chunks (a long tool call's
// arguments, a usage object) are a few KiB.
const maxLine = 4 << 20

var errLineTooLong = fmt.Errorf("%w: a line of the event stream is longer than %d MiB", ErrMalformed, maxLine>>20)

// sseReader reads the chat.completion.chunk events of a stream: each
// "data:" line is one chunk and "data: [DONE]" ends it; comments
// (": keep-alive", ": OPENROUTER PROCESSING") and other SSE fields are
// skipped, since a reasoning model may think for minutes behind them; the
// idle timeout ends a silent stream, and boundComments one that sends only
// comments for too long. Errors end the stream with an *APIError carrying
// the server's message (parseWireError, wireError.status):
//   - a data line with a top-level "error" (DeepSeek, OpenRouter, vLLM,
//     TGI send one inside a 200 stream, also after a comment). OpenRouter's
//     comes beside a chunk with finish_reason "error": that chunk is
//     returned first, then the error;
//   - llama.cpp's "error:" line, and the data of an "event: error";
//   - a body that is not SSE but an error object (a proxy answering 200),
//     read at the end of the body whether or not it ends with a newline.
type sseReader struct {
	r    *bufio.Reader
	key  string
	done bool
	// hint is the hint for an error object that came as the whole body,
	// with no data line, in place of the stream (httpLayer.pathHint); data
	// is set once a data line came.
	hint func(*APIError) string
	data bool
	bare bytes.Buffer // the lines that are not SSE, up to maxBareBody
	line []byte       // the line being read (readLine)
	// event is the SSE event type ("event:") of the lines since the last
	// blank line.
	event string
	// pending is the error of a chunk that carried one (OpenRouter's),
	// returned by the call after the one that returned the chunk.
	pending error
	// quiet ends the stream when no data line came for quietFor
	// (boundComments); stalled is set when it did.
	quiet    *time.Timer
	quietFor time.Duration
	stalled  atomic.Bool
}

// boundComments makes the stream fail (cancel, stalled) when no data line
// arrives for limit from now on, or after the last one: comments alone do
// not hold it open for ever. stop releases the timer.
func (s *sseReader) boundComments(limit time.Duration, cancel func()) (stop func()) {
	s.quietFor = limit
	s.quiet = time.AfterFunc(limit, func() {
		s.stalled.Store(true)
		cancel()
	})
	return func() { s.quiet.Stop() }
}

// sawData restarts the comments-only bound.
func (s *sseReader) sawData() {
	if s.quiet != nil && !s.stalled.Load() {
		s.quiet.Reset(s.quietFor)
	}
}

// readLine returns the next line (with its "\n"; without one at the end of
// the body, with io.EOF), at most maxLine bytes.
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		frag, err := s.r.ReadSlice('\n')
		if len(s.line)+len(frag) > maxLine {
			return nil, errLineTooLong
		}
		s.line = append(s.line, frag...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return s.line, err
		}
	}
}

// field returns the value of an SSE field line "name:value" (one leading
// space and trailing space trimmed).
func field(line []byte, name string) ([]byte, bool) {
	v, ok := bytes.CutPrefix(line, []byte(name+":"))
	if !ok {
		return nil, false
	}
	return bytes.TrimSpace(v), true
}

// next returns the next chunk; io.EOF after [DONE] or at the end of the body.
func (s *sseReader) next() (*openai.ChatCompletionStreamResponse, error) {
	if err := s.pending; err != nil {
		s.pending, s.done = nil, true
		return nil, err
	}
	for !s.done {
		raw, err := s.readLine()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		// A last line without its newline is incomplete when it is a chunk
		// (the stream was cut); an error in it, or a bare body's last line,
		// is taken.
		eof := err != nil
		line := bytes.TrimSpace(raw)
		if data, ok := field(line, "data"); ok {
			s.sawData()
			s.data = true
			if string(data) == "[DONE]" {
				s.done = true
				break
			}
			if s.event == "error" || bytes.Contains(data, []byte(`"error`)) {
				if we, ok := parseWireError(data, s.event == "error"); ok {
					ae := we.apiError(s.key)
					var chunk openai.ChatCompletionStreamResponse
					if !eof && json.Unmarshal(data, &chunk) == nil && len(chunk.Choices) > 0 {
						s.pending = ae
						return &chunk, nil
					}
					return nil, ae
				}
			}
			if !eof {
				var chunk openai.ChatCompletionStreamResponse
				if err := json.Unmarshal(data, &chunk); err != nil {
					return nil, err
				}
				return &chunk, nil
			}
		} else if data, ok := field(line, "error"); ok { // llama.cpp
			we, _ := parseWireError(data, true)
			return nil, we.apiError(s.key)
		} else if v, ok := field(line, "event"); ok {
			s.event = string(v)
		} else if len(line) == 0 {
			s.event = "" // a blank line ends an event
		} else if line[0] != ':' && !isSSEField(line) && s.bare.Len()+len(line) <= maxBareBody {
			s.bare.Write(line)
		}
		if eof {
			if we, ok := parseWireError(s.bare.Bytes(), false); ok {
				ae := we.apiError(s.key)
				if !s.data && s.hint != nil {
					ae.Hint = s.hint(ae)
				}
				return nil, ae
			}
			return nil, io.EOF
		}
	}
	return nil, io.EOF
}

// isSSEField reports whether line is an SSE field other than data, event
// and error (id:, retry:).
func isSSEField(line []byte) bool {
	for _, f := range []string{"id:", "retry:"} {
		if bytes.HasPrefix(line, []byte(f)) {
			return true
		}
	}
	return false
}

func (c *openaiClient) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	var res Result
	if err := checkRequest(req); err != nil {
		return res, err
	}
	if err := CheckPlan(ReasoningFor(c.h.cfg.Kind, c.h.selfHosted(), req.Model, req.Reasoning), req.Reasoning, Sampling{}); err != nil {
		return res, err // a level the model does not take (gpt-5-pro: high only)
	}
	body, err := json.Marshal(c.chatBody(req))
	if err != nil {
		return res, fmt.Errorf("chat: %w", inputerr.New(ErrBadRequest, "%v", err))
	}
	wctx, w := c.h.begin(ctx)
	defer w.end()
	tap := &rawTap{}
	w.tap = tap.line
	w.unstreamed = openaiUnstreamed // a server that ignored "stream"
	resp, err := c.post(wctx, body)
	if err != nil {
		return res, c.h.classify(ctx, w, err, "chat")
	}
	defer resp.Body.Close()
	stream := &sseReader{r: bufio.NewReader(resp.Body), key: c.h.cfg.APIKey, hint: func(ae *APIError) string { return c.h.pathHint(ae, true) }}
	defer stream.boundComments(c.h.cfg.CommentsOnlyTimeout, w.cancel)()

	var text, reasoning, toolText strings.Builder
	var usage *openai.Usage
	tools := map[int]bool{}
	finished := false
	// A server sends reasoning as delta.reasoning_content (DeepSeek,
	// older vLLM) or delta.reasoning (OpenRouter, newer vLLM), some as both
	// with the same text: delta.reasoning counts only while no
	// reasoning_content has come.
	sawContent := false
	done := func(err error) (Result, error) {
		res.Text, res.Reasoning, res.ToolText = text.String(), reasoning.String(), toolText.String()
		res.ToolCalls = len(tools) // a cut stream's too: the calls it made are billed
		res.ReasoningHidden = reasoningHidden(c.h.cfg.Kind, c.h.selfHosted(), req.Model, req.Reasoning)
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
		chunk, err := stream.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var event *APIError
		switch {
		case err == nil:
		case errors.As(err, &event): // the provider's error event
			event.Host = c.h.host
			return done(fmt.Errorf("chat stream: %w", event))
		case stream.stalled.Load() && ctx.Err() == nil:
			return done(c.h.step("chat stream", fmt.Errorf("%w (only keep-alive comments and no reply for %s)", ErrTimeout, stream.quietFor)))
		case errors.Is(err, errLineTooLong):
			return done(c.h.step("chat stream", err))
		default:
			return done(c.h.classify(ctx, w, err, "chat stream"))
		}
		if chunk.Usage != nil {
			usage = mergeUsage(usage, chunk.Usage)
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
				toolText.WriteString(tc.Function.Name)
				toolText.WriteString(tc.Function.Arguments)
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
				// "error" (OpenRouter's, beside its error object) is no
				// finish: the reply was cut off.
				res.FinishReason = string(ch.FinishReason)
				finished = ch.FinishReason != "error"
			}
		}
		if r := tap.takeReasoning(); r != "" && !sawContent {
			if err := req.reasoned(r); err != nil {
				return done(err)
			}
		}
	}
	if !finished && res.FinishReason == "error" {
		return done(c.h.step("chat stream", fmt.Errorf("%w (the provider ended it with finish_reason \"error\" and no message)", ErrInterrupted)))
	}
	if !finished {
		return done(c.h.step("chat stream", fmt.Errorf("%w (no finish_reason)", ErrInterrupted)))
	}
	return done(nil)
}

// usage normalises the reported usage; nil when none was reported.
func (c *openaiClient) usage(u *openai.Usage, raw *deepseekUsage, toolCalls int) *metering.Usage {
	var out metering.Usage
	switch {
	case c.h.cfg.Kind == KindDeepSeek && raw != nil && (raw.CacheHit != nil || raw.CacheMiss != nil):
		var reasoning int64
		if raw.Details != nil {
			reasoning = raw.Details.Reasoning
		}
		hit, miss := deepseekSplit(raw)
		out = metering.FromDeepSeek(hit, miss, raw.CompletionTokens, reasoning)
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

// Test lists the models and, where the listing does not need the key
// (OpenRouter), checks the key as well (proveKey).
func (c *openaiClient) Test(ctx context.Context) error {
	if _, err := c.Models(ctx); err != nil {
		return err
	}
	_, err := c.proveKey(ctx)
	return err
}

// keyCheckPath is the endpoint, under the base URL, that answers only with
// a valid key, for the presets whose model list is public: OpenRouter's
// "Get current API key" (GET https://openrouter.ai/api/v1/key, documented
// at openrouter.ai/docs/api-reference/limits: 200 with the key's limits,
// 401 for a missing or wrong key).
var keyCheckPath = map[string]string{"openrouter": "/key"}

// proveKey checks the key where listing the models does not (a preset
// whose model list is public: keyCheckPath). checked is false when this
// provider has no such check, so a listing that answered proves the key
// as far as anything can; err is the provider's refusal (an *APIError,
// 401 for a wrong or missing key), why it could not be asked, or an
// answer below 400 that is not the check's (a *keyCheckAnswerError).
func (c *openaiClient) proveKey(ctx context.Context) (checked bool, err error) {
	// Whatever OpenAI-style kind was chosen for it, the server at a
	// preset's host is that preset's.
	p, ok := keyedPreset(KindCompatible, c.h.base)
	path := keyCheckPath[p.ID]
	if !ok || path == "" {
		return false, nil
	}
	wctx, w := c.h.beginList(ctx)
	defer w.end()
	hr, err := http.NewRequestWithContext(wctx, http.MethodGet, strings.TrimRight(c.h.cfg.BaseURL, "/")+path, nil)
	if err != nil {
		return true, err
	}
	hr.Header.Set("Accept", "application/json")
	if k := c.h.cfg.APIKey; k != "" {
		hr.Header.Set("Authorization", "Bearer "+k)
	}
	resp, err := c.h.client.Do(hr)
	var na *NotAnAnswerError
	if errors.As(err, &na) { // a sign-in page or plain text, 2xx (the watch's look at its body)
		return true, &keyCheckAnswerError{preset: p.Label, na: na}
	}
	if err != nil {
		return true, c.h.classify(ctx, w, err, "key check")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return true, c.h.classify(ctx, w, err, "key check")
	}
	if resp.StatusCode >= http.StatusBadRequest {
		return true, c.h.classify(ctx, w, &openai.RequestError{HTTPStatus: resp.Status, HTTPStatusCode: resp.StatusCode, Body: raw}, "key check")
	}
	// Below 400 the key counts as accepted only when the answer is the
	// check's ({"data": {...}}): an empty 200 or a proxy's page is not.
	return true, keyCheckAnswer(p.Label, resp.Header.Get("Content-Type"), raw, c.h.cfg.APIKey)
}

// checkRequest rejects a request no provider would accept.
func checkRequest(req Request) error {
	if strings.TrimSpace(req.Model) == "" {
		return inputerr.New(ErrBadRequest, "no model")
	}
	if len(req.Messages) == 0 {
		return inputerr.New(ErrBadRequest, "no messages")
	}
	for i, m := range req.Messages {
		switch m.Role {
		case "system", "user", "assistant":
		default:
			return inputerr.New(ErrBadRequest, "message %d has role %q (want system, user or assistant)", i, m.Role)
		}
	}
	if req.MaxTokens < 0 {
		return inputerr.New(ErrBadRequest, "max tokens %d is negative", req.MaxTokens)
	}
	if !req.Reasoning.valid() {
		return inputerr.More(ErrBadReasoning, " (not %q)", req.Reasoning)
	}
	return CheckSampling(req.Sampling)
}
