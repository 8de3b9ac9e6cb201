package gateway_test

import (
	"context"
	"errors"
	"testing"

	openai "github.com/sashabaranov/go-openai"
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
