package providers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
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
// with 200 and an error object, as LM Studio does (its log adds "Returning
// 200 anyway"; lmstudio-ai/lmstudio-bug-tracker#618 shows the answer to
// POST /chat/completions); models is what /v1/models lists.
func lmStudioLike(t *testing.T, models string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch r.URL.Path {
		case "/v1/models":
			_, _ = io.WriteString(w, `{"object":"list","data":[`+models+`]}`)
		case "/v1/chat/completions":
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, `data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}`+"\n\ndata: [DONE]\n\n")
		default:
			_, _ = io.WriteString(w, `{"error":"Unexpected endpoint or method. (`+r.Method+` `+r.URL.Path+`)"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestMissingV1IsNamed: a local server's base URL without /v1 is the most
// common mistake. Ollama answers 404 and LM Studio 200 with an error
// object (which read as an empty list: "Connected: 0 models available");
// the save says it was saved but the listing failed, and the test, the
// model list and a chat say what the base URL should be, in the same
// words. Before, a chat with LM Studio said only "provider error 500
// Internal Server Error: Unexpected endpoint or method. (POST
// /chat/completions)".
func TestMissingV1IsNamed(t *testing.T) {
	for _, tc := range []struct {
		name      string
		srv       *httptest.Server
		msg, chat string
	}{
		{"ollama", ollamaLike(t), "provider error 404 Not Found: 404 page not found; did you mean ",
			"chat: provider error 404 Not Found: 404 page not found; did you mean "},
		{"lm studio", lmStudioLike(t, `{"id":"qwen3-8b","object":"model"}`), "Unexpected endpoint or method. (GET /models); did you mean ",
			"chat: provider error 500 Internal Server Error: Unexpected endpoint or method. (POST /chat/completions); did you mean "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			want := tc.msg + tc.srv.URL + "/v1?"
			p, err := f.svc.Add(as(admin), providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: tc.srv.URL})
			if err != nil || !strings.Contains(p.ModelsError, want) {
				t.Fatalf("add = %+v, %v; want saved with the models error %q", p, err, want)
			}
			res, err := f.svc.Test(as(admin), p.ID)
			// A 404 leads with its meaning (TestFailure), the rest kept.
			wantTest := strings.Replace(want, "provider error 404 Not Found: ", "", 1)
			if err != nil || res.OK || !strings.Contains(res.Message, wantTest) {
				t.Errorf("test = %+v, %v; want a failed test saying %q", res, err, wantTest)
			}
			ml, err := f.svc.Models(as(admin), p.ID)
			if err != nil || !ml.Stale || ml.Offline || !strings.Contains(ml.Error, want) {
				t.Errorf("models = %+v, %v", ml, err)
			}
			// A member is not told the address (memberwords.go).
			ml, err = f.svc.Models(as(member), p.ID)
			if err != nil || !ml.Stale || ml.Offline || strings.Contains(ml.Error, "127.0.0.1") || strings.Contains(ml.Error, "did you mean") {
				t.Errorf("models as a member = %+v, %v", ml, err)
			}
			if _, ok := f.cat.merged["local"]; ok {
				t.Errorf("an error was merged as a model list: %v", f.cat.merged)
			}
			c, err := f.svc.Client(as(member), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err, _ := collect(context.Background(), c, request("llama3.2"))
			var ae *providers.APIError
			if !errors.As(err, &ae) || err.Error() != tc.chat+tc.srv.URL+"/v1?" || got.Text != "" || got.Usage != nil {
				t.Errorf("chat: %v (%+v), want %q and nothing delivered", err, got, tc.chat+tc.srv.URL+"/v1?")
			}
			// With /v1 it works, and the hint is gone.
			p, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: tc.srv.URL + "/v1"})
			if err != nil || p.ModelsError != "" {
				t.Fatalf("update to /v1 = %+v, %v", p, err)
			}
			if res, err := f.svc.Test(as(admin), p.ID); err != nil || !res.OK || res.Message != "Connected: 1 models available." {
				t.Errorf("test with /v1 = %+v, %v", res, err)
			}
			if tc.name == "lm studio" {
				if c, err = f.svc.Client(as(member), p.ID); err != nil {
					t.Fatal(err)
				}
				if res, err, _ := collect(context.Background(), c, request("qwen3-8b")); err != nil || res.Text != "Hi" {
					t.Errorf("chat with /v1: %q, %v", res.Text, err)
				}
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
// list is connected but offers nothing; the test says so, with what to do,
// and so does a save (Provider.NoModels, the same words after "saved; "),
// which said nothing: a provider that cannot be chatted with yet passed
// for a working one. A save whose listing found a model, or failed
// (ModelsError), has none.
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

	p, err := f.svc.Add(as(admin), providers.Input{Name: "Empty", Kind: providers.KindCompatible, BaseURL: empty.URL + "/v1"})
	const none = "the server lists no models: load or pull a model on it (Ollama: ollama pull NAME; LM Studio: load one), then test again."
	if err != nil || p.NoModels != none || p.ModelsError != "" || p.KeyError != "" {
		t.Fatalf("add with no models = %+v, %v; want NoModels %q", p, err, none)
	}
	if up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Empty", Kind: providers.KindCompatible, BaseURL: empty.URL + "/api"}); err != nil ||
		up.NoModels != "the server lists no models: did you mean "+empty.URL+"/api/v1?" {
		t.Errorf("update to /api = %+v, %v", up, err)
	}
	one := ollamaLike(t)
	if up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Empty", Kind: providers.KindCompatible, BaseURL: one.URL + "/v1"}); err != nil || up.NoModels != "" {
		t.Errorf("a server with a model: %+v, %v", up, err)
	}
	if up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Empty", Kind: providers.KindCompatible, BaseURL: one.URL}); err != nil ||
		up.NoModels != "" || up.ModelsError == "" {
		t.Errorf("a listing that failed: %+v, %v", up, err)
	}
}

// TestErrorInPlaceOfAChatIsHinted: an error object answered with status
// 200 in place of a chat answer, as LM Studio answers a path it does not
// serve, gets the /v1 hint however it is labelled (JSON, text/plain, none,
// even an event stream), as a listing's does; not when the base URL has a
// version, nor for an error that comes after the stream began.
func TestErrorInPlaceOfAChatIsHinted(t *testing.T) {
	const lmStudio = `{"error":"Unexpected endpoint or method. (POST /chat/completions)"}`
	const msg = "provider error 500 Internal Server Error: Unexpected endpoint or method. (POST /chat/completions)"
	for _, tc := range []struct {
		name, ctype, body, path string
		hinted                  bool
	}{
		{"json", "application/json; charset=utf-8", lmStudio, "", true},
		{"text/plain", "text/plain", lmStudio, "", true},
		{"no Content-Type", fake.NoContentType, lmStudio, "", true},
		{"event stream", "text/event-stream", lmStudio + "\n", "", true},
		{"under a path without a version", "application/json", lmStudio, "/api", true},
		{"at /v1", "application/json", lmStudio, "/v1", false},
		{"after the stream began", "text/event-stream",
			`data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}` + "\n\n" + lmStudio + "\n", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := serveBody(t, tc.ctype, tc.body)
			c, err := providers.New(providers.Config{Kind: providers.KindCompatible, BaseURL: srv.URL + tc.path})
			if err != nil {
				t.Fatal(err)
			}
			_, err, _ = collect(context.Background(), c, request("m"))
			var ae *providers.APIError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), msg) {
				t.Fatalf("err = %v, want the server's error %q", err, msg)
			}
			hint := "did you mean " + srv.URL + tc.path + "/v1?"
			if got := strings.HasSuffix(err.Error(), "; "+hint); got != tc.hinted || (ae.Hint == hint) != tc.hinted {
				t.Errorf("err = %q (hint %q), want the hint %q: %v", err, ae.Hint, hint, tc.hinted)
			}
		})
	}
}

// TestSaveOfASilentServerSaysItDidNotAnswer: a server that accepts the
// connection and never answers (a network that swallows the request, a
// server stuck loading) is saved after the 3 s the listing after a save
// waits, and the save says that no answer came within 3 s. It said
// "models of provider 1: context deadline exceeded": the listing's
// deadline also cut off the read of the last known list, whose error
// replaced the listing's own. A model list read under a caller's deadline
// likewise returns the last known list, marked stale, not that error.
func TestSaveOfASilentServerSaysItDidNotAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	f := newFixture(t, nil)
	url := "http://" + ln.Addr().String() + "/v1"
	want := "list models " + ln.Addr().String() + ": no answer within 3 s ("
	start := time.Now()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Silent", Kind: providers.KindCompatible, BaseURL: url})
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("the save took %s, want about 3 s", took)
	}
	if err != nil || !strings.HasPrefix(p.ModelsError, want) || strings.Contains(p.ModelsError, "deadline") {
		t.Fatalf("add = %+v, %v; want saved with the models error %q…", p, err, want)
	}
	up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Silent 2", Kind: providers.KindCompatible, BaseURL: url})
	if err != nil || !strings.HasPrefix(up.ModelsError, want) {
		t.Errorf("update = %+v, %v; want %q…", up, err, want)
	}
	ctx, cancel := context.WithTimeout(as(member), 200*time.Millisecond)
	defer cancel()
	ml, err := f.svc.Models(ctx, p.ID)
	if err != nil || !ml.Stale || ml.Error == "" || ml.CheckedAt != "" {
		t.Errorf("models under a deadline = %+v, %v; want the last known list (none), stale", ml, err)
	}
}
