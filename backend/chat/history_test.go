package chat_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// reasoningEnv is a workspace with 1,000 credits in the pool, the
// reasoningRates, and provider "p" of kind at srv priced as rateP's models.
func reasoningEnv(t *testing.T, srv *fake.Server, kind providers.Kind, rateP string) *env {
	t.Helper()
	e := newEnv(t, nil)
	e.fund("1000")
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: reasoningRates, Reason: "reasoning models"}); err != nil {
		t.Fatal(err)
	}
	e.add("p", kind, rateP, srv.BaseURL(), 0)
	return e
}

// reasoningRates price the reasoning models these tests send to.
var reasoningRates = []rates.Row{
	{Provider: rates.DeepSeek, Model: "deepseek-reasoner", Input: "0.0005", Output: "0.002"},
	{Provider: rates.OpenAI, Model: "o3-mini", Input: "0.001", Output: "0.004"},
}

// sentTurns returns the turns of the last chat request srv received,
// compacted, exactly as they were on the wire: "messages" (OpenAI,
// DeepSeek, Anthropic) or "contents" (Gemini).
func sentTurns(t *testing.T, srv *fake.Server) string {
	t.Helper()
	var last []byte
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			last = r.Body
		}
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(last, &body); err != nil {
		t.Fatalf("request body %q: %v", last, err)
	}
	raw := body["messages"]
	if srv.Flavor == fake.Gemini {
		raw = body["contents"]
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("turns %q: %v", raw, err)
	}
	return b.String()
}

// TestUnansweredTurnIsLeftOutOfTheNextPrompt: a reply the model never
// wrote (the whole output budget spent thinking, or Stop while it only
// thought: both kept and charged, with no text) leaves its user turn
// unanswered. The next prompt leaves that turn out, so that it never holds
// two user messages in a row, which deepseek-reasoner refuses with a 400
// (the fake refuses it as the API does) for every later send of the
// conversation. Each provider gets the same turns; answered turns stay.
func TestUnansweredTurnIsLeftOutOfTheNextPrompt(t *testing.T) {
	const thought = "Let me think about this carefully."
	cases := []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rateP  string
		model  string
		first  fake.Script // the reply to "Hi": no text
		stop   bool        // Stop it while the model thinks
		// The turns sent with "Again", then with "Third" (after "Again"
		// was answered "Hello world").
		again, third string
	}{
		{"deepseek-reasoner out of budget", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner",
			fake.Script{Thinking: []string{thought}, Chunks: []string{}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 16384, Reasoning: 16384}}, false,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"}]`,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"},{"role":"assistant","content":"Hello world"},{"role":"user","content":"Third"}]`},
		{"deepseek-reasoner stopped while thinking", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner",
			fake.Script{Thinking: []string{thought}, Chunks: []string{"Answer"}, ChunkDelay: time.Minute, Usage: fake.Usage{Prompt: 8, Completion: 20, Reasoning: 12}}, true,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"}]`,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"},{"role":"assistant","content":"Hello world"},{"role":"user","content":"Third"}]`},
		{"o3-mini out of budget", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini",
			fake.Script{Chunks: []string{}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 16384, Reasoning: 16384}}, false,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"}]`,
			`[{"role":"system","content":"Be brief."},{"role":"user","content":"Again"},{"role":"assistant","content":"Hello world"},{"role":"user","content":"Third"}]`},
		{"claude out of budget", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514",
			fake.Script{Thinking: []string{thought}, Chunks: []string{}, Finish: "max_tokens", Usage: fake.Usage{Prompt: 8, Completion: 4096}}, false,
			`[{"content":[{"text":"Again","type":"text"}],"role":"user"}]`,
			`[{"content":[{"text":"Again","type":"text"}],"role":"user"},{"content":[{"text":"Hello world","type":"text"}],"role":"assistant"},{"content":[{"text":"Third","type":"text"}],"role":"user"}]`},
		{"gemini out of budget", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash",
			fake.Script{Chunks: []string{}, Finish: "MAX_TOKENS", Usage: fake.Usage{Prompt: 8, Reasoning: 8192}}, false,
			`[{"parts":[{"text":"Again"}],"role":"user"}]`,
			`[{"parts":[{"text":"Again"}],"role":"user"},{"parts":[{"text":"Hello world"}],"role":"model"},{"parts":[{"text":"Third"}],"role":"user"}]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, tc.first)
			defer srv.Close()
			e := reasoningEnv(t, srv, tc.kind, tc.rateP)
			conv := e.conversation("p", tc.model, "Be brief.")
			id := chat.NewID()
			if tc.stop {
				e.stopWhileThinking(id)
			}
			first, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, MessageID: id, Text: "Hi", Source: chat.SourceUI})
			if err != nil || first.Content != "" || first.Charge == nil {
				t.Fatalf("first send: %+v, %v", first, err)
			}
			srv.SetScript(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
			for _, turn := range []struct{ text, want string }{{"Again", tc.again}, {"Third", tc.third}} {
				m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: turn.text, Source: chat.SourceUI})
				if err != nil || m.Content != "Hello world" {
					t.Fatalf("send %q after a reply with no text: %+v, %v", turn.text, m, err)
				}
				if got := sentTurns(t, srv); got != turn.want {
					t.Fatalf("send %q sent\n %s\nwant\n %s", turn.text, got, turn.want)
				}
			}
			// The unanswered turn is still in the conversation, as it was.
			msgs, err := e.svc.Messages(adminCtx, conv.ID)
			if err != nil || len(msgs) != 6 || msgs[0].Content != "Hi" || msgs[1].Content != "" || msgs[1].Charge == nil {
				t.Fatalf("messages: %+v, %v", msgs, err)
			}
			e.checkLedger()
		})
	}
}

// TestPromptLeavesOutTurnsTheModelNeverAnswered: the history a send
// carries has only the turns the model answered with text. A user turn
// whose reply has no text (out of budget, stopped while thinking, an
// error, a reply whose app was closed before it finished) or that has no
// reply at all is left out with its reply; a reply with text (whole,
// stopped, interrupted, or whose charge failed) is sent as it was. So user
// and assistant turns always alternate, which deepseek-reasoner requires,
// Anthropic would otherwise merge, and some local chat templates refuse.
func TestPromptLeavesOutTurnsTheModelNeverAnswered(t *testing.T) {
	type row struct{ role, content, status string }
	u := func(text string) row { return row{"user", text, chat.StatusDone} }
	a := func(text, status string) row { return row{"assistant", text, status} }
	turn := func(role, text string) string {
		b, _ := json.Marshal(struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		}{role, text})
		return string(b)
	}
	cases := []struct {
		name       string
		rows       []row
		regenerate bool // regenerate the last reply instead of sending "Next"
		want       []string
	}{
		{"answered", []row{u("Q1"), a("A1", chat.StatusDone)},
			false, []string{turn("user", "Q1"), turn("assistant", "A1"), turn("user", "Next")}},
		{"out of budget, no text", []row{u("Q1"), a("", chat.StatusDone), u("Q2"), a("A2", chat.StatusDone)},
			false, []string{turn("user", "Q2"), turn("assistant", "A2"), turn("user", "Next")}},
		{"stopped while thinking", []row{u("Q1"), a("A1", chat.StatusDone), u("Q2"), a("", chat.StatusStopped)},
			false, []string{turn("user", "Q1"), turn("assistant", "A1"), turn("user", "Next")}},
		{"stopped after some text", []row{u("Q1"), a("Half an ans", chat.StatusStopped)},
			false, []string{turn("user", "Q1"), turn("assistant", "Half an ans"), turn("user", "Next")}},
		{"interrupted after some text", []row{u("Q1"), a("Part", chat.StatusInterrupted)},
			false, []string{turn("user", "Q1"), turn("assistant", "Part"), turn("user", "Next")}},
		{"error with no text", []row{u("Q1"), a("", chat.StatusError), u("Q2"), a("A2", chat.StatusDone)},
			false, []string{turn("user", "Q2"), turn("assistant", "A2"), turn("user", "Next")}},
		{"error after its text (the charge failed)", []row{u("Q1"), a("A1", chat.StatusError)},
			false, []string{turn("user", "Q1"), turn("assistant", "A1"), turn("user", "Next")}},
		{"whitespace only", []row{u("Q1"), a(" \n", chat.StatusDone)},
			false, []string{turn("user", "Next")}},
		{"app closed before the reply finished", []row{u("Q1"), a("", chat.StatusStreaming)},
			false, []string{turn("user", "Next")}},
		{"no reply stored", []row{u("Q1"), u("Q2"), a("A2", chat.StatusDone)},
			false, []string{turn("user", "Q2"), turn("assistant", "A2"), turn("user", "Next")}},
		{"no reply stored, last", []row{u("Q1"), a("A1", chat.StatusDone), u("Q2")},
			false, []string{turn("user", "Q1"), turn("assistant", "A1"), turn("user", "Next")}},
		{"regenerate after an unanswered turn", []row{u("Q1"), a("", chat.StatusDone), u("Q2"), a("", chat.StatusDone)},
			true, []string{turn("user", "Q2")}},
		{"regenerate keeps the answered turns", []row{u("Q1"), a("A1", chat.StatusDone), u("Q2"), a("A2", chat.StatusDone)},
			true, []string{turn("user", "Q1"), turn("assistant", "A1"), turn("user", "Q2")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
			conv := e.conversation("openai", "gpt-4o", "")
			for i, r := range tc.rows {
				if _, err := e.db.Writer().Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, model, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, 'openai', 'gpt-4o', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
					chat.NewID(), conv.ID, r.role, r.content, r.status); err != nil {
					t.Fatalf("row %d: %v", i, err)
				}
			}
			req := chat.SendRequest{ConversationID: conv.ID, Text: "Next", Source: chat.SourceUI}
			if tc.regenerate {
				req = chat.SendRequest{ConversationID: conv.ID, Regenerate: true, Source: chat.SourceUI}
			}
			if _, err := e.svc.Send(adminCtx, req); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got, want := sentTurns(t, srv), "["+strings.Join(tc.want, ",")+"]"; got != want {
				t.Fatalf("sent\n %s\nwant\n %s", got, want)
			}
		})
	}
}
