package providers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/providers"
)

// ollamaLike serves the OpenAI API under /v1 only, as Ollama and llama.cpp
// do: any other path is a 404 with a plain-text body.
func ollamaLike(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/models":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"llama3.2","object":"model"}]}`)
		default:
			http.Error(w, "404 page not found", http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// lmStudioLike serves the OpenAI API under /v1 and answers any other path
// with 200 and an error object, as LM Studio does; models is what
// /v1/models lists.
func lmStudioLike(t *testing.T, models string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/models" {
			_, _ = io.WriteString(w, `{"object":"list","data":[`+models+`]}`)
			return
		}
		_, _ = io.WriteString(w, `{"error":"Unexpected endpoint or method. (`+r.Method+` `+r.URL.Path+`). Returning 200 anyway"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestMissingV1IsNamed: a local server's base URL without /v1 is the most
// common mistake. Ollama answers 404 and LM Studio 200 with an error
// object (which read as an empty list: "Connected: 0 models available");
// the save says it was saved but the listing failed, and the test, the
// model list and a chat say what the base URL should be.
func TestMissingV1IsNamed(t *testing.T) {
	for _, tc := range []struct {
		name string
		srv  *httptest.Server
		msg  string
	}{
		{"ollama", ollamaLike(t), "provider error 404 Not Found: 404 page not found; did you mean "},
		{"lm studio", lmStudioLike(t, `{"id":"qwen3-8b","object":"model"}`), "Unexpected endpoint or method. (GET /models). Returning 200 anyway; did you mean "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			want := tc.msg + tc.srv.URL + "/v1?"
			p, err := f.svc.Add(as(admin), providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: tc.srv.URL})
			if err != nil || !strings.Contains(p.ModelsError, want) {
				t.Fatalf("add = %+v, %v; want saved with the models error %q", p, err, want)
			}
			res, err := f.svc.Test(as(admin), p.ID)
			if err != nil || res.OK || !strings.Contains(res.Message, want) {
				t.Errorf("test = %+v, %v; want a failed test saying %q", res, err, want)
			}
			ml, err := f.svc.Models(as(member), p.ID)
			if err != nil || !ml.Stale || ml.Offline || !strings.Contains(ml.Error, want) {
				t.Errorf("models = %+v, %v", ml, err)
			}
			if _, ok := f.cat.merged["local"]; ok {
				t.Errorf("an error was merged as a model list: %v", f.cat.merged)
			}
			c, err := f.svc.Client(as(member), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err, _ = collect(context.Background(), c, request("llama3.2"))
			if tc.name == "ollama" && (err == nil || !strings.Contains(err.Error(), "did you mean "+tc.srv.URL+"/v1?")) {
				t.Errorf("chat: %v, want the /v1 hint", err)
			}
			// With /v1 it works, and the hint is gone.
			p, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: tc.srv.URL + "/v1"})
			if err != nil || p.ModelsError != "" {
				t.Fatalf("update to /v1 = %+v, %v", p, err)
			}
			if res, err := f.svc.Test(as(admin), p.ID); err != nil || !res.OK || res.Message != "Connected: 1 models available." {
				t.Errorf("test with /v1 = %+v, %v", res, err)
			}
		})
	}
	// A 404 where the base URL has a version (a model the server does not
	// have) gets no hint.
	srv := ollamaLike(t)
	c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err, _ := collect(context.Background(), c, request("nope")); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("chat at /v1: %v, want a 404 without a hint", err)
	}
}

// TestNoModelsIsNotPlainlyConnected: a server that answers with an empty
// list is connected but offers nothing; the test says so, with what to do.
func TestNoModelsIsNotPlainlyConnected(t *testing.T) {
	f := newFixture(t, nil)
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[]}`)
	}))
	defer empty.Close()
	for _, tc := range []struct{ base, msg string }{
		{empty.URL + "/v1", "Connected, but the server lists no models: load or pull a model on it"},
		{empty.URL + "/api", "Connected, but the server lists no models: did you mean " + empty.URL + "/api/v1?"},
	} {
		res, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindCompatible, BaseURL: tc.base})
		if err != nil || !res.OK || res.Models != 0 || !strings.HasPrefix(res.Message, tc.msg) {
			t.Errorf("test of %s = %+v, %v; want %q", tc.base, res, err, tc.msg)
		}
	}
}
