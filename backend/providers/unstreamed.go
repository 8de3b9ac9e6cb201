package providers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// A provider may answer a streaming chat request ("stream": true) with one
// whole JSON answer instead of an event stream: some OpenAI-compatible
// servers and proxies ignore "stream". It has produced, and bills, a whole
// reply. Each adapter's Stream sets watch.unstreamed to its converter
// (openaiUnstreamed, anthropicUnstreamed, geminiUnstreamed): the round
// tripper reads such a body (a 2xx answer that is not labelled an event
// stream and whose body starts with a JSON object or array, whatever its
// Content-Type says) whole and gives the stream's reader (sseReader, the
// Anthropic and Gemini SDKs) the event stream it stands for, in the
// provider's own format. So the reply is delivered, keeps its finish
// reason and is charged from the body's usage exactly as the same reply
// streamed. A body the converter does not take (OpenAI's error object,
// which sseReader already reads as the provider's error; a JSON body that
// is no answer) or that cannot be read whole is passed on as it came, and
// ends as it did before: an error object is the provider's error, anything
// else a reply cut off (nothing charged when no text came). Only a body
// labelled JSON gets that far: one labelled otherwise (text/plain, none)
// that is neither an answer nor an error object is no answer at all
// (ErrNotAnAnswer).
//
// A 2xx body that is neither an event stream nor JSON at its start (a
// captive portal's or a corporate proxy's HTML sign-in page, plain text)
// is no answer either, to a chat or to a model listing: the call fails
// with a *NotAnAnswerError that names what came (inspect), before any of
// it reaches a reader, instead of reading as a reply cut off before any
// text or as malformed JSON.
//
// A whole chat answer that is an error object instead of the answer (LM
// Studio answers a path it does not serve, such as /chat/completions
// without /v1, with 200 and {"error":"Unexpected endpoint or method. (POST
// /chat/completions)"}) fails the call with that error as an *APIError
// (watch.bodyErr), as a listing's does, so that classify gives both the
// same hint (pathHint: "did you mean BASE/v1?").
//
// A whole JSON answer longer than Config.MaxWholeAnswer is not read past
// it: the provider has generated, and bills, a reply that long, so what
// was read is delivered as a reply cut off there (closeJSON makes a JSON
// document of it, the converter an event stream without a finish or a
// usage), and the call then fails with ErrInterrupted saying why
// (watch.tooLarge). Chat charges it as it charges any stream cut after
// some text: estimated by the tokenizer from the text delivered. The rest
// of the body is never read, so no answer, however long, can exhaust
// memory.

// DefaultMaxWholeAnswer bounds a whole JSON answer read into memory
// (Config.MaxWholeAnswer): 32 MiB, the output cap of chat's largest output
// budget (1,048,576 tokens at 32 bytes a token).
const DefaultMaxWholeAnswer = 32 << 20

// errWholeTooLarge ends the event stream made of the start of a whole
// answer longer than the limit (watch.unstream); classify names it
// (watch.tooLarge).
var errWholeTooLarge = errors.New("the whole answer is longer than Meterdesk reads")

// wholePiece is the most text of a whole answer put into one event: every
// event stays one line far below sseReader's maxLine (4 MiB) and the
// Anthropic SDK's line limit, even when JSON escapes every byte.
const wholePiece = 256 << 10

// isJSONType reports whether a Content-Type header names JSON
// (application/json, or a +json type such as application/problem+json).
func isJSONType(ct string) bool {
	mt := mediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// inspect looks at the start of a 2xx answer to a chat stream (watch.unstreamed
// set) or a model listing (watch.list) before its reader does, and returns
// the *NotAnAnswerError the call fails with when the body is not the API's
// answer (resp's body is then for the caller to close); otherwise it
// leaves resp with the body its reader gets:
//   - a chat answer labelled text/event-stream: as it comes, not looked at;
//   - a body that starts with an event stream's line (data:, event:, id:,
//     retry:, error:, a comment), that is empty, or whose start could not
//     be read: as it comes, read ahead by no more than its first line's
//     field name;
//   - a chat answer that starts with a JSON object or array: read whole
//     (up to w.maxWhole) and converted (unstream), unless it is an error
//     object; a listing's: read whole and, unless it is an error object
//     (listError), passed on for its SDK to decode;
//   - anything else (HTML, plain text, XML): no answer, named from the
//     Content-Type and what the first read of the body brought (at most
//     sniffLen bytes; notAnAnswer).
//
// Either way the body is tapped and keeps the idle timer, as every body of
// a watched call; key is the API key, kept out of the error. The error is
// a *NotAnAnswerError (also kept as w.notAnswer) or the *APIError of an
// error object answered in place of the answer (w.bodyErr), which
// classify names whatever an SDK made of it.
func (w *watch) inspect(resp *http.Response, key string) error {
	if na := w.inspectBody(resp, key); na != nil {
		w.notAnswer.Store(na)
		return na
	}
	if w.listTooLarge.Load() {
		return errListTooLarge
	}
	if ae := w.bodyErr.Load(); ae != nil {
		return ae
	}
	return nil
}

func (w *watch) inspectBody(resp *http.Response, key string) *NotAnAnswerError {
	ct := resp.Header.Get("Content-Type")
	chat := w.unstreamed != nil
	if chat && mediaType(ct) == "text/event-stream" {
		resp.Body = &watchedBody{rc: resp.Body, w: w}
		return nil
	}
	raw := &watchedBody{rc: resp.Body, w: w, untapped: true}
	br := bufio.NewReaderSize(raw, sniffLen)
	switch bodyStart(br) {
	case startJSON:
		if chat {
			return w.unstream(resp, raw, br, ct, key)
		}
		w.listAnswer(resp, raw, br, key)
		return nil
	case startOther:
		head, _ := br.Peek(br.Buffered())
		return notAnAnswer(ct, head, key, !chat)
	}
	var body io.Reader = br
	if !chat {
		// A listing's event stream, or one that starts with blanks, is no
		// list its SDK will take, but it is not read without bound either.
		body = &cappedBody{r: br, left: int64(w.maxWhole), w: w}
	}
	resp.Body = &watchedBody{rc: readCloser{body, raw}, w: w}
	return nil
}

// errListTooLarge ends a model listing whose body is longer than
// Config.MaxWholeAnswer (watch.listTooLarge); classify names it: "the
// server's model list is larger than 32 MiB".
var errListTooLarge = errors.New("the model list is longer than Meterdesk reads")

// cappedBody reads a listing's body up to left bytes, then fails with
// errListTooLarge (and sets w.listTooLarge) instead of reading on.
type cappedBody struct {
	r    io.Reader
	left int64
	w    *watch
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.w.listTooLarge.Store(true)
			return 0, errListTooLarge
		}
		return 0, err // at the end: EOF or the read's error
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// unstream replaces resp's JSON body, which br reads (from raw), with the
// event stream w.unstreamed makes of it, or, when it makes none or the
// body could not be read whole (cut, the call cancelled), with the body as
// it came (the bytes read, then the rest or the read error). A body that
// is an error object (parseWireError) and no answer is kept as w.bodyErr,
// which the call fails with. A body whose Content-Type ct is not JSON,
// read whole, that the converter does not take and that is no error object
// is no answer: the *NotAnAnswerError is returned instead. A body longer
// than w.maxWhole is read no further (tooLong).
func (w *watch) unstream(resp *http.Response, raw io.Closer, br *bufio.Reader, ct, key string) *NotAnAnswerError {
	buf, err := io.ReadAll(io.LimitReader(br, int64(w.maxWhole)+1))
	over := err == nil && len(buf) > w.maxWhole
	buf = bytes.TrimPrefix(buf, utf8BOM) // encoding/json would refuse it
	if over {
		_ = raw.Close() // the rest is not read
		w.tooLong(resp, buf[:min(len(buf), w.maxWhole)])
		return nil
	}
	if err == nil {
		if stream, ok := w.unstreamed(buf, false); ok {
			_ = raw.Close()
			w.replaceBody(resp, bytes.NewReader(stream), int64(len(stream)))
			return nil
		}
		we, isError := parseWireError(buf, false)
		if isError {
			w.bodyErr.Store(we.apiError(key))
			return nil
		}
		if !isJSONType(ct) {
			return otherJSON(ct, buf, key)
		}
	}
	rest := io.Reader(br)
	if err != nil {
		rest = errReader{err}
	}
	resp.Body = &watchedBody{rc: readCloser{io.MultiReader(bytes.NewReader(buf), rest), raw}, w: w}
	return nil
}

// tooLong replaces resp's body, a whole JSON answer longer than w.maxWhole
// of which head is the start, with the event stream that start stands
// for, cut where it was (closeJSON, w.unstreamed with cut set: no finish,
// no usage), followed by errWholeTooLarge instead of its end; with only
// that error when nothing of it is an answer. It sets w.tooLarge, which
// classify names.
func (w *watch) tooLong(resp *http.Response, head []byte) {
	w.tooLarge.Store(true)
	var stream []byte
	if doc, ok := closeJSON(head); ok {
		stream, _ = w.unstreamed(doc, true)
	}
	w.replaceBody(resp, io.MultiReader(bytes.NewReader(stream), errReader{errWholeTooLarge}), -1)
}

// replaceBody gives resp the event stream r as its body (of length n, -1
// when it is not known), watched.
func (w *watch) replaceBody(resp *http.Response, r io.Reader, n int64) {
	resp.Header.Set("Content-Type", "text/event-stream")
	resp.Header.Del("Content-Length")
	resp.ContentLength = n
	resp.Body = &watchedBody{rc: io.NopCloser(r), w: w}
}

// listAnswer reads a listing's JSON answer, which br reads (from raw),
// whole (up to w.maxWhole) and gives it back to resp for its SDK, or,
// when it is an error object rather than a list (listError), keeps that
// error as w.bodyErr. LM Studio answers a path it does not serve (GET
// /models without /v1) with 200 and {"error":"Unexpected endpoint or
// method. (GET /models)"}, which go-openai decoded as an empty list: the
// connection test said "Connected: 0 models available". A body longer
// than w.maxWhole is read no further: w.listTooLarge is set, which the
// call fails with (inspect, classify: "the server's model list is larger
// than 32 MiB"), so that no listing, however long, can exhaust memory.
func (w *watch) listAnswer(resp *http.Response, raw io.Closer, br *bufio.Reader, key string) {
	buf, err := io.ReadAll(io.LimitReader(br, int64(w.maxWhole)+1))
	if err == nil && len(buf) > w.maxWhole {
		_ = raw.Close() // the rest is not read
		w.listTooLarge.Store(true)
		return
	}
	if err == nil {
		if ae := listError(buf, key); ae != nil {
			w.bodyErr.Store(ae)
			return
		}
	}
	rest := io.Reader(br)
	if err != nil {
		rest = errReader{err}
	}
	resp.Body = &watchedBody{rc: readCloser{io.MultiReader(bytes.NewReader(buf), rest), raw}, w: w}
}

// listError is the provider's error when a listing's 2xx body is an error
// object (parseWireError: {"error":…}, {"object":"error",…}) and carries no
// list (no "data" or "models" array), with the status the error names
// (wireError.status: 500 when it names none), as an error inside a chat
// stream is read; nil for a list.
func listError(body []byte, key string) *APIError {
	body = bytes.TrimPrefix(body, utf8BOM)
	we, ok := parseWireError(body, false)
	if !ok {
		return nil
	}
	var lists struct {
		Data   json.RawMessage `json:"data"`
		Models json.RawMessage `json:"models"`
	}
	if json.Unmarshal(body, &lists) == nil &&
		(bytes.HasPrefix(bytes.TrimSpace(lists.Data), []byte("[")) || bytes.HasPrefix(bytes.TrimSpace(lists.Models), []byte("["))) {
		return nil
	}
	return we.apiError(key)
}

// start is what a body starts with (bodyStart).
type start int

const (
	startNone  start = iota // nothing: empty, unreadable, or only blanks as far as the buffer goes
	startJSON               // a JSON object or array
	startSSE                // an event stream's line: a field name and its colon, or a comment
	startOther              // anything else
)

// sseFields are the event stream fields a body may start with, by their
// first letter: the standard ones and llama.cpp's "error:".
var sseFields = map[byte][]string{'d': {"data:"}, 'e': {"event:", "error:"}, 'i': {"id:"}, 'r': {"retry:"}}

// bodyStart reports what the body br reads starts with, after a byte
// order mark and white space (at most what br buffers). It reads nothing:
// it only peeks, so the body stays whole either way; and it peeks no
// further than the first line's field name, so an event stream is not
// held back.
func bodyStart(br *bufio.Reader) start {
	n := 0
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		n = len(utf8BOM)
	}
	for ; ; n++ {
		if n >= br.Size() {
			return startNone
		}
		b, err := br.Peek(n + 1)
		if err != nil {
			return startNone // the body ended or failed there: pass it on as it is
		}
		switch b[n] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return startJSON
		case ':':
			return startSSE
		}
		for _, f := range sseFields[b[n]] {
			if b, _ := br.Peek(n + len(f)); bytes.HasPrefix(b[n:], []byte(f)) {
				return startSSE
			}
		}
		return startOther
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

type readCloser struct {
	io.Reader
	io.Closer
}

// pieces cuts s into pieces of at most wholePiece bytes, at character
// boundaries.
func pieces(s string) []string {
	var out []string
	for len(s) > wholePiece {
		i := wholePiece
		for i > wholePiece-utf8.UTFMax && !utf8.RuneStart(s[i]) {
			i--
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// isObject reports whether raw is a JSON object (not null, not absent).
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// jsonString marshals s as a JSON string.
func jsonString(s string) json.RawMessage { return marshalPlain(s) }

// marshalPlain is json.Marshal without HTML escaping: a reply full of
// code would otherwise grow (each <, > and & becomes six bytes) on its way
// into the event stream that stands for it.
func marshalPlain(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// orNull is raw, or JSON null when it is absent.
func orNull(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("null")
	}
	return raw
}

// openaiUnstreamed converts OpenAI's chat.completion object (the answer
// without "stream": choices[].message with its content, reasoning_content
// (DeepSeek, vLLM) or reasoning (OpenRouter, newer vLLM) and tool_calls;
// choices[].finish_reason; usage with its details, and DeepSeek's cache
// fields) into the chat.completion.chunk stream it stands for: for each
// choice, its reasoning, then its text as deltas (at most wholePiece bytes
// each), its tool calls, and a chunk with its finish_reason; then a chunk
// with the usage, as stream_options.include_usage asks; then [DONE]. A
// body with a top-level "error", or without a choice with a message, is no
// chat.completion. With cut (body is the start of a longer answer, closed
// by closeJSON), the stream stops after the last delta: no finish_reason,
// no usage and no [DONE], and a choice without a message yet is left out.
func openaiUnstreamed(body []byte, cut bool) ([]byte, bool) {
	var c struct {
		ID      json.RawMessage `json:"id"`
		Created json.RawMessage `json:"created"`
		Model   json.RawMessage `json:"model"`
		Choices []struct {
			Index        int             `json:"index"`
			Message      json.RawMessage `json:"message"`
			FinishReason json.RawMessage `json:"finish_reason"`
		} `json:"choices"`
		Usage json.RawMessage `json:"usage"`
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &c) != nil || len(c.Choices) == 0 || len(c.Error) > 0 && string(c.Error) != "null" {
		return nil, false
	}
	type message struct {
		Role             string          `json:"role"`
		Content          json.RawMessage `json:"content"`
		ReasoningContent *string         `json:"reasoning_content"`
		Reasoning        *string         `json:"reasoning"`
		ToolCalls        json.RawMessage `json:"tool_calls"`
	}
	if cut { // the choices that have a message so far
		kept := c.Choices[:0]
		for _, ch := range c.Choices {
			if isObject(ch.Message) {
				kept = append(kept, ch)
			}
		}
		if c.Choices = kept; len(kept) == 0 {
			return nil, false
		}
	}
	msgs := make([]message, len(c.Choices))
	for i, ch := range c.Choices {
		if !isObject(ch.Message) || json.Unmarshal(ch.Message, &msgs[i]) != nil {
			return nil, false
		}
		if _, ok := contentText(msgs[i].Content); !ok {
			return nil, false
		}
	}
	var out bytes.Buffer
	chunk := func(choices any, usage json.RawMessage) {
		b := marshalPlain(struct {
			ID      json.RawMessage `json:"id"`
			Object  string          `json:"object"`
			Created json.RawMessage `json:"created"`
			Model   json.RawMessage `json:"model"`
			Choices any             `json:"choices"`
			Usage   json.RawMessage `json:"usage,omitempty"`
		}{orNull(c.ID), "chat.completion.chunk", orNull(c.Created), orNull(c.Model), choices, usage})
		out.WriteString("data: ")
		out.Write(b)
		out.WriteString("\n\n")
	}
	type choice struct {
		Index        int             `json:"index"`
		Delta        map[string]any  `json:"delta"`
		FinishReason json.RawMessage `json:"finish_reason"`
	}
	delta := func(i int, d map[string]any) {
		chunk([]choice{{Index: c.Choices[i].Index, Delta: d, FinishReason: json.RawMessage("null")}}, nil)
	}
	for i, m := range msgs {
		role := m.Role
		if role == "" {
			role = "assistant"
		}
		delta(i, map[string]any{"role": role, "content": ""})
		if m.ReasoningContent != nil {
			for _, p := range pieces(*m.ReasoningContent) {
				delta(i, map[string]any{"reasoning_content": p})
			}
		}
		if m.Reasoning != nil && (m.ReasoningContent == nil || *m.ReasoningContent == "") { // some servers send both, the same text
			for _, p := range pieces(*m.Reasoning) {
				delta(i, map[string]any{"reasoning": p})
			}
		}
		text, _ := contentText(m.Content)
		for _, p := range pieces(text) {
			delta(i, map[string]any{"content": p})
		}
		if tc := bytes.TrimSpace(m.ToolCalls); len(tc) > 0 && tc[0] == '[' {
			delta(i, map[string]any{"tool_calls": json.RawMessage(tc)})
		}
		if !cut {
			chunk([]choice{{Index: c.Choices[i].Index, Delta: map[string]any{}, FinishReason: orNull(c.Choices[i].FinishReason)}}, nil)
		}
	}
	if cut {
		return out.Bytes(), true
	}
	if isObject(c.Usage) {
		chunk([]choice{}, c.Usage)
	}
	out.WriteString("data: [DONE]\n\n")
	return out.Bytes(), true
}

// contentText is a message's content as text: a string, null (none), or
// an array of content parts, whose text parts are joined.
func contentText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return "", false
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
		}
	}
	return b.String(), true
}

// anthropicUnstreamed converts Anthropic's Message object (the answer
// without "stream": content blocks, stop_reason, usage) into the event
// stream it stands for: message_start (the message with no content, and
// its usage), for each block content_block_start, its text_delta or
// thinking_delta events (at most wholePiece bytes each; a thinking block's
// signature_delta), content_block_stop; then message_delta with the
// stop_reason and the usage, and message_stop. An error object
// ({"type":"error","error":{…}}) becomes the error event it would have
// been in a stream. With cut (body is the start of a longer answer, closed
// by closeJSON), the stream stops after the last block: no message_delta
// and no message_stop; a block cut before its "type" is a text or thinking
// block by its field, or else left out.
func anthropicUnstreamed(body []byte, cut bool) ([]byte, bool) {
	var m struct {
		Type         string            `json:"type"`
		Content      []json.RawMessage `json:"content"`
		StopReason   json.RawMessage   `json:"stop_reason"`
		StopSequence json.RawMessage   `json:"stop_sequence"`
		Usage        json.RawMessage   `json:"usage"`
		Error        json.RawMessage   `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return nil, false
	}
	var out bytes.Buffer
	event := func(name string, v any) {
		b := marshalPlain(v)
		out.WriteString("event: " + name + "\ndata: ")
		out.Write(b)
		out.WriteString("\n\n")
	}
	if m.Type == "error" && isObject(m.Error) {
		var compact bytes.Buffer
		if json.Compact(&compact, body) != nil {
			return nil, false
		}
		event("error", json.RawMessage(compact.Bytes()))
		return out.Bytes(), true
	}
	if m.Type != "message" || m.Content == nil {
		return nil, false
	}
	type block struct {
		Type      string  `json:"type"`
		Text      *string `json:"text"`
		Thinking  *string `json:"thinking"`
		Signature *string `json:"signature"`
	}
	blocks := make([]block, len(m.Content))
	for i, raw := range m.Content {
		if !isObject(raw) || json.Unmarshal(raw, &blocks[i]) != nil {
			return nil, false
		}
	}
	var start map[string]json.RawMessage
	if json.Unmarshal(body, &start) != nil {
		return nil, false
	}
	start["content"], start["stop_reason"], start["stop_sequence"] = json.RawMessage("[]"), json.RawMessage("null"), json.RawMessage("null")
	event("message_start", map[string]any{"type": "message_start", "message": start})
	for i, b := range blocks {
		if cut && b.Type == "" { // cut before its type: known by its field, if any
			switch {
			case b.Text != nil:
				b.Type = "text"
			case b.Thinking != nil:
				b.Type = "thinking"
			default:
				continue
			}
		}
		switch b.Type {
		case "text":
			event("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "text", "text": ""}})
			if b.Text != nil {
				for _, p := range pieces(*b.Text) {
					event("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
						"delta": map[string]any{"type": "text_delta", "text": p}})
				}
			}
		case "thinking":
			event("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "thinking", "thinking": "", "signature": ""}})
			if b.Thinking != nil {
				for _, p := range pieces(*b.Thinking) {
					event("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
						"delta": map[string]any{"type": "thinking_delta", "thinking": p}})
				}
			}
			if b.Signature != nil && *b.Signature != "" {
				event("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
					"delta": map[string]any{"type": "signature_delta", "signature": *b.Signature}})
			}
		default: // tool_use, redacted_thinking, …: the block as it is
			event("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": m.Content[i]})
		}
		event("content_block_stop", map[string]any{"type": "content_block_stop", "index": i})
	}
	if cut {
		return out.Bytes(), true
	}
	md := map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": orNull(m.StopReason), "stop_sequence": orNull(m.StopSequence)}}
	if isObject(m.Usage) {
		md["usage"] = m.Usage
	}
	event("message_delta", md)
	event("message_stop", map[string]any{"type": "message_stop"})
	return out.Bytes(), true
}

// geminiUnstreamed converts Gemini's answer without alt=sse into the
// alt=sse stream it stands for, one data line per response: the JSON array
// of GenerateContentResponse objects streamGenerateContent returns, or one
// such object (generateContent's answer, or an error object). An element
// with none of candidates, usageMetadata, promptFeedback or error is no
// answer. With cut (body is the start of a longer answer, closed by
// closeJSON), the candidates lose their finishReason, and an element that
// is no answer (the last one, cut before its first field) is left out.
func geminiUnstreamed(body []byte, cut bool) ([]byte, bool) {
	body = bytes.TrimSpace(body)
	items := []json.RawMessage{body}
	if len(body) > 0 && body[0] == '[' {
		if json.Unmarshal(body, &items) != nil || len(items) == 0 {
			return nil, false
		}
	}
	var out bytes.Buffer
	for _, it := range items {
		var r map[string]json.RawMessage
		if !isObject(it) || json.Unmarshal(it, &r) != nil {
			return nil, false
		}
		if r["candidates"] == nil && r["usageMetadata"] == nil && r["promptFeedback"] == nil && r["error"] == nil {
			if cut {
				continue
			}
			return nil, false
		}
		if cut && r["candidates"] != nil {
			var cands []map[string]json.RawMessage
			if json.Unmarshal(r["candidates"], &cands) != nil {
				return nil, false
			}
			for _, c := range cands {
				delete(c, "finishReason")
			}
			r["candidates"] = marshalPlain(cands)
			it = marshalPlain(r)
		}
		out.WriteString("data: ")
		if json.Compact(&out, it) != nil {
			return nil, false
		}
		out.WriteString("\r\n\r\n")
	}
	if out.Len() == 0 {
		return nil, false
	}
	return out.Bytes(), true
}
