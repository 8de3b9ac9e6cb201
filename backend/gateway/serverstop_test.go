package gateway_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/gateway"
	"meterdesk/backend/providers/fake"
)

// TestServerStoppedMidRequest: the server stopped (Ctrl-C on `meterdesk
// serve`, Stop in the window) while requests run past the grace. Each
// client is told, in the API's terms: a stream ends with an error event of
// code server_stopped carrying the charge (no [DONE]), a request not
// streamed gets 503 server_stopped; each is charged, as for a client that
// went away, for what the provider had generated (nothing when it had
// generated nothing), and the hold is resolved before Stop returns. The
// log says "the server stopped while request … was streaming; charged X
// credits for what was delivered", without the key or the prompt, and not
// that the client went away. A stream the stop cut before any output is
// answered 503 like a request not streamed. One charged under an
// Idempotency-Key is told to retry with a new key (the same one is then
// answered 409, as the test checks). Before, the stream was cut
// without a word (the connection closed) and the log blamed the client.
func TestServerStoppedMidRequest(t *testing.T) {
	const prompt = "the confidential launch plan"
	for _, c := range []struct {
		name    string
		script  fake.Script
		stream  bool
		charged bool // the provider generated output before the stop
		serve   bool // `meterdesk serve` (Serve) stopped by Ctrl-C (its context), else Start and Stop (the window)
		key     bool // the request has an Idempotency-Key
	}{
		{"streaming, after output", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1}, true, true, false, false},
		{"streaming, after output, meterdesk serve's Ctrl-C", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1},
			true, true, true, false},
		{"streaming, before output", fake.Script{Fault: fake.Hang}, true, false, false, false},
		{"not streamed, after output", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1}, false, true, false, false},
		{"not streamed, before output", fake.Script{Fault: fake.Hang}, false, false, false, false},
		// Charged under an Idempotency-Key: the same key is answered 409
		// from then on, so the message says to retry with a new one.
		{"streaming, after output, with an Idempotency-Key", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1},
			true, true, false, true},
		{"not streamed, after output, with an Idempotency-Key", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Hang, FailAfter: 1},
			false, true, false, true},
		// Nothing charged: the same key may be retried, as the plain
		// message says.
		{"not streamed, before output, with an Idempotency-Key", fake.Script{Fault: fake.Hang}, false, false, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer gateway.SetShutdownGrace(50 * time.Millisecond)()
			e := newEnv(t, "100")
			e.fake.SetScript(c.script)
			gw, logs, taken := loggedGatewayWatched(t, e)
			var st gateway.Status
			stop := func() {
				if err := gw.Stop(e.admin); err != nil {
					t.Fatal(err)
				}
			}
			if c.serve {
				ctx, ctrlC := context.WithCancel(e.admin)
				ready, served := make(chan gateway.Status, 1), make(chan error, 1)
				go func() {
					served <- gw.Serve(ctx, gateway.Config{Addr: "127.0.0.1:0"}, func(s gateway.Status) { ready <- s })
				}()
				st = <-ready
				stop = func() {
					ctrlC()
					if err := <-served; err != nil {
						t.Fatalf("serve: %v", err)
					}
				}
			} else {
				var err error
				if st, err = gw.Start(e.admin, gateway.Config{Addr: "127.0.0.1:0"}); err != nil {
					t.Fatal(err)
				}
			}
			body := `{"model":"gpt-4o","messages":[{"role":"user","content":"` + prompt + `"}]` +
				map[bool]string{true: `,"stream":true}`, false: `}`}[c.stream]
			req, _ := http.NewRequest(http.MethodPost, st.BaseURL+"/chat/completions", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.bobKey)
			if c.key {
				req.Header.Set(gateway.HeaderIdempotencyKey, "stop-retry-1")
			}
			type answer struct {
				resp *http.Response
				raw  string
				err  error
			}
			answered := make(chan answer, 1)
			go func() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					answered <- answer{err: err}
					return
				}
				defer resp.Body.Close()
				raw, err := io.ReadAll(bufio.NewReader(resp.Body))
				answered <- answer{resp: resp, raw: string(raw), err: err}
			}()
			// Stop once the provider's first text is in (or, with none to
			// come, once the provider has the request).
			if c.charged {
				select {
				case <-taken:
				case <-time.After(10 * time.Second):
					t.Fatal("the provider's first chunk never came")
				}
			} else {
				for e.fake.ChatRequests() == 0 {
					time.Sleep(5 * time.Millisecond)
				}
			}
			stop()
			e.checkLedger() // the hold resolved the moment Stop returns
			charged := e.charged()
			if (charged != "0") != c.charged {
				t.Fatalf("charged %s (want a charge: %v)", charged, c.charged)
			}
			var a answer
			select {
			case a = <-answered:
			case <-time.After(10 * time.Second):
				t.Fatal("no answer")
			}
			if a.err != nil {
				t.Fatalf("the client got no answer: %v (%s)", a.err, a.raw)
			}
			var errBody struct {
				Error struct {
					Message string `json:"message"`
					Type    string `json:"type"`
					Code    string `json:"code"`
				} `json:"error"`
				Meterdesk *gateway.Meterdesk `json:"meterdesk"`
			}
			if c.stream && c.charged { // the stream had begun
				if a.resp.StatusCode != 200 || strings.Contains(a.raw, "[DONE]") || !strings.Contains(a.raw, `"content":"Hello"`) {
					t.Fatalf("status %d: %s", a.resp.StatusCode, a.raw)
				}
				evs := readSSE(t, strings.NewReader(a.raw))
				var last string
				for _, ev := range evs {
					if ev.Data != "" {
						last = ev.Data
					}
				}
				if err := json.Unmarshal([]byte(last), &errBody); err != nil {
					t.Fatalf("last event %q: %v", last, err)
				}
				if got := a.resp.Trailer.Get(gateway.HeaderCharged); got != charged {
					t.Fatalf("trailer charged %q, want %s", got, charged)
				}
			} else {
				if a.resp.StatusCode != http.StatusServiceUnavailable {
					t.Fatalf("status %d: %s", a.resp.StatusCode, a.raw)
				}
				if err := json.Unmarshal([]byte(a.raw), &errBody); err != nil {
					t.Fatalf("%q: %v", a.raw, err)
				}
				if got := a.resp.Header.Get(gateway.HeaderCharged); got != charged {
					t.Fatalf("header charged %q, want %s", got, charged)
				}
			}
			if errBody.Error.Code != "server_stopped" || errBody.Error.Message == "" ||
				strings.Contains(errBody.Error.Message, "context canceled") || strings.Contains(errBody.Error.Message, "client") {
				t.Fatalf("error %+v", errBody.Error)
			}
			// The words agree with X-Should-Retry: charged, the answer is
			// final (an SDK's retry would be charged again), so the words
			// say no "retry" but, without a key, that the request may be
			// sent again once the server runs; under a key, with a new
			// key. Charged nothing, the SDKs retry, and the words say to.
			// They said "retry once it runs again" beside X-Should-Retry:
			// false.
			msg := errBody.Error.Message
			newKey := strings.Contains(msg, "retry with a new Idempotency-Key")
			sendAgain := strings.Contains(msg, "It is not retried for you, since a retry is a new request that costs credits again: once the server runs again, it may be sent again.")
			retry := strings.Contains(msg, "retry once it runs again")
			if newKey != (c.key && c.charged) || sendAgain != (!c.key && c.charged) || retry != !c.charged {
				t.Fatalf("message %q (key %v, charged %v)", msg, c.key, c.charged)
			}
			if !c.stream || !c.charged { // a status line to carry it
				if final := a.resp.Header.Get(gateway.HeaderShouldRetry) == "false"; final != c.charged {
					t.Fatalf("X-Should-Retry %q (charged %v): %q", a.resp.Header.Get(gateway.HeaderShouldRetry), c.charged, msg)
				}
			}
			// The charge is said once, in chargedWords' words (or, charged
			// nothing, that nothing was); it was said twice, once pointing
			// to meterdesk.credits_charged, which the SDKs drop.
			if msg := errBody.Error.Message; strings.Count(msg, "charged") != 1 || strings.Contains(msg, "credits_charged") ||
				c.charged != strings.Contains(msg, "This request was charged "+charged+" credits for its prompt and the ") {
				t.Fatalf("message %q does not say its charge (%s) once", msg, charged)
			}
			if c.key && c.charged { // as the message says: the same key is refused
				retry, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/chat/completions", strings.NewReader(body))
				retry.Header.Set("Authorization", "Bearer "+e.bobKey)
				retry.Header.Set(gateway.HeaderIdempotencyKey, "stop-retry-1")
				resp, err := http.DefaultClient.Do(retry)
				if err != nil {
					t.Fatal(err)
				}
				got := decode[apiErr](t, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusConflict || got.Error.Code == nil || *got.Error.Code != "idempotency_key_reused" {
					t.Fatalf("a retry with the same key: %d %+v", resp.StatusCode, got.Error)
				}
			}
			if c.charged && (errBody.Meterdesk == nil || errBody.Meterdesk.CreditsCharged != charged || !errBody.Meterdesk.Estimated) {
				t.Fatalf("meterdesk %+v, want %s charged, estimated", errBody.Meterdesk, charged)
			}
			out := logs.String()
			what := map[bool]string{true: "was streaming; charged " + charged + " credits for what was delivered",
				false: "was running; charged " + charged + " credits for what the provider had generated"}[c.stream]
			want := "the server stopped while request gw-"
			if !strings.Contains(out, want) || !strings.Contains(out, what) ||
				strings.Contains(out, "client went away") || strings.Contains(out, "level=ERROR") {
				t.Fatalf("the log does not say the server stopped with %s charged:\n%s", charged, out)
			}
			if strings.Contains(out, prompt) || strings.Contains(out, e.bobKey) || strings.Contains(out, "mdk_") {
				t.Fatalf("the log names the prompt or the key:\n%s", out)
			}
		})
	}
}
