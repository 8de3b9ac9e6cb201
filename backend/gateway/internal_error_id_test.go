package gateway_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// TestInternalErrorGivesTheRequestID: a completion answered 500 (a
// database failure) gives one id a user can quote and find in Meterdesk's
// log: its message names the request id its X-Meterdesk-Request-Id header
// carries, and the log line of the failure carries it too. Before, the
// message gave a random reference of its own and the log line had only
// that reference, so the request id a user quoted was nowhere in the log.
// An answer with no request id (GET /v1/models) still gives a reference.
func TestInternalErrorGivesTheRequestID(t *testing.T) {
	const plain = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	const streamed = `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`
	// The charge's row cannot be written: the request fails after its
	// reply, once its ledger id is known.
	const settleFails = `CREATE TRIGGER fail_charge BEFORE INSERT ON chat_charges BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`
	// The API keys cannot be read: the request fails before its body is.
	const keysFail = `ALTER TABLE gateway_keys RENAME TO gateway_keys_gone`
	random := regexp.MustCompile(`^gw-[0-9a-f]{32}$`)
	keyed := regexp.MustCompile(`^gw-k-[0-9a-f]{32}-0$`)
	for _, c := range []struct {
		name, fault, path, body, idem string
		status                        int            // 200: the stream's error event
		id                            *regexp.Regexp // nil: no request id
	}{
		{"plain, settling fails", settleFails, "/v1/chat/completions", plain, "", 500, random},
		{"under an Idempotency-Key, settling fails", settleFails, "/v1/chat/completions", plain, "order-1", 500, keyed},
		{"streamed, settling fails", settleFails, "/v1/chat/completions", streamed, "", 200, random},
		{"the key cannot be checked", keysFail, "/v1/chat/completions", plain, "", 500, random},
		{"models, the key cannot be checked", keysFail, "/v1/models", "", "", 500, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "100")
			logs := &logBuffer{}
			client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test"})
			if err != nil {
				t.Fatal(err)
			}
			res := chat.StaticResolver{{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI,
				Models: []string{"gpt-4o"}}, Client: client}}
			meter := chat.New(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, res, nil, e.clock.Now).Meter()
			gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now,
				Logger: slog.New(slog.NewTextHandler(logs, nil))})
			srv := httptest.NewServer(gw.Handler())
			defer srv.Close()
			if _, err := e.db.Writer().Exec(c.fault); err != nil {
				t.Fatal(err)
			}
			method, body := http.MethodPost, io.Reader(strings.NewReader(c.body))
			if c.body == "" {
				method, body = http.MethodGet, nil
			}
			req, err := http.NewRequest(method, srv.URL+c.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+e.bobKey)
			if c.idem != "" {
				req.Header.Set("Idempotency-Key", c.idem)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("X-Meterdesk-Request-Id")
			msg := regexp.MustCompile(`internal error \((request|reference) ([^)]+)\)`).FindStringSubmatch(string(raw))
			if resp.StatusCode != c.status || msg == nil {
				t.Fatalf("%d %s: want %d and an internal error's message", resp.StatusCode, raw, c.status)
			}
			out := logs.String()
			if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "disk I/O error") && !strings.Contains(out, "no such table") {
				t.Fatalf("the failure is not logged:\n%s", out)
			}
			if c.id == nil {
				if id != "" || msg[1] != "reference" || !strings.Contains(out, "ref="+msg[2]) {
					t.Fatalf("request id %q, message %q, log:\n%s", id, msg[0], out)
				}
				return
			}
			if !c.id.MatchString(id) {
				t.Fatalf("X-Meterdesk-Request-Id %q, want one like %s", id, c.id)
			}
			if msg[2] != id {
				t.Fatalf("the message gives %q, the header %s", msg[0], id)
			}
			if !strings.Contains(out, "request="+id) {
				t.Fatalf("the log line does not carry request %s:\n%s", id, out)
			}
		})
	}
}
