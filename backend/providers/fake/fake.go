// Package fake runs local HTTP servers (net/http/httptest) that speak each AI
// provider's documented streaming wire format byte for byte, so that the
// providers adapters, chat, the gateway and the end-to-end tests can run
// without a network or a real API key.
//
// Four flavours exist: OpenAI (chat.completion.chunk SSE, final usage chunk
// when stream_options.include_usage is set, data: [DONE]), DeepSeek (the same
// with prompt_cache_hit_tokens / prompt_cache_miss_tokens, usage on the
// finish chunk, ": keep-alive" comments), Anthropic (message_start,
// content_block_start, ping, content_block_delta, content_block_stop,
// message_delta with cumulative usage, message_stop) and Gemini
// (streamGenerateContent?alt=sse with usageMetadata). Each also serves its
// model-listing endpoint.
//
// A Script says what the next request gets: the reply (as chunks), the usage
// numbers, and optionally a Fault (dropped connection, 429 with Retry-After,
// 500, 401, a 400 refusing a parameter, hang, silence, malformed chunk,
// in-stream error event, missing usage, a captive portal's HTML sign-in
// page) or a slow first token; Unstreamed answers with the provider's whole
// answer as one JSON body instead of a stream, as servers that ignore
// "stream" do, and ContentType labels the answer wrongly. Whatever the
// script, the DeepSeek flavour refuses a deepseek-reasoner conversation
// whose user and assistant messages do not alternate, with the API's 400
// (deepseekRefuse).
//
//	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hel", "lo"}, Usage: fake.Usage{Prompt: 10, Completion: 2}})
//	defer srv.Close()
//	// configure a provider with Kind "openai", BaseURL srv.BaseURL(), any API key
package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Flavor is the provider wire format a Server speaks.
type Flavor string

// The flavours.
const (
	OpenAI    Flavor = "openai"
	DeepSeek  Flavor = "deepseek"
	Anthropic Flavor = "anthropic"
	Gemini    Flavor = "gemini"
)

// Usage is the token usage the server reports, in the provider's own terms:
//
//	OpenAI:    prompt_tokens=Prompt (includes Cached), completion_tokens=Completion
//	           (includes Reasoning), prompt_tokens_details.cached_tokens=Cached,
//	           completion_tokens_details.reasoning_tokens=Reasoning
//	DeepSeek:  as OpenAI, plus prompt_cache_hit_tokens=Cached and
//	           prompt_cache_miss_tokens=Prompt-Cached
//	Anthropic: input_tokens=Prompt (EXCLUDES cache), cache_read_input_tokens=Cached,
//	           cache_creation_input_tokens=CacheWrite, output_tokens=Completion
//	Gemini:    promptTokenCount=Prompt (includes Cached), cachedContentTokenCount=Cached,
//	           candidatesTokenCount=Completion, thoughtsTokenCount=Reasoning
//
// Total (OpenAI flavour) overrides total_tokens, which is otherwise
// Prompt+Completion: Gemini's OpenAI-compatible endpoint counts the
// model's thoughts only there (completion_tokens leaves them out, and no
// reasoning_tokens is given), e.g. {Prompt: 20, Completion: 424, Total: 1016}.
type Usage struct {
	Prompt     int64
	Cached     int64
	CacheWrite int64
	Completion int64
	Reasoning  int64
	Total      int64
}

// Fault is a failure the server stages.
type Fault string

// The faults. FailAfter text chunks are delivered before the mid-stream ones.
const (
	NoFault      Fault = ""
	Drop         Fault = "drop"         // close the TCP connection mid-stream (no terminator)
	HangUp       Fault = "hang-up"      // close the TCP connection before any answer (no status line)
	RateLimited  Fault = "429"          // HTTP 429 with Retry-After (Gemini: RetryInfo in details)
	ServerError  Fault = "500"          // HTTP 500 with the provider's error body
	Unauthorized Fault = "401"          // HTTP 401 whose message echoes the key it received
	BadRequest   Fault = "400"          // HTTP 400 refusing the request's BadParam (default temperature) for the model, in OpenAI's words
	Hang         Fault = "hang"         // send headers (and FailAfter chunks), then nothing until the client gives up
	Silent       Fault = "silent"       // take the request (model listing or chat) and send nothing, not even a status line, until the client gives up
	Malformed    Fault = "malformed"    // a chunk whose JSON is cut off
	StreamError  Fault = "stream-error" // the provider's in-stream error event (e.g. Anthropic overloaded_error)
	NoUsage      Fault = "no-usage"     // complete reply, but no usage reported anywhere
	// ContextTooLong answers HTTP 400 with the provider's documented
	// refusal of a prompt over the model's context window, byte for byte
	// (ContextTooLongBody).
	ContextTooLong Fault = "context-too-long"
	// SignInPage answers the request (a chat or the model listing) with
	// status 200 and a captive portal's HTML sign-in page (text/html,
	// titled SignInTitle), as a hotel's network or a corporate proxy does.
	SignInPage Fault = "sign-in-page"
)

// SignInTitle is the title of the SignInPage fault's page.
const SignInTitle = "Guest Wi-Fi – Sign in"

// signInPage is the SignInPage fault's body.
const signInPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Guest Wi-Fi &ndash; Sign in</title>
<style>body{font-family:sans-serif;margin:4em}</style></head>
<body><form method="post" action="/portal/login"><h1>Welcome to Guest Wi-Fi</h1>
<p>Accept the terms of use to continue.</p>
<label><input type="checkbox" name="accept"> I accept</label> <button>Connect</button></form></body></html>
`

// NoContentType, as Script.ContentType, sends a chat answer without any
// Content-Type header.
const NoContentType = "none"

// Script is what the server answers to a chat request.
type Script struct {
	Chunks     []string      // reply text, one SSE chunk each; nil = {"Hello", " world"}
	Usage      Usage         // reported usage
	Finish     string        // finish reason in the provider's vocabulary; "" = stop / end_turn / STOP
	Fault      Fault         // a staged failure
	FailAfter  int           // text chunks (Thinking, then Chunks, then Tools' pieces) delivered before Drop, Hang, Malformed or StreamError
	RetryAfter string        // Retry-After header value for RateLimited; "" = "7"
	FirstDelay time.Duration // delay before the first text chunk (headers are sent at once)
	ChunkDelay time.Duration // delay between later chunks
	Models     []string      // ids the listing endpoint returns; nil = a default per flavour
	// Thinking is reasoning text streamed before the reply, one chunk each:
	// DeepSeek's delta.reasoning_content (deepseek-reasoner), an Anthropic
	// thinking content block (thinking_delta, then signature_delta), Gemini
	// parts marked "thought": true; the OpenAI flavour streams it as
	// delta.reasoning, as OpenRouter and vLLM do (OpenAI itself streams no
	// reasoning text). These chunks count for FailAfter, before Chunks.
	Thinking []string
	// Tools are tool calls the model makes after the reply text (streamed
	// flavours only): OpenAI-compatible delta.tool_calls (the call's id and
	// name, then each piece of Args as function.arguments), an Anthropic
	// tool_use block (its name, then each piece as input_json_delta), and
	// for Gemini a functionCall part with the pieces joined as its args
	// (Gemini sends a call whole, in one event), that event's line written
	// in one write per piece (the first with the call's name), so that a
	// Drop can cut the line inside the call. Each chunk (each write, for
	// Gemini) counts for FailAfter, after Chunks.
	Tools []ToolCall
	// RunningUsage (OpenAI flavour, with include_usage): every text chunk
	// also carries the usage so far (the prompt, and one completion token
	// per chunk sent), as vLLM's continuous_usage_stats does; the final
	// usage chunk still reports Usage.
	RunningUsage bool
	// BadParam is the request field the BadRequest fault refuses; "" =
	// "temperature".
	BadParam string
	// Unstreamed answers the streaming request with one whole JSON body
	// (Content-Type application/json), the provider's documented answer
	// without streaming, as servers and proxies that ignore "stream" do:
	// OpenAI's chat.completion (indented as OpenAI writes it; Thinking as
	// message.reasoning, as OpenRouter), DeepSeek's (message.reasoning_content,
	// the cache fields in usage), Anthropic's Message (a thinking block
	// before the text), and for Gemini the JSON array streamGenerateContent
	// returns without alt=sse. Usage, Finish, FirstDelay (before the status
	// line) and NoUsage apply; StreamError sends the provider's error object
	// with status 200 instead, Malformed the first half of the body, Drop the
	// first half and then closes the connection.
	Unstreamed bool
	// ContentType (optional) is the Content-Type the chat answer (the
	// event stream, or with Unstreamed the whole body) is sent with, as a
	// server that labels it wrongly does (text/plain); "" = the flavour's
	// own, NoContentType = none at all.
	ContentType string
	// EchoKey (optional) is how the Unauthorized fault's message shows the
	// key it received, e.g. cut short, masked or lower-cased (some providers
	// echo part of it); nil = as received.
	EchoKey func(key string) string
}

// ToolCall is one tool call a Script streams: the function's name and its
// arguments (a JSON object) in the pieces they arrive in.
type ToolCall struct {
	Name string
	Args []string
}

// Recorded is one request the server received.
type Recorded struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// Server is a running fake provider. Its zero value is not usable; use New or
// a flavour constructor.
type Server struct {
	*httptest.Server
	Flavor Flavor

	mu     sync.Mutex
	script Script
	queue  []Script
	key    string
	reqs   []Recorded
	onReq  func(Recorded)
	quit   chan struct{}
	closed bool
}

// New starts a server of the given flavour answering every chat request with s.
func New(f Flavor, s Script) *Server {
	srv := &Server{Flavor: f, script: s, quit: make(chan struct{})}
	srv.Server = httptest.NewServer(http.HandlerFunc(srv.handle))
	return srv
}

// NewTLS is New serving HTTPS with httptest's self-signed certificate (for
// 127.0.0.1, ::1 and example.com). A client on the default transport refuses
// it (unknown authority), as it would a captive portal's; srv.Client()
// trusts it.
func NewTLS(f Flavor, s Script) *Server {
	srv := &Server{Flavor: f, script: s, quit: make(chan struct{})}
	srv.Server = httptest.NewUnstartedServer(http.HandlerFunc(srv.handle))
	srv.Server.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what it is for
	srv.Server.StartTLS()
	return srv
}

// Listen is New on a chosen address (e.g. "127.0.0.1:8765"), for servers run
// outside a Go test (tests/fakeprovider).
func Listen(f Flavor, s Script, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fake %s provider: listen on %s: %w", f, addr, err)
	}
	srv := &Server{Flavor: f, script: s, quit: make(chan struct{})}
	srv.Server = httptest.NewUnstartedServer(http.HandlerFunc(srv.handle))
	srv.Server.Listener.Close()
	srv.Server.Listener = ln
	srv.Server.Start()
	return srv, nil
}

// NewOpenAI starts an OpenAI chat-completions server.
func NewOpenAI(s Script) *Server { return New(OpenAI, s) }

// NewDeepSeek starts a DeepSeek server.
func NewDeepSeek(s Script) *Server { return New(DeepSeek, s) }

// NewAnthropic starts an Anthropic Messages API server.
func NewAnthropic(s Script) *Server { return New(Anthropic, s) }

// NewGemini starts a Gemini API server.
func NewGemini(s Script) *Server { return New(Gemini, s) }

// BaseURL is the base URL to configure for this server, the way the real
// provider's is written: OpenAI ".../v1", the others the bare origin.
func (s *Server) BaseURL() string {
	if s.Flavor == OpenAI {
		return s.URL + "/v1"
	}
	return s.URL
}

// SetScript replaces the default script.
func (s *Server) SetScript(sc Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = sc
}

// Enqueue adds one-shot scripts used by the next chat requests, in order,
// before the default script applies again.
func (s *Server) Enqueue(sc ...Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, sc...)
}

// RequireKey makes every request without this API key fail with the
// provider's 401 (whose message echoes the key it received, as some
// providers partly do, so that redaction can be tested). "" accepts any key.
func (s *Server) RequireKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key = key
}

// OnRequest calls f with each request received from now on (before it is
// answered), e.g. to log it outside a Go test (tests/fakeprovider -log).
func (s *Server) OnRequest(f func(Recorded)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onReq = f
}

// ChatRequests counts the chat requests (POSTs) received so far: listing
// models (saving a provider does) and other GETs are not counted.
func (s *Server) ChatRequests() int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.reqs...)
}

// Close releases hanging handlers, then shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.quit)
	}
	s.mu.Unlock()
	s.Server.CloseClientConnections()
	s.Server.Close()
}

func (s *Server) next() Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		sc := s.queue[0]
		s.queue = s.queue[1:]
		return sc
	}
	return s.script
}

// receivedKey returns the API key the request carried, per flavour.
func (s *Server) receivedKey(r *http.Request) string {
	switch s.Flavor {
	case Anthropic:
		return r.Header.Get("X-Api-Key")
	case Gemini:
		if k := r.Header.Get("X-Goog-Api-Key"); k != "" {
			return k
		}
		return r.URL.Query().Get("key")
	default:
		return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	rec := Recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	s.reqs = append(s.reqs, rec)
	want, onReq := s.key, s.onReq
	s.mu.Unlock()
	if onReq != nil {
		onReq(rec)
	}
	f := flavours[s.Flavor]
	if got := s.receivedKey(r); want != "" && got != want {
		f.writeError(w, http.StatusUnauthorized, fmt.Sprintf("Incorrect API key provided: %s", got), "")
		return
	}
	switch {
	case r.Method == http.MethodGet && f.isModels(r.URL.Path):
		sc := s.next()
		if sc.Fault == Silent {
			s.wait(r, 0)
			return
		}
		if sc.Fault == RateLimited || sc.Fault == ServerError || sc.Fault == Unauthorized || sc.Fault == SignInPage {
			s.writeFault(w, r, f, sc)
			return
		}
		models := sc.Models
		if models == nil {
			models = f.defaultModels
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(f.modelList(models))
	case r.Method == http.MethodPost && f.isChat(r.URL.Path):
		s.chat(w, r, f, body)
	default:
		f.writeError(w, http.StatusNotFound, fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path), "")
	}
}

// frame is one SSE event written to the wire; text marks the frames that
// carry reply text (counted by FailAfter).
type frame struct {
	data string
	text bool
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request, f flavour, body []byte) {
	sc := s.next()
	if sc.Chunks == nil {
		sc.Chunks = []string{"Hello", " world"}
	}
	switch sc.Fault {
	case RateLimited, ServerError, Unauthorized, SignInPage:
		s.writeFault(w, r, f, sc)
		return
	case ContextTooLong:
		w.Header().Set("Content-Type", f.wholeType)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, f.tooLong)
		return
	case BadRequest:
		param := sc.BadParam
		if param == "" {
			param = "temperature"
		}
		var fields map[string]json.RawMessage
		_ = json.Unmarshal(body, &fields)
		value := string(fields[param])
		if value == "" {
			value = "this value"
		}
		f.writeError(w, http.StatusBadRequest, fmt.Sprintf("Unsupported value: '%s' does not support %s with this model. Only the default (1) value is supported.", param, value), "")
		return
	case HangUp:
		s.drop(w)
		return
	case Silent:
		s.wait(r, 0)
		return
	}
	var req chatRequest
	_ = json.Unmarshal(body, &req)
	if req.Model == "" {
		req.Model = modelFromPath(r.URL.Path)
	}
	if f.refuse != nil {
		if msg := f.refuse(req); msg != "" {
			f.writeError(w, http.StatusBadRequest, msg, "")
			return
		}
	}
	if sc.Unstreamed {
		s.whole(w, r, f, sc, req)
		return
	}
	frames := f.frames(sc, req)
	setContentType(w, f.streamType, sc.ContentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	flush := func() {
		if fl != nil {
			fl.Flush()
		}
	}
	flush()
	sent := 0
	first := true
	for _, fr := range frames {
		if fr.text {
			if sent == sc.FailAfter {
				switch sc.Fault {
				case Drop:
					s.drop(w)
					return
				case Hang:
					s.wait(r, 0)
					return
				case Malformed:
					_, _ = io.WriteString(w, f.malformed)
					flush()
					return
				case StreamError:
					_, _ = io.WriteString(w, f.streamError)
					flush()
					return
				}
			}
			d := sc.ChunkDelay
			if first {
				d = sc.FirstDelay
			}
			if d > 0 {
				s.wait(r, d)
			}
			first = false
			sent++
		}
		if _, err := io.WriteString(w, fr.data); err != nil {
			return
		}
		flush()
	}
	if sc.Fault == Hang { // FailAfter >= number of chunks: hang before the end
		s.wait(r, 0)
	}
}

// wait sleeps d (0 = until the client goes away or the server closes).
// When the client goes away or the server closes it aborts the handler
// (http.ErrAbortHandler): a handler that returned would end its answer
// cleanly (an empty 200, or a stream's last chunk). Over TLS a client at
// its deadline sends its close notice before it closes the socket, and
// Go's transport uses an answer that races the deadline, so it could read
// that clean end as the answer.
func (s *Server) wait(r *http.Request, d time.Duration) {
	var tick <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		tick = t.C
	}
	select {
	case <-tick:
		return
	case <-r.Context().Done():
	case <-s.quit:
	}
	panic(http.ErrAbortHandler)
}

// drop closes the connection without finishing the chunked body.
func (s *Server) drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fake: response writer cannot be hijacked")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	_ = buf.Flush()
	_ = conn.Close()
}

func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f flavour, sc Script) {
	switch sc.Fault {
	case RateLimited:
		ra := sc.RetryAfter
		if ra == "" {
			ra = "7"
		}
		f.writeError(w, http.StatusTooManyRequests, "Rate limit reached for requests", ra)
	case ServerError:
		f.writeError(w, http.StatusInternalServerError, "The server had an error while processing your request.", "")
	case SignInPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, signInPage)
	case Unauthorized:
		echo := s.receivedKey(r)
		if sc.EchoKey != nil {
			echo = sc.EchoKey(echo)
		}
		f.writeError(w, http.StatusUnauthorized, "Incorrect API key provided: "+echo+". You can find your API key in your account settings.", "")
	}
}

// setContentType sets the Content-Type of a chat answer: label (a
// Script's ContentType) or, when it is "", the flavour's own; none for
// NoContentType (net/http would otherwise sniff one).
func setContentType(w http.ResponseWriter, own, label string) {
	switch label {
	case "":
		w.Header().Set("Content-Type", own)
	case NoContentType:
		w.Header()["Content-Type"] = nil
	default:
		w.Header().Set("Content-Type", label)
	}
}

// chatRequest is the part of a chat request body the fakes read.
type chatRequest struct {
	Model string `json:"model"`
	// Messages are the roles of an OpenAI-style body's messages (the
	// DeepSeek flavour checks their order).
	Messages []struct {
		Role string `json:"role"`
	} `json:"messages"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	// The fields the flavours' refuse checks (refuse.go): OpenAI's
	// reasoning_effort, Anthropic's sampling, max_tokens and thinking,
	// Gemini's generationConfig.
	ReasoningEffort  string          `json:"reasoning_effort"`
	Temperature      *float64        `json:"temperature"`
	TopP             *float64        `json:"top_p"`
	MaxTokens        int             `json:"max_tokens"`
	Thinking         json.RawMessage `json:"thinking"`
	GenerationConfig *struct {
		MaxOutputTokens int `json:"maxOutputTokens"`
		ThinkingConfig  *struct {
			ThinkingBudget *int   `json:"thinkingBudget"`
			ThinkingLevel  string `json:"thinkingLevel"`
		} `json:"thinkingConfig"`
	} `json:"generationConfig"`
}

// modelFromPath reads the model of a Gemini URL (/v1beta/models/{m}:streamGenerateContent).
func modelFromPath(p string) string {
	_, rest, ok := strings.Cut(p, "/models/")
	if !ok {
		return ""
	}
	m, _, _ := strings.Cut(rest, ":")
	return m
}

// flavour is everything that differs between the wire formats.
type flavour struct {
	streamType    string
	defaultModels []string
	isChat        func(path string) bool
	isModels      func(path string) bool
	frames        func(sc Script, req chatRequest) []frame
	modelList     func(ids []string) []byte
	writeError    func(w http.ResponseWriter, status int, msg, retryAfter string)
	malformed     string
	streamError   string
	// whole is the answer without streaming (Script.Unstreamed), sent as
	// wholeType; wholeError the error object sent instead (StreamError).
	whole      func(sc Script, req chatRequest) string
	wholeType  string
	wholeError string

	// tooLong is the body of the provider's 400 for a prompt over the
	// context window (ContextTooLong), sent as wholeType.
	tooLong string

	// refuse (optional) returns the message of the provider's 400 for a
	// request it refuses whatever the script says, "" to answer it.
	refuse func(req chatRequest) string
}

var flavours = map[Flavor]flavour{}

// ContextTooLongBody is the body the ContextTooLong fault answers with for
// flavor: the provider's documented error for a prompt over the model's
// context window.
func ContextTooLongBody(flavor Flavor) string { return flavours[flavor].tooLong }

// mustJSON marshals v compactly without HTML escaping.
func mustJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
