package gateway_test

import (
	"context"
	"errors"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"meterdesk/backend/access"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// sdk is a go-openai client of e's gateway with bob's key.
func (e *env) sdk() *openai.Client {
	cfg := openai.DefaultConfig(e.bobKey)
	cfg.BaseURL = e.srv.URL + "/v1"
	return openai.NewClientWithConfig(cfg)
}

// TestStreamOptionsOnlyWhenStreaming: stream_options on a request not
// streamed is refused as OpenAI refuses it (400 invalid_request_error,
// param stream_options), before anything is held or sent; null is absent,
// as OpenAI's default is. It was accepted and ignored.
func TestStreamOptionsOnlyWhenStreaming(t *testing.T) {
	e := newEnv(t, "100")
	_, err := e.sdk().CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model: "gpt-4o", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "Hi"}},
		StreamOptions: &openai.StreamOptions{IncludeUsage: true}})
	var ae *openai.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want an API error", err)
	}
	if ae.HTTPStatusCode != 400 || ae.Type != "invalid_request_error" || ae.Param == nil || *ae.Param != "stream_options" {
		t.Fatalf("error %d %s %v: %s", ae.HTTPStatusCode, ae.Type, ae.Param, ae.Message)
	}
	if n := e.fake.ChatRequests(); n != 0 {
		t.Fatalf("the provider got %d requests", n)
	}
	if n := e.count(`SELECT count(*) FROM ledger_holds`); n != 0 {
		t.Fatalf("%d holds taken", n)
	}
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","stream_options":null,"messages":[{"role":"user","content":"Hi"}]}`)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("stream_options null: status %d", resp.StatusCode)
	}
	e.checkLedger()
}

// TestLimitRefusalIsNotRetried: a spending limit's 429 lasts until the
// limit resets (Retry-After: hours), so it carries X-Should-Retry: false,
// which the official OpenAI SDKs obey before retrying a 429 (by default
// twice, a second or so apart when Retry-After is over their cap); the
// provider's own 429, a short rate limit, does not.
func TestLimitRefusalIsNotRetried(t *testing.T) {
	const good = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	for _, c := range []struct {
		name, retryAfter, shouldRetry string
		setup                         func(e *env)
	}{
		{"member limit", "43200", "false", func(e *env) {
			if _, err := e.team.SetLimit(e.admin, teamLimit(e.bob.ID, "daily", "0.5")); err != nil {
				t.Fatal(err)
			}
		}},
		{"provider rate limit", "7", "", func(e *env) { e.fake.Enqueue(fake.Script{Fault: fake.RateLimited, RetryAfter: "7"}) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "100")
			c.setup(e)
			resp := e.post("/v1/chat/completions", e.bobKey, good)
			resp.Body.Close()
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != c.retryAfter {
				t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			if got := resp.Header.Get("X-Should-Retry"); got != c.shouldRetry {
				t.Fatalf("X-Should-Retry %q, want %q", got, c.shouldRetry)
			}
		})
	}
}

// TestModelsHaveACreatedTime: /v1/models gives each model the time since
// when it has been in the workspace's catalogue (its first rate row, or,
// for a built-in model, the workspace's setup, whichever came first),
// the same on GET /v1/models/{id} and through go-openai, and unchanged by
// a later rate change. It was 0 for every model.
func TestModelsHaveACreatedTime(t *testing.T) {
	e := newEnv(t, "100")
	want := e.clock.Now().Unix() // newEnv's setup, and its rates for gpt-4o and gpt-4o-mini
	check := func(when string) {
		t.Helper()
		list, err := e.sdk().ListModels(context.Background())
		if err != nil || len(list.Models) != 2 {
			t.Fatalf("%s: models %+v %v", when, list, err)
		}
		for _, m := range list.Models {
			if m.CreatedAt != want {
				t.Fatalf("%s: %s created %d, want %d", when, m.ID, m.CreatedAt, want)
			}
		}
		one, err := e.sdk().GetModel(context.Background(), "gpt-4o")
		if err != nil || one.CreatedAt != want {
			t.Fatalf("%s: GET /v1/models/gpt-4o created %d (%v), want %d", when, one.CreatedAt, err, want)
		}
	}
	check("first")
	e.clock.Add(48 * time.Hour)
	if _, err := rates.New(e.db, nil, e.clock.Now).Apply(e.admin, rates.Change{Rows: []rates.Row{
		{Provider: rates.OpenAI, Model: "gpt-4o", Input: "0.003", Output: "0.009"}}, Reason: "new prices"}); err != nil {
		t.Fatal(err)
	}
	check("after a rate change")
}

// TestModelsCreatedIgnoresAMemberAddedWithTheClockSetBack: a built-in
// model's created is the workspace's setup, its first member's creation;
// a member added later while the computer's clock was set back before the
// setup does not move it (nor the workspace's life it is clamped to). It
// read the earliest member's creation, so the member made every built-in
// model's created read ten days earlier from then on.
func TestModelsCreatedIgnoresAMemberAddedWithTheClockSetBack(t *testing.T) {
	e := newEnv(t, "100")
	want := e.clock.Now().Unix() // newEnv's setup
	e.clock.Add(-10 * 24 * time.Hour)
	if _, err := e.team.AddMember(e.admin, team.NewMember{Name: "carol", Role: access.RoleMember,
		SecretKind: team.SecretPassword, Secret: "a third horse battery"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(11 * 24 * time.Hour)
	list, err := e.sdk().ListModels(context.Background())
	if err != nil || len(list.Models) != 2 {
		t.Fatalf("models %+v %v", list, err)
	}
	for _, m := range list.Models {
		if m.CreatedAt != want {
			t.Errorf("%s created %d, want the setup's %d", m.ID, m.CreatedAt, want)
		}
	}
}
