package providers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// signInPage is a captive portal's page as hotels and airports serve it.
const signInPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>Guest Wi-Fi &ndash; Sign in</title></head>
<body><form method="post" action="/login"><input name="room"><button>Connect</button></form></body></html>`

// serveBody starts a server answering every request with status 200, the
// Content-Type ct (fake.NoContentType: none) and body, and counts them.
func serveBody(t *testing.T, ct, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if ct == fake.NoContentType {
			w.Header()["Content-Type"] = nil
		} else {
			w.Header().Set("Content-Type", ct)
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestNotAnAnswerToAChat: a streaming chat request answered 200 with a
// body that is neither an event stream nor JSON (a captive portal's or a
// proxy's sign-in page, plain text, XML), or under a type that is not JSON
// with JSON that is no answer, fails at once with ErrNotAnAnswer naming
// what came (its kind, its type, an HTML page's title or the text's first
// line, made safe and short, never the body itself), in every wire format;
// nothing is delivered and there is no usage, so chat charges nothing.
// Before, it read as a reply cut off before any text (ErrInterrupted; the
// Gemini SDK: ErrMalformed), which told a user on hotel Wi-Fi nothing.
func TestNotAnAnswerToAChat(t *testing.T) {
	longTitle := strings.Repeat("Very long portal title ", 10)
	cases := []struct {
		name  string
		ctype string
		body  string
		want  string // in the message
	}{
		{"a sign-in page", "text/html; charset=utf-8", signInPage, `an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a model's answer`},
		{"a sign-in page without a Content-Type", fake.NoContentType, signInPage, `an HTML page (no Content-Type) titled "Guest Wi-Fi – Sign in"`},
		{"a sign-in page labelled text/plain", "text/plain", signInPage, `an HTML page (text/plain) titled`},
		{"a sign-in page labelled JSON", "application/json", signInPage, `an HTML page (application/json) titled`},
		{"a page after a byte order mark and blank lines", "text/html", "\xef\xbb\xbf\r\n\n  <html><head><title>Proxy\n  Authentication\tRequired</title>",
			`an HTML page (text/html) titled "Proxy Authentication Required"`},
		{"a page without a title", "text/html", "<html><body>Please sign in</body></html>", `an HTML page (text/html), not a model's answer`},
		{"a long title", "text/html", "<title>" + longTitle + "</title>", `titled "` + longTitle[:59] + `…"`},
		{"a title with control characters", "text/html", "<title>Sign\x1b[31m in\u202e now</title>", `titled "Sign [31m in now"`},
		{"plain text", "text/plain; charset=utf-8", "Access denied by corporate policy (category: AI tools).\nContact IT.",
			`plain text (text/plain) saying "Access denied by corporate policy (category: AI tools).", not a model's answer`},
		{"plain text echoing the key", "text/plain", "Blocked a request with the key " + testKey, `saying "Blocked a request with the key [redacted]"`},
		{"XML", "application/xml", `<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`, "an XML document (application/xml), not"},
		{"bytes", "application/octet-stream", "\x00\x01\x02\x03binary", "a body that is neither an event stream nor JSON (application/octet-stream)"},
		{"JSON of another kind labelled text/plain", "text/plain", `{"object":"list","data":[]}`, "JSON of another kind (text/plain), not a model's answer"},
		{"JSON cut short without a Content-Type", fake.NoContentType, `{"id":"1","choices":[{"index":0,"message":{"role":"assi`, "malformed JSON (no Content-Type)"},
	}
	for _, fc := range flavourCases {
		for _, tc := range cases {
			t.Run(fc.name+"/"+tc.name, func(t *testing.T) {
				srv, asked := serveBody(t, tc.ctype, tc.body)
				c, err := providers.New(providers.Config{Kind: fc.kind, BaseURL: srv.URL, APIKey: testKey, IdleTimeout: 10 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				res, err, deltas := collect(context.Background(), c, request(fc.model))
				var na *providers.NotAnAnswerError
				if !errors.Is(err, providers.ErrNotAnAnswer) || !errors.As(err, &na) || na.Listing {
					t.Fatalf("err = %v, want ErrNotAnAnswer", err)
				}
				msg := err.Error()
				if !strings.Contains(msg, ": the provider answered with ") || !strings.Contains(msg, tc.want) ||
					!strings.HasSuffix(msg, ", not a model's answer: is a proxy or a sign-in page in the way?") {
					t.Fatalf("message %q\nwant %q", msg, tc.want)
				}
				if strings.Contains(msg, testKey[8:]) || strings.Contains(msg, "<") || strings.Contains(msg, "\x1b") {
					t.Fatalf("message shows the body or the key: %q", msg)
				}
				if errors.Is(err, providers.ErrInterrupted) || errors.Is(err, providers.ErrMalformed) || errors.Is(err, providers.ErrOffline) {
					t.Fatalf("err = %v: also another kind", err)
				}
				if res.Text != "" || len(deltas) != 0 || res.Usage != nil || res.Partial != nil || res.FinishReason != "" {
					t.Fatalf("result %+v, deltas %q: want nothing", res, deltas)
				}
				if n := asked.Load(); n != 1 {
					t.Fatalf("%d requests, want 1", n)
				}
			})
		}
	}
}

// TestNotAnAnswerToAListing: "Test connection" (and the model picker's
// listing) answered 200 with a sign-in page says so, for every kind, both
// from the client and in the service's TestResult; a model list sent as
// JSON under another label is still read. Before, it was the SDK's
// "invalid character '<' looking for beginning of value" (ErrMalformed).
func TestNotAnAnswerToAListing(t *testing.T) {
	const want = `the provider answered with an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a list of models: is a proxy or a sign-in page in the way?`
	f := newFixture(t, nil)
	for _, fc := range flavourCases {
		t.Run(fc.name, func(t *testing.T) {
			srv := fake.New(fc.flavor, fake.Script{Fault: fake.SignInPage})
			defer srv.Close()
			err := newClient(t, srv, fc.kind, 0).Test(context.Background())
			var na *providers.NotAnAnswerError
			if !errors.Is(err, providers.ErrNotAnAnswer) || !errors.As(err, &na) || !na.Listing ||
				!strings.HasPrefix(err.Error(), "list models ") || !strings.HasSuffix(err.Error(), want) {
				t.Fatalf("test: %v", err)
			}
			r, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: fc.kind, BaseURL: srv.BaseURL(), APIKey: testKey})
			if err != nil || r.OK || r.Offline || r.Status != 0 || !strings.HasSuffix(r.Message, want) {
				t.Fatalf("test input: %+v, %v", r, err)
			}
			// A chat through the same portal says the same, as a chat.
			_, err, _ = collect(context.Background(), newClient(t, srv, fc.kind, 0), request(fc.model))
			if !errors.Is(err, providers.ErrNotAnAnswer) || !strings.HasPrefix(err.Error(), "chat ") ||
				!strings.Contains(err.Error(), `titled "Guest Wi-Fi – Sign in", not a model's answer`) {
				t.Fatalf("chat: %v", err)
			}
		})
	}
	// A model list labelled text/plain, or not at all, is read as JSON.
	for _, ct := range []string{"text/plain; charset=utf-8", fake.NoContentType} {
		srv, _ := serveBody(t, ct, "\n"+`{"object":"list","data":[{"id":"m2","object":"model"},{"id":"m1","object":"model"}]}`)
		c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"})
		if err != nil {
			t.Fatal(err)
		}
		if ids, err := c.Models(context.Background()); err != nil || strings.Join(ids, ",") != "m1,m2" {
			t.Fatalf("%s: models %v, %v", ct, ids, err)
		}
	}
}

// TestWholeAnswerLabelledOtherwise: a whole JSON answer sent as text/plain,
// as text/html or without a Content-Type (some servers do) is converted
// exactly as one labelled application/json: the same Result, usage and
// finish reason, in every wire format; the provider's error object so
// labelled stays its error. Before, only JSON types were looked at, and
// the answer read as a reply cut off before any text: nothing delivered,
// nothing charged, though the provider bills it.
func TestWholeAnswerLabelledOtherwise(t *testing.T) {
	messages := map[fake.Flavor]string{
		fake.OpenAI:    "The server had an error while processing your request.",
		fake.DeepSeek:  "Service is too busy.",
		fake.Anthropic: "Overloaded",
		fake.Gemini:    "The model is overloaded. Please try again later.",
	}
	for _, fc := range flavourCases {
		sc := fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello, ", "wörld"}, Usage: reported, Unstreamed: true}
		want, werr, _, _ := streamed(t, fc, sc)
		if werr != nil || want.Usage == nil || want.Text != "Hello, wörld" {
			t.Fatalf("%s labelled JSON: %v, %+v", fc.name, werr, want)
		}
		for _, ct := range []string{"text/plain; charset=utf-8", "text/html", fake.NoContentType} {
			t.Run(fc.name+"/"+ct, func(t *testing.T) {
				sc := sc
				sc.ContentType = ct
				got, err, deltas, reasoning := streamed(t, fc, sc)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("%v\n %+v\nlabelled JSON\n %+v", err, got, want)
				}
				if strings.Join(deltas, "") != got.Text || strings.Join(reasoning, "") != got.Reasoning {
					t.Fatalf("deltas %q, reasoning %q", deltas, reasoning)
				}
				sc.Fault = fake.StreamError
				_, err, _, _ = streamed(t, fc, sc)
				var ae *providers.APIError
				if !errors.As(err, &ae) || ae.Message != messages[fc.flavor] {
					t.Fatalf("error object: %v, want the provider's error %q", err, messages[fc.flavor])
				}
			})
		}
	}
}

// TestEventStreamLabelledOtherwise: an event stream labelled with another
// type (or none) streams as it came, in every wire format, with the same
// Result; and is not read ahead: the first chunk is delivered while the
// server still holds the rest back (until that delta has arrived).
func TestEventStreamLabelledOtherwise(t *testing.T) {
	labels := []string{"application/json", "text/plain", "text/html", "application/octet-stream", fake.NoContentType}
	for _, fc := range flavourCases {
		sc := fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hel", "lo"}, Usage: reported}
		want, werr, _, _ := streamed(t, fc, sc)
		if werr != nil {
			t.Fatal(werr)
		}
		for _, ct := range labels {
			sc := sc
			sc.ContentType = ct
			if got, err, _, _ := streamed(t, fc, sc); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s labelled %s: %v\n %+v\nwant\n %+v", fc.name, ct, err, got, want)
			}
		}
	}
	for _, ct := range labels {
		t.Run(ct, func(t *testing.T) {
			first := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ct == fake.NoContentType {
					w.Header()["Content-Type"] = nil
				} else {
					w.Header().Set("Content-Type", ct)
				}
				fmt.Fprint(w, "\n"+`data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}`+"\n\n")
				w.(http.Flusher).Flush()
				select {
				case <-first:
				case <-r.Context().Done():
					panic(http.ErrAbortHandler) // no clean end of the stream
				}
				fmt.Fprint(w, `data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}`+"\n\n"+
					`data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`+"\n\ndata: [DONE]\n\n")
			}))
			defer srv.Close()
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1", IdleTimeout: 2 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			once := false
			res, err := c.Stream(context.Background(), request("m"), func(s string) error {
				if !once {
					once = true
					close(first)
				}
				return nil
			})
			if err != nil || res.Text != "Hello" || res.Usage == nil || res.FinishReason != "stop" {
				t.Fatalf("stream: %v, %+v", err, res)
			}
		})
	}
}

// TestErrorStatusWithAnHTMLPage: an error status that comes with an HTML
// page (a corporate proxy's 403, a load balancer's 502, a CDN's 429), not
// the provider's error, is named as such, in every wire format, for a
// chat and a listing alike: the status, "an HTML page, not the provider's
// answer", the page's title (made safe, key removed) if it has one, and
// what to check; never the page's markup. The status and Retry-After keep
// their meaning (a 429 is still a rate limit). Before, the message was the
// page's text, markup and all, cut at 400 characters. The provider's own
// error, and an error in plain text, read as before.
func TestErrorStatusWithAnHTMLPage(t *testing.T) {
	const proxyPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Access Denied &ndash; ` + testKey + `</title>
<style>body{font:14px sans-serif} .box{border:1px solid #ccc;padding:2em}</style></head>
<body><div class="box"><h1>Access Denied</h1><p>Your request to this site was blocked by the corporate web filter
(category: Generative AI). Reference #18.7f2e1002.1731234567.2a6b1c0. Request header Authorization: Bearer ` + testKey + `</p></div></body></html>`
	const badGateway = "<html>\r\n<head></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	const tooMany = "<html><head><title>Too many requests</title></head><body>Slow down.</body></html>"
	const proxyHint = "; is a proxy or a firewall in the way?"
	cases := []struct {
		name, ctype, body string
		status            int
		retryAfter        string
		want              string
		retry             time.Duration
		page              bool
	}{
		{"a proxy's 403", "text/html; charset=utf-8", proxyPage, 403, "",
			`provider error 403 Forbidden: an HTML page, not the provider's answer, titled "Access Denied – [redacted]"` + proxyHint, 0, true},
		{"a 502 without a title", "text/html", badGateway, 502, "",
			`provider error 502 Bad Gateway: an HTML page, not the provider's answer` + proxyHint, 0, true},
		{"a 429 page labelled text/plain", "text/plain", tooMany, 429, "30",
			`provider error 429 Too Many Requests: an HTML page, not the provider's answer, titled "Too many requests" (retry after 30s)` + proxyHint, 30 * time.Second, true},
		{"a 503 page without a Content-Type", fake.NoContentType, tooMany, 503, "",
			`provider error 503 Service Unavailable: an HTML page, not the provider's answer, titled "Too many requests"` + proxyHint, 0, true},
		{"plain text", "text/plain; charset=utf-8", "upstream connect error or disconnect/reset before headers", 503, "",
			"provider error 503 Service Unavailable: upstream connect error or disconnect/reset before headers", 0, false},
	}
	for _, fc := range flavourCases {
		for _, tc := range cases {
			t.Run(fc.name+"/"+tc.name, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.ctype == fake.NoContentType {
						w.Header()["Content-Type"] = nil
					} else {
						w.Header().Set("Content-Type", tc.ctype)
					}
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					w.WriteHeader(tc.status)
					fmt.Fprint(w, tc.body)
				}))
				defer srv.Close()
				base := srv.URL
				if fc.kind == providers.KindOpenAI || fc.kind == providers.KindCompatible {
					base += "/v1"
				}
				c, err := providers.New(providers.Config{Kind: fc.kind, BaseURL: base, APIKey: testKey})
				if err != nil {
					t.Fatal(err)
				}
				for step, call := range map[string]func() (providers.Result, error){
					"chat": func() (providers.Result, error) {
						res, err, _ := collect(context.Background(), c, request(fc.model))
						return res, err
					},
					"list models": func() (providers.Result, error) {
						_, err := c.Models(context.Background())
						return providers.Result{}, err
					},
				} {
					res, err := call()
					var ae *providers.APIError
					if !errors.As(err, &ae) || ae.Status != tc.status || ae.HTMLPage != tc.page || ae.RetryAfter != tc.retry {
						t.Fatalf("%s: err = %v (%+v), want an APIError %d", step, err, ae, tc.status)
					}
					if !strings.HasSuffix(err.Error(), tc.want) {
						t.Errorf("%s: err = %q\nwant it to end %q", step, err, tc.want)
					}
					if msg := err.Error(); strings.Contains(msg, "SECRET") || strings.ContainsAny(msg, "<>") || strings.Contains(msg, "Reference #") {
						t.Errorf("%s: err = %q shows the key or the page", step, msg)
					}
					if res.Text != "" || res.Usage != nil || res.Partial != nil {
						t.Errorf("%s: delivered %+v", step, res)
					}
				}
			})
		}
	}
	// A 404 page from an OpenAI-style server whose base URL has no version
	// gets the /v1 hint instead.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>")
	}))
	defer srv.Close()
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err, _ = collect(context.Background(), c, request("m"))
	want := `chat: provider error 404 Not Found: an HTML page, not the provider's answer, titled "404 Not Found"; did you mean ` + srv.URL + "/v1?"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
