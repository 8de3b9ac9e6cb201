package providers_test

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers"
)

// statusServer answers every chat request (POST) with status and body, byte
// for byte; the connection is closed after it.
func statusServer(t *testing.T, status int, contentType, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Connection", "close")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// openRouterText is OpenRouter's first chunk of a reply.
const openRouterText = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"openai/gpt-4o","provider":"openai","choices":[{"index":0,"delta":{"role":"assistant","content":"The answer is"},"finish_reason":null}]}

`

// TestOpenAIStyleErrorsKeepTheServersMessage: every way an OpenAI-style
// server reports an error (an HTTP error body, an error beside a chunk, a
// string error, llama.cpp's error: line, a 200 JSON body) ends the stream
// with an *APIError carrying the server's own message (key removed) and
// the status its code names, after the text delivered so far; and
// finish_reason "error" is never a finished reply.
func TestOpenAIStyleErrorsKeepTheServersMessage(t *testing.T) {
	const sse = "text/event-stream"
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		wantText    string
		wantStatus  int    // the *APIError's status; 0: wantErr instead
		wantMsg     string // the *APIError's message, exactly
		wantErr     error
	}{
		// OpenRouter: an error after text comes as a chunk with a top-level
		// error and finish_reason "error" (docs: "Handling Errors During
		// Streaming"), then [DONE].
		{"openrouter mid-stream error", 200, sse, openRouterText +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"openai/gpt-4o","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}

data: [DONE]

`, "The answer is", 500, "Provider disconnected unexpectedly", nil},
		// Its numeric code is the status; text beside the error is
		// delivered before it.
		{"openrouter mid-stream error with a numeric code", 200, sse, openRouterText +
			`data: {"id":"c1","object":"chat.completion.chunk","error":{"code":502,"message":"Upstream error from openai"},"choices":[{"index":0,"delta":{"content":" 42"},"finish_reason":"error"}]}

data: [DONE]

`, "The answer is 42", 502, "Upstream error from openai", nil},
		// finish_reason "error" without an error object: cut off, not done.
		{"finish_reason error alone", 200, sse, openRouterText +
			`data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}

data: [DONE]

`, "The answer is", 0, "", providers.ErrInterrupted},
		// Hugging Face TGI's HTTP error body: "error" is a string.
		{"tgi 422 string error", 422, "application/json",
			`{"error":"Input validation error: inputs tokens + max_new_tokens must be <= 4096. Given: 4000 inputs tokens and 200 max_new_tokens","error_type":"validation"}`,
			"", 422, "Input validation error: inputs tokens + max_new_tokens must be <= 4096. Given: 4000 inputs tokens and 200 max_new_tokens", nil},
		// vLLM's 401 (with the key echoed: removed).
		{"vllm 401 string error", 401, "application/json", `{"error":"Unauthorized: ` + testKey + `"}`,
			"", 401, "Unauthorized: [redacted]", nil},
		// TGI's in-stream error after text.
		{"tgi in-stream string error", 200, sse, `data:{"id":"","object":"chat.completion.chunk","created":1,"model":"tgi","choices":[{"index":0,"delta":{"role":"assistant","content":"Once"},"logprobs":null,"finish_reason":null}]}

data:{"error":"Request failed during generation: Server error: CUDA out of memory","error_type":"generation"}

`, "Once", 500, "Request failed during generation: Server error: CUDA out of memory", nil},
		// llama.cpp: an "error:" line, then [DONE].
		{"llama.cpp error line", 200, sse, `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hel"}}],"created":1,"id":"x","model":"m","object":"chat.completion.chunk"}

error: {"code":500,"message":"Failed to parse the tool call","type":"server_error"}

data: [DONE]

`, "Hel", 500, "Failed to parse the tool call", nil},
		{"llama.cpp error line before text", 200, sse, `error: {"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}

data: [DONE]

`, "", 400, "the request exceeds the available context size, try increasing it", nil},
		// An SSE error event named by "event: error".
		{"event error", 200, sse, "event: error\ndata: {\"message\":\"model crashed\",\"code\":503}\n\n", "", 503, "model crashed", nil},
		// A proxy answering 200 with an OpenAI error object, without a
		// final newline (FastAPI, Express): quota is a 429.
		{"200 error body without newline", 200, "application/json",
			`{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`,
			"", 429, "You exceeded your current quota, please check your plan and billing details.", nil},
		{"200 error body with a numeric code", 200, "application/json",
			`{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-day"}}`,
			"", 429, "Rate limit exceeded: free-models-per-day", nil},
		{"200 string error body", 200, "application/json", `{"error":"Unauthorized"}`,
			"", 500, "Unauthorized", nil},
		// vLLM's older in-stream error: an error object in place of a chunk.
		{"vllm object error", 200, sse, `data: {"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}

`, "", 400, "This model's maximum context length is 4096 tokens.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := statusServer(t, tc.status, tc.contentType, tc.body)
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1", APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			res, err, _ := collect(context.Background(), c, request("m"))
			if res.Text != tc.wantText {
				t.Errorf("text = %q, want %q", res.Text, tc.wantText)
			}
			if res.Usage != nil {
				t.Errorf("usage = %+v, want none (not a finished reply)", *res.Usage)
			}
			if err == nil {
				t.Fatalf("no error (finish %q): the reply would be stored as complete", res.FinishReason)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("the key leaked: %v", err)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			var ae *providers.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.Status != tc.wantStatus || ae.Message != tc.wantMsg {
				t.Errorf("APIError %d %q, want %d %q", ae.Status, ae.Message, tc.wantStatus, tc.wantMsg)
			}
		})
	}
}

// TestModelListingStringError: a listing answered with a string error
// (vLLM's 401) reports the server's message, not an empty one.
func TestModelListingStringError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"Unauthorized"}`)
	}))
	defer srv.Close()
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Models(context.Background())
	var ae *providers.APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Message != "Unauthorized" {
		t.Fatalf("err = %v, want a 401 \"Unauthorized\"", err)
	}
}

// TestKeepAliveCommentsAreBounded: a stream that sends only comments
// (": OPENROUTER PROCESSING") and no data for CommentsOnlyTimeout, from the
// start or since the last chunk, ends in ErrTimeout with the text so far;
// chunks between the comments keep it going however long it takes; a line
// that never ends is a malformed response, not memory without limit.
func TestKeepAliveCommentsAreBounded(t *testing.T) {
	const limit = 300 * time.Millisecond
	chunk := func(s string) string {
		return `data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"` + s + `"},"finish_reason":null}]}` + "\n\n"
	}
	const finish = `data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n\n"
	// comments writes ": OPENROUTER PROCESSING" every 20 ms for d (until
	// the client leaves when d is 0).
	comments := func(w http.ResponseWriter, r *http.Request, d time.Duration) bool {
		end := time.Now().Add(d)
		for d == 0 || time.Now().Before(end) {
			if _, err := io.WriteString(w, ": OPENROUTER PROCESSING\n\n"); err != nil {
				return false
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				panic(http.ErrAbortHandler) // no clean end of the stream
			case <-time.After(20 * time.Millisecond):
			}
		}
		return true
	}
	write := func(w http.ResponseWriter, s string) {
		_, _ = io.WriteString(w, s)
		w.(http.Flusher).Flush()
	}
	for _, tc := range []struct {
		name     string
		serve    func(w http.ResponseWriter, r *http.Request)
		wantText string
		wantErr  error
		bound    time.Duration // the comments-only bound, 0 = limit
	}{
		{"comments only, from the start", func(w http.ResponseWriter, r *http.Request) {
			comments(w, r, 0)
		}, "", providers.ErrTimeout, 0},
		{"comments only, after a chunk", func(w http.ResponseWriter, r *http.Request) {
			write(w, chunk("Hi"))
			comments(w, r, 0)
		}, "Hi", providers.ErrTimeout, 0},
		{"chunks between comments, longer than the bound in all", func(w http.ResponseWriter, r *http.Request) {
			for i := range 6 {
				write(w, chunk(string(rune('a'+i))))
				if !comments(w, r, limit/4) { // well inside the bound: a late timer under -race must not reach it
					return
				}
			}
			write(w, finish)
		}, "abcdef", nil, 0},
		{"a line that never ends", func(w http.ResponseWriter, r *http.Request) {
			write(w, `data: {"choices":[{"index":0,"delta":{"content":"`)
			part := strings.Repeat("a", 64<<10)
			for range 80 { // 5 MiB
				write(w, part)
			}
			<-r.Context().Done()
			panic(http.ErrAbortHandler) // no clean end of the stream
		}, "", providers.ErrMalformed, 20 * time.Second}, // not the comments bound: 5 MiB take more than 300 ms under -race
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/event-stream")
				w.WriteHeader(http.StatusOK)
				w.(http.Flusher).Flush()
				tc.serve(w, r)
			}))
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1", APIKey: testKey,
				IdleTimeout: 5 * time.Second, CommentsOnlyTimeout: cmp.Or(tc.bound, limit)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // the old code waited for ever
			defer cancel()
			start := time.Now()
			res, err, _ := collect(ctx, c, request("m"))
			if res.Text != tc.wantText {
				t.Errorf("text = %q, want %q", res.Text, tc.wantText)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v (after %s), want %v", err, time.Since(start), tc.wantErr)
			}
			if tc.wantErr == providers.ErrTimeout && !strings.Contains(err.Error(), "comments") {
				t.Errorf("err = %v, want it to say only comments came", err)
			}
		})
	}
}
