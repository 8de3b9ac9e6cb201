package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Whole answers (Script.Unstreamed): the provider's documented answer to a
// request without streaming, sent although the request asked for a stream,
// as OpenAI-compatible servers and proxies that ignore "stream" do.

// oaMessage is a chat.completion choice's message.
type oaMessage struct {
	Role             string `json:"role"`
	Content          any    `json:"content"`
	Refusal          any    `json:"refusal,omitempty"`
	Annotations      []any  `json:"annotations,omitempty"`
	ReasoningContent any    `json:"reasoning_content,omitempty"` // DeepSeek
	Reasoning        any    `json:"reasoning,omitempty"`         // OpenRouter, vLLM
}

type oaWholeChoice struct {
	Index        int       `json:"index"`
	Message      oaMessage `json:"message"`
	Logprobs     *string   `json:"logprobs"`
	FinishReason string    `json:"finish_reason"`
}

// openaiWhole is OpenAI's chat.completion object, indented as OpenAI
// writes it; reasoning text (Script.Thinking) is message.reasoning, as
// OpenRouter returns it.
func openaiWhole(sc Script, req chatRequest) string {
	finish := sc.Finish
	if finish == "" {
		finish = "stop"
	}
	msg := oaMessage{Role: "assistant", Content: strings.Join(sc.Chunks, ""), Refusal: jsonNull{}, Annotations: []any{}}
	if len(sc.Thinking) > 0 {
		msg.Reasoning = strings.Join(sc.Thinking, "")
	}
	body := struct {
		ID                string          `json:"id"`
		Object            string          `json:"object"`
		Created           int64           `json:"created"`
		Model             string          `json:"model"`
		Choices           []oaWholeChoice `json:"choices"`
		Usage             *oaUsage        `json:"usage,omitempty"`
		ServiceTier       string          `json:"service_tier"`
		SystemFingerprint string          `json:"system_fingerprint"`
	}{ID: "chatcmpl-fake0001", Object: "chat.completion", Created: fakeCreated, Model: req.Model,
		Choices: []oaWholeChoice{{Message: msg, FinishReason: finish}}, ServiceTier: "default", SystemFingerprint: "fp_fake0001"}
	if sc.Fault != NoUsage {
		u := sc.Usage
		total := u.Prompt + u.Completion
		if u.Total != 0 {
			total = u.Total
		}
		body.Usage = &oaUsage{PromptTokens: u.Prompt, CompletionTokens: u.Completion, TotalTokens: total,
			PromptTokensDetails:     oaPromptDetails{CachedTokens: u.Cached},
			CompletionTokensDetails: oaCompletionDetails{ReasoningTokens: u.Reasoning}}
	}
	b, err := json.MarshalIndent(body, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

// deepseekWhole is DeepSeek's chat.completion object: reasoning text as
// message.reasoning_content, usage with its cache fields.
func deepseekWhole(sc Script, req chatRequest) string {
	finish := sc.Finish
	if finish == "" {
		finish = "stop"
	}
	msg := oaMessage{Role: "assistant", Content: strings.Join(sc.Chunks, "")}
	if len(sc.Thinking) > 0 {
		msg.ReasoningContent = strings.Join(sc.Thinking, "")
	}
	body := struct {
		ID                string          `json:"id"`
		Object            string          `json:"object"`
		Created           int64           `json:"created"`
		Model             string          `json:"model"`
		Choices           []oaWholeChoice `json:"choices"`
		Usage             *dsUsage        `json:"usage,omitempty"`
		SystemFingerprint string          `json:"system_fingerprint"`
	}{ID: "5e62e604-6195-4e7f-aeb4-f9918935b542", Object: "chat.completion", Created: fakeCreated, Model: req.Model,
		Choices: []oaWholeChoice{{Message: msg, FinishReason: finish}}, SystemFingerprint: "fp_fake_prod0001"}
	if sc.Fault != NoUsage {
		s := sc.Usage
		u := &dsUsage{PromptTokens: s.Prompt, CompletionTokens: s.Completion, TotalTokens: s.Prompt + s.Completion,
			PromptCacheHitTokens: s.Cached, PromptCacheMissTokens: s.Prompt - s.Cached}
		u.PromptTokensDetails.CachedTokens = s.Cached
		if s.Reasoning > 0 {
			u.CompletionTokensDetails = &struct {
				ReasoningTokens int64 `json:"reasoning_tokens"`
			}{s.Reasoning}
		}
		body.Usage = u
	}
	return mustJSON(body)
}

// anthropicWhole is Anthropic's Message object: a thinking block (with its
// signature) before the text block, the stop reason and the usage.
func anthropicWhole(sc Script, req chatRequest) string {
	stop := sc.Finish
	if stop == "" {
		stop = "end_turn"
	}
	content := []any{}
	if len(sc.Thinking) > 0 {
		content = append(content, map[string]any{"type": "thinking", "thinking": strings.Join(sc.Thinking, ""), "signature": fakeSignature})
	}
	content = append(content, map[string]any{"type": "text", "text": strings.Join(sc.Chunks, "")})
	body := struct {
		ID           string   `json:"id"`
		Type         string   `json:"type"`
		Role         string   `json:"role"`
		Model        string   `json:"model"`
		Content      []any    `json:"content"`
		StopReason   string   `json:"stop_reason"`
		StopSequence *string  `json:"stop_sequence"`
		Usage        *anUsage `json:"usage,omitempty"`
	}{ID: "msg_01FakeXp5cH7tvwqNnwVaaH1", Type: "message", Role: "assistant", Model: req.Model, Content: content, StopReason: stop}
	if sc.Fault != NoUsage {
		u := sc.Usage
		body.Usage = &anUsage{InputTokens: u.Prompt, CacheCreationInputTokens: u.CacheWrite, CacheReadInputTokens: u.Cached, OutputTokens: u.Completion}
	}
	return mustJSON(body)
}

// geminiWhole is what streamGenerateContent answers without alt=sse: the
// JSON array of the responses the stream would have sent.
func geminiWhole(sc Script, req chatRequest) string {
	var items []string
	for _, fr := range geminiFrames(sc, req) {
		items = append(items, strings.TrimSuffix(strings.TrimPrefix(fr.data, "data: "), "\r\n\r\n"))
	}
	return "[" + strings.Join(items, ",\r\n") + "]"
}

// whole answers a chat request with one complete JSON body
// (Script.Unstreamed), after FirstDelay: the answer, or, for the
// StreamError fault, the provider's error object (with status 200); for
// Malformed, the first half of the answer (the body ends there); for Drop,
// the first half, then the connection closes.
func (s *Server) whole(w http.ResponseWriter, r *http.Request, f flavour, sc Script, req chatRequest) {
	body := f.whole(sc, req)
	switch sc.Fault {
	case StreamError:
		body = f.wholeError
	case Malformed:
		body = body[:len(body)/2]
	}
	if sc.FirstDelay > 0 {
		s.wait(r, sc.FirstDelay)
	}
	setContentType(w, f.wholeType, sc.ContentType)
	w.WriteHeader(http.StatusOK)
	if sc.Fault == Drop {
		_, _ = io.WriteString(w, body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		s.drop(w)
		return
	}
	_, _ = io.WriteString(w, body)
}
