package gateway_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// thinkingRates price the models of the thinking providers as chat's tests do.
var thinkingRates = []rates.Row{
	{Provider: rates.DeepSeek, Model: "deepseek-chat", Input: "0.0005", Output: "0.002", CacheRead: "0.0001"},
	{Provider: rates.Anthropic, Model: "claude-sonnet-4-20250514", Input: "0.003", Output: "0.015", CacheRead: "0.0003", CacheWrite: "0.00375"},
	{Provider: rates.Gemini, Model: "gemini-2.5-flash", Input: "0.0003", Output: "0.0025", CacheRead: "0.000075"},
}

// flavorGateway is a second gateway on e's database whose one provider is
// a fake speaking flavor's wire format (kind, rate provider rp) serving
// model, with the idle timeout idle (0 = the default).
func flavorGateway(t *testing.T, e *env, flavor fake.Flavor, kind providers.Kind, rp, model string, idle time.Duration) (*httptest.Server, *fake.Server) {
	t.Helper()
	rs := rates.New(e.db, nil, e.clock.Now)
	if _, err := rs.Apply(e.admin, rates.Change{Rows: append(append([]rates.Row{}, testRates...), thinkingRates...),
		Reason: "thinking providers"}); err != nil {
		t.Fatal(err)
	}
	fk := fake.New(flavor, okScript)
	t.Cleanup(fk.Close)
	client, err := providers.New(providers.Config{Kind: kind, BaseURL: fk.BaseURL(), APIKey: "sk-test", IdleTimeout: idle})
	if err != nil {
		t.Fatal(err)
	}
	res := chat.StaticResolver{{Info: chat.TargetInfo{Name: string(flavor), Kind: kind, RateProvider: rp, Models: []string{model}}, Client: client}}
	meter := chat.New(e.db, e.led, rs, e.team, res, nil, e.clock.Now).Meter()
	gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return srv, fk
}

// postTo sends body to the gateway at url as the holder of key, with the
// Idempotency-Key idem when not "".
func postTo(t *testing.T, url, key, idem, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// reasoningChunk is a chat.completion.chunk or a stream's error event, as
// far as these tests read them.
type reasoningChunk struct {
	Choices []struct {
		Delta struct {
			Role             string  `json:"role"`
			Content          *string `json:"content"`
			ReasoningContent *string `json:"reasoning_content"`
		} `json:"delta"`
	} `json:"choices"`
	Error *struct {
		Type string `json:"type"`
		Code string `json:"code"`
	} `json:"error"`
	Meterdesk *gateway.Meterdesk `json:"meterdesk"`
}

const thought = "Let me think about this carefully."

// TestFailureAfterReasoningOnlyIsCharged: the provider streams reasoning
// text only (DeepSeek's reasoning_content, OpenRouter's reasoning,
// Anthropic's thinking, Gemini's thoughts), then fails (a dropped
// connection, its error event, the idle timeout). It generated and bills
// that reasoning, so the request is charged as chat charges such a turn
// (docs/chat.md): the counts the provider reported so far, else the
// reasoning text counted, estimated. A streaming client was sent the
// reasoning as delta.reasoning_content chunks and gets the error event
// with the charge, the comment and the trailers; a non-streaming client
// gets the error status, the charge in the headers and in the body's
// meterdesk object. Before, both were answered with an error status and
// nothing was charged (the reasoning was never forwarded). The amounts are
// those of chat.TestCutAfterReasoningOnlyIsCharged.
func TestFailureAfterReasoningOnlyIsCharged(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		script fake.Script
		idle   time.Duration
		status int    // a non-streaming client's
		code   string // the error's code
		charge string
	}{
		// Prompt ceil(8 * 1.15) = 10, reasoning ceil(7 * 1.15) = 9 at the
		// output rate: 10*0.0005 + 9*0.002.
		{"deepseek reasoning_content, dropped", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Usage: fake.Usage{Prompt: 10, Completion: 500, Reasoning: 480},
				Fault: fake.Drop, FailAfter: 1},
			0, 502, "interrupted", "0.023"},
		{"deepseek reasoning_content, error event", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.StreamError, FailAfter: 1},
			0, 500, "provider_error", "0.023"},
		// 1 s idle (from the request): a loaded machine may delay the reasoning chunk past 300 ms.
		{"deepseek reasoning_content, idle timeout", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.Hang, FailAfter: 1},
			time.Second, 504, "timeout", "0.023"},
		// OpenRouter's delta.reasoning to gpt-4o: 8*0.002 + 7*0.01 (its reasoning rate).
		{"openrouter reasoning, error event", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.StreamError, FailAfter: 1},
			0, 500, "provider_error", "0.086"},
		// message_start: input 30, cache read 20, cache write 7, output 1;
		// thinking is output: max(1, ceil(7 * 1.3) = 10) = 10.
		{"anthropic thinking, overloaded_error", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 30, Cached: 20, CacheWrite: 7, Completion: 50},
				Fault: fake.StreamError, FailAfter: 1},
			0, 529, "provider_error", "0.27225"},
		// The thought chunk's usageMetadata: prompt 4012, 4000 cached;
		// thoughts ceil(7 * 1.15) = 9 at the output rate.
		{"gemini thoughts, dropped", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Partial answer"}, Usage: fake.Usage{Prompt: 4012, Cached: 4000, Completion: 3, Reasoning: 300},
				Fault: fake.Drop, FailAfter: 1},
			0, 502, "interrupted", "0.3261"},
	} {
		for _, streamed := range []bool{true, false} {
			name := tc.name + ", not streamed"
			if streamed {
				name = tc.name + ", streamed"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, "100")
				srv, fk := flavorGateway(t, e, tc.flavor, tc.kind, tc.rp, tc.model, tc.idle)
				fk.Enqueue(tc.script)
				body := `{"model":"` + tc.model + `","messages":[{"role":"user","content":"Hi"}]` +
					map[bool]string{true: `,"stream":true}`, false: `}`}[streamed]
				resp := postTo(t, srv.URL, e.bobKey, "", body)
				defer resp.Body.Close()
				var md *gateway.Meterdesk
				var code, remaining, estimated string
				if streamed {
					if resp.StatusCode != 200 {
						raw, _ := io.ReadAll(resp.Body)
						t.Fatalf("status %d, want 200 (the reasoning was streamed): %s", resp.StatusCode, raw)
					}
					var reasoning strings.Builder
					for i, ev := range readSSE(t, resp.Body) {
						if ev.Data == "[DONE]" {
							t.Fatal("[DONE] after an error")
						}
						if ev.Data == "" {
							continue
						}
						var c reasoningChunk
						if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
							t.Fatalf("event %q: %v", ev.Data, err)
						}
						if c.Error != nil {
							code, md = c.Error.Code, c.Meterdesk
							continue
						}
						d := c.Choices[0].Delta
						if (i == 0) != (d.Role == "assistant") || d.Content != nil || d.ReasoningContent == nil {
							t.Fatalf("chunk %d: %s", i, ev.Data)
						}
						reasoning.WriteString(*d.ReasoningContent)
					}
					if reasoning.String() != thought {
						t.Fatalf("reasoning streamed %q, want %q", reasoning.String(), thought)
					}
					remaining, estimated = resp.Trailer.Get(gateway.HeaderRemaining), resp.Trailer.Get(gateway.HeaderEstimated)
					if got := resp.Trailer.Get(gateway.HeaderCharged); got != tc.charge {
						t.Fatalf("trailer charged %q, want %s", got, tc.charge)
					}
				} else {
					raw, _ := io.ReadAll(resp.Body)
					if resp.StatusCode != tc.status {
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, raw)
					}
					var eb reasoningChunk
					if err := json.Unmarshal(raw, &eb); err != nil || eb.Error == nil {
						t.Fatalf("error body %s: %v", raw, err)
					}
					code, md = eb.Error.Code, eb.Meterdesk
					remaining, estimated = resp.Header.Get(gateway.HeaderRemaining), resp.Header.Get(gateway.HeaderEstimated)
					if got := resp.Header.Get(gateway.HeaderCharged); got != tc.charge {
						t.Fatalf("header charged %q, want %s", got, tc.charge)
					}
				}
				left := mustDec("100").Sub(mustDec(tc.charge)).String()
				if code != tc.code || md == nil || md.CreditsCharged != tc.charge || !md.Estimated ||
					md.CreditsRemaining != left || remaining != left || estimated != "true" {
					t.Fatalf("error code %q, meterdesk %+v, remaining %q, estimated %q; want %s charged, %s left",
						code, md, remaining, estimated, tc.charge, left)
				}
				if e.charged() != tc.charge || e.poolAvailable() != left {
					t.Fatalf("charged %s, pool %s", e.charged(), e.poolAvailable())
				}
				if n := e.count(`SELECT count(*) FROM chat_charges WHERE estimated = 1 AND source = 'api' AND user_id = ?`, e.bob.ID); n != 1 {
					t.Fatalf("%d estimated api charges for bob", n)
				}
				e.checkLedger()
			})
		}
	}
}

// TestNotStreamedFailureIsChargedForWhatWasGenerated: a non-streaming
// client's request whose provider stream fails is charged by the rule of a
// streamed one and of chat: nothing when the provider had generated
// nothing (a plain error body, X-Meterdesk-Credits-Charged: 0), otherwise
// what it generated and bills, estimated, the charge in the headers and
// the body's meterdesk object beside the error. Before, the hold was
// voided whatever the provider had generated ("the client received no
// reply"), although the provider bills it.
func TestNotStreamedFailureIsChargedForWhatWasGenerated(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script fake.Script
		charge string
	}{
		{"before any output", fake.Script{Chunks: []string{"a", "b", "c"}, Fault: fake.Drop}, "0"},
		// 8 prompt tokens at 0.002, "ab" one output token at 0.008.
		{"after text", fake.Script{Chunks: []string{"a", "b", "c"}, Fault: fake.Drop, FailAfter: 2}, "0.024"},
		// 8*0.002 + 7 reasoning tokens at 0.01.
		{"after reasoning text", fake.Script{Thinking: []string{thought}, Chunks: []string{"a"}, Fault: fake.Drop, FailAfter: 1}, "0.086"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "100")
			e.fake.Enqueue(tc.script)
			resp := e.post("/v1/chat/completions", e.bobKey, idemBody)
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var eb reasoningChunk
			if err := json.Unmarshal(raw, &eb); err != nil || resp.StatusCode != 502 || eb.Error == nil || eb.Error.Code != "interrupted" {
				t.Fatalf("status %d, body %s", resp.StatusCode, raw)
			}
			if got := resp.Header.Get(gateway.HeaderCharged); got != tc.charge || e.charged() != tc.charge {
				t.Fatalf("header charged %q, ledger %s, want %s", got, e.charged(), tc.charge)
			}
			if tc.charge == "0" {
				if eb.Meterdesk != nil || resp.Header.Get(gateway.HeaderEstimated) != "" {
					t.Fatalf("nothing charged, yet %s (estimated %q)", raw, resp.Header.Get(gateway.HeaderEstimated))
				}
			} else {
				left := mustDec("100").Sub(mustDec(tc.charge)).String()
				md := eb.Meterdesk
				if md == nil || md.CreditsCharged != tc.charge || !md.Estimated || md.CreditsRemaining != left ||
					md.RequestID != resp.Header.Get(gateway.HeaderRequestID) || resp.Header.Get(gateway.HeaderRemaining) != left ||
					resp.Header.Get(gateway.HeaderEstimated) != "true" {
					t.Fatalf("body %s, headers %v", raw, resp.Header)
				}
			}
			e.checkLedger()
		})
	}
}

// TestReasoningIsForwarded: the reasoning text a provider streams reaches
// the client, whom it is charged to: a streaming client as
// delta.reasoning_content chunks (DeepSeek's field) before the reply's
// delta.content chunks, a non-streaming one as message.reasoning_content.
// A reply without reasoning has no such field. Before, the reasoning was
// charged but never sent.
func TestReasoningIsForwarded(t *testing.T) {
	// Exact usage: 10 input at 0.0005, 10 output and 40 reasoning tokens at
	// the output rate 0.002.
	const charge = "0.105"
	script := fake.Script{Thinking: []string{"Let me think.", " Done."}, Chunks: []string{"The ", "answer"},
		Usage: fake.Usage{Prompt: 10, Completion: 50, Reasoning: 40}}
	for _, streamed := range []bool{true, false} {
		t.Run(map[bool]string{true: "streamed", false: "not streamed"}[streamed], func(t *testing.T) {
			e := newEnv(t, "100")
			srv, fk := flavorGateway(t, e, fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", 0)
			fk.Enqueue(script)
			body := `{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}]` + map[bool]string{true: `,"stream":true}`, false: `}`}[streamed]
			resp := postTo(t, srv.URL, e.bobKey, "", body)
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				raw, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			var reasoning, text strings.Builder
			if streamed {
				var order []string
				for i, ev := range readSSE(t, resp.Body) {
					if ev.Data == "" || ev.Data == "[DONE]" {
						continue
					}
					var c reasoningChunk
					if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
						t.Fatal(err)
					}
					if len(c.Choices) == 0 {
						continue
					}
					d := c.Choices[0].Delta
					if (i == 0) != (d.Role == "assistant") {
						t.Fatalf("chunk %d: %s", i, ev.Data)
					}
					if d.ReasoningContent != nil {
						reasoning.WriteString(*d.ReasoningContent)
						order = append(order, "reasoning")
					}
					if d.Content != nil {
						text.WriteString(*d.Content)
						order = append(order, "text")
					}
				}
				if strings.Join(order, ",") != "reasoning,reasoning,text,text" {
					t.Fatalf("chunks %v", order)
				}
				if got := resp.Trailer.Get(gateway.HeaderCharged); got != charge {
					t.Fatalf("trailer charged %q", got)
				}
			} else {
				var m struct {
					Choices []struct {
						Message struct {
							Content          string `json:"content"`
							ReasoningContent string `json:"reasoning_content"`
						} `json:"message"`
					} `json:"choices"`
				}
				raw, _ := io.ReadAll(resp.Body)
				if err := json.Unmarshal(raw, &m); err != nil || len(m.Choices) != 1 {
					t.Fatalf("%s: %v", raw, err)
				}
				text.WriteString(m.Choices[0].Message.Content)
				reasoning.WriteString(m.Choices[0].Message.ReasoningContent)
				if got := resp.Header.Get(gateway.HeaderCharged); got != charge {
					t.Fatalf("header charged %q", got)
				}
			}
			if reasoning.String() != "Let me think. Done." || text.String() != "The answer" {
				t.Fatalf("reasoning %q, text %q", reasoning.String(), text.String())
			}
			if e.charged() != charge {
				t.Fatalf("charged %s", e.charged())
			}
			// A reply without reasoning has no reasoning_content.
			plain := postTo(t, e.srv.URL, e.bobKey, "", strings.Replace(body, "deepseek-chat", "gpt-4o", 1))
			raw, _ := io.ReadAll(plain.Body)
			plain.Body.Close()
			if plain.StatusCode != 200 || strings.Contains(string(raw), "reasoning_content") {
				t.Fatalf("status %d: %s", plain.StatusCode, raw)
			}
			e.checkLedger()
		})
	}
}

// TestIdempotencyKeyAfterAChargedFailure: a request charged for the
// output its provider generated before failing (a dropped connection, the
// idle timeout) counts as charged for its Idempotency-Key: its error says
// so (the key is used; retry with a new one), a retry with the same key is
// refused (409 idempotency_key_reused) before any provider request, so
// the member is charged once; a new key is a new request. Before, the
// error said nothing of the key, as only the server's stop did. A request
// without a key is not told about one.
func TestIdempotencyKeyAfterAChargedFailure(t *testing.T) {
	const used = "This Idempotency-Key is therefore used: " +
		"retry with a new Idempotency-Key (this one is answered 409 idempotency_key_reused)."
	for _, fault := range []struct {
		name   string
		script fake.Script
		idle   time.Duration
		code   string
	}{
		{"dropped", fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.Drop, FailAfter: 1}, 0, "interrupted"},
		// 1 s idle (from the request): a loaded machine may delay the reasoning chunk past 300 ms.
		{"timed out", fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.Hang, FailAfter: 1}, time.Second, "timeout"},
	} {
		for _, streamed := range []bool{true, false} {
			t.Run(fault.name+"/"+map[bool]string{true: "streamed", false: "not streamed"}[streamed], func(t *testing.T) {
				e := newEnv(t, "100")
				srv, fk := flavorGateway(t, e, fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", fault.idle)
				fk.SetScript(fault.script)
				body := `{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}]` + map[bool]string{true: `,"stream":true}`, false: `}`}[streamed]
				first := postTo(t, srv.URL, e.bobKey, "order-r", body)
				raw, _ := io.ReadAll(first.Body)
				first.Body.Close()
				if e.charged() != "0.023" {
					t.Fatalf("first attempt: status %d, charged %s, want 0.023", first.StatusCode, e.charged())
				}
				if code, msg := cutError(t, raw, streamed); code != fault.code || !strings.HasSuffix(msg, ". "+used) {
					t.Fatalf("first attempt's error: %s %q\nwant %s, ending %q", code, msg, fault.code, used)
				}
				retry := postTo(t, srv.URL, e.bobKey, "order-r", body)
				raw, _ = io.ReadAll(retry.Body)
				retry.Body.Close()
				var eb apiErr
				if err := json.Unmarshal(raw, &eb); err != nil || retry.StatusCode != http.StatusConflict || eb.Error.Code == nil ||
					*eb.Error.Code != "idempotency_key_reused" {
					t.Fatalf("retry: %d %s", retry.StatusCode, raw)
				}
				if fk.ChatRequests() != 1 || e.charged() != "0.023" {
					t.Fatalf("%d provider requests, %s charged; want 1 and 0.023", fk.ChatRequests(), e.charged())
				}
				next := postTo(t, srv.URL, e.bobKey, "order-r2", body)
				_, _ = io.ReadAll(next.Body)
				next.Body.Close()
				if fk.ChatRequests() != 2 || e.charged() != "0.046" {
					t.Fatalf("a new key: %d provider requests, %s charged", fk.ChatRequests(), e.charged())
				}
				// Without a key: the same failure, charged, and no word of one.
				plain := postTo(t, srv.URL, e.bobKey, "", body)
				raw, _ = io.ReadAll(plain.Body)
				plain.Body.Close()
				if code, msg := cutError(t, raw, streamed); code != fault.code || strings.Contains(msg, "Idempotency-Key") || e.charged() != "0.069" {
					t.Fatalf("without a key: %s %q, charged %s", code, msg, e.charged())
				}
				e.checkLedger()
			})
		}
	}
}

// cutError is the code and message of a failed request's error: the
// body's (not streamed), or the stream's error event's.
func cutError(t *testing.T, raw []byte, streamed bool) (code, msg string) {
	t.Helper()
	data := raw
	if streamed {
		data = nil
		for _, line := range strings.Split(string(raw), "\n") {
			if d, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(d, `"error":`) {
				data = []byte(d)
			}
		}
	}
	var eb apiErr
	if err := json.Unmarshal(data, &eb); err != nil || eb.Error.Code == nil {
		t.Fatalf("no error in %s", raw)
	}
	return *eb.Error.Code, eb.Error.Message
}

// TestClientGoneWhileThinkingIsCharged: a streaming client that goes away
// after receiving reasoning text, before any reply text, is charged for
// the reasoning generated so far (estimated), as chat's Stop while the
// model only thinks; the provider request is cancelled. Before, the
// client received nothing and the hold was voided, so a client could have
// a model think at the workspace's expense and leave before the answer.
func TestClientGoneWhileThinkingIsCharged(t *testing.T) {
	e := newEnv(t, "100")
	srv, fk := flavorGateway(t, e, fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", 0)
	fk.Enqueue(fake.Script{Thinking: []string{thought}, Chunks: []string{"The answer"}, Fault: fake.Hang, FailAfter: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"deepseek-chat","stream":true,"messages":[{"role":"user","content":"Hi"}]}`))
	req.Header.Set("Authorization", "Bearer "+e.bobKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("no reasoning was streamed: %v", err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.Contains(line, `"reasoning_content":"`+thought+`"`) {
		t.Fatalf("first line %q: %v", line, err)
	}
	cancel()
	resp.Body.Close()
	for deadline := time.Now().Add(5 * time.Second); e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`) > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hold is still pending")
		}
	}
	if e.charged() != "0.023" || e.count(`SELECT count(*) FROM chat_charges WHERE estimated = 1 AND source = 'api'`) != 1 {
		t.Fatalf("charged %s, want 0.023 estimated", e.charged())
	}
	e.checkLedger()
}
