package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
)

type completionBody struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
		TotalTokens      int64 `json:"total_tokens"`
	} `json:"usage"`
	Meterdesk struct {
		RequestID        string `json:"request_id"`
		CreditsCharged   string `json:"credits_charged"`
		CreditsRemaining string `json:"credits_remaining"`
		Estimated        bool   `json:"estimated"`
	} `json:"meterdesk"`
}

// TestCompletion: a non-streamed request is answered in OpenAI's shape,
// charged once to bob with source "api", and the headers say so.
func TestCompletion(t *testing.T) {
	e := newEnv(t, "100")
	resp := e.post("/v1/chat/completions", e.bobKey,
		`{"model":"gpt-4o","messages":[{"role":"developer","content":"Be brief"},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"temperature":0.2,"top_p":0.9,"stop":"STOP","presence_penalty":0.5,"frequency_penalty":-1,"seed":42,"logit_bias":{"50256":-100},"user":"bob-laptop","max_tokens":50}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	c := decode[completionBody](t, resp.Body)
	if c.Object != "chat.completion" || c.Model != "gpt-4o" || len(c.Choices) != 1 ||
		c.Choices[0].Message.Content != "Hello world" || c.Choices[0].Message.Role != "assistant" ||
		c.Choices[0].FinishReason != "stop" || c.Usage.PromptTokens != 8 || c.Usage.CompletionTokens != 2 || c.Usage.TotalTokens != 10 {
		t.Fatalf("completion %+v", c)
	}
	if got := resp.Header.Get("X-Meterdesk-Credits-Charged"); got != okCharge || c.Meterdesk.CreditsCharged != okCharge {
		t.Fatalf("charged header %q, body %q", got, c.Meterdesk.CreditsCharged)
	}
	if got := resp.Header.Get("X-Meterdesk-Credits-Remaining"); got != "99.968" || c.Meterdesk.CreditsRemaining != "99.968" {
		t.Fatalf("remaining header %q", got)
	}
	id := resp.Header.Get("X-Meterdesk-Request-Id")
	if id == "" || c.ID != "chatcmpl-"+id || c.Meterdesk.RequestID != id {
		t.Fatalf("ids %q %q", id, c.ID)
	}
	// The provider got the system prompt, the max tokens and the sampling
	// parameters; the ones the gateway does not forward stay behind.
	reqs := e.fake.Requests()
	var sent struct {
		Messages  []struct{ Role, Content string } `json:"messages"`
		MaxTokens int                              `json:"max_tokens"`
		MaxCompl  int                              `json:"max_completion_tokens"`
	}
	body := reqs[len(reqs)-1].Body
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent.Messages) != 2 || sent.Messages[0].Role != "system" || sent.Messages[1].Content != "Hi" || sent.MaxTokens+sent.MaxCompl != 50 {
		t.Fatalf("provider got %s", body)
	}
	for _, w := range []string{`"temperature":0.2`, `"top_p":0.9`, `"stop":["STOP"]`, `"presence_penalty":0.5`,
		`"frequency_penalty":-1`, `"seed":42`} {
		if !strings.Contains(string(body), w) {
			t.Errorf("provider request lacks %s: %s", w, body)
		}
	}
	for _, name := range []string{"logit_bias", `"user":`} {
		if strings.Contains(string(body), name) {
			t.Errorf("provider request has %s: %s", name, body)
		}
	}
	// The ledger: one posting from the pool, for bob, source api.
	page, err := e.led.History(systemCtx, ledger.Filter{Ops: []string{ledger.OpPost}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d postings", len(page.Items))
	}
	p := page.Items[0]
	if p.Amount.String() != okCharge || p.UserID != e.bob.ID || p.Source != "api" || p.Model != "gpt-4o" || p.From != "pool" {
		t.Fatalf("posting %+v", p)
	}
	if e.charged() != okCharge || e.poolAvailable() != "99.968" {
		t.Fatalf("charged %s, pool %s", e.charged(), e.poolAvailable())
	}
	e.checkLedger()
}

type chunkBody struct {
	Choices []struct {
		Delta struct {
			Role    string  `json:"role"`
			Content *string `json:"content"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
	} `json:"usage"`
	Meterdesk *struct {
		CreditsCharged   string `json:"credits_charged"`
		CreditsRemaining string `json:"credits_remaining"`
		Estimated        bool   `json:"estimated"`
	} `json:"meterdesk"`
	Error *struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	} `json:"error"`
}

// TestStream: a streamed request delivers the text chunk by chunk, then the
// finish chunk with the charge, the usage chunk, the SSE comment, [DONE],
// and the charge again as HTTP trailers.
func TestStream(t *testing.T) {
	cases := []struct {
		name         string
		includeUsage bool
	}{{"with usage chunk", true}, {"without usage chunk", false}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			body := `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`
			if tc.includeUsage {
				body = `{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}`
			}
			resp := e.post("/v1/chat/completions", e.bobKey, body)
			defer resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("status %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			events := readSSE(t, resp.Body)
			if got := resp.Trailer.Get("X-Meterdesk-Credits-Charged"); got != okCharge {
				t.Fatalf("trailer charged %q (trailers %v)", got, resp.Trailer)
			}
			if got := resp.Trailer.Get("X-Meterdesk-Credits-Remaining"); got != "99.968" {
				t.Fatalf("trailer remaining %q", got)
			}
			var text strings.Builder
			var finish string
			var usageSeen, charged bool
			var comment string
			for i, ev := range events {
				if ev.Comment != "" {
					comment = ev.Comment
					continue
				}
				if ev.Data == "[DONE]" {
					if i != len(events)-1 {
						t.Fatalf("[DONE] is not last")
					}
					continue
				}
				var c chunkBody
				if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
					t.Fatalf("chunk %q: %v", ev.Data, err)
				}
				if c.Usage != nil {
					usageSeen = true
					if len(c.Choices) != 0 || c.Usage.PromptTokens != 8 || c.Usage.CompletionTokens != 2 || c.Meterdesk == nil ||
						c.Meterdesk.CreditsCharged != okCharge {
						t.Fatalf("usage chunk %s", ev.Data)
					}
					continue
				}
				if i == 0 && c.Choices[0].Delta.Role != "assistant" {
					t.Fatalf("first chunk %s", ev.Data)
				}
				if c.Choices[0].Delta.Content != nil {
					text.WriteString(*c.Choices[0].Delta.Content)
				}
				if c.Choices[0].FinishReason != nil {
					finish = *c.Choices[0].FinishReason
					charged = c.Meterdesk != nil && c.Meterdesk.CreditsCharged == okCharge && c.Meterdesk.CreditsRemaining == "99.968"
				}
			}
			if text.String() != "Hello world" || finish != "stop" || !charged || usageSeen != tc.includeUsage {
				t.Fatalf("text %q finish %q charged %v usage %v", text.String(), finish, charged, usageSeen)
			}
			if comment != "meterdesk credits-charged=0.032 credits-remaining=99.968" {
				t.Fatalf("comment %q", comment)
			}
			if e.charged() != okCharge {
				t.Fatalf("charged %s", e.charged())
			}
			e.checkLedger()
		})
	}
}

// TestStreamCutOff: the provider drops the connection after some text. The
// client got that text and an error event; it is charged for that text
// (counted by the tokenizer, marked estimated), once.
func TestStreamCutOff(t *testing.T) {
	e := newEnv(t, "100")
	e.fake.Enqueue(fake.Script{Chunks: []string{"one", " two", " three"}, Fault: fake.Drop, FailAfter: 2})
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`)
	defer resp.Body.Close()
	events := readSSE(t, resp.Body)
	var text string
	var errEv *chunkBody
	for _, ev := range events {
		if ev.Data == "" || ev.Data == "[DONE]" {
			if ev.Data == "[DONE]" {
				t.Fatal("[DONE] after an error")
			}
			continue
		}
		var c chunkBody
		if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
			t.Fatal(err)
		}
		if c.Error != nil {
			errEv = &c
			continue
		}
		if len(c.Choices) > 0 && c.Choices[0].Delta.Content != nil {
			text += *c.Choices[0].Delta.Content
		}
	}
	if text != "one two" || errEv == nil || errEv.Error.Code != "interrupted" || errEv.Meterdesk == nil || !errEv.Meterdesk.Estimated {
		t.Fatalf("text %q error %+v", text, errEv)
	}
	if e.charged() == "0" || e.charged() != errEv.Meterdesk.CreditsCharged || resp.Trailer.Get("X-Meterdesk-Estimated") != "true" {
		t.Fatalf("charged %s, event says %s", e.charged(), errEv.Meterdesk.CreditsCharged)
	}
	if n := e.count(`SELECT count(*) FROM chat_charges WHERE estimated = 1 AND source = 'api'`); n != 1 {
		t.Fatalf("%d estimated api charges", n)
	}
	e.checkLedger()
}

// TestModelsAndCredits: the model list and the caller's credits and limits.
func TestModelsAndCredits(t *testing.T) {
	e := newEnv(t, "12.5")
	resp := e.get("/v1/models", e.bobKey)
	defer resp.Body.Close()
	var ml struct {
		Object string                                 `json:"object"`
		Data   []struct{ ID, Object, OwnedBy string } `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ml); err != nil || resp.StatusCode != 200 {
		t.Fatalf("models: %d %v", resp.StatusCode, err)
	}
	if ml.Object != "list" || len(ml.Data) != 2 || ml.Data[0].ID != "gpt-4o" || ml.Data[1].ID != "gpt-4o-mini" || ml.Data[0].Object != "model" {
		t.Fatalf("models %+v", ml)
	}
	r2 := e.get("/v1/models/gpt-4o-mini", e.bobKey)
	r2.Body.Close()
	if r2.StatusCode != 200 {
		t.Fatalf("model: %d", r2.StatusCode)
	}
	if _, err := e.team.SetLimit(e.admin, teamLimit(e.bob.ID, "daily", "5")); err != nil {
		t.Fatal(err)
	}
	ok := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`)
	if ok.StatusCode != 200 {
		t.Fatalf("completion: %d", ok.StatusCode)
	}
	ok.Body.Close()
	r3 := e.get("/v1/credits", e.bobKey)
	defer r3.Body.Close()
	var cr struct {
		Object string `json:"object"`
		Member struct {
			ID   int64
			Name string
		} `json:"member"`
		Account                     string `json:"account"`
		Balance, Pending, Available string
		Limits                      []struct {
			Kind, Amount, Used, Remaining string
			ResetsAt                      string `json:"resets_at"`
		} `json:"limits"`
	}
	if err := json.NewDecoder(r3.Body).Decode(&cr); err != nil || r3.StatusCode != 200 {
		t.Fatalf("credits: %d %v", r3.StatusCode, err)
	}
	if cr.Member.Name != "bob" || cr.Account != "pool" || cr.Balance != "12.468" || cr.Available != "12.468" || cr.Pending != "0" ||
		len(cr.Limits) != 1 || cr.Limits[0].Used != okCharge || cr.Limits[0].Remaining != "4.968" || cr.Limits[0].ResetsAt != "2026-06-16T00:00:00Z" {
		t.Fatalf("credits %+v", cr)
	}
	if r3.Header.Get("X-Meterdesk-Credits-Remaining") != "12.468" {
		t.Fatalf("header %q", r3.Header.Get("X-Meterdesk-Credits-Remaining"))
	}
	_ = http.StatusOK
}
