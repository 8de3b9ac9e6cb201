package gateway_test

import (
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestFinalRefusalsAreNotRetried: the official OpenAI SDKs retry 408,
// 409, 429 and every 5xx twice by default, and obey X-Should-Retry before
// the status. Every answer a retry of the same request could never pass
// says X-Should-Retry: false (a 409 for an Idempotency-Key already
// charged, the attempts of a key used up, a failure charged under a key,
// the provider's 401, a sign-in page in the provider's place, a prompt over
// the context window, a member limit, the request's own faults, and any
// failure charged for what the provider generated: the SDKs' retry, a new
// request, was charged again, three charges for the one failure their
// caller saw); the answers a moment may cure that charged nothing (a key
// whose first request still runs, the provider's 429 and 5xx, a cut
// before any output, a free model's cut after output without a key, whose
// retry costs nothing) leave the SDK its default. Earlier versions said it
// on a member limit's 429 only, so the SDKs sent a charged key's 409 twice
// more.
func TestFinalRefusalsAreNotRetried(t *testing.T) {
	const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	cut := fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Drop, FailAfter: 1}
	for _, c := range []struct {
		name        string
		status      int
		shouldRetry string
		// run sends the request (after any setup) and returns its answer.
		run func(e *env) *http.Response
	}{
		{"key already charged", 409, "false", func(e *env) *http.Response {
			e.postKey(e.bobKey, "order-1")
			return e.postWith(body, "order-1")
		}},
		{"key whose first request still runs", 409, "", func(e *env) *http.Response {
			first := e.postKeySlowly("order-1")
			resp := e.postWith(body, "order-1")
			<-first
			return resp
		}},
		{"key refused 20 times", 409, "false", func(e *env) *http.Response {
			for i := 0; i < 20; i++ {
				e.fake.Enqueue(fake.Script{Fault: fake.ServerError})
				e.postKey(e.bobKey, "order-x")
			}
			return e.postWith(body, "order-x")
		}},
		{"failure charged under a key", 502, "false", func(e *env) *http.Response {
			e.fake.Enqueue(cut)
			return e.postWith(body, "order-1")
		}},
		{"failure charged without a key", 502, "false", func(e *env) *http.Response {
			e.fake.Enqueue(cut)
			return e.postWith(body, "")
		}},
		{"member limit", 429, "false", func(e *env) *http.Response {
			if _, err := e.team.SetLimit(e.admin, teamLimit(e.bob.ID, "daily", "0.01")); err != nil {
				t.Fatal(err)
			}
			return e.postWith(body, "")
		}},
		{"failure after output of a free model, charged nothing", 502, "", func(e *env) *http.Response {
			e.freeModel("gpt-4o-mini")
			e.fake.Enqueue(cut)
			return e.postWith(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`, "")
		}},
		{"failure after output of a free model under a key", 502, "false", func(e *env) *http.Response {
			e.freeModel("gpt-4o-mini")
			e.fake.Enqueue(cut)
			return e.postWith(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`, "order-1")
		}},
		{"provider rate limit", 429, "", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Fault: fake.RateLimited, RetryAfter: "7"})
			return e.postWith(body, "")
		}},
		{"failure before any output", 502, "", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Chunks: []string{"Hello"}, Fault: fake.Drop, FailAfter: 0})
			return e.postWith(body, "order-1")
		}},
		{"provider error", 500, "", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Fault: fake.ServerError})
			return e.postWith(body, "")
		}},
		{"provider refused the workspace's key", 502, "false", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Fault: fake.Unauthorized})
			return e.postWith(body, "")
		}},
		{"a sign-in page for the provider", 502, "false", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Fault: fake.SignInPage})
			return e.postWith(body, "")
		}},
		{"prompt over the context window", 400, "false", func(e *env) *http.Response {
			e.fake.Enqueue(fake.Script{Fault: fake.ContextTooLong})
			return e.postWith(body, "")
		}},
		{"bad body", 400, "false", func(e *env) *http.Response {
			return e.postWith(`{"model":"gpt-4o","messages":[]}`, "")
		}},
		{"too few credits", 402, "false", func(e *env) *http.Response {
			return e.postWith(`{"model":"gpt-4o","max_tokens":100000,"messages":[{"role":"user","content":"Hi"}]}`, "")
		}},
		{"revoked key", 401, "false", func(e *env) *http.Response {
			return e.post("/v1/chat/completions", "mdk_000000000000_"+strings.Repeat("A", 43), body)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "100")
			resp := c.run(e)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			if got := resp.Header.Get("X-Should-Retry"); got != c.shouldRetry {
				t.Fatalf("X-Should-Retry %q, want %q", got, c.shouldRetry)
			}
		})
	}
}

// freeModel gives OpenAI's model rates of 0: its requests are free.
func (e *env) freeModel(model string) {
	e.t.Helper()
	if _, err := rates.New(e.db, nil, e.clock.Now).Apply(e.admin, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: model,
		Input: "0", Output: "0"}}, Reason: "free"}); err != nil {
		e.t.Fatal(err)
	}
}

// postWith sends body to /v1/chat/completions with bob's key and the
// Idempotency-Key idem (none when "").
func (e *env) postWith(body, idem string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.bobKey)
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}
