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

// anDelta is a content_block_delta event.
type anDelta struct {
	Type  string      `json:"type"`
	Index int         `json:"index"`
	Delta anDeltaBody `json:"delta"`
}

// anDeltaBody is a text_delta, thinking_delta or signature_delta.
type anDeltaBody struct {
	Type      string  `json:"type"`
	Text      *string `json:"text,omitempty"`
	Thinking  *string `json:"thinking,omitempty"`
	Signature *string `json:"signature,omitempty"`
	// PartialJSON is an input_json_delta's piece of a tool call's input.
	PartialJSON *string `json:"partial_json,omitempty"`
}

// fakeSignature stands in for the opaque signature of a thinking block.
const fakeSignature = "EqQBCgIYAhIMFakeSig0001aGgxGYWtlU2lnbmF0dXJlMDAwMQ=="

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
	out := []frame{{data: event("message_start", mustJSON(map[string]any{"type": "message_start", "message": msg}))}}
	ping := frame{data: event("ping", `{"type": "ping"}`)}
	block := 0 // index of the text block
	if len(sc.Thinking) > 0 {
		// Extended thinking: a thinking block (its deltas, then the
		// signature) before the text block.
		out = append(out, frame{data: event("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`)}, ping)
		for _, t := range sc.Thinking {
			out = append(out, frame{data: event("content_block_delta", mustJSON(anDelta{Type: "content_block_delta", Index: 0,
				Delta: anDeltaBody{Type: "thinking_delta", Thinking: &t}})), text: true})
		}
		sig := fakeSignature
		out = append(out,
			frame{data: event("content_block_delta", mustJSON(anDelta{Type: "content_block_delta", Index: 0,
				Delta: anDeltaBody{Type: "signature_delta", Signature: &sig}}))},
			frame{data: event("content_block_stop", `{"type":"content_block_stop","index":0}`)})
		block = 1
	}
	out = append(out, frame{data: event("content_block_start", fmt.Sprintf(`{"type":"content_block_start","index":%d,"content_block":{"type":"text","text":""}}`, block))})
	if block == 0 {
		out = append(out, ping)
	}
	for _, t := range sc.Chunks {
		d := mustJSON(anDelta{Type: "content_block_delta", Index: block, Delta: anDeltaBody{Type: "text_delta", Text: &t}})
		out = append(out, frame{data: event("content_block_delta", d), text: true})
	}
	out = append(out, frame{data: event("content_block_stop", fmt.Sprintf(`{"type":"content_block_stop","index":%d}`, block))})
	for i, tc := range sc.Tools {
		idx := block + 1 + i
		out = append(out, frame{data: event("content_block_start", mustJSON(map[string]any{"type": "content_block_start", "index": idx,
			"content_block": map[string]any{"type": "tool_use", "id": fmt.Sprintf("toolu_fake%04d", i), "name": tc.Name, "input": map[string]any{}}})), text: true})
		for _, a := range tc.Args {
			out = append(out, frame{data: event("content_block_delta", mustJSON(anDelta{Type: "content_block_delta", Index: idx,
				Delta: anDeltaBody{Type: "input_json_delta", PartialJSON: &a}})), text: true})
		}
		out = append(out, frame{data: event("content_block_stop", fmt.Sprintf(`{"type":"content_block_stop","index":%d}`, idx))})
	}
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
		refuse:        anthropicRefuse,
		streamType:    "text/event-stream; charset=utf-8",
		defaultModels: []string{"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"},
		isChat:        func(p string) bool { return p == "/v1/messages" },
		isModels:      func(p string) bool { return p == "/v1/models" },
		frames:        anthropicFrames,
		modelList:     anthropicModels,
		writeError:    anthropicError,
		tooLong:       `{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}`,
		malformed:     event("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tru`),
		streamError:   event("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`),
		whole:         anthropicWhole,
		wholeType:     "application/json",
		wholeError:    `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`,
	}
}
