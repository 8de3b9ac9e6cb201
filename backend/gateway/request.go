package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// maxBody bounds a request body.
const maxBody = 8 << 20

// completionRequest is the part of an OpenAI chat completion request the
// gateway uses. temperature, top_p and stop are forwarded to every provider,
// seed, presence_penalty and frequency_penalty to every provider but
// Anthropic, which has none of them (providers.Sampling); the rest
// (logit_bias, user, n, ...) is accepted and not forwarded.
// reasoning_effort is the Reasoning level sent (parseReasoningEffort).
type completionRequest struct {
	Model        string
	Messages     []providers.Message
	Stream       bool
	IncludeUsage bool // stream_options.include_usage
	MaxTokens    int  // max_completion_tokens, else max_tokens; 0 = the model's default
	Sampling     providers.Sampling
	Reasoning    providers.Reasoning // reasoning_effort as a level; "" = none sent: the provider's default
}

// parseCompletion decodes and validates a request body. Each failure names
// the offending field (apiError.Param).
func parseCompletion(body []byte) (completionRequest, *apiError) {
	var req completionRequest
	var err *apiError
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return req, badBody("%s", bodyWords(err))
	}
	if dec.More() {
		return req, badBody("the request body must hold one JSON object")
	}
	if err = field(raw, "model", &req.Model, true); err != nil {
		return req, err
	}
	req.Model = strings.TrimSpace(req.Model)
	if req.Model == "" {
		return req, badRequest("model", "model must be a non-empty string")
	}
	if err := field(raw, "stream", &req.Stream, false); err != nil {
		return req, err
	}
	if v, ok := raw["stream_options"]; ok && !isNull(v) {
		var so map[string]json.RawMessage
		if json.Unmarshal(v, &so) != nil {
			return req, badRequest("stream_options", "stream_options must be an object")
		}
		if iu, ok := so["include_usage"]; ok && !isNull(iu) && json.Unmarshal(iu, &req.IncludeUsage) != nil {
			return req, badRequest("stream_options.include_usage", "stream_options.include_usage must be a boolean")
		}
		// OpenAI refuses it too ("The 'stream_options' parameter is only
		// allowed when 'stream' is enabled.", param stream_options): a
		// client sending it unstreamed expects something it would not get.
		if !req.Stream {
			return req, badRequest("stream_options", "stream_options is only allowed when stream is true: send \"stream\": true, "+
				"or leave stream_options out (a completion not streamed carries its usage anyway)")
		}
	}
	for _, name := range []string{"max_tokens", "max_completion_tokens"} {
		var n *int64
		if err := field(raw, name, &n, false); err != nil {
			return req, err
		}
		if n == nil {
			continue
		}
		if *n < 1 || *n > chat.MaxRequestTokens {
			return req, badRequest(name, "%s must be an integer from 1 to %d", name, chat.MaxRequestTokens)
		}
		if name == "max_completion_tokens" || req.MaxTokens == 0 {
			req.MaxTokens = int(*n)
		}
	}
	if err := parseSampling(raw, &req.Sampling); err != nil {
		return req, err
	}
	if req.Reasoning, err = parseReasoningEffort(raw); err != nil {
		return req, err
	}
	var n *int64
	if err := field(raw, "n", &n, false); err != nil {
		return req, err
	}
	if n != nil && *n != 1 {
		return req, badRequest("n", "n must be 1: the gateway returns one choice")
	}
	for _, name := range []string{"tools", "functions"} {
		if v, ok := raw[name]; ok && !isNull(v) && !bytes.Equal(bytes.TrimSpace(v), []byte("[]")) {
			return req, badRequest(name, "%s are not supported by the Meterdesk gateway", name)
		}
	}
	msgs, err := parseMessages(raw["messages"])
	if err != nil {
		return req, err
	}
	req.Messages = msgs
	return req, nil
}

// parseSampling reads temperature, top_p, seed, presence_penalty,
// frequency_penalty and stop (a string or an array of strings) and checks
// them (providers.CheckSampling).
func parseSampling(raw map[string]json.RawMessage, s *providers.Sampling) *apiError {
	if err := field(raw, "temperature", &s.Temperature, false); err != nil {
		return err
	}
	if err := field(raw, "top_p", &s.TopP, false); err != nil {
		return err
	}
	if err := field(raw, "seed", &s.Seed, false); err != nil {
		return err
	}
	if err := field(raw, "presence_penalty", &s.PresencePenalty, false); err != nil {
		return err
	}
	if err := field(raw, "frequency_penalty", &s.FrequencyPenalty, false); err != nil {
		return err
	}
	if v, ok := raw["stop"]; ok && !isNull(v) {
		var one string
		if json.Unmarshal(v, &one) == nil {
			s.Stop = []string{one}
		} else if json.Unmarshal(v, &s.Stop) != nil {
			return badRequest("stop", "stop must be a string or an array of strings")
		}
	}
	var se *providers.SamplingError
	if errors.As(providers.CheckSampling(*s), &se) {
		return badRequest(se.Param, "%s", se.Msg)
	}
	return nil
}

// reasoningEfforts maps OpenAI's reasoning_effort values that Meterdesk
// sends to its Reasoning levels; providers.ReasoningFor turns a level into
// each provider's own field (OpenAI's reasoning_effort, Claude's thinking
// budget or adaptive effort, Gemini's thinkingBudget).
var reasoningEfforts = map[string]providers.Reasoning{
	"none": providers.ReasoningOff, "low": providers.ReasoningLow,
	"medium": providers.ReasoningMedium, "high": providers.ReasoningHigh,
}

// effortOf is the reasoning_effort value of a level (Off is "none").
func effortOf(level providers.Reasoning) string {
	if level == providers.ReasoningOff {
		return "none"
	}
	return string(level)
}

// parseReasoningEffort reads reasoning_effort (none, low, medium or high;
// null or absent: none sent, the provider's default) and refuses the
// reasoning fields of other APIs that the gateway would otherwise drop
// unseen: Anthropic's thinking and OpenRouter's (and the Responses API's)
// reasoning object. Whether the model takes the level is the Meter's
// check (chat.MeterRequest.ExactReasoning), once the provider is known.
func parseReasoningEffort(raw map[string]json.RawMessage) (providers.Reasoning, *apiError) {
	for _, name := range []string{"thinking", "reasoning"} {
		if v, ok := raw[name]; ok && !isNull(v) {
			return "", badRequest(name, "%s is not a field of OpenAI's chat completions, which the Meterdesk API serves: "+
				"send reasoning_effort (none, low, medium or high), which Meterdesk sends to each provider in its own field "+
				"(Claude's thinking, Gemini's thinking budget)", name)
		}
	}
	var effort *string
	if err := field(raw, "reasoning_effort", &effort, false); err != nil {
		return "", err
	}
	if effort == nil {
		return "", nil
	}
	if level, ok := reasoningEfforts[*effort]; ok {
		return level, nil
	}
	switch *effort {
	case "minimal", "xhigh":
		return "", badRequest("reasoning_effort", "reasoning_effort %q is not one Meterdesk sends: it takes none, low, medium or high "+
			"(the reasoning levels of the chat), which it maps to each provider's own field", *effort)
	}
	return "", badRequest("reasoning_effort", "reasoning_effort must be none, low, medium or high (not %q)", *effort)
}

// field decodes raw[name] into dst; null counts as absent.
func field(raw map[string]json.RawMessage, name string, dst any, required bool) *apiError {
	v, ok := raw[name]
	if !ok || isNull(v) {
		if required {
			return badRequest(name, "%s is required", name)
		}
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return badRequest(name, "%s must be %s, not %s", name, jsonWant(dst), jsonGot(err, v))
	}
	return nil
}

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// bodyWords says why a body is not one JSON object, in JSON's terms, as
// OpenAI's own 400 does: never Go's ("cannot unmarshal array into Go value
// of type map[string]json.RawMessage").
func bodyWords(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil: // null
		return "the request body must be a JSON object, not null"
	case errors.Is(err, io.EOF):
		return "the request body is empty: it must be a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the request body is not valid JSON: it ends before its object does"
	case errors.As(err, &syn):
		return fmt.Sprintf("the request body is not valid JSON: %s (at byte %d)", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		return "the request body must be a JSON object, not " + jsonKind(typ.Value)
	}
	return "the request body must be a JSON object"
}

// jsonWant names, in JSON's terms, what a field decoded into dst must be.
func jsonWant(dst any) string {
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil:
	case t.Kind() == reflect.Bool:
		return "a boolean"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	}
	return "of another type"
}

// jsonGot names the value a field was given instead (v, as sent): "a
// string", "an array", or the number itself ("1.5", a seed's fraction or
// an integer too large).
func jsonGot(err error, v json.RawMessage) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Value == "number" || strings.HasPrefix(typ.Value, "number ") {
			return strings.TrimSpace(string(v))
		}
		return jsonKind(typ.Value)
	}
	return "what was sent"
}

// jsonKind is an UnmarshalTypeError's Value ("string", "array", "bool")
// with its article: "a string", "an array", "a boolean".
func jsonKind(value string) string {
	switch value {
	case "array", "object":
		return "an " + value
	case "bool":
		return "a boolean"
	case "string":
		return "a string"
	}
	return value
}

// parseMessages reads the messages array: roles system, developer (sent as
// system), user and assistant; content a string or an array of text parts.
func parseMessages(v json.RawMessage) ([]providers.Message, *apiError) {
	if v == nil || isNull(v) {
		return nil, badRequest("messages", "messages is required")
	}
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		return nil, badRequest("messages", "messages must be an array of message objects")
	}
	if len(items) == 0 {
		return nil, badRequest("messages", "messages must hold at least one message")
	}
	out := make([]providers.Message, 0, len(items))
	for i, it := range items {
		p := fmt.Sprintf("messages[%d]", i)
		var m map[string]json.RawMessage
		if json.Unmarshal(it, &m) != nil || m == nil {
			return nil, badRequest(p, "%s must be an object", p)
		}
		var role string
		if json.Unmarshal(m["role"], &role) != nil {
			return nil, badRequest(p+".role", "%s.role must be a string", p)
		}
		switch role {
		case "system", "user", "assistant":
		case "developer":
			role = "system"
		default:
			return nil, badRequest(p+".role", "%s.role %q is not supported (use system, developer, user or assistant)", p, role)
		}
		text, err := parseContent(m["content"], p+".content")
		if err != nil {
			return nil, err
		}
		out = append(out, providers.Message{Role: role, Content: text})
	}
	return out, nil
}

func parseContent(v json.RawMessage, p string) (string, *apiError) {
	if v == nil || isNull(v) {
		return "", badRequest(p, "%s is required", p)
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var parts []struct {
		Type string  `json:"type"`
		Text *string `json:"text"`
	}
	if json.Unmarshal(v, &parts) != nil {
		return "", badRequest(p, "%s must be a string or an array of text parts", p)
	}
	var b strings.Builder
	for j, part := range parts {
		if part.Type != "text" || part.Text == nil {
			return "", badRequest(fmt.Sprintf("%s[%d]", p, j), "%s[%d]: only text parts are supported", p, j)
		}
		b.WriteString(*part.Text)
	}
	return b.String(), nil
}
