package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// effortRates price the models of effortGateway.
var effortRates = []rates.Row{
	{Provider: rates.OpenAI, Model: "gpt-5", Input: "0.002", Output: "0.008", Reasoning: "0.01"},
	{Provider: rates.OpenAI, Model: "gpt-5.1", Input: "0.002", Output: "0.008", Reasoning: "0.01"},
	{Provider: rates.OpenAI, Model: "gpt-5-pro", Input: "0.015", Output: "0.12"},
	{Provider: rates.Anthropic, Model: "claude-opus-4-6", Input: "0.005", Output: "0.025"},
	{Provider: rates.DeepSeek, Model: "deepseek-reasoner", Input: "0.0005", Output: "0.002"},
	{Provider: rates.Anthropic, Model: "claude-sonnet-4-20250514", Input: "0.003", Output: "0.015"},
	{Provider: rates.Anthropic, Model: "claude-opus-4-7", Input: "0.005", Output: "0.025"},
	{Provider: rates.Anthropic, Model: "claude-mythos-preview", Input: "0.005", Output: "0.025"},
	{Provider: rates.Anthropic, Model: "claude-opus-5", Input: "0.005", Output: "0.025"},
	{Provider: rates.Anthropic, Model: "claude-opus-5-5", Input: "0.004", Output: "0.02"},
	{Provider: rates.Gemini, Model: "gemini-2.5-flash", Input: "0.0003", Output: "0.0025"},
	{Provider: rates.Gemini, Model: "gemini-2.5-pro", Input: "0.00125", Output: "0.01"},
}

// effortGateway is a second gateway on e's database with one fake provider
// of each wire format, configured with its kind as the app configures it
// (the kind decides what a reasoning level sends): OpenAI (gpt-4o, gpt-5,
// gpt-5.1), DeepSeek (deepseek-reasoner), Anthropic (claude-sonnet-4, a
// budget model; claude-opus-4-7, adaptive; claude-mythos-preview, always
// thinking) and Gemini (gemini-2.5-flash, gemini-2.5-pro). It returns the
// gateway's server, the fakes by flavour and the gateway's Meter.
func effortGateway(t *testing.T, e *env) (*httptest.Server, map[fake.Flavor]*fake.Server, *chat.Meter) {
	t.Helper()
	rs := rates.New(e.db, nil, e.clock.Now)
	if _, err := rs.Apply(e.admin, rates.Change{Rows: append(append([]rates.Row{}, testRates...), effortRates...),
		Reason: "reasoning models"}); err != nil {
		t.Fatal(err)
	}
	targets := []struct {
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		models []string
	}{
		{fake.OpenAI, providers.KindOpenAI, rates.OpenAI, []string{"gpt-4o", "gpt-5", "gpt-5.1", "gpt-5-pro"}},
		{fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, []string{"deepseek-reasoner"}},
		{fake.Anthropic, providers.KindAnthropic, rates.Anthropic, []string{"claude-sonnet-4-20250514", "claude-opus-4-6", "claude-opus-4-7", "claude-mythos-preview", "claude-opus-5", "claude-opus-5-5", "claude-haiku-5-5"}},
		{fake.Gemini, providers.KindGemini, rates.Gemini, []string{"gemini-2.5-flash", "gemini-2.5-pro"}},
	}
	fakes := map[fake.Flavor]*fake.Server{}
	var res chat.StaticResolver
	for _, tg := range targets {
		fk := fake.New(tg.flavor, fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 5}})
		t.Cleanup(fk.Close)
		client, err := providers.New(providers.Config{Kind: tg.kind, BaseURL: fk.BaseURL(), APIKey: "sk-test"})
		if err != nil {
			t.Fatal(err)
		}
		fakes[tg.flavor] = fk
		res = append(res, chat.StaticEntry{Info: chat.TargetInfo{Name: string(tg.flavor), Kind: tg.kind, RateProvider: tg.rp,
			Models: tg.models}, Client: client})
	}
	meter := chat.New(e.db, e.led, rs, e.team, res, nil, e.clock.Now).Meter()
	gw := gateway.New(e.db, gateway.Deps{Meter: meter, Team: e.team, Ledger: e.led, Clock: e.clock.Now})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	return srv, fakes, meter
}

// sentJSON is the JSON body of the one chat request fk received.
func sentJSON(t *testing.T, fk *fake.Server) map[string]any {
	t.Helper()
	reqs := fk.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests reached the provider, want 1", len(reqs))
	}
	var sent map[string]any
	if err := json.Unmarshal(reqs[0].Body, &sent); err != nil {
		t.Fatalf("provider body %s: %v", reqs[0].Body, err)
	}
	return sent
}

// at reads the value at a path of object keys in v (nil when absent).
func at(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// TestReasoningEffortIsForwarded: a client's reasoning_effort reaches each
// provider in its own documented field, by the rule the chat's Reasoning
// setting uses (providers.ReasoningFor): OpenAI's reasoning_effort as it
// is ("none" where gpt-5.1 takes it), Claude's thinking budget (added to
// max_tokens) or adaptive thinking with output_config.effort, nothing for
// "none" on Claude (which thinks only when asked), Gemini's thinkingBudget
// (added to maxOutputTokens, 0 for "none" on 2.5 Flash). The hold is the
// chat's for the same request at that level, so it covers the thinking
// budget the provider may bill. Before, reasoning_effort was dropped: the
// provider's default reasoning applied and Claude was sent no thinking.
func TestReasoningEffortIsForwarded(t *testing.T) {
	type field struct {
		path []string
		want any // nil: absent
	}
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		model  string
		effort string // the reasoning_effort sent
		level  providers.Reasoning
		stream bool
		want   []field
	}{
		{"openai high", fake.OpenAI, "gpt-5.1", "high", providers.ReasoningHigh, false, []field{
			{[]string{"reasoning_effort"}, "high"}, {[]string{"max_completion_tokens"}, 50.0}}},
		{"openai none, streamed", fake.OpenAI, "gpt-5.1", "none", providers.ReasoningOff, true, []field{
			{[]string{"reasoning_effort"}, "none"}, {[]string{"max_completion_tokens"}, 50.0}}},
		{"openai low on gpt-5", fake.OpenAI, "gpt-5", "low", providers.ReasoningLow, false, []field{
			{[]string{"reasoning_effort"}, "low"}}},
		{"claude budget", fake.Anthropic, "claude-sonnet-4-20250514", "low", providers.ReasoningLow, false, []field{
			{[]string{"thinking", "type"}, "enabled"}, {[]string{"thinking", "budget_tokens"}, 1024.0},
			{[]string{"max_tokens"}, 1074.0}, {[]string{"output_config"}, nil}}},
		{"claude budget, streamed", fake.Anthropic, "claude-sonnet-4-20250514", "high", providers.ReasoningHigh, true, []field{
			{[]string{"thinking", "budget_tokens"}, 16384.0}, {[]string{"max_tokens"}, 16434.0}}},
		{"claude none", fake.Anthropic, "claude-sonnet-4-20250514", "none", providers.ReasoningOff, false, []field{
			{[]string{"thinking"}, nil}, {[]string{"max_tokens"}, 50.0}}},
		// Opus 5 thinks unless told not to: none is thinking "disabled".
		{"claude 5 none", fake.Anthropic, "claude-opus-5", "none", providers.ReasoningOff, false, []field{
			{[]string{"thinking", "type"}, "disabled"}, {[]string{"output_config"}, nil}, {[]string{"max_tokens"}, 50.0}}},
		{"claude adaptive", fake.Anthropic, "claude-opus-4-7", "medium", providers.ReasoningMedium, false, []field{
			{[]string{"thinking", "type"}, "adaptive"}, {[]string{"thinking", "budget_tokens"}, nil},
			{[]string{"output_config", "effort"}, "medium"}, {[]string{"max_tokens"}, 50.0}}},
		{"gemini budget", fake.Gemini, "gemini-2.5-flash", "medium", providers.ReasoningMedium, false, []field{
			{[]string{"generationConfig", "thinkingConfig", "thinkingBudget"}, 8192.0},
			{[]string{"generationConfig", "maxOutputTokens"}, 8242.0}}},
		{"gemini none", fake.Gemini, "gemini-2.5-flash", "none", providers.ReasoningOff, true, []field{
			{[]string{"generationConfig", "thinkingConfig", "thinkingBudget"}, 0.0},
			{[]string{"generationConfig", "maxOutputTokens"}, 50.0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "1000")
			srv, fakes, meter := effortGateway(t, e)
			body := `{"model":"` + tc.model + `","messages":[{"role":"user","content":"Hi"}],"max_tokens":50,"reasoning_effort":"` +
				tc.effort + `","stream":` + map[bool]string{true: "true", false: "false"}[tc.stream] + `}`
			resp := postTo(t, srv.URL, e.bobKey, "", body)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			sent := sentJSON(t, fakes[tc.flavor])
			for _, f := range tc.want {
				if got := at(sent, f.path...); !reflect.DeepEqual(got, f.want) {
					t.Errorf("provider got %s = %v, want %v (body %s)", strings.Join(f.path, "."), got, f.want, fakes[tc.flavor].Requests()[0].Body)
				}
			}
			// The hold is what the chat's Meter holds for the same request
			// at this level.
			var held int64
			id := resp.Header.Get(gateway.HeaderRequestID)
			if err := e.db.Read().QueryRow(`SELECT amount_minor FROM ledger_transfers WHERE request_id = ?`, "hold:"+id).Scan(&held); err != nil {
				t.Fatalf("the hold of %s: %v", id, err)
			}
			call, err := meter.Begin(e.as(e.bob), chat.MeterRequest{ID: "chat-same", Model: tc.model,
				Messages: []providers.Message{{Role: "user", Content: "Hi"}}, MaxTokens: 50, Reasoning: tc.level, Source: chat.SourceAPI})
			if err != nil {
				t.Fatal(err)
			}
			if held != call.HoldMinor {
				t.Errorf("the gateway held %d minor units, the chat holds %d for the same request (thinking budget %d)", held, call.HoldMinor, call.ThinkingBudget())
			}
			if _, err := call.Settle(e.as(e.bob), providers.Result{}, providers.ErrInterrupted, nil); err != nil {
				t.Fatal(err)
			}
			e.checkLedger()
		})
	}
}

// TestReasoningEffortRefused: a reasoning_effort Meterdesk cannot send as
// asked is a 400 in OpenAI's shape naming the field, before anything is
// held or sent, rather than dropped while the client believes it applied:
// a value that is not one of none, low, medium and high (OpenAI's
// "minimal" and "xhigh" among them), a model that takes no reasoning
// setting (gpt-4o, DeepSeek's), "none" to a model that always reasons;
// the reasoning fields of other APIs (Anthropic's thinking, OpenRouter's
// reasoning); and, as the chat refuses them, a temperature or top_p that
// Claude takes not while it thinks.
func TestReasoningEffortRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model string
		extra string // JSON fields added to the request
		param string
		msg   string // in the error message
	}{
		{"minimal", "gpt-5", `"reasoning_effort":"minimal"`, "reasoning_effort", `reasoning_effort "minimal" is not one Meterdesk sends: it takes none, low, medium or high`},
		{"xhigh", "gpt-5.1", `"reasoning_effort":"xhigh"`, "reasoning_effort", `reasoning_effort "xhigh" is not one Meterdesk sends`},
		{"Meterdesk's name", "gpt-5.1", `"reasoning_effort":"off"`, "reasoning_effort", `reasoning_effort must be none, low, medium or high (not "off")`},
		{"case", "gpt-5.1", `"reasoning_effort":"High"`, "reasoning_effort", `reasoning_effort must be none, low, medium or high (not "High")`},
		{"empty", "gpt-5.1", `"reasoning_effort":""`, "reasoning_effort", `reasoning_effort must be none, low, medium or high (not "")`},
		{"wrong type", "gpt-5.1", `"reasoning_effort":2`, "reasoning_effort", "reasoning_effort must be a string, not 2"},
		{"thinking", "claude-sonnet-4-20250514", `"thinking":{"type":"enabled","budget_tokens":2048}`, "thinking",
			"thinking is not a field of OpenAI's chat completions, which the Meterdesk API serves: send reasoning_effort"},
		{"reasoning object", "gpt-5.1", `"reasoning":{"effort":"low"}`, "reasoning", "send reasoning_effort (none, low, medium or high)"},
		{"model that does not reason", "gpt-4o", `"reasoning_effort":"low"`, "reasoning_effort", "gpt-4o takes no reasoning_effort"},
		{"deepseek", "deepseek-reasoner", `"reasoning_effort":"high"`, "reasoning_effort", "deepseek-reasoner takes no reasoning_effort"},
		{"none to gpt-5", "gpt-5", `"reasoning_effort":"none"`, "reasoning_effort", `gpt-5 always reasons and takes no reasoning_effort "none": send low, medium or high`},
		{"none to gemini pro", "gemini-2.5-pro", `"reasoning_effort":"none"`, "reasoning_effort", "gemini-2.5-pro always reasons"},
		{"none to mythos", "claude-mythos-preview", `"reasoning_effort":"none"`, "reasoning_effort", "claude-mythos-preview always reasons"},
		{"temperature while thinking", "claude-sonnet-4-20250514", `"reasoning_effort":"low","temperature":0.5`, "temperature",
			"claude-sonnet-4-20250514 takes no temperature other than 1 while it thinks (reasoning_effort low): send temperature 1 or leave it out, or leave reasoning_effort out or send none"},
		{"top_p while thinking", "claude-opus-4-6", `"reasoning_effort":"high","top_p":0.5`, "top_p",
			"claude-opus-4-6 takes a top_p only from 0.95 to 1 while it thinks (reasoning_effort high)"},
		{"temperature to Opus 4.7, not thinking", "claude-opus-4-7", `"temperature":0.5`, "temperature",
			"claude-opus-4-7 takes no temperature other than 1, whatever its reasoning_effort: send temperature 1 or leave it out"},
		{"a level the model does not take", "gpt-5-pro", `"reasoning_effort":"low"`, "reasoning_effort",
			"gpt-5-pro takes reasoning_effort high only, not low: send that or leave"},
		// The advice names only the levels the model takes.
		{"none to gpt-5-pro", "gpt-5-pro", `"reasoning_effort":"none"`, "reasoning_effort",
			`gpt-5-pro always reasons and takes no reasoning_effort "none": send high, or leave`},
		{"none to claude 5.5", "claude-opus-5-5", `"reasoning_effort":"none"`, "reasoning_effort", "claude-opus-5-5 always reasons"},
		// Haiku 5.5 documents no "disabled": kept with Claude 5.5 (docs/providers.md).
		{"none to claude haiku 5.5", "claude-haiku-5-5", `"reasoning_effort":"none"`, "reasoning_effort",
			`claude-haiku-5-5 always reasons and takes no reasoning_effort "none": send low, medium or high`},
		{"temperature to a model that always thinks", "claude-mythos-preview", `"temperature":0.5`, "temperature",
			"claude-mythos-preview always thinks and takes no temperature other than 1: send temperature 1 or leave it out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "1000")
			srv, fakes, _ := effortGateway(t, e)
			resp := postTo(t, srv.URL, e.bobKey, "", `{"model":"`+tc.model+`","messages":[{"role":"user","content":"Hi"}],`+tc.extra+`}`)
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				raw, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want 400: %s", resp.StatusCode, raw)
			}
			ae := decode[apiErr](t, resp.Body)
			if ae.Error.Type != "invalid_request_error" || ae.Error.Param == nil || *ae.Error.Param != tc.param ||
				!strings.Contains(ae.Error.Message, tc.msg) {
				t.Errorf("error %+v (param %v), want param %q and %q", ae.Error, deref(ae.Error.Param), tc.param, tc.msg)
			}
			for fl, fk := range fakes {
				if n := fk.ChatRequests(); n != 0 {
					t.Errorf("%d requests reached %s", n, fl)
				}
			}
			if n := e.count(`SELECT count(*) FROM ledger_holds`); n != 0 {
				t.Errorf("%d holds taken, want none", n)
			}
			if got := e.charged(); got != "0" {
				t.Errorf("charged %s, want 0", got)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestReasoningTokensInUsage: the reasoning tokens a provider reports for
// a request with reasoning_effort come back in the usage object
// (completion_tokens_details.reasoning_tokens, inside completion_tokens),
// streamed and not, and are what the member's charge row records and
// prices at the reasoning rate, on a line of its own in the charge's
// breakdown: gpt-5.1, prompt 10 at 0.002, 20 output
// at 0.008 and 30 reasoning at 0.01 = 0.48.
func TestReasoningTokensInUsage(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "json", true: "stream"}[stream], func(t *testing.T) {
			e := newEnv(t, "1000")
			srv, fakes, _ := effortGateway(t, e)
			fakes[fake.OpenAI].SetScript(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 10, Completion: 50, Reasoning: 30}})
			body := `{"model":"gpt-5.1","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"medium"`
			if stream {
				body += `,"stream":true,"stream_options":{"include_usage":true}`
			}
			resp := postTo(t, srv.URL, e.bobKey, "", body+`}`)
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				raw, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			var usage struct {
				CompletionTokens        int64 `json:"completion_tokens"`
				CompletionTokensDetails struct {
					ReasoningTokens int64 `json:"reasoning_tokens"`
				} `json:"completion_tokens_details"`
			}
			if stream {
				for _, ev := range readSSE(t, resp.Body) {
					var c struct {
						Usage *json.RawMessage `json:"usage"`
					}
					if ev.Data != "" && json.Unmarshal([]byte(ev.Data), &c) == nil && c.Usage != nil {
						_ = json.Unmarshal(*c.Usage, &usage)
					}
				}
			} else {
				out := decode[struct {
					Usage json.RawMessage `json:"usage"`
				}](t, resp.Body)
				_ = json.Unmarshal(out.Usage, &usage)
			}
			if usage.CompletionTokens != 50 || usage.CompletionTokensDetails.ReasoningTokens != 30 {
				t.Errorf("usage %+v, want 50 completion tokens, 30 of them reasoning", usage)
			}
			if n := e.count(`SELECT reasoning_tokens FROM chat_charges`); n != 30 {
				t.Errorf("the charge row records %d reasoning tokens, want 30", n)
			}
			// The charge's breakdown (the member's statement and the
			// window's charge details) has the reasoning line.
			var bd string
			if err := e.db.Read().QueryRow(`SELECT breakdown FROM chat_charges`).Scan(&bd); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(bd, `{"amount":"0.3","kind":"reasoning","quantity":30,"rate":"0.01"`) {
				t.Errorf("breakdown %s, want a reasoning line of 30 tokens at 0.01", bd)
			}
			if got := e.charged(); got != "0.48" {
				t.Errorf("charged %s, want 0.48", got)
			}
			e.checkLedger()
		})
	}
}

// TestSuccessiveTurnsAreSentAsGiven: the gateway sends a client's messages
// one for one, in order, as it sent them: two user turns in a row are not
// merged (no provider documents that a client's separate turns may be
// joined; Anthropic's Messages API joins consecutive turns itself, and
// OpenAI and Gemini take them). deepseek-reasoner refuses them with a 400
// whose message names the two messages by the client's own indices (a
// developer message counted, as sent), which comes back as a 400 with
// that message; the hold is voided and nothing is charged.
func TestSuccessiveTurnsAreSentAsGiven(t *testing.T) {
	const msgs = `"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"user","content":"Are you there?"}]`
	for _, tc := range []struct {
		name   string
		flavor fake.Flavor
		model  string
		status int
		msg    string
		charge string
	}{
		{"deepseek-reasoner", fake.DeepSeek, "deepseek-reasoner", 400,
			"provider error 400 Bad Request: deepseek-reasoner does not support successive user or assistant messages (messages[1] and messages[2] in your input). You should interleave the user/assistant messages in the message sequence.", "0"},
		{"anthropic", fake.Anthropic, "claude-sonnet-4-20250514", 200, "", "0.105"},
		{"openai", fake.OpenAI, "gpt-5.1", 200, "", "0.06"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "1000")
			srv, fakes, _ := effortGateway(t, e)
			resp := postTo(t, srv.URL, e.bobKey, "", `{"model":"`+tc.model+`",`+msgs+`}`)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, raw)
			}
			if tc.msg != "" {
				var ae apiErr
				if err := json.Unmarshal(raw, &ae); err != nil || !strings.HasSuffix(ae.Error.Message, tc.msg) {
					t.Errorf("error %s, want the message %q", raw, tc.msg)
				}
				if h := resp.Header.Get(gateway.HeaderCharged); h != "0" {
					t.Errorf("%s: %q, want 0", gateway.HeaderCharged, h)
				}
			}
			sent := sentJSON(t, fakes[tc.flavor])
			var users []string
			for _, m := range sent["messages"].([]any) {
				if at(m, "role") == "user" {
					users = append(users, string(mustJSON(t, at(m, "content"))))
				}
			}
			if len(users) != 2 || !strings.Contains(users[0], "Hi") || !strings.Contains(users[1], "Are you there?") {
				t.Errorf("the provider got the user turns %v, want the two as sent", users)
			}
			if got := e.charged(); got != tc.charge {
				t.Errorf("charged %s, want %s", got, tc.charge)
			}
			e.checkLedger()
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
