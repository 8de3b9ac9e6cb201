package providers

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The raw tap must read DeepSeek's cache fields exactly, even when the
// OpenAI-style prompt_tokens_details is absent or disagrees.
func TestRawTapDeepSeekUsage(t *testing.T) {
	tap := &rawTap{}
	for _, l := range []string{
		": keep-alive",
		"",
		`data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}`,
		// A server with continuous usage stats: counts so far, then the final ones; the last object wins.
		`data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}],"usage":{"prompt_tokens":1200,"completion_tokens":2,"total_tokens":1202,"prompt_cache_hit_tokens":1024,"prompt_cache_miss_tokens":176}}`,
		`data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,"completion_tokens_details":{"reasoning_tokens":120},"prompt_cache_hit_tokens":1024,"prompt_cache_miss_tokens":176}}`,
		`data: {"id":"x","object":"chat.completion.chunk","choices":[],"usage":null}`,
		"data: [DONE]",
	} {
		tap.line([]byte(l))
	}
	c := &openaiClient{h: &httpLayer{cfg: Config{Kind: KindDeepSeek}}}
	u := c.usage(nil, tap.usage, 0)
	if u == nil || u.Input != 176 || u.CacheRead != 1024 || u.Output != 180 || u.Reasoning != 120 || u.Requests != 1 {
		t.Fatalf("usage = %+v", u)
	}
	// The same fields on a non-DeepSeek kind are ignored (OpenAI semantics apply).
	c.h.cfg.Kind = KindCompatible
	if u := c.usage(nil, tap.usage, 0); u != nil {
		t.Errorf("compatible kind used DeepSeek fields: %+v", u)
	}
}

// TestDeepSeekUsageSplit: DeepSeek's cache split as charged, through
// mergeDeepSeekUsage and usage, from one usage object or several: with a
// prompt count the misses are the rest of the prompt after the hits (at
// most the prompt), as FromOpenAI splits a cached count, so one object
// and two agree; without one, never fewer input tokens than an earlier
// object reported. Before, {prompt 12, hit 8} alone was 12 at the full
// rate and none cached, and {hit 0, miss 12} then {hit 8} charged 8.
func TestDeepSeekUsageSplit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		objects   []string
		hit, miss int64
	}{
		{"one object, no miss count", []string{`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_hit_tokens":8}`}, 8, 4},
		{"one object, the miss count short of the prompt", []string{`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":2}`}, 8, 4},
		{"one object, no hit count", []string{`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_miss_tokens":5}`}, 7, 5},
		{"one object, hits over the prompt", []string{`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_hit_tokens":20,"prompt_cache_miss_tokens":3}`}, 12, 0},
		{"two objects, the last without its miss count", []string{
			`{"prompt_tokens":12,"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_hit_tokens":8}`}, 8, 4},
		{"two objects, the miss count short of the prompt", []string{
			`{"prompt_tokens":12,"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"prompt_tokens":12,"completion_tokens":7,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":2}`}, 8, 4},
		{"no prompt count, one object", []string{`{"completion_tokens":7,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":4}`}, 8, 4},
		{"no prompt count, the last with hits only", []string{
			`{"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"completion_tokens":7,"prompt_cache_hit_tokens":8}`}, 8, 4},
		{"no prompt count, the last with fewer", []string{
			`{"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"completion_tokens":7,"prompt_cache_hit_tokens":2,"prompt_cache_miss_tokens":3}`}, 2, 10},
		{"no prompt count, the last with more", []string{
			`{"completion_tokens":1,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}`,
			`{"completion_tokens":7,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":6}`}, 8, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var raw *deepseekUsage
			for _, o := range tc.objects {
				var next deepseekUsage
				if err := json.Unmarshal([]byte(o), &next); err != nil {
					t.Fatal(err)
				}
				raw = mergeDeepSeekUsage(raw, &next)
			}
			c := &openaiClient{h: &httpLayer{cfg: Config{Kind: KindDeepSeek}}}
			u := c.usage(nil, raw, 0)
			if u == nil || u.CacheRead != tc.hit || u.Input != tc.miss || u.Output != 7 {
				t.Fatalf("usage %+v, want %d cached and %d input, output 7", u, tc.hit, tc.miss)
			}
		})
	}
}

// TestSSEReaderErrorEvents: an in-stream error event ends the stream with
// the provider's error (key removed, status from its code), also after a
// keep-alive comment; so does a 200 body that is an OpenAI error object.
func TestSSEReaderErrorEvents(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		msg        string
	}{
		{"rate limit event", ": keep-alive\n\n" + `data: {"error":{"message":"Rate limit reached for sk-abc","type":"requests","code":"rate_limit_exceeded"}}` + "\n\n",
			429, "Rate limit reached for [redacted]"},
		{"event after a chunk", `data: {"id":"x","choices":[{"index":0,"delta":{"content":"hi"}}]}` + "\n\n" +
			`data: {"error":{"message":"Service is too busy.","type":"server_error","code":"server_busy"}}` + "\n\n", 500, "Service is too busy."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &sseReader{r: bufio.NewReader(strings.NewReader(tc.body)), key: "sk-abc"}
			var err error
			for err == nil {
				_, err = s.next()
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != tc.status || ae.Message != tc.msg {
				t.Fatalf("err = %v, want a %d %q", err, tc.status, tc.msg)
			}
		})
	}
	s := &sseReader{r: bufio.NewReader(strings.NewReader(`{"error":{"message":"quota","type":"x"}}` + "\n"))}
	if _, err := s.next(); err == nil || !strings.Contains(err.Error(), "quota") {
		t.Errorf("bare error body: %v", err)
	}
	s = &sseReader{r: bufio.NewReader(strings.NewReader(strings.Repeat(": keep-alive\n\n", 1000) + "data: [DONE]\n\n"))}
	if _, err := s.next(); !errors.Is(err, io.EOF) {
		t.Errorf("a long thought behind keep-alive comments: %v, want EOF", err)
	}
}

// TestWireError: the error shapes OpenAI-style servers write, and the
// status one sent without an HTTP status stands for.
func TestWireError(t *testing.T) {
	for _, tc := range []struct {
		data   string
		event  bool
		ok     bool
		msg    string
		status int
	}{
		{`{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`, false, true, "Rate limit reached", 429},
		{`{"error":{"message":"quota","type":"insufficient_quota","code":null}}`, false, true, "quota", 429},
		{`{"error":{"message":"slow down","code":"429"}}`, false, true, "slow down", 429},
		{`{"error":{"message":"no credits","code":402}}`, false, true, "no credits", 402},
		{`{"error":{"message":"odd","code":600}}`, false, true, "odd", 500},
		{`{"error":{"message":"busy","type":"server_error","code":"server_busy"}}`, false, true, "busy", 500},
		{`{"error":{"message":["a","b"]}}`, false, true, "a, b", 500},
		{`{"error":{"code":"x"}}`, false, true, `{"code":"x"}`, 500},
		{`{"error":"Unauthorized"}`, false, true, "Unauthorized", 500},
		{`{"error":"Overloaded","error_type":"overloaded"}`, false, true, "Overloaded", 500},
		{`{"object":"error","message":"too long","code":400}`, false, true, "too long", 400},
		{`{"code":500,"message":"boom","type":"server_error"}`, true, true, "boom", 500},
		{`not json`, true, true, "not json", 500},
		// Not errors: a chunk, a null error, a bare object outside an error event.
		{`{"id":"x","choices":[{"index":0,"delta":{"content":"\"error\""}}]}`, false, false, "", 0},
		{`{"id":"x","error":null,"choices":[]}`, false, false, "", 0},
		{`{"code":500,"message":"boom"}`, false, false, "", 0},
		{``, false, false, "", 0},
	} {
		e, ok := parseWireError([]byte(tc.data), tc.event)
		if ok != tc.ok || ok && (e.Message != tc.msg || e.status() != tc.status) {
			t.Errorf("%s (event %v): %v %q %d, want %v %q %d", tc.data, tc.event, ok, e.Message, e.status(), tc.ok, tc.msg, tc.status)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"30"}}, 30 * time.Second},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0},
		{http.Header{"Retry-After": {"-5"}}, 0},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{"Retry-After-Ms": {"1500"}}, 1500 * time.Millisecond},
		// Values past a day are a fault: capped (they overflowed time.Duration).
		{http.Header{"Retry-After": {"18446744074"}}, 24 * time.Hour},
		{http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}, 24 * time.Hour},
		{http.Header{"Retry-After-Ms": {"9223372036854775807"}}, 24 * time.Hour},
		{http.Header{}, 0},
	}
	for _, tc := range cases {
		if got := parseRetryAfter(tc.h, now); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.h, got, tc.want)
		}
	}
}

func TestIsLocal(t *testing.T) {
	for url, want := range map[string]bool{
		"http://localhost:11434/v1": true, "http://127.0.0.1:1234/v1": true, "http://[::1]:8080/v1": true,
		"http://ollama.localhost/v1": true, "https://api.openai.com/v1": false, "http://192.168.1.5:11434/v1": false,
	} {
		if got := IsLocal(url); got != want {
			t.Errorf("IsLocal(%s) = %v", url, got)
		}
	}
}

// The tap decodes a chunk only when its "usage" is an object: OpenAI's
// "usage":null on every chunk and a reply that talks about usage are skipped
// without decoding, and a final usage object is never missed.
func TestHasUsageObject(t *testing.T) {
	cases := []struct {
		data string
		want bool
	}{
		{`{"id":"x","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}`, false},
		{`{"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}`, true},
		{`{"usage" :  {"prompt_tokens":1}}`, true},
		{"{\"usage\":\n{\"prompt_tokens\":1}}", true},
		{`{"choices":[{"delta":{"content":"the \"usage\": {x} field"}}],"usage":null}`, false},
		{`{"choices":[{"delta":{"content":"\"usage\":{"}}],"usage":{"prompt_tokens":3}}`, true},
		{`{"prompt_usage":{"a":1}}`, false},
		{`{"usage":[1]}`, false},
		{`{"usage"`, false},
		{``, false},
	}
	for _, c := range cases {
		if got := hasUsageObject([]byte(c.data)); got != c.want {
			t.Errorf("hasUsageObject(%s) = %v, want %v", c.data, got, c.want)
		}
	}
	// Through the tap: a null after the usage object does not erase it.
	tap := &rawTap{}
	for _, l := range []string{
		`data: {"id":"x","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}`,
		`data: {"id":"x","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}`,
		`data: {"id":"x","choices":[],"usage":null}`,
	} {
		tap.line([]byte(l))
	}
	if tap.usage == nil || tap.usage.PromptTokens != 7 {
		t.Fatalf("tap usage = %+v, want the object's prompt_tokens 7", tap.usage)
	}
}

// BenchmarkRawTapLine is the tap's cost for one ordinary OpenAI chunk
// ("usage":null), which every streamed chunk pays.
func BenchmarkRawTapLine(b *testing.B) {
	line := []byte(`data: {"id":"chatcmpl-fake0001","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","service_tier":"default","system_fingerprint":"fp_fake","choices":[{"index":0,"delta":{"content":" world"},"logprobs":null,"finish_reason":null}],"usage":null}`)
	tap := &rawTap{}
	b.ReportAllocs()
	for b.Loop() {
		tap.line(line)
	}
}

// TestRedactMakesPlainText: a provider's error text reaches a terminal and
// the window: the key is redacted, escape sequences and bidi controls
// cannot act, and the cap never splits a character.
func TestRedactMakesPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"bad key sk-secret here", "bad key [redacted] here"},
		{"\x1b[2J\x1b]0;pwned\x07cleared", "[2J ]0;pwned cleared"},
		{"line one\nline two\r\n", "line one line two"},
		{"cheap\u202emodel\u2066x\u2069", "cheapmodelx"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	} {
		if got := redact(c.in, "sk-secret"); got != c.want {
			t.Errorf("redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := redact(strings.Repeat("é", 300), "")
	if !utf8.ValidString(long) || !strings.HasSuffix(long, "…") || len(long) > maxMessage+len("…") {
		t.Errorf("a long message cut to %d bytes, valid %v", len(long), utf8.ValidString(long))
	}
}

// TestRedactKeyParts: a provider's echo of the key cut short, masked at one
// end or in another case is removed too (any run of 8 or more of its
// characters, and the word around it), and the rest of the message stays;
// a key shorter than 8 characters is removed only as a word of its own.
func TestRedactKeyParts(t *testing.T) {
	const key = "sk-test-SECRET-0123456789abcdef"
	for _, c := range []struct{ name, key, in, want string }{
		{"exact", key, "Incorrect API key provided: " + key + ". See your account.", "Incorrect API key provided: [redacted]. See your account."},
		{"last character cut", key, "Incorrect API key provided: " + key[:len(key)-1] + ".", "Incorrect API key provided: [redacted]."},
		{"start cut", key, "key ..." + key[12:] + " is invalid", "key ...[redacted] is invalid"},
		{"masked at the start", key, "key ****************" + key[16:] + " is invalid", "key [redacted] is invalid"},
		{"masked at the end", key, "key " + key[:20] + "*********** is invalid", "key [redacted] is invalid"},
		{"lower-cased", key, "key " + strings.ToLower(key) + " is invalid", "key [redacted] is invalid"},
		{"upper-cased, cut", key, "key " + strings.ToUpper(key[:len(key)-2]) + " is invalid", "key [redacted] is invalid"},
		{"in JSON", key, `{"key":"` + strings.ToLower(key[3:]) + `"}`, `{"key":"[redacted]"}`},
		{"twice", key, key + " and " + key[:12], "[redacted] and [redacted]"},
		{"eight characters", key, "code 89abcdef.", "code [redacted]."},
		{"seven characters stay", key, "code 9abcdef, model gpt-4o", "code 9abcdef, model gpt-4o"},
		{"unrelated text stays", key, "model not found: claude-sonnet-4-5 (test)", "model not found: claude-sonnet-4-5 (test)"},
		{"a short key, any case", "abc", "bad ABC here", "bad [redacted] here"},
		// A key shorter than 8 characters (a placeholder for a local
		// server) goes only where it is a word of its own.
		{"one character, alone", "x", "Incorrect API key provided: x. See your account.", "Incorrect API key provided: [redacted]. See your account."},
		{"one character, in JSON", "x", `{"key":"x"}`, `{"key":"[redacted]"}`},
		{"one character, inside words", "x", "the reply was cut off before it finished: unexpected EOF", "the reply was cut off before it finished: unexpected EOF"},
		{"one character, inside JSON words", "x", "malformed: unexpected end of JSON input; max_tokens 0x10 x-request-id", "malformed: unexpected end of JSON input; max_tokens 0x10 x-request-id"},
		{"one character, twice", "x", "key x, then X", "key [redacted], then [redacted]"},
		{"seven characters, alone", "sk-1234", "bad key sk-1234 (sk-12345 is another)", "bad key [redacted] (sk-12345 is another)"},
		{"seven characters, part of a word", "ollama1", "model ollama12 not found", "model ollama12 not found"},
		{"whole key at the ends", "abc", "abc", "[redacted]"},
		{"no key", "", "bad " + key, "bad " + key},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := redact(c.in, c.key); got != c.want {
				t.Errorf("redact(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestProvidersUseTheBoundedTransport: a client without a transport of its
// own goes through the shared, bounded transport (NewTransport), never
// http.DefaultTransport and its 30 s connect wait; every client shares it
// (one connection pool).
func TestProvidersUseTheBoundedTransport(t *testing.T) {
	for _, hc := range []*http.Client{nil, {Timeout: time.Minute}} {
		h := newHTTP(Config{Kind: KindOpenAI, BaseURL: "https://api.openai.com/v1", HTTPClient: hc})
		rt, ok := h.client.Transport.(*roundTripper)
		if !ok || rt.base != http.RoundTripper(sharedTransport()) || rt.base == http.DefaultTransport {
			t.Fatalf("client transport %T %v, want the shared bounded transport", h.client.Transport, h.client.Transport)
		}
	}
	if sharedTransport().TLSHandshakeTimeout != DefaultTLSHandshakeTimeout {
		t.Errorf("shared transport TLS handshake timeout %s", sharedTransport().TLSHandshakeTimeout)
	}
	c, err := New(Config{Kind: KindOpenAI, APIKey: "sk-x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.(*openaiClient).h.cfg.ListTimeout; got != DefaultListTimeout {
		t.Errorf("list timeout %s, want %s", got, DefaultListTimeout)
	}
}

// TestOpenAIUnstreamedEventStream: the event stream a whole chat.completion
// stands for carries the reasoning once when the server sent it in both
// fields (the same text: the stream loop reads reasoning_content, and the
// tap handed delta.reasoning out too), and text full of code as it is
// (HTML escaping made each <, > and & six bytes).
func TestOpenAIUnstreamedEventStream(t *testing.T) {
	code := strings.Repeat("if a < b && c > d { x <- y }\n", 1000)
	body, _ := json.Marshal(map[string]any{"id": "1", "object": "chat.completion", "created": 1, "model": "m",
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": code, "reasoning_content": "THINK", "reasoning": "THINK"}}},
		"usage": map[string]any{"prompt_tokens": 5, "completion_tokens": 9000, "total_tokens": 9005}})
	out, ok := openaiUnstreamed(body, false)
	if !ok {
		t.Fatal("not converted")
	}
	if n := strings.Count(string(out), "THINK"); n != 1 {
		t.Errorf("the reasoning is in the stream %d times, want once", n)
	}
	if strings.Contains(string(out), `\u003c`) || len(out) > 2*len(body) {
		t.Errorf("the stream is %d bytes for a %d-byte answer (escaped: %v)", len(out), len(body), strings.Contains(string(out), `\u003c`))
	}
}

// TestListError: a listing's 2xx body is the provider's error when it is
// an error object without a list (LM Studio's answer to a path it does not
// serve), with the status its code names; a list is never an error.
func TestListError(t *testing.T) {
	for body, want := range map[string]int{
		`{"error":"Unexpected endpoint or method. (GET /models)"}`:       500,
		`{"error":{"message":"No auth credentials found","code":401}}`:   401,
		`{"error":{"message":"slow down","type":"rate_limit_exceeded"}}`: 429,
		`{"object":"error","message":"not here","code":404}`:             404,
		"\xef\xbb\xbf" + `{"error":"with a byte order mark"}`:            500,
		`{"object":"list","data":[{"id":"m"}]}`:                          0,
		`{"object":"list","data":[]}`:                                    0,
		`{"data":[{"id":"m"}],"error":null}`:                             0,
		`{"data":[],"error":"a list is a list"}`:                         0,
		`{"models":[{"name":"models/gemini-2.5-flash"}]}`:                0,
		`{"data":{"label":"sk-or-v1-abc...xyz","limit":null}}`:           0,
		`[{"id":"m"}]`: 0,
	} {
		ae := listError([]byte(body), "sk-x")
		switch {
		case want == 0 && ae != nil:
			t.Errorf("%s: %v, want no error", body, ae)
		case want != 0 && (ae == nil || ae.Status != want):
			t.Errorf("%s: %v, want status %d", body, ae, want)
		}
	}
}

// TestOnOwnNetwork: which hosts count as a private network's, for the
// advice of a certificate error: private, link-local and shared (CGNAT,
// Tailscale) addresses, names without a dot and names under the suffixes
// only private networks use; not this machine, not public addresses or
// names.
func TestOnOwnNetwork(t *testing.T) {
	for host, want := range map[string]bool{
		"10.1.2.3": true, "172.16.0.1": true, "172.31.255.1": true, "192.168.0.1": true, "169.254.10.1": true,
		"100.64.0.1": true, "100.127.255.254": true, "[fd00::1]": true, "[fe80::1]": true,
		"gpu-box": true, "GPU-BOX.": true, "nas.local": true, "llm.lan": true, "box.home": true, "llm.home.arpa": true,
		"ollama.internal": true, "box.localdomain": true,
		"172.32.0.1": false, "100.128.0.1": false, "8.8.8.8": false, "[2001:4860::8888]": false,
		"api.openai.com": false, "example.com": false, "local.example.com": false, "lan.example.com": false,
		"localhost": false, "127.0.0.1": false, "[::1]": false, "ollama.localhost": false,
	} {
		if got := onOwnNetwork("https://" + host + ":8443/v1"); got != want {
			t.Errorf("onOwnNetwork(%s) = %v, want %v", host, got, want)
		}
	}
}

// TestCloseJSON: the start of a JSON document, cut anywhere, becomes a
// document: cut back to the end of the last whole value (a number or a
// literal at the very end may be cut short, so it goes with its key), or
// inside a string value to its last whole character (an escape or a UTF-8
// character cut in two goes), and closed; a key cut short goes with it.
func TestCloseJSON(t *testing.T) {
	for _, tc := range []struct{ prefix, want string }{
		{`{"choices":[{"message":{"content":"Hello wor`, `{"choices":[{"message":{"content":"Hello wor"}}]}`},
		{`{"a":"x\"y\\`, `{"a":"x\"y\\"}`},
		{`{"a":"x\"y\`, `{"a":"x\"y"}`},
		{`{"a":"x\u00`, `{"a":"x"}`},
		{`{"a":"x\u00e9`, `{"a":"x\u00e9"}`},
		{"{\"a\":\"caf\xc3", `{"a":"caf"}`},
		{"{\"a\":\"😀\xf0\x9f", `{"a":"😀"}`},
		{`{"a":1,"b":12`, `{"a":1}`},
		{`{"a":1,"b":tru`, `{"a":1}`},
		{`{"a":true,"b":null}`, `{"a":true,"b":null}`},
		{`{"a":[1,2,{"b":"c"},`, `{"a":[1,2,{"b":"c"}]}`},
		{`{"a":[1,2],"b`, `{"a":[1,2]}`},
		{`{"a":[1,2],"b":`, `{"a":[1,2]}`},
		{`{"a":[1,2],"b":"`, `{"a":[1,2],"b":""}`},
		{`[{"x":"1"},{"y":"2"},{`, `[{"x":"1"},{"y":"2"},{}]`},
		{"\n  [ \"text", "\n  [ \"text\"]"},
		{`{`, `{}`},
		{`{"a":-1.5e3,"b":"t`, `{"a":-1.5e3,"b":"t"}`},
	} {
		got, ok := closeJSON([]byte(tc.prefix))
		if !ok || string(got) != tc.want {
			t.Errorf("closeJSON(%q) = %q, %v; want %q", tc.prefix, got, ok, tc.want)
		}
	}
	for _, prefix := range []string{``, `   `, `"just a string`, `12`, `nul`, `<html>`, `{"a":}`, `}`} {
		if got, ok := closeJSON([]byte(prefix)); ok {
			t.Errorf("closeJSON(%q) = %q, want nothing", prefix, got)
		}
	}
}

// TestCloseJSONCutEverywhere: a whole answer cut at any byte keeps a
// reply whose text is the start of the whole reply's: a surrogate pair
// written as two escapes (\ud83d\ude00, as vLLM and llama-cpp-python write
// characters outside the BMP) cut between its halves or inside the second
// goes whole, not as a lone high surrogate that decodes as U+FFFD; a high
// surrogate alone in the text stays what it decodes as.
func TestCloseJSONCutEverywhere(t *testing.T) {
	body := `{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",` +
		`"content":"Hi \ud83d\ude00 and \uD83C\uDF89, caf\u00e9 \"q\" \\ 😀 lone \ud83d then \ud83d\u0041 \ud83d\n end \ud83d"},` +
		`"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}`
	type answer struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	var whole answer
	if err := json.Unmarshal([]byte(body), &whole); err != nil {
		t.Fatal(err)
	}
	full := whole.Choices[0].Message.Content
	if !strings.Contains(full, "😀") || !strings.Contains(full, "🎉") {
		t.Fatalf("the whole reply %q lacks its pairs", full)
	}
	for n := range len(body) + 1 {
		doc, ok := closeJSON([]byte(body[:n]))
		if !ok {
			continue
		}
		var a answer
		if err := json.Unmarshal(doc, &a); err != nil {
			t.Fatalf("cut at %d: %q: %v", n, doc, err)
		}
		if len(a.Choices) == 0 {
			continue
		}
		if got := a.Choices[0].Message.Content; !strings.HasPrefix(full, got) {
			t.Errorf("cut at %d (%q): the reply %q is not the start of %q", n, body[max(0, n-12):n], got, full)
		}
	}
	for _, tc := range []struct{ prefix, want string }{
		{`{"a":"x\ud83d`, `{"a":"x"}`},
		{`{"a":"x\ud83d\`, `{"a":"x"}`},
		{`{"a":"x\ud83d\u`, `{"a":"x"}`},
		{`{"a":"x\ud83d\ude0`, `{"a":"x"}`},
		{`{"a":"x\ud83d\ude00`, `{"a":"x\ud83d\ude00"}`},
		{`{"a":"x\ud83d `, `{"a":"x\ud83d "}`},
		{`{"a":"x\ud83d\n`, `{"a":"x\ud83d\n"}`},
		{`{"a":"x\udc00`, `{"a":"x\udc00"}`},
	} {
		if got, ok := closeJSON([]byte(tc.prefix)); !ok || string(got) != tc.want {
			t.Errorf("closeJSON(%q) = %q, %v; want %q", tc.prefix, got, ok, tc.want)
		}
	}
}

// TestClaude5ReasoningIsHiddenWhenNotAsked: Claude 5 thinks (adaptive,
// its thinking omitted) when sent no thinking field, so a cut reply of it
// at Default (and at Off, on Claude 5.5, which cannot be told not to)
// says its hidden reasoning is not counted, as Mythos and Fable's do; Opus
// 5 and Sonnet 5 at Off are sent thinking "disabled" and hide none; Opus
// 4.7 thinks only when asked (Opus 5 migration guide).
func TestClaude5ReasoningIsHiddenWhenNotAsked(t *testing.T) {
	for _, tc := range []struct {
		model  string
		level  Reasoning
		hidden bool
	}{
		{"claude-opus-5", ReasoningDefault, true},
		{"claude-opus-5", ReasoningOff, false},
		{"claude-sonnet-5", ReasoningOff, false},
		{"claude-sonnet-5", ReasoningLow, true},
		{"claude-sonnet-5-5", ReasoningOff, true},
		{"claude-haiku-5-5", ReasoningHigh, true},
		{"claude-opus-4-7", ReasoningDefault, false},
		{"claude-opus-4-7", ReasoningHigh, true},
		{"claude-mythos-preview", ReasoningDefault, true},
	} {
		if got := reasoningHidden(KindAnthropic, false, tc.model, tc.level); got != tc.hidden {
			t.Errorf("reasoningHidden(%s, %s) = %v, want %v", tc.model, tc.level, got, tc.hidden)
		}
	}
}
