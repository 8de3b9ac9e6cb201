package fake

import (
	"fmt"
	"net/http"
	"strings"
)

// The OpenAI chat.completion.chunk stream, as documented for
// POST /v1/chat/completions with "stream": true.

const fakeCreated = 1700000000

// oaDelta is a chunk's delta; Content and ReasoningContent are a *string,
// jsonNull (null) or nil (left out).
type oaDelta struct {
	Role             string       `json:"role,omitempty"`
	Content          any          `json:"content,omitempty"`
	Refusal          any          `json:"refusal,omitempty"`
	ReasoningContent any          `json:"reasoning_content,omitempty"`
	Reasoning        any          `json:"reasoning,omitempty"` // OpenRouter's and vLLM's name for reasoning_content
	ToolCalls        []oaToolCall `json:"tool_calls,omitempty"`
}

// oaToolCall is one piece of a streamed tool call: its first chunk has the
// id, type and name, the later ones a piece of the arguments.
type oaToolCall struct {
	Index    int    `json:"index"`
	ID       string `json:"id,omitempty"`
	Type     string `json:"type,omitempty"`
	Function struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// openaiToolFrames streams sc.Tools as delta.tool_calls chunks.
func openaiToolFrames(sc Script, chunk func([]oaChoice) string) []frame {
	var out []frame
	for i, tc := range sc.Tools {
		head := oaToolCall{Index: i, ID: fmt.Sprintf("call_fake%04d", i), Type: "function"}
		head.Function.Name = tc.Name
		out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{ToolCalls: []oaToolCall{head}}}}), text: true})
		for _, a := range tc.Args {
			piece := oaToolCall{Index: i}
			piece.Function.Arguments = a
			out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{ToolCalls: []oaToolCall{piece}}}}), text: true})
		}
	}
	return out
}

type oaChoice struct {
	Index        int     `json:"index"`
	Delta        oaDelta `json:"delta"`
	Logprobs     *string `json:"logprobs"`
	FinishReason *string `json:"finish_reason"`
}

type oaPromptDetails struct {
	CachedTokens int64 `json:"cached_tokens"`
	AudioTokens  int64 `json:"audio_tokens"`
}

type oaCompletionDetails struct {
	ReasoningTokens          int64 `json:"reasoning_tokens"`
	AudioTokens              int64 `json:"audio_tokens"`
	AcceptedPredictionTokens int64 `json:"accepted_prediction_tokens"`
	RejectedPredictionTokens int64 `json:"rejected_prediction_tokens"`
}

type oaUsage struct {
	PromptTokens            int64               `json:"prompt_tokens"`
	CompletionTokens        int64               `json:"completion_tokens"`
	TotalTokens             int64               `json:"total_tokens"`
	PromptTokensDetails     oaPromptDetails     `json:"prompt_tokens_details"`
	CompletionTokensDetails oaCompletionDetails `json:"completion_tokens_details"`
}

// oaChunk is an OpenAI chunk; Usage is a pointer to any so that it can be
// the literal null OpenAI sends on every chunk when include_usage is set.
type oaChunk struct {
	ID                string     `json:"id"`
	Object            string     `json:"object"`
	Created           int64      `json:"created"`
	Model             string     `json:"model"`
	ServiceTier       string     `json:"service_tier"`
	SystemFingerprint string     `json:"system_fingerprint"`
	Choices           []oaChoice `json:"choices"`
	Usage             any        `json:"usage,omitempty"`
}

// dsUsage is DeepSeek's usage object.
type dsUsage struct {
	PromptTokens        int64 `json:"prompt_tokens"`
	CompletionTokens    int64 `json:"completion_tokens"`
	TotalTokens         int64 `json:"total_tokens"`
	PromptTokensDetails struct {
		CachedTokens int64 `json:"cached_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails *struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"completion_tokens_details,omitempty"`
	PromptCacheHitTokens  int64 `json:"prompt_cache_hit_tokens"`
	PromptCacheMissTokens int64 `json:"prompt_cache_miss_tokens"`
}

// dsChunk is a DeepSeek chunk: no service_tier, usage only on the last chunk.
type dsChunk struct {
	ID                string     `json:"id"`
	Object            string     `json:"object"`
	Created           int64      `json:"created"`
	Model             string     `json:"model"`
	SystemFingerprint string     `json:"system_fingerprint"`
	Choices           []oaChoice `json:"choices"`
	Usage             *dsUsage   `json:"usage,omitempty"`
}

// jsonNull marshals as JSON null inside an `any` field with omitempty.
type jsonNull struct{}

func (jsonNull) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

func ptr[T any](v T) *T { return &v }

func sse(data string) string { return "data: " + data + "\n\n" }

func openaiFrames(sc Script, req chatRequest) []frame {
	include := req.StreamOptions != nil && req.StreamOptions.IncludeUsage && sc.Fault != NoUsage
	finish := sc.Finish
	if finish == "" {
		finish = "stop"
	}
	chunk := func(ch []oaChoice) string {
		c := oaChunk{ID: "chatcmpl-fake0001", Object: "chat.completion.chunk", Created: fakeCreated, Model: req.Model,
			ServiceTier: "default", SystemFingerprint: "fp_fake0001", Choices: ch}
		if include {
			c.Usage = jsonNull{}
		}
		return sse(mustJSON(c))
	}
	out := []frame{{data: chunk([]oaChoice{{Delta: oaDelta{Role: "assistant", Content: ptr(""), Refusal: jsonNull{}}}})}}
	// Reasoning text as OpenRouter and vLLM stream it: delta.reasoning
	// beside an empty content (OpenAI itself streams none).
	for _, t := range sc.Thinking {
		out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{Content: ptr(""), Reasoning: ptr(t)}}}), text: true})
	}
	for i, t := range sc.Chunks {
		if include && sc.RunningUsage {
			c := oaChunk{ID: "chatcmpl-fake0001", Object: "chat.completion.chunk", Created: fakeCreated, Model: req.Model,
				ServiceTier: "default", SystemFingerprint: "fp_fake0001", Choices: []oaChoice{{Delta: oaDelta{Content: ptr(t)}}},
				Usage: oaUsage{PromptTokens: sc.Usage.Prompt, CompletionTokens: int64(i + 1), TotalTokens: sc.Usage.Prompt + int64(i+1)}}
			out = append(out, frame{data: sse(mustJSON(c)), text: true})
			continue
		}
		out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{Content: ptr(t)}}}), text: true})
	}
	out = append(out, openaiToolFrames(sc, chunk)...)
	out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{}, FinishReason: ptr(finish)}})})
	if include {
		u := sc.Usage
		total := u.Prompt + u.Completion
		if u.Total != 0 {
			total = u.Total
		}
		c := oaChunk{ID: "chatcmpl-fake0001", Object: "chat.completion.chunk", Created: fakeCreated, Model: req.Model,
			ServiceTier: "default", SystemFingerprint: "fp_fake0001", Choices: []oaChoice{},
			Usage: oaUsage{PromptTokens: u.Prompt, CompletionTokens: u.Completion, TotalTokens: total,
				PromptTokensDetails:     oaPromptDetails{CachedTokens: u.Cached},
				CompletionTokensDetails: oaCompletionDetails{ReasoningTokens: u.Reasoning}}}
		out = append(out, frame{data: sse(mustJSON(c))})
	}
	return append(out, frame{data: "data: [DONE]\n\n"})
}

func deepseekFrames(sc Script, req chatRequest) []frame {
	finish := sc.Finish
	if finish == "" {
		finish = "stop"
	}
	chunk := func(ch []oaChoice, u *dsUsage) string {
		return sse(mustJSON(dsChunk{ID: "5e62e604-6195-4e7f-aeb4-f9918935b542", Object: "chat.completion.chunk", Created: fakeCreated,
			Model: req.Model, SystemFingerprint: "fp_fake_prod0001", Choices: ch, Usage: u}))
	}
	// deepseek-reasoner streams reasoning_content with "content":null,
	// then the reply with "reasoning_content":null.
	first := oaDelta{Role: "assistant", Content: ptr("")}
	var after any // reasoning_content beside the reply
	if len(sc.Thinking) > 0 {
		first.Content, first.ReasoningContent, after = jsonNull{}, ptr(""), jsonNull{}
	}
	out := []frame{
		{data: ": keep-alive\n\n"},
		{data: chunk([]oaChoice{{Delta: first}}, nil)},
	}
	for _, t := range sc.Thinking {
		out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{Content: jsonNull{}, ReasoningContent: ptr(t)}}}, nil), text: true})
	}
	for _, t := range sc.Chunks {
		out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{Content: ptr(t), ReasoningContent: after}}}, nil), text: true})
	}
	var u *dsUsage
	if sc.Fault != NoUsage {
		s := sc.Usage
		u = &dsUsage{PromptTokens: s.Prompt, CompletionTokens: s.Completion, TotalTokens: s.Prompt + s.Completion,
			PromptCacheHitTokens: s.Cached, PromptCacheMissTokens: s.Prompt - s.Cached}
		u.PromptTokensDetails.CachedTokens = s.Cached
		if s.Reasoning > 0 {
			u.CompletionTokensDetails = &struct {
				ReasoningTokens int64 `json:"reasoning_tokens"`
			}{s.Reasoning}
		}
	}
	out = append(out, frame{data: chunk([]oaChoice{{Delta: oaDelta{Content: ptr(""), ReasoningContent: after}, FinishReason: ptr(finish)}}, u)})
	return append(out, frame{data: "data: [DONE]\n\n"})
}

// deepseekRefuse refuses, as DeepSeek's API does for deepseek-reasoner, a
// conversation whose user and assistant messages do not alternate starting
// with a user message (system messages aside), with the API's own 400
// messages. DeepSeek's reasoning-model guide shows only alternating
// multi-round conversations; the rule itself is the API's answer, as
// reported in deepseek-ai/DeepSeek-R1#21 and by every client that sent two
// user turns in a row (open-webui#9266, Aider-AI/aider#2960). deepseek-chat
// accepts such a conversation, so it is not checked.
func deepseekRefuse(req chatRequest) string {
	if req.Model != "deepseek-reasoner" {
		return ""
	}
	prev, prevAt := "", 0
	for i, m := range req.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			continue
		}
		switch {
		case prev == "" && m.Role != "user":
			return "The first message (except the system message) of deepseek-reasoner must be a user message, but an assistant message detected."
		case prev == m.Role:
			return fmt.Sprintf("deepseek-reasoner does not support successive user or assistant messages (messages[%d] and messages[%d] in your input). You should interleave the user/assistant messages in the message sequence.", prevAt, i)
		}
		prev, prevAt = m.Role, i
	}
	return ""
}

// openaiError writes OpenAI's (and DeepSeek's) error body.
func openaiError(w http.ResponseWriter, status int, msg, retryAfter string) {
	typ, code := "invalid_request_error", "invalid_api_key"
	switch status {
	case http.StatusBadRequest:
		typ, code = "invalid_request_error", "invalid_request_error"
	case http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
	case http.StatusInternalServerError:
		typ, code = "server_error", ""
	case http.StatusNotFound:
		typ, code = "invalid_request_error", "unknown_url"
	}
	body := map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nilIfEmpty(code)}}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprintln(w, mustJSON(body))
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func openaiModels(owner string) func([]string) []byte {
	return func(ids []string) []byte {
		type model struct {
			ID      string `json:"id"`
			Object  string `json:"object"`
			Created int64  `json:"created"`
			OwnedBy string `json:"owned_by"`
		}
		list := struct {
			Object string  `json:"object"`
			Data   []model `json:"data"`
		}{Object: "list", Data: []model{}}
		for _, id := range ids {
			list.Data = append(list.Data, model{ID: id, Object: "model", Created: fakeCreated, OwnedBy: owner})
		}
		return []byte(mustJSON(list))
	}
}

func init() {
	flavours[OpenAI] = flavour{
		refuse:        openaiRefuse,
		streamType:    "text/event-stream; charset=utf-8",
		defaultModels: []string{"gpt-4o", "gpt-4o-mini", "o3-mini"},
		isChat:        func(p string) bool { return p == "/v1/chat/completions" },
		isModels:      func(p string) bool { return p == "/v1/models" },
		frames:        openaiFrames,
		modelList:     openaiModels("openai"),
		writeError:    openaiError,
		malformed:     `data: {"id":"chatcmpl-fake0001","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tru` + "\n\n",
		streamError:   sse(`{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`),
		whole:         openaiWhole,
		wholeType:     "application/json",
		wholeError:    `{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`,
		// OpenAI's refusal of a prompt over the context window, indented
		// as its error bodies are.
		tooLong: "{\n    \"error\": {\n        \"message\": \"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.\",\n        \"type\": \"invalid_request_error\",\n        \"param\": \"messages\",\n        \"code\": \"context_length_exceeded\"\n    }\n}\n",
	}
	flavours[DeepSeek] = flavour{
		streamType:    "text/event-stream; charset=utf-8",
		defaultModels: []string{"deepseek-chat", "deepseek-reasoner"},
		isChat:        func(p string) bool { return strings.TrimPrefix(p, "/v1") == "/chat/completions" },
		isModels:      func(p string) bool { return strings.TrimPrefix(p, "/v1") == "/models" },
		frames:        deepseekFrames,
		refuse:        deepseekRefuse,
		modelList:     openaiModels("deepseek"),
		writeError:    openaiError,
		malformed:     `data: {"id":"5e62e604","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":` + "\n\n",
		streamError:   sse(`{"error":{"message":"Service is too busy.","type":"server_error","param":null,"code":"server_busy"}}`),
		whole:         deepseekWhole,
		wholeType:     "application/json",
		wholeError:    `{"error":{"message":"Service is too busy.","type":"server_error","param":null,"code":"server_busy"}}`,
		// DeepSeek says it in OpenAI's older words, with its own code.
		tooLong: `{"error":{"message":"This model's maximum context length is 65536 tokens. However, you requested 70521 tokens (62329 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}`,
	}
}
