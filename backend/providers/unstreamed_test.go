package providers_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// streamed runs req against a fresh fake of tc's flavour with sc and
// returns the result, the error, the deltas and the reasoning pieces.
func streamed(t *testing.T, tc flavourCase, sc fake.Script) (providers.Result, error, []string, []string) {
	t.Helper()
	srv := fake.New(tc.flavor, sc)
	defer srv.Close()
	var reasoning []string
	req := request(tc.model)
	req.OnReasoning = func(s string) error { reasoning = append(reasoning, s); return nil }
	res, err, deltas := collect(context.Background(), newClient(t, srv, tc.kind, 0), req)
	return res, err, deltas, reasoning
}

// TestUnstreamedAnswerIsAStreamedOne: a provider that answers the
// streaming request with its whole answer as one JSON body (HTTP 200,
// application/json: OpenAI's chat.completion, DeepSeek's with
// reasoning_content and its cache fields, OpenRouter's message.reasoning,
// Anthropic's Message with a thinking block, Gemini's JSON array) gives
// exactly the Result the same answer streamed gives: the text (delivered
// to onDelta), the reasoning (to OnReasoning), the finish reason and the
// final usage. Before, it was read as a stream cut off with nothing in it
// (ErrInterrupted, no text, no usage: charged nothing).
func TestUnstreamedAnswerIsAStreamedOne(t *testing.T) {
	chunks := []string{"Hel", "lo, ", "wörld ", "\"quoted\" <tag> & \\ \n", "😀"}
	scripts := []struct {
		name string
		sc   fake.Script
	}{
		{"text", fake.Script{Chunks: chunks, Usage: reported}},
		{"reasoning then text", fake.Script{Thinking: []string{"Let me think ", "about it."}, Chunks: chunks, Usage: reported}},
		{"only reasoning, cut by the budget", fake.Script{Thinking: []string{"Thinking hard."}, Chunks: []string{}, Usage: reported,
			Finish: "budget"}},
		{"no usage", fake.Script{Chunks: chunks, Fault: fake.NoUsage}},
	}
	for _, tc := range flavourCases {
		for _, s := range scripts {
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				sc := s.sc
				if sc.Finish != "" { // the budget ran out, in the provider's words
					sc.Finish = map[fake.Flavor]string{fake.Anthropic: "max_tokens", fake.Gemini: "MAX_TOKENS"}[tc.flavor]
					if sc.Finish == "" {
						sc.Finish = "length"
					}
				}
				want, werr, wdeltas, wreasoning := streamed(t, tc, sc)
				if werr != nil {
					t.Fatalf("streamed: %v", werr)
				}
				sc.Unstreamed = true
				got, err, deltas, reasoning := streamed(t, tc, sc)
				if err != nil {
					t.Fatalf("unstreamed: %v", err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("unstreamed result\n %+v\nstreamed\n %+v", got, want)
				}
				if got.Usage == nil && sc.Fault != fake.NoUsage {
					t.Fatal("no usage")
				}
				if strings.Join(deltas, "") != got.Text || strings.Join(wdeltas, "") != want.Text {
					t.Errorf("deltas %q do not add up to the text %q", deltas, got.Text)
				}
				if strings.Join(reasoning, "") != strings.Join(wreasoning, "") || strings.Join(reasoning, "") != got.Reasoning {
					t.Errorf("reasoning pieces %q, streamed %q; result %q", reasoning, wreasoning, got.Reasoning)
				}
				if want.FinishReason == "" {
					t.Error("no finish reason")
				}
			})
		}
	}
}

// TestUnstreamedFaults: a whole JSON body with status 200 that is the
// provider's error object stays that error with its message (the
// Anthropic SDK read it as an empty stream: "no message_stop", the
// message lost); a body cut short, or cut by a
// dropped connection, is no answer: an error as before, nothing delivered,
// no usage.
func TestUnstreamedFaults(t *testing.T) {
	messages := map[fake.Flavor]string{
		fake.OpenAI:    "The server had an error while processing your request.",
		fake.DeepSeek:  "Service is too busy.",
		fake.Anthropic: "Overloaded",
		fake.Gemini:    "The model is overloaded. Please try again later.",
	}
	for _, tc := range flavourCases {
		for _, f := range []fake.Fault{fake.StreamError, fake.Malformed, fake.Drop} {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				res, err, deltas, reasoning := streamed(t, tc, fake.Script{Unstreamed: true, Fault: f,
					Thinking: []string{"Let me think."}, Chunks: []string{"Hello"}, Usage: reported})
				if err == nil || res.Text != "" || len(deltas) != 0 || len(reasoning) != 0 || res.Usage != nil || res.Partial != nil {
					t.Fatalf("err %v, result %+v, deltas %q, reasoning %q: want an error and nothing delivered", err, res, deltas, reasoning)
				}
				var ae *providers.APIError
				if f == fake.StreamError {
					if !errors.As(err, &ae) || ae.Message != messages[tc.flavor] || ae.Status < 400 {
						t.Fatalf("err = %v (%+v), want the provider's error %q", err, ae, messages[tc.flavor])
					}
				}
				// Cut off: the OpenAI reader and the Anthropic SDK find no
				// finish in it; the Gemini SDK reads the line the dropped
				// connection ended inside as a whole one, which is no JSON,
				// and that is a cut too (it was said to be malformed).
				if f == fake.Drop && (!errors.Is(err, providers.ErrInterrupted) || errors.Is(err, providers.ErrMalformed)) {
					t.Fatalf("err = %v, want %v", err, providers.ErrInterrupted)
				}
			})
		}
	}
}

// TestUnstreamedBodies: whole answers as servers write them, each served
// by a plain HTTP server with the given Content-Type.
func TestUnstreamedBodies(t *testing.T) {
	long := strings.Repeat("ünïcode text ", 60_000) // 840,000 bytes: more than one event's worth
	cases := []struct {
		name   string
		kind   providers.Kind
		model  string
		ctype  string
		body   string
		text   string
		finish string
		tools  int
		err    error // nil: no error
		apiMsg string
	}{
		{"openai content parts", providers.KindCompatible, "m", "application/json; charset=utf-8",
			`{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"Hello "},{"type":"text","text":"there"}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`,
			"Hello there", "stop", 0, nil, ""},
		{"openai tool calls", providers.KindOpenAI, "gpt-4o", "application/json",
			`{"id":"1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[` +
				`{"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}},{"id":"call_2","type":"function","function":{"name":"b","arguments":"{}"}}]},` +
				`"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":20,"total_tokens":25}}`,
			"", "tool_calls", 2, nil, ""},
		{"openai long answer", providers.KindCompatible, "m", "application/json",
			`{"choices":[{"index":0,"message":{"role":"assistant","content":"` + long + `"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":300000,"total_tokens":300005}}`,
			long, "stop", 0, nil, ""},
		// Complete, but no finish_reason: read as a stream without one, cut
		// off, its usage kept as the counts so far (chat estimates).
		{"openai without finish_reason", providers.KindCompatible, "m", "application/json",
			`{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"}}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`,
			"Hi", "", 0, providers.ErrInterrupted, ""},
		{"openai without choices", providers.KindCompatible, "m", "application/json",
			`{"id":"1","object":"chat.completion","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}`,
			"", "", 0, providers.ErrInterrupted, ""},
		{"openai something else", providers.KindCompatible, "m", "application/json", `{"object":"list","data":[]}`,
			"", "", 0, providers.ErrInterrupted, ""},
		{"openai string error (TGI)", providers.KindCompatible, "m", "application/json",
			`{"error":"Input validation error: inputs tokens + max_new_tokens must be <= 4096","error_type":"validation"}`,
			"", "", 0, nil, "Input validation error: inputs tokens + max_new_tokens must be <= 4096"},
		{"anthropic something else", providers.KindAnthropic, "claude-sonnet-4-5", "application/json", `{"type":"message_batch","id":"x"}`,
			"", "", 0, providers.ErrInterrupted, ""},
		{"gemini generateContent object, indented", providers.KindGemini, "gemini-2.5-flash", "application/json; charset=UTF-8",
			"{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"Hi there\"\n          }\n        ],\n" +
				"        \"role\": \"model\"\n      },\n      \"finishReason\": \"STOP\",\n      \"index\": 0\n    }\n  ],\n" +
				"  \"usageMetadata\": {\n    \"promptTokenCount\": 5,\n    \"candidatesTokenCount\": 2,\n    \"totalTokenCount\": 7\n  }\n}\n",
			"Hi there", "stop", 0, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			base := srv.URL
			if tc.kind == providers.KindOpenAI || tc.kind == providers.KindCompatible {
				base += "/v1"
			}
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: base, APIKey: testKey, IdleTimeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			res, err, deltas := collect(context.Background(), c, request(tc.model))
			var ae *providers.APIError
			switch {
			case tc.apiMsg != "":
				if !errors.As(err, &ae) || ae.Message != tc.apiMsg {
					t.Fatalf("err = %v, want the provider's error %q", err, tc.apiMsg)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
			case err != nil:
				t.Fatalf("err = %v", err)
			}
			if res.Text != tc.text || strings.Join(deltas, "") != tc.text || res.FinishReason != tc.finish || res.ToolCalls != tc.tools {
				t.Fatalf("text %d bytes, deltas %d, finish %q, tool calls %d; want %d bytes, %q, %d",
					len(res.Text), len(deltas), res.FinishReason, res.ToolCalls, len(tc.text), tc.finish, tc.tools)
			}
			if (tc.err == nil && tc.apiMsg == "") != (res.Usage != nil) || (res.Partial != nil) != (tc.text != "" && tc.err != nil) {
				t.Fatalf("usage %+v, partial %+v", res.Usage, res.Partial)
			}
			for _, d := range deltas {
				if !utf8.ValidString(d) {
					t.Fatal("a delta cut a character in two")
				}
			}
			if tc.text == long && len(deltas) < 2 {
				t.Errorf("%d deltas for %d bytes", len(deltas), len(long))
			}
		})
	}
}

// tooLongLimit is the Config.MaxWholeAnswer of the too-long tests: small,
// so that the tests stay small.
const tooLongLimit = 64 << 10

// TestUnstreamedTooLong: a whole JSON answer longer than
// Config.MaxWholeAnswer (32 MiB by default) is read no further: the
// reply is delivered as far as it was read, cut off there (no finish
// reason, no usage: that came after it, unread), and the call fails with
// ErrInterrupted saying why, so chat charges the delivered text as an
// estimate, as it charges any stream cut after some text. Before, it was
// passed on as it came: nothing delivered (a reply cut off before any
// text, or malformed), so the reply the provider generated and bills was
// free.
func TestUnstreamedTooLong(t *testing.T) {
	word := strings.Repeat("wörd ", 800) // 4,800 bytes
	chunks := make([]string, 60)         // about 280 KiB in all
	for i := range chunks {
		chunks[i] = fmt.Sprintf("%03d %s", i, word)
	}
	full := strings.Join(chunks, "")
	for _, tc := range flavourCases {
		for _, s := range []struct {
			name string
			sc   fake.Script
		}{
			{"text", fake.Script{Chunks: chunks, Usage: reported, Unstreamed: true}},
			{"reasoning then text", fake.Script{Thinking: []string{"Let me think."}, Chunks: chunks, Usage: reported, Unstreamed: true}},
		} {
			t.Run(tc.name+"/"+s.name, func(t *testing.T) {
				srv := fake.New(tc.flavor, s.sc)
				defer srv.Close()
				c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: srv.BaseURL(), APIKey: testKey, MaxWholeAnswer: tooLongLimit})
				if err != nil {
					t.Fatal(err)
				}
				res, err, deltas := collect(context.Background(), c, request(tc.model))
				checkTooLong(t, res, err, deltas, full)
			})
		}
	}
}

// TestUnstreamedEndless: a whole JSON answer that never ends is read up to
// the limit and no further (the call does not wait for its end, nor grow
// memory with it: the connection is closed), in every wire format, and
// delivered as far as it was read.
func TestUnstreamedEndless(t *testing.T) {
	starts := map[providers.Kind]string{
		providers.KindCompatible: `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"`,
		providers.KindAnthropic:  `{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"`,
		providers.KindGemini: `[{"candidates":[{"content":{"parts":[{"text":"Hello "}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":12}},` +
			"\r\n" + `{"candidates":[{"content":{"parts":[{"text":"`,
	}
	word := strings.Repeat("and again ", 100)
	for kind, start := range starts {
		t.Run(string(kind), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, start)
				for sent := 0; sent < 1<<30; sent += len(word) { // until the client goes away
					if _, err := fmt.Fprint(w, word); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			base := srv.URL
			if kind == providers.KindCompatible {
				base += "/v1"
			}
			var read atomic.Int64 // what the client read from the connection
			tr := providers.NewTransport(providers.TransportOptions{})
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				var d net.Dialer
				c, err := d.DialContext(ctx, network, addr)
				return countingConn{c, &read}, err
			}
			c, err := providers.New(providers.Config{Kind: kind, BaseURL: base, APIKey: testKey, MaxWholeAnswer: tooLongLimit,
				HTTPClient: &http.Client{Transport: tr}})
			if err != nil {
				t.Fatal(err)
			}
			res, err, deltas := collect(context.Background(), c, request("m"))
			checkTooLong(t, res, err, deltas, "")
			if !strings.HasPrefix(strings.TrimPrefix(res.Text, "Hello "), "and again and again") {
				t.Errorf("text starts %q", res.Text[:20])
			}
			if n := read.Load(); n > tooLongLimit+64<<10 { // the limit, the headers, the chunk sizes and a buffer's read ahead
				t.Errorf("the client read %d bytes from the connection, for a limit of %d", n, tooLongLimit)
			}
		})
	}
}

// countingConn is a connection that adds the bytes read from it to n.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// checkTooLong checks the result of a whole answer longer than
// tooLongLimit: ErrInterrupted naming why; the text, as many deltas, a
// start of full (when given) of nearly the limit's size with the
// reasoning; no finish reason and no final usage.
func checkTooLong(t *testing.T, res providers.Result, err error, deltas []string, full string) {
	t.Helper()
	want := "the reply was cut off before it finished: the provider sent its whole reply as one JSON body (not streamed) longer than 65536 bytes; Meterdesk read it up to there"
	if !errors.Is(err, providers.ErrInterrupted) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want ErrInterrupted: %s", err, want)
	}
	if res.Text == "" || strings.Join(deltas, "") != res.Text || (full != "" && !strings.HasPrefix(full, res.Text)) {
		t.Fatalf("text %d bytes (deltas %d), not the start of the reply", len(res.Text), len(strings.Join(deltas, "")))
	}
	if n := len(res.Text) + len(res.Reasoning); n < tooLongLimit*3/4 || n > tooLongLimit {
		t.Errorf("%d bytes of text delivered of the %d read", n, tooLongLimit)
	}
	if res.Usage != nil || res.FinishReason != "" {
		t.Errorf("usage %+v, finish %q: want none (they were not read)", res.Usage, res.FinishReason)
	}
	if !utf8.ValidString(res.Text) {
		t.Error("the text ends in half a character")
	}
}
