package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// logBuffer is a log's output, written by the handlers, read by the test.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// firstChunkTaken is the provider's transport for loggedGatewayWatched:
// taken is closed when the gateway's reader asks for more of an answer
// after it had the first reply text ("Hello", the scripts' first chunk),
// so every line up to that text has been read and handled. Not after the
// first bytes: the fake flushes the role chunk on its own before the
// text, and a client that gave up after that alone (under load, before
// the text came) left a reply with no output, charged nothing.
type firstChunkTaken struct {
	taken chan struct{}
	once  sync.Once
}

func (f *firstChunkTaken) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body = &takenBody{ReadCloser: resp.Body, f: f}
	}
	return resp, err
}

type takenBody struct {
	io.ReadCloser
	f    *firstChunkTaken
	seen []byte // what was read until the first text
	got  bool
}

func (b *takenBody) Read(p []byte) (int, error) {
	if b.got {
		b.f.once.Do(func() { close(b.f.taken) })
	}
	n, err := b.ReadCloser.Read(p)
	if !b.got {
		b.seen = append(b.seen, p[:n]...)
		b.got = bytes.Contains(b.seen, []byte(`"content":"Hello"`))
	}
	return n, err
}

// loggedGatewayWatched is a gateway on e's database and provider that logs
// to a buffer (every level), as `meterdesk serve` logs to stderr, with a
// channel closed once it has taken the provider's first chunk
// (firstChunkTaken).
func loggedGatewayWatched(t *testing.T, e *env) (*gateway.Service, *logBuffer, <-chan struct{}) {
	t.Helper()
	watch := &firstChunkTaken{taken: make(chan struct{})}
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test",
		HTTPClient: &http.Client{Transport: watch}})
	if err != nil {
		t.Fatal(err)
	}
	res := chat.StaticResolver{{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI,
		Models: []string{"gpt-4o"}}, Client: client}}
	rs := rates.New(e.db, nil, e.clock.Now)
	meter := chat.New(e.db, e.led, rs, e.team, res, nil, e.clock.Now).Meter()
	buf := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now,
		Logger: logger}), buf, watch.taken
}

// brokenPipe is a connection whose client has gone: every write fails, as
// a write to a closed socket does, before the server notices the close and
// cancels the request.
type brokenPipe struct{ h http.Header }

func (b *brokenPipe) Header() http.Header { return b.h }
func (b *brokenPipe) WriteHeader(int)     {}
func (b *brokenPipe) Write([]byte) (int, error) {
	return 0, fmt.Errorf("write tcp 127.0.0.1:8787->127.0.0.1:51234: %w", syscall.EPIPE)
}
func (b *brokenPipe) FlushError() error { return nil }

// TestClientGoneIsLoggedAsTheClients: an API client that goes away mid-
// request (it cancels, its connection closes, or a write to it fails with a
// broken pipe) is logged at info level as the client having gone, with what
// the request was charged, and never as an internal error (no error line,
// no reference, no 500). Before, a broken pipe while streaming was logged
// as "gateway: internal error <ref>: the client went away: … broken pipe",
// and a cancel was not logged at all, so the log did not say what such a
// request cost.
func TestClientGoneIsLoggedAsTheClients(t *testing.T) {
	const streamed = `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`
	const plain = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	for _, c := range []struct {
		name    string
		script  fake.Script
		body    string
		broken  bool // the write fails (else the client cancels)
		charged bool // something was generated before the client left
	}{
		{"streamed, cancelled after the first chunk", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1},
			streamed, false, true},
		{"streamed, cancelled before any output", fake.Script{Fault: fake.Hang}, streamed, false, false},
		{"streamed, a write fails (broken pipe)", okScript, streamed, true, true},
		{"not streamed, given up mid-reply", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1,
			FirstDelay: 50 * time.Millisecond}, // the text well after the role chunk, as under load
			plain, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "100")
			e.fake.SetScript(c.script)
			gw, logs, taken := loggedGatewayWatched(t, e)
			if c.broken {
				req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(c.body))
				req.Header.Set("Authorization", "Bearer "+e.bobKey)
				gw.Handler().ServeHTTP(&brokenPipe{h: http.Header{}}, req)
			} else {
				srv := httptest.NewServer(gw.Handler())
				clientGives(t, srv.URL, e, c.body, c.charged, taken)
				srv.Close() // waits for the handler, and so its settlement
			}
			out := logs.String()
			if strings.Contains(out, "level=ERROR") || strings.Contains(out, "internal error") || strings.Contains(out, "ref=") {
				t.Fatalf("logged as an internal error:\n%s", out)
			}
			want := "charged=" + e.charged()
			if !strings.Contains(out, "level=INFO") || !strings.Contains(out, "client went away") || !strings.Contains(out, want) ||
				!strings.Contains(out, "member=bob") || !strings.Contains(out, "model=gpt-4o") {
				t.Fatalf("the log does not say the client went away with %s:\n%s", want, out)
			}
			if got := e.charged() != "0"; got != c.charged {
				t.Fatalf("charged %s (want a charge: %v)", e.charged(), c.charged)
			}
			if c.charged && !strings.Contains(out, "estimated=true") {
				t.Fatalf("a cut reply's charge is estimated:\n%s", out)
			}
			e.checkLedger()
		})
	}
}

// clientGives sends body to the gateway at url and gives up mid-request:
// a stream after its first text (or, when nothing is to be generated,
// once the provider has the request), a plain request once the gateway has
// taken the provider's first chunk (taken, from loggedGatewayWatched; a
// fixed wait after the provider had the request failed under load).
func clientGives(t *testing.T, url string, e *env, body string, afterOutput bool, taken <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.bobKey)
	if strings.Contains(body, `"stream":true`) && afterOutput {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		// Up to the reply's first text: a line with the role alone (the
		// gateway may pass one on first) is no output yet.
		lines := bufio.NewReader(resp.Body)
		for {
			line, err := lines.ReadString('\n')
			if err != nil || line != "\n" && !strings.HasPrefix(line, "data: ") {
				t.Fatalf("line %q: %v", line, err)
			}
			if strings.Contains(line, `"content":"Hello"`) {
				break
			}
		}
		cancel()
		resp.Body.Close()
		return
	}
	go func() {
		for e.fake.ChatRequests() == 0 && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		if afterOutput {
			select {
			case <-taken:
			case <-ctx.Done():
			}
		}
		cancel()
	}()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the request was answered %d, not given up", resp.StatusCode)
	}
}
