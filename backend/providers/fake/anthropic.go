package fake

import (
	"fmt"
	"net/http"
)

// The Anthropic Messages API event stream, as documented for
// POST /v1/messages with "stream": true.

type anUsage struct {
	InputTokens              int64 `json:"input_tokens"`
	CacheCreationInputTokens int64 `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int64 `json:"cache_read_input_tokens"`
	OutputTokens             int64 `json:"output_tokens"`
}

type anMessage struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Role         string   `json:"role"`
	Model        string   `json:"model"`
	Content      []string `json:"content"`
	StopReason   *string  `json:"stop_reason"`
	StopSequence *string  `json:"stop_sequence"`
	Usage        *anUsage `json:"usage,omitempty"`
}

func event(name, data string) string { return "event: " + name + "\ndata: " + data + "\n\n" }

func anthropicFrames(sc Script, req chatRequest) []frame {
	u := sc.Usage
	withUsage := sc.Fault != NoUsage
	stop := sc.Finish
	if stop == "" {
		stop = "end_turn"
	}
	msg := anMessage{ID: "msg_01FakeXp5cH7tvwqNnwVaaH1", Type: "message", Role: "assistant", Model: req.Model, Content: []string{}}
	if withUsage {
		// message_start reports the input side and a provisional output count.
		msg.Usage = &anUsage{InputTokens: u.Prompt, CacheCreationInputTokens: u.CacheWrite, CacheReadInputTokens: u.Cached, OutputTokens: 1}
	}
	out := []frame{
		{data: event("message_start", mustJSON(map[string]any{"type": "message_start", "message": msg}))},
		{data: event("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)},
		{data: event("ping", `{"type": "ping"}`)},
	}
	for _, t := range sc.Chunks {
		d := mustJSON(struct {
			Type  string `json:"type"`
			Index int    `json:"index"`
			Delta struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"delta"`
		}{Type: "content_block_delta", Delta: struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{"text_delta", t}})
		out = append(out, frame{data: event("content_block_delta", d), text: true})
	}
	out = append(out, frame{data: event("content_block_stop", `{"type":"content_block_stop","index":0}`)})
	delta := map[string]any{"stop_reason": stop, "stop_sequence": nil}
	md := struct {
		Type  string         `json:"type"`
		Delta map[string]any `json:"delta"`
		Usage *anUsage       `json:"usage,omitempty"`
	}{Type: "message_delta", Delta: delta}
	if withUsage {
		// message_delta usage is cumulative for the whole message.
		md.Usage = &anUsage{InputTokens: u.Prompt, CacheCreationInputTokens: u.CacheWrite, CacheReadInputTokens: u.Cached, OutputTokens: u.Completion}
	}
	out = append(out, frame{data: event("message_delta", mustJSON(md))})
	return append(out, frame{data: event("message_stop", `{"type":"message_stop"}`)})
}

func anthropicError(w http.ResponseWriter, status int, msg, retryAfter string) {
	typ := map[int]string{400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
		404: "not_found_error", 429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}[status]
	if typ == "" {
		typ = "api_error"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_fake0001")
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprint(w, mustJSON(map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}))
}

func anthropicModels(ids []string) []byte {
	type model struct {
		Type        string `json:"type"`
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
		CreatedAt   string `json:"created_at"`
	}
	list := struct {
		Data    []model `json:"data"`
		HasMore bool    `json:"has_more"`
		FirstID *string `json:"first_id"`
		LastID  *string `json:"last_id"`
	}{Data: []model{}}
	for _, id := range ids {
		list.Data = append(list.Data, model{Type: "model", ID: id, DisplayName: id, CreatedAt: "2025-02-19T00:00:00Z"})
	}
	if len(ids) > 0 {
		list.FirstID, list.LastID = &ids[0], &ids[len(ids)-1]
	}
	return []byte(mustJSON(list))
}

func init() {
	flavours[Anthropic] = flavour{
		streamType:    "text/event-stream; charset=utf-8",
		defaultModels: []string{"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"},
		isChat:        func(p string) bool { return p == "/v1/messages" },
		isModels:      func(p string) bool { return p == "/v1/models" },
		frames:        anthropicFrames,
		modelList:     anthropicModels,
		writeError:    anthropicError,
		malformed:     event("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tru`),
		streamError:   event("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`),
	}
}
