package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The Gemini API stream, as documented for
// POST /v1beta/models/{model}:streamGenerateContent?alt=sse. Gemini writes
// its JSON with a space after each colon and frames events with "\r\n\r\n".

type gmPart struct {
	Text         string          `json:"text"`
	Thought      bool            `json:"thought,omitempty"` // a thought summary
	FunctionCall *gmFunctionCall `json:"functionCall,omitempty"`
}

// gmFunctionCall is a functionCall part: the function's name and its args.
type gmFunctionCall struct {
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

type gmContent struct {
	Parts []gmPart `json:"parts"`
	Role  string   `json:"role"`
}

type gmCandidate struct {
	Content      gmContent `json:"content"`
	FinishReason string    `json:"finishReason,omitempty"`
	Index        int       `json:"index"`
}

type gmModality struct {
	Modality   string `json:"modality"`
	TokenCount int64  `json:"tokenCount"`
}

type gmUsage struct {
	PromptTokenCount        int64        `json:"promptTokenCount"`
	CandidatesTokenCount    int64        `json:"candidatesTokenCount,omitempty"`
	TotalTokenCount         int64        `json:"totalTokenCount"`
	CachedContentTokenCount int64        `json:"cachedContentTokenCount,omitempty"`
	PromptTokensDetails     []gmModality `json:"promptTokensDetails"`
	ThoughtsTokenCount      int64        `json:"thoughtsTokenCount,omitempty"`
}

type gmChunk struct {
	Candidates    []gmCandidate `json:"candidates"`
	UsageMetadata *gmUsage      `json:"usageMetadata,omitempty"`
	ModelVersion  string        `json:"modelVersion"`
	ResponseID    string        `json:"responseId"`
}

// googleJSON adds the space Google's encoder writes after every colon.
func googleJSON(v any) string { return googleSpaced(mustJSON(v)) }

// googleSpaced adds a space after every colon outside strings of s, JSON
// or the start of it; the start of a document comes out as the start of
// the whole one's.
func googleSpaced(s string) string {
	var b strings.Builder
	in, esc := false, false
	for _, r := range s {
		b.WriteRune(r)
		switch {
		case esc:
			esc = false
		case r == '\\' && in:
			esc = true
		case r == '"':
			in = !in
		case r == ':' && !in:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func gsse(data string) string { return "data: " + data + "\r\n\r\n" }

func geminiFrames(sc Script, req chatRequest) []frame {
	u := sc.Usage
	finish := sc.Finish
	if finish == "" {
		finish = "STOP"
	}
	var out []frame
	// Thought summaries first (includeThoughts), then the reply.
	parts := make([]gmPart, 0, len(sc.Thinking)+len(sc.Chunks))
	for _, t := range sc.Thinking {
		parts = append(parts, gmPart{Text: t, Thought: true})
	}
	for _, t := range sc.Chunks {
		parts = append(parts, gmPart{Text: t})
	}
	// A call is one part of one event, its args an object; the event's
	// line is written in pieces (pieceBounds), as a long line reaches the
	// client in several reads, so that a cut can fall inside it.
	var calls []ToolCall
	for _, tc := range sc.Tools {
		parts = append(parts, gmPart{FunctionCall: &gmFunctionCall{Name: tc.Name, Args: json.RawMessage(strings.Join(tc.Args, ""))}})
		calls = append(calls, tc)
	}
	for i, p := range parts {
		c := gmChunk{Candidates: []gmCandidate{{Content: gmContent{Parts: []gmPart{p}, Role: "model"}}},
			ModelVersion: req.Model, ResponseID: "fakeResp0001"}
		last := i == len(parts)-1 && len(sc.Chunks)+len(sc.Tools) > 0
		if last {
			c.Candidates[0].FinishReason = finish
		}
		if sc.Fault != NoUsage {
			// Every chunk carries the prompt side (the prompt and its
			// cached part, final from the first chunk); once the thinking
			// is done, the thoughts count; the last carries everything.
			um := &gmUsage{PromptTokenCount: u.Prompt, TotalTokenCount: u.Prompt, CachedContentTokenCount: u.Cached,
				PromptTokensDetails: []gmModality{{Modality: "TEXT", TokenCount: u.Prompt}}}
			if !p.Thought {
				um.ThoughtsTokenCount = u.Reasoning
				um.TotalTokenCount = u.Prompt + u.Reasoning
			}
			if last {
				um.CandidatesTokenCount = u.Completion
				um.TotalTokenCount = u.Prompt + u.Completion + u.Reasoning
			}
			c.UsageMetadata = um
		}
		data := gsse(googleJSON(c))
		if p.FunctionCall == nil {
			out = append(out, frame{data: data, text: true})
			continue
		}
		tc := calls[i-(len(parts)-len(calls))]
		prev := 0
		for _, b := range pieceBounds(data, tc.Args) {
			out = append(out, frame{data: data[prev:b], text: true})
			prev = b
		}
	}
	if len(sc.Chunks)+len(sc.Tools) == 0 {
		c := gmChunk{Candidates: []gmCandidate{{Content: gmContent{Parts: []gmPart{}, Role: "model"}, FinishReason: finish}},
			ModelVersion: req.Model, ResponseID: "fakeResp0001"}
		out = append(out, frame{data: gsse(googleJSON(c))})
	}
	return out
}

// pieceBounds is where the pieces of a functionCall event's line end, one
// per piece of args: the first piece ends after the call's name and the
// first piece of its args, each later one after its own piece of args, the
// last at the end of the line (and its blank line). Args are written as
// Google writes them (googleSpaced); pieces that are not compact JSON
// (json.Marshal drops their blanks) make the line one piece.
func pieceBounds(data string, args []string) []int {
	start := strings.Index(data, `"args": `)
	if start < 0 || len(args) < 2 {
		return []int{len(data)}
	}
	start += len(`"args": `)
	var bounds []int
	for k := 1; k < len(args); k++ {
		prefix := googleSpaced(strings.Join(args[:k], ""))
		if !strings.HasPrefix(data[start:], prefix) {
			return []int{len(data)}
		}
		bounds = append(bounds, start+len(prefix))
	}
	return append(bounds, len(data))
}

func geminiStatus(status int) string {
	switch status {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "INTERNAL"
}

// geminiError writes Google's error body; a 429 names the delay in a
// google.rpc.RetryInfo detail rather than a Retry-After header.
func geminiError(w http.ResponseWriter, status int, msg, retryAfter string) {
	e := map[string]any{"code": status, "message": msg, "status": geminiStatus(status)}
	if retryAfter != "" {
		e["details"] = []any{map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retryAfter + "s"}}
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprint(w, googleJSON(map[string]any{"error": e}))
}

func geminiModels(ids []string) []byte {
	type model struct {
		Name                       string   `json:"name"`
		Version                    string   `json:"version"`
		DisplayName                string   `json:"displayName"`
		InputTokenLimit            int64    `json:"inputTokenLimit"`
		OutputTokenLimit           int64    `json:"outputTokenLimit"`
		SupportedGenerationMethods []string `json:"supportedGenerationMethods"`
	}
	list := struct {
		Models []model `json:"models"`
	}{Models: []model{}}
	for _, id := range ids {
		list.Models = append(list.Models, model{Name: "models/" + id, Version: "001", DisplayName: id,
			InputTokenLimit: 1048576, OutputTokenLimit: 65536, SupportedGenerationMethods: []string{"generateContent", "countTokens"}})
	}
	list.Models = append(list.Models, model{Name: "models/text-embedding-004", Version: "004", DisplayName: "Text Embedding 004",
		InputTokenLimit: 2048, OutputTokenLimit: 1, SupportedGenerationMethods: []string{"embedContent"}})
	return []byte(googleJSON(list))
}

func init() {
	flavours[Gemini] = flavour{
		refuse:        geminiRefuse,
		streamType:    "text/event-stream",
		defaultModels: []string{"gemini-2.5-flash", "gemini-2.5-pro"},
		isChat: func(p string) bool {
			return strings.HasPrefix(p, "/v1beta/models/") && strings.HasSuffix(p, ":streamGenerateContent")
		},
		isModels:    func(p string) bool { return p == "/v1beta/models" },
		frames:      geminiFrames,
		modelList:   geminiModels,
		writeError:  geminiError,
		malformed:   gsse(`{"candidates": [{"content": {"parts": [{"text": "tru`),
		streamError: gsse(`{"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}`),
		whole:       geminiWhole,
		wholeType:   "application/json; charset=UTF-8",
		// Google writes the error objects of its answers indented.
		tooLong:    "{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"The input token count (1250000) exceeds the maximum number of tokens allowed (1048576).\",\n    \"status\": \"INVALID_ARGUMENT\"\n  }\n}\n",
		wholeError: "{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"The model is overloaded. Please try again later.\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n",
	}
}
