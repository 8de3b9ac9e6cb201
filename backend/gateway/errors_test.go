package gateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestErrorStatuses drives the real handler over HTTP with a real SQLite
// backend: every error status, its OpenAI-shaped body, and that nothing was
// charged or left held.
func TestErrorStatuses(t *testing.T) {
	const good = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	cases := []struct {
		name       string
		pool       string                    // pool credits
		setup      func(e *env) (key string) // returns the key to use; default bob's
		method     string                    // default POST
		path       string                    // default /v1/chat/completions
		body       string
		script     *fake.Script
		status     int
		errType    string
		code       string
		param      string // "-" = null, "" = not checked (never "" itself)
		msg        string // substring of the message
		retryAfter string
		provider   int // chat requests the provider must have received
	}{
		{name: "no key", setup: func(e *env) string { return "" }, body: good, status: 401,
			errType: "authentication_error", code: "invalid_api_key", param: "-", msg: "Missing API key"},
		{name: "malformed key", setup: func(e *env) string { return "sk-not-ours" }, body: good, status: 401,
			errType: "authentication_error", code: "invalid_api_key", param: "-", msg: "Incorrect or revoked"},
		{name: "unknown key", setup: func(e *env) string { return e.bobKey[:len(e.bobKey)-4] + "AAAA" }, body: good,
			status: 401, errType: "authentication_error", code: "invalid_api_key", param: "-"},
		{name: "unknown key id", setup: func(e *env) string { return "mdk_000000000000_" + e.bobKey[len(e.bobKey)-43:] },
			body: good, status: 401, errType: "authentication_error", param: "-"},
		{name: "revoked key", setup: func(e *env) string {
			keys, _ := e.gw.ListKeys(e.as(e.bob), e.bob.ID)
			if err := e.gw.RevokeKey(e.as(e.bob), keys[0].ID); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 401, errType: "authentication_error", code: "invalid_api_key", param: "-"},
		{name: "disabled member", setup: func(e *env) string {
			if _, err := e.team.DisableMember(e.admin, e.bob.ID); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 401, errType: "authentication_error", param: "-"},
		{name: "not json", body: `{"model":`, status: 400, errType: "invalid_request_error", param: "-", msg: "not valid JSON"},
		{name: "array body", body: `[1,2]`, status: 400, errType: "invalid_request_error", param: "-", msg: "must be a JSON object, not an array"},
		{name: "two objects", body: good + good, status: 400, param: "-", msg: "one JSON object"},
		{name: "empty body", body: ``, status: 400, errType: "invalid_request_error", code: "invalid_value", param: "-", msg: "the request body is empty"},
		{name: "null body", body: `null`, status: 400, param: "-", msg: "not null"},
		{name: "body over 8 MiB", body: `{"model":"gpt-4o","messages":[{"role":"user","content":"` + strings.Repeat("a", 8<<20) + `"}]}`,
			status: 413, errType: "invalid_request_error", code: "body_too_large", param: "-"},
		{name: "missing model", body: `{"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "model", msg: "model is required"},
		{name: "model not a string", body: `{"model":4,"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "model"},
		{name: "blank model", body: `{"model":"  ","messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "model"},
		{name: "missing messages", body: `{"model":"gpt-4o"}`, status: 400, param: "messages", msg: "messages is required"},
		{name: "messages not array", body: `{"model":"gpt-4o","messages":"Hi"}`, status: 400, param: "messages"},
		{name: "no messages", body: `{"model":"gpt-4o","messages":[]}`, status: 400, param: "messages", msg: "at least one"},
		{name: "message not object", body: `{"model":"gpt-4o","messages":["Hi"]}`, status: 400, param: "messages[0]"},
		{name: "tool role", body: `{"model":"gpt-4o","messages":[{"role":"user","content":"a"},{"role":"tool","content":"x"}]}`,
			status: 400, param: "messages[1].role", msg: `"tool"`},
		{name: "missing content", body: `{"model":"gpt-4o","messages":[{"role":"user"}]}`, status: 400, param: "messages[0].content"},
		{name: "image part", body: `{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}`,
			status: 400, param: "messages[0].content[0]", msg: "only text parts"},
		{name: "content number", body: `{"model":"gpt-4o","messages":[{"role":"user","content":5}]}`, status: 400, param: "messages[0].content"},
		{name: "stream not bool", body: `{"model":"gpt-4o","stream":"yes","messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "stream"},
		{name: "stream options", body: `{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":"y"},"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "stream_options.include_usage"},
		// OpenAI's 400 for it: "The 'stream_options' parameter is only
		// allowed when 'stream' is enabled." (param stream_options).
		{name: "stream options not streamed", body: `{"model":"gpt-4o","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, errType: "invalid_request_error", code: "invalid_value", param: "stream_options", msg: "stream_options is only allowed when stream is true"},
		{name: "stream options with stream false", body: `{"model":"gpt-4o","stream":false,"stream_options":{},"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "stream_options", msg: "only allowed when stream is true"},
		{name: "max tokens zero", body: `{"model":"gpt-4o","max_tokens":0,"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "max_tokens"},
		{name: "max tokens fraction", body: `{"model":"gpt-4o","max_tokens":1.5,"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "max_tokens"},
		{name: "max completion tokens", body: `{"model":"gpt-4o","max_completion_tokens":-3,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "max_completion_tokens"},
		{name: "temperature too high", body: `{"model":"gpt-4o","temperature":2.5,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "temperature", msg: "from 0 to 2"},
		{name: "temperature not a number", body: `{"model":"gpt-4o","temperature":"hot","messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "temperature"},
		{name: "top_p negative", body: `{"model":"gpt-4o","top_p":-0.1,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "top_p", msg: "from 0 to 1"},
		{name: "seed fraction", body: `{"model":"gpt-4o","seed":1.5,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "seed"},
		{name: "seed text", body: `{"model":"gpt-4o","seed":"7","messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "seed"},
		{name: "presence penalty too high", body: `{"model":"gpt-4o","presence_penalty":2.5,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "presence_penalty", msg: "from -2 to 2"},
		{name: "frequency penalty too low", body: `{"model":"gpt-4o","frequency_penalty":-3,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "frequency_penalty", msg: "from -2 to 2"},
		{name: "stop not text", body: `{"model":"gpt-4o","stop":[1],"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "stop", msg: "string or an array of strings"},
		{name: "too many stops", body: `{"model":"gpt-4o","stop":["a","b","c","d","e"],"messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "stop", msg: "at most 4"},
		{name: "empty stop", body: `{"model":"gpt-4o","stop":"","messages":[{"role":"user","content":"Hi"}]}`,
			status: 400, param: "stop", msg: "must not be empty"},
		{name: "n", body: `{"model":"gpt-4o","n":2,"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "n"},
		{name: "tools", body: `{"model":"gpt-4o","tools":[{"type":"function"}],"messages":[{"role":"user","content":"Hi"}]}`, status: 400, param: "tools"},
		{name: "unknown model", body: `{"model":"gpt-9","messages":[{"role":"user","content":"Hi"}]}`, status: 404,
			errType: "invalid_request_error", code: "model_not_found", param: "model",
			msg: "The model 'gpt-9' is not served by any provider configured in Meterdesk. GET /v1/models lists the models this API serves."},
		{name: "not enough credits", pool: "0.01", body: good, status: 402, errType: "insufficient_credits",
			code: "insufficient_credits", param: "-", msg: "This request to gpt-4o may cost up to 40.976 credits (what is held while it runs), " +
				"but only 0.01 are available to bob (this API key's member) from the workspace pool. An admin can top up the workspace pool. " +
				"Nothing was sent or charged."}, // bob is a member
		{name: "enough for the prompt, not the output budget", pool: "1", body: good, status: 402, code: "insufficient_credits",
			msg: "so a smaller max_tokens may let it through. A max_tokens of 98 or less fits what is available now. An admin can top up"},
		// A daily limit of 0.5 leaves less than the pool's 1: the max_tokens
		// named fits both (the pool alone fits 98, then refused by the limit).
		{name: "enough for the prompt, a limit tighter than the credits", pool: "1", setup: func(e *env) string {
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0.5"}); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 402, code: "insufficient_credits",
			msg: "so a smaller max_tokens may let it through. A max_tokens of 48 or less fits what is available now and the spending " +
				"limits of this API key's member. An admin can top up"},
		// A daily limit of 0.01 leaves less than the prompt (0.016): no
		// smaller max_tokens passes it, so the 402 says the limit and its
		// reset, not "a smaller max_tokens may let it through" (each
		// smaller one was then refused by the limit).
		{name: "enough for the prompt, a limit that is not", pool: "1", setup: func(e *env) string {
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0.01"}); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 402, code: "insufficient_credits",
			msg: "but only 1 are available to bob (this API key's member) from the workspace pool. A spending limit refuses it too. " +
				"Its prompt alone, 0.016, is over the 0.01 left of the daily spending limit of this API key's member (0.01 credits " +
				"a day, 0 used). An admin raising the limit may let it through; its reset does not help: the whole limit is less " +
				"than the prompt and one output token (0.026 credits). An admin can top up the workspace pool. Nothing was sent or charged."},
		{name: "no credits at all", pool: "0", body: good, status: 402, code: "insufficient_credits",
			msg: "but no credits are available to bob (this API key's member) from the workspace pool."},
		{name: "limit reached", setup: func(e *env) string {
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0.01"}); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 429, errType: "rate_limit_error", code: "limit_exceeded", param: "-",
			// The prompt alone (0.016) is over what the limit leaves:
			// no max_tokens helps; and the whole limit is less than the
			// prompt and one output token, so its reset does not either
			// (no Retry-After): an admin raising it. No shorter prompt
			// either: one prompt token and one output token are 0.0125.
			msg: "This request may cost up to 40.976 credits and its prompt alone 0.016, more than the 0.01 left of the daily spending " +
				"limit of this API key's member (0.01 credits a day, 0 used). An admin raising the limit may let it through; " +
				"its reset does not help: the whole limit is less than the prompt and one output token (0.026 credits)."},
		{name: "limit with room for the prompt", setup: func(e *env) string {
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "1"}); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 429, errType: "rate_limit_error", code: "limit_exceeded", param: "-",
			msg: "This request may cost up to 40.976 credits, more than the 1 left of the daily spending limit of this API key's " +
				"member (1 credit a day, 0 used). A smaller max_tokens may let it through; otherwise retry after the limit resets " +
				"at 2026-06-16T00:00:00Z.", retryAfter: "43200"},
		{name: "over a daily and a monthly limit: retry when both have reset", setup: func(e *env) string {
			for _, l := range []team.Limit{{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "1"}, {UserID: e.bob.ID, Kind: team.LimitMonthly, Amount: "2"}} {
				if _, err := e.team.SetLimit(e.admin, l); err != nil {
					e.t.Fatal(err)
				}
			}
			return e.bobKey
		}, body: good, status: 429, errType: "rate_limit_error", code: "limit_exceeded", param: "-",
			// The daily leaves less (1), the monthly (2) refuses the same
			// request after the day's reset: Retry-After is the month's.
			msg: "more than the 1 left of the daily spending limit of this API key's member (1 credit a day, 0 used). A smaller " +
				"max_tokens may let it through; otherwise retry after 2026-07-01T00:00:00Z, when the other limits it is over reset too.",
			retryAfter: "1339200"},
		{name: "model limit of 0", setup: func(e *env) string {
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitModel, Model: "gpt-4o", Period: team.PeriodDay, Amount: "0"}); err != nil {
				e.t.Fatal(err)
			}
			return e.bobKey
		}, body: good, status: 429, errType: "rate_limit_error", code: "limit_exceeded", param: "-",
			// A limit of 0, an admin's block: its reset does not help (no Retry-After).
			msg: "The spending limit for gpt-4o of this API key's member (0 credits a day, 0 used) is 0, so no paid request fits it until " +
				"an admin raises it; its reset does not help."},
		{name: "provider rate limited", script: &fake.Script{Fault: fake.RateLimited, RetryAfter: "7"}, body: good,
			status: 429, errType: "rate_limit_error", code: "provider_error", param: "-", retryAfter: "7", provider: 1},
		{name: "provider rate limited (stream)", script: &fake.Script{Fault: fake.RateLimited, RetryAfter: "3"},
			body:   `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 429, code: "provider_error", retryAfter: "3", provider: 1},
		{name: "provider server error", script: &fake.Script{Fault: fake.ServerError}, body: good, status: 500,
			errType: "provider_error", code: "provider_error",
			msg: "provider error 500 Internal Server Error: The server had an error while processing your request.", provider: 1},
		{name: "provider rejects its key", script: &fake.Script{Fault: fake.Unauthorized}, body: good, status: 502,
			errType: "provider_error", code: "provider_error", msg: "provider error 401 Unauthorized: Incorrect API key provided: [redacted]", provider: 1},
		// The provider's 400 for a parameter its model does not take, in
		// its words.
		{name: "provider refuses a parameter", script: &fake.Script{Fault: fake.BadRequest}, body: good, status: 400,
			errType: "provider_error", code: "provider_error", msg: "provider error 400 Bad Request: Unsupported value: 'temperature'", provider: 1},
		{name: "provider error event", script: &fake.Script{Fault: fake.StreamError}, body: good, status: 500,
			errType: "provider_error", code: "provider_error", msg: "provider error 500 Internal Server Error: The server had an error", provider: 1},
		{name: "over the context window", script: &fake.Script{Fault: fake.ContextTooLong}, body: good, status: 400,
			errType: "invalid_request_error", code: "context_length_exceeded", param: "messages",
			msg: "provider error 400 Bad Request: This model's maximum context length is 128000 tokens.", provider: 1},
		{name: "provider drops before output", script: &fake.Script{Fault: fake.Drop, FailAfter: 0}, body: good,
			status: 502, code: "interrupted", msg: "the reply was cut off before it finished (the connection closed)", provider: 1},
		{name: "provider hangs up before answering", script: &fake.Script{Fault: fake.HangUp}, body: good,
			status: 502, errType: "provider_error", code: "interrupted",
			msg: "the provider closed the connection without answering; nothing was received or charged", provider: 1},
		{name: "malformed provider stream", script: &fake.Script{Fault: fake.Malformed}, body: good, status: 502, code: "malformed",
			msg: "the provider sent a malformed response: unexpected end of JSON input", provider: 1},
		{name: "provider offline", setup: func(e *env) string {
			e.fake.Close() // connection refused
			return e.bobKey
		}, body: good, status: 503, errType: "provider_error", code: "offline", param: "-",
			msg: "offline: the provider cannot be reached: nothing is answering at 127.0.0.1:"},
		{name: "provider silent past the idle timeout", setup: func(e *env) string {
			client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test",
				IdleTimeout: 200 * time.Millisecond})
			if err != nil {
				e.t.Fatal(err)
			}
			srv := httptest.NewServer(newGatewayWith(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, client, e.clock).Handler())
			e.t.Cleanup(srv.Close)
			e.srv = srv
			return e.bobKey
		}, script: &fake.Script{Fault: fake.Hang}, body: good, status: 504, errType: "provider_error", code: "timeout", param: "-",
			msg: "the provider stopped responding (timeout)", provider: 1},
		// A captive portal's or a proxy's sign-in page answered (200, HTML):
		// the provider's trouble, named, not a reply cut off.
		{name: "sign-in page in the way", script: &fake.Script{Fault: fake.SignInPage}, body: good, status: 502,
			errType: "provider_error", code: "provider_error", param: "-",
			msg:      `the provider answered with an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a model's answer: is a proxy or a sign-in page in the way?`,
			provider: 1},
		{name: "sign-in page in the way (stream)", script: &fake.Script{Fault: fake.SignInPage},
			body:   `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
			status: 502, errType: "provider_error", code: "provider_error", msg: "the provider answered with an HTML page (text/html)", provider: 1},
		{name: "whole answer labelled text/plain that is no answer", script: &fake.Script{Unstreamed: true, Fault: fake.Malformed, ContentType: "text/plain"},
			body: good, status: 502, errType: "provider_error", code: "provider_error", msg: "the provider answered with malformed JSON (text/plain), not a model's answer", provider: 1},
		{name: "wrong method", method: http.MethodGet, body: "", status: 405, code: "method_not_allowed"},
		{name: "unknown path", path: "/v1/embeddings", body: good, status: 404, code: "unknown_url"},
		{name: "unknown model id", method: http.MethodGet, path: "/v1/models/gpt-9", status: 404, code: "model_not_found", param: "model"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := tc.pool
			if pool == "" {
				pool = "100"
			}
			e := newEnv(t, pool)
			key := e.bobKey
			if tc.setup != nil {
				key = tc.setup(e)
			}
			if tc.script != nil {
				e.fake.Enqueue(*tc.script)
			}
			path := tc.path
			if path == "" {
				path = "/v1/chat/completions"
			}
			var resp *http.Response
			if tc.method == http.MethodGet {
				resp = e.get(path, key)
			} else {
				resp = e.post(path, key, tc.body)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("content type %q", ct)
			}
			body := decode[apiErr](t, resp.Body)
			if body.Error.Message == "" || body.Error.Type == "" {
				t.Fatalf("error body %+v", body)
			}
			if tc.errType != "" && body.Error.Type != tc.errType {
				t.Fatalf("type %q, want %q", body.Error.Type, tc.errType)
			}
			if tc.code != "" && (body.Error.Code == nil || *body.Error.Code != tc.code) {
				t.Fatalf("code %v, want %q (%s)", body.Error.Code, tc.code, body.Error.Message)
			}
			// param names the parameter at fault, or is null when none
			// is (OpenAI's); never "", which a body not one JSON object had.
			switch {
			case body.Error.Param != nil && *body.Error.Param == "":
				t.Fatalf(`param "", want null or a parameter's name (%s)`, body.Error.Message)
			case tc.param == "-" && body.Error.Param != nil:
				t.Fatalf("param %q, want null", *body.Error.Param)
			case tc.param != "-" && tc.param != "" && (body.Error.Param == nil || *body.Error.Param != tc.param):
				t.Fatalf("param %v, want %q (%s)", body.Error.Param, tc.param, body.Error.Message)
			}
			if !strings.Contains(body.Error.Message, tc.msg) {
				t.Fatalf("message %q lacks %q", body.Error.Message, tc.msg)
			}
			// A timeout, a cut or a malformed stream names the provider's
			// host first, as the window and the CLI do; so do the
			// provider's own error status (or error event, or the context
			// window's refusal) and an answer that is not its API's (a
			// sign-in page), which left it out.
			providerStatus := tc.provider == 1 && (tc.code == "provider_error" || tc.code == "context_length_exceeded")
			if c := tc.code; c == "timeout" || c == "interrupted" || c == "malformed" || providerStatus {
				u, err := url.Parse(e.fake.BaseURL())
				if err != nil || !strings.HasPrefix(body.Error.Message, u.Host+": "+tc.msg) {
					t.Fatalf("message %q, want %q first", body.Error.Message, u.Host+": "+tc.msg)
				}
			}
			if tc.status == 402 || tc.status == 429 && tc.code == "limit_exceeded" || tc.code == "model_not_found" {
				checkAPIWords(t, body.Error.Message)
			}
			checkNoWrap(t, body.Error.Message)
			if got := resp.Header.Get("Retry-After"); got != tc.retryAfter {
				t.Fatalf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if strings.Contains(body.Error.Message, "sk-test") {
				t.Fatalf("message leaks the provider key: %s", body.Error.Message)
			}
			if got := e.fake.ChatRequests(); got != tc.provider {
				t.Fatalf("provider got %d chat requests, want %d", got, tc.provider)
			}
			if got := e.charged(); got != "0" {
				t.Fatalf("charged %s for a failed request", got)
			}
			if got := e.poolAvailable(); !mustDec(got).Equal(mustDec(pool)) {
				t.Fatalf("pool available %s, want %s", got, pool)
			}
			if got := resp.Header.Get("X-Meterdesk-Credits-Charged"); got != "" && got != "0" {
				t.Fatalf("charged header %q", got)
			}
			e.checkLedger()
		})
	}
}

// TestRedirectNamesTheHost: a provider that redirects to another server
// (not followed: neither the key nor the prompt went there) is answered 502
// provider_error with the provider's host first, as its error status, a
// timeout or a sign-in page in its place are ("127.0.0.1:PORT: the
// provider redirected to another server (http://elsewhere.example);
// Meterdesk does not send the key there"); it left the host out. Never the
// key, nothing charged, streamed or not.
func TestRedirectNamesTheHost(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprintf("stream=%v", stream), func(t *testing.T) {
			e := newEnv(t, "100")
			var asked atomic.Int32
			redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked.Add(1)
				http.Redirect(w, r, "http://elsewhere.example/v1/chat/completions", http.StatusTemporaryRedirect)
			}))
			t.Cleanup(redirecting.Close)
			client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: redirecting.URL + "/v1", APIKey: "sk-test-redirect"})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(newGatewayWith(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, client, e.clock).Handler())
			t.Cleanup(srv.Close)
			e.srv = srv
			body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
			if stream {
				body = `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`
			}
			resp := e.post("/v1/chat/completions", e.bobKey, body)
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusBadGateway {
				t.Fatalf("status %d, want 502", resp.StatusCode)
			}
			got := decode[apiErr](t, resp.Body)
			u, _ := url.Parse(redirecting.URL)
			want := u.Host + ": the provider redirected to another server (http://elsewhere.example); Meterdesk does not send the key there"
			if got.Error.Message != want || got.Error.Type != "provider_error" || got.Error.Code == nil || *got.Error.Code != "provider_error" {
				t.Fatalf("answered %+v (code %v), want %q", got.Error, got.Error.Code, want)
			}
			checkNoWrap(t, got.Error.Message)
			if strings.Contains(got.Error.Message, "sk-test") {
				t.Fatalf("message leaks the provider key: %s", got.Error.Message)
			}
			if asked.Load() == 0 {
				t.Fatal("the redirecting provider was not asked")
			}
			if c := e.charged(); c != "0" {
				t.Fatalf("charged %s", c)
			}
			e.checkLedger()
		})
	}
}

// checkAPIWords fails when msg, an error message for an API client, carries
// a wrapping chain ("send to gpt-4o: hold: …", "not enough credits: …") or
// the window's or the CLI's words (a click, Settings, a command, "send").
func checkAPIWords(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"send:", "send to", "hold:", "charge ", "not enough credits:", "no provider configured for this model",
		"Settings", "click", "--", "meterdesk ", "Reasoning ", "output budget", "this send", "your "} {
		if strings.Contains(msg, bad) {
			t.Errorf("message %q says %q", msg, bad)
		}
	}
}

// wrapPrefixes are the wrapping chain's words that a message for an API
// client never carries: chat's ("send to gpt-4o: ", "send: "), the
// providers' ("chat: ", "chat stream api.openai.com: "), team's ("funding
// of member 5: ", "check limits: ").
var wrapPrefixes = []string{"send:", "send to ", "chat:", "chat stream", "chat 127.", "funding of member", "check limits:",
	"not enough credits:", "hold:"}

// checkNoWrap fails when msg carries a wrapping chain (wrapPrefixes).
// Unlike checkAPIWords it lets the provider's own words through ("your
// request", "your account settings").
func checkNoWrap(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range wrapPrefixes {
		if strings.Contains(msg, bad) {
			t.Errorf("message %q carries the wrapping chain (%q)", msg, bad)
		}
	}
}

// TestLimitRetryAfterUsesResetTime: the 429 for a member limit names the
// reset time in a header too.
func TestLimitRetryAfterUsesResetTime(t *testing.T) {
	e := newEnv(t, "100")
	if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitMonthly, Amount: "0.5"}); err != nil {
		t.Fatal(err)
	}
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
	defer resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("X-Meterdesk-Limit-Resets-At") != "2026-07-01T00:00:00Z" ||
		resp.Header.Get("Retry-After") != "1339200" {
		t.Fatalf("status %d, resets %q, retry %q", resp.StatusCode, resp.Header.Get("X-Meterdesk-Limit-Resets-At"), resp.Header.Get("Retry-After"))
	}
	_ = context.Background()
}

// TestAPIRoomFitsCreditsAndLimit: the 402's "A max_tokens of N or less fits
// what is available now" counted the payer's credits only, and a member
// whose limit left less had that max_tokens refused again with a 429. Now N
// fits both: a request with it is answered and charged, one with N+1 is
// refused by the limit.
func TestAPIRoomFitsCreditsAndLimit(t *testing.T) {
	e := newEnv(t, "1")
	if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0.5"}); err != nil {
		t.Fatal(err)
	}
	send := func(maxTokens string) (int, string) {
		body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]`
		if maxTokens != "" {
			body += `,"max_tokens":` + maxTokens
		}
		resp := e.post("/v1/chat/completions", e.bobKey, body+"}")
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		maxTokens string
		status    int
		want      string
	}{
		{"", 402, "A max_tokens of 48 or less fits what is available now and the spending limits of this API key's member."},
		{"49", 429, "more than the 0.5 left of the daily spending limit"},
		{"48", 200, `"finish_reason"`},
	} {
		if status, body := send(c.maxTokens); status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("max_tokens %q: %d %s, want %d with %q", c.maxTokens, status, body, c.status, c.want)
		}
	}
	if e.charged() == "0" {
		t.Errorf("the request with max_tokens 48 was not charged")
	}
}

// TestLimitRefusalNamesTheMaxTokensThatFits: a 429 for a spending limit
// that a smaller max_tokens can pass names the largest that does, as the
// 402 does and the window ("Use N") and `meterdesk chat` offer it (one
// rule: chat.RoomFor); it said only "A smaller max_tokens may let it
// through", and a client had to guess. A request with that max_tokens is
// answered, one with one more refused again; a limit already reached, or
// one the prompt alone is over, names none.
func TestLimitRefusalNamesTheMaxTokensThatFits(t *testing.T) {
	send := func(e *env, maxTokens string) (int, string) {
		body := `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]`
		if maxTokens != "" {
			body += `,"max_tokens":` + maxTokens
		}
		resp := e.post("/v1/chat/completions", e.bobKey, body+"}")
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct {
		name, pool, limit string
		steps             []struct {
			maxTokens string
			status    int
			want      string
		}
	}{
		{name: "limit below the credits", pool: "100", limit: "0.5", steps: []struct {
			maxTokens string
			status    int
			want      string
		}{
			{"", 429, "A max_tokens of 48 or less fits what is available now and the spending limits of this API key's member."},
			{"49", 429, "A max_tokens of 48 or less fits"},
			{"48", 200, `"finish_reason"`},
		}},
		{name: "limit of 0", pool: "100", limit: "0", steps: []struct {
			maxTokens string
			status    int
			want      string
		}{
			{"", 429, "is 0, so no paid request fits it"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.pool)
			if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: c.limit}); err != nil {
				t.Fatal(err)
			}
			for _, s := range c.steps {
				status, body := send(e, s.maxTokens)
				if status != s.status || !strings.Contains(body, s.want) {
					t.Errorf("max_tokens %q: %d %s, want %d with %q", s.maxTokens, status, body, s.status, s.want)
				}
				if status == 429 && c.limit == "0" && strings.Contains(body, "A max_tokens of") {
					t.Errorf("a reached limit names a max_tokens: %s", body)
				}
			}
		})
	}
}
