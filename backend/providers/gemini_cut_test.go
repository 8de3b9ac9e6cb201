package providers_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestGeminiCutInsideAFunctionCall: Gemini sends a function call whole, in
// one event, and a long call's line arrives in several reads; a stream cut
// (the connection dropped) inside that line still counts the call and its
// name and arguments as far as they came (Result.ToolText, which the
// estimated charge counts as output), cut back to the last whole value,
// and the error is ErrInterrupted. Before, the half line was lost (no call,
// no tokens for it) and the stream was said to be malformed, quoting the
// half line. A call delivered whole is counted once, and a cut between
// events counts nothing more.
func TestGeminiCutInsideAFunctionCall(t *testing.T) {
	weather := fake.ToolCall{Name: "get_weather", Args: []string{`{"city":`, `"Paris",`, `"unit":"celsius"}`}}
	for _, tc := range []struct {
		name      string
		failAfter int
		toolText  string
		calls     int
	}{
		{"after the name and the first key", 2, `get_weather{}`, 1},
		{"after the first value", 3, `get_weather{"city":"Paris"}`, 1},
		{"between events: the call came whole", 4, `get_weather{"city":"Paris","unit":"celsius"}`, 1},
		{"before the call", 1, ``, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Gemini, fake.Script{Chunks: []string{"Hello"}, Tools: []fake.ToolCall{weather, {Name: "get_time", Args: []string{`{"zone":"CET"}`}}},
				Usage: fake.Usage{Prompt: 40, Completion: 50}, Fault: fake.Drop, FailAfter: tc.failAfter})
			defer srv.Close()
			res, err, _ := collect(context.Background(), newClient(t, srv, providers.KindGemini, 0), request("gemini-2.5-flash"))
			if err == nil || res.Text != "Hello" || res.Usage != nil || res.Partial == nil {
				t.Fatalf("result %+v, %v; want a cut stream with its partial counts", res, err)
			}
			if res.ToolText != tc.toolText || res.ToolCalls != tc.calls {
				t.Errorf("tool text %q, %d calls; want %q, %d", res.ToolText, res.ToolCalls, tc.toolText, tc.calls)
			}
			// Cut, not malformed: the half line genai could not read is no
			// fault of the provider's JSON, and is not quoted.
			if !errors.Is(err, providers.ErrInterrupted) || errors.Is(err, providers.ErrMalformed) || strings.Contains(err.Error(), "Paris") {
				t.Errorf("err %v, want ErrInterrupted", err)
			}
		})
	}
}

// geminiCutServer speaks Gemini's streamGenerateContent?alt=sse as
// documented (each event "data: " plus one JSON response, Google's
// "key": value spacing, events framed by "\r\n\r\n", usageMetadata on
// every chunk): it writes whole, flushing each, then the start of one more
// event, and drops the connection there (the cut falls inside that line).
func geminiCutServer(t *testing.T, whole []string, cut string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !strings.HasSuffix(r.URL.Path, ":streamGenerateContent") || r.URL.RawQuery != "alt=sse" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		for _, ev := range whole {
			_, _ = io.WriteString(w, "data: "+ev+"\r\n\r\n")
			w.(http.Flusher).Flush()
		}
		_, _ = io.WriteString(w, "data: "+cut)
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = buf.Flush()
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// geminiEvent is one streamGenerateContent response, in Google's spacing,
// with one part (a thought summary when thought) and the usage so far.
func geminiEvent(text string, thought bool) string {
	th := ""
	if thought {
		th = `, "thought": true`
	}
	b, _ := json.Marshal(text)
	return `{"candidates": [{"content": {"parts": [{"text": ` + string(b) + th + `}],"role": "model"},"index": 0}],` +
		`"usageMetadata": {"promptTokenCount": 12,"totalTokenCount": 12,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 12}]},` +
		`"modelVersion": "gemini-2.5-flash","responseId": "cutResp01"}`
}

// geminiParts is a streamGenerateContent response with several parts,
// each a text ("" + thought: a thought summary) or, as "call:NAME", a
// function call with no arguments.
func geminiParts(parts ...geminiPart) string {
	var ps []string
	for _, p := range parts {
		if name, ok := strings.CutPrefix(p.text, "call:"); ok {
			ps = append(ps, `{"functionCall": {"name": "`+name+`","args": {}}}`)
			continue
		}
		b, _ := json.Marshal(p.text)
		th := ""
		if p.thought {
			th = `, "thought": true`
		}
		ps = append(ps, `{"text": `+string(b)+th+`}`)
	}
	return `{"candidates": [{"content": {"parts": [` + strings.Join(ps, ",") + `],"role": "model"},"index": 0}],` +
		`"usageMetadata": {"promptTokenCount": 12,"totalTokenCount": 12},"modelVersion": "gemini-2.5-flash","responseId": "cutResp02"}`
}

type geminiPart struct {
	text    string
	thought bool
}

// TestGeminiCutInsideATextOrThoughtPart: a stream cut (the connection
// dropped) inside the event of a text part or of a thought summary
// delivers that part as far as it came, as a cut inside a function call's
// event counts the call (TestGeminiCutInsideAFunctionCall): the text is
// passed on (onDelta, OnReasoning) and is in Result.Text or
// Result.Reasoning, which the estimated charge counts as output or
// reasoning, so what the provider generated and bills is charged and
// shown. Before, the half event was lost: neither shown nor counted.
// Gemini writes a part's "thought" flag after its text, so a part cut
// before it is of the kind of the part before it (thoughts come first). A
// cut inside the event's keys, before any of the part's text, adds
// nothing, and the error is ErrInterrupted without quoting the half line.
func TestGeminiCutInsideATextOrThoughtPart(t *testing.T) {
	const cutText = "The answer is forty-two, because"
	half := func(ev string) string { // the event up to the end of cutText's "because"
		return ev[:strings.Index(ev, "because")+len("because")]
	}
	for _, tc := range []struct {
		name          string
		whole         []string
		cut           string
		text, thought string
		deltas        []string
	}{
		{"inside a text part", []string{geminiEvent("Let me think.", true), geminiEvent("Hello. ", false)}, half(geminiEvent(cutText, false)),
			"Hello. " + cutText, "Let me think.", []string{"Hello. ", cutText}},
		{"inside a thought part", []string{geminiEvent("Let me think. ", true)}, half(geminiEvent(cutText, true)),
			"", "Let me think. " + cutText, nil},
		{"inside a multibyte character", []string{geminiEvent("Hi ", false)}, geminiEvent("naïve", false)[:strings.Index(geminiEvent("naïve", false), "ï")+1],
			"Hi na", "", []string{"Hi ", "na"}},
		// The part came whole (and the flag with it); the cut fell in
		// the usage after it.
		{"after the part", []string{geminiEvent("Let me think.", true)}, geminiEvent("Hi", false)[:strings.Index(geminiEvent("Hi", false), "promptTokenCount")+3],
			"Hi", "Let me think.", []string{"Hi"}},
		{"before the part's text", []string{geminiEvent("Hello. ", false)}, `{"candidates": [{"content": {"parts": [{"te`,
			"Hello. ", "", []string{"Hello. "}},
		// A part cut before its flag takes the kind of the part just
		// before it in the same event, not the last of the event before:
		// the answer that followed a thought event stays the answer.
		{"after an answer part in the same event, a thought event before", []string{geminiEvent("Let me think.", true)},
			half(geminiParts(geminiPart{text: "Answer one. "}, geminiPart{text: cutText})),
			"Answer one. " + cutText, "Let me think.", []string{"Answer one. ", cutText}},
		{"after a thought part in the same event, an answer event before", []string{geminiEvent("Hello. ", false)},
			half(geminiParts(geminiPart{text: "Hmm. ", thought: true}, geminiPart{text: cutText})),
			"Hello. ", "Hmm. " + cutText, []string{"Hello. "}},
		{"after a thought then an answer part in the same event", []string{geminiEvent("Let me think.", true)},
			half(geminiParts(geminiPart{text: "More. ", thought: true}, geminiPart{text: "Answer one. "}, geminiPart{text: cutText})),
			"Answer one. " + cutText, "Let me think.More. ", []string{"Answer one. ", cutText}},
		{"after a function call in the same event, a thought event before", []string{geminiEvent("Let me think.", true)},
			half(geminiParts(geminiPart{text: "call:get_time"}, geminiPart{text: cutText})),
			cutText, "Let me think.", []string{cutText}},
		{"first part of the event, a thought event before", []string{geminiEvent("Let me think. ", true)},
			half(geminiParts(geminiPart{text: cutText}, geminiPart{text: "never sent"})),
			"", "Let me think. " + cutText, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := geminiCutServer(t, tc.whole, tc.cut)
			c, err := providers.New(providers.Config{Kind: providers.KindGemini, BaseURL: srv.URL, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			req := request("gemini-2.5-flash")
			var thoughts strings.Builder
			req.OnReasoning = func(s string) error { thoughts.WriteString(s); return nil }
			res, err, deltas := collect(context.Background(), c, req)
			if !errors.Is(err, providers.ErrInterrupted) || errors.Is(err, providers.ErrMalformed) || strings.Contains(err.Error(), "because") {
				t.Errorf("err %v, want ErrInterrupted not quoting the half line", err)
			}
			if res.Text != tc.text || res.Reasoning != tc.thought {
				t.Errorf("text %q, reasoning %q; want %q, %q", res.Text, res.Reasoning, tc.text, tc.thought)
			}
			if !slices.Equal(deltas, tc.deltas) || thoughts.String() != tc.thought {
				t.Errorf("deltas %q, thoughts passed on %q; want %q, %q", deltas, thoughts.String(), tc.deltas, tc.thought)
			}
			if res.Usage != nil || res.Partial == nil || res.Partial.Input != 12 {
				t.Errorf("usage %v, partial %+v; want the prompt's count as partial", res.Usage, res.Partial)
			}
		})
	}
}
