package chat_test

import (
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

const spentThinking = "The model used its whole output budget (16,384 tokens) thinking and wrote no answer; raise Max output tokens in Model settings."

// TestReplyCutByItsBudgetSaysSo: a reply whose output budget ran out keeps
// the provider's finish reason and its budget, and says why it is short or
// empty (Message.Note): o3-mini that spent all 16,384 tokens thinking and
// returned no text (status done, no error: before, only its charge showed),
// a reply cut off after some text. The note is the same in what Send
// returns (the chat:done event), in Messages after a reload, and in the
// export. Each provider's own "budget ran out" reason counts.
func TestReplyCutByItsBudgetSaysSo(t *testing.T) {
	cases := []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		rateP     string
		model     string
		maxTokens int
		script    fake.Script
		content   string
		finish    string
		budget    int
		note      string
	}{
		{"o3-mini spent it all thinking", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "o3-mini", 0,
			fake.Script{Chunks: []string{}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 16384, Reasoning: 16384}},
			"", "length", 16384, spentThinking},
		{"deepseek-reasoner spent it all thinking", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-reasoner", 0,
			fake.Script{Thinking: []string{"Hmm."}, Chunks: []string{}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 16384, Reasoning: 16384}},
			"", "length", 16384, spentThinking},
		{"claude cut off after some text", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", 1000,
			fake.Script{Chunks: []string{"The first", " part"}, Finish: "max_tokens", Usage: fake.Usage{Prompt: 8, Completion: 1000}},
			"The first part", "length", 1000, "Cut off at the output budget (1,000 tokens)."},
		{"gemini cut off after some text", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", 50,
			fake.Script{Chunks: []string{"Partial"}, Finish: "MAX_TOKENS", Usage: fake.Usage{Prompt: 8, Completion: 50}},
			"Partial", "length", 50, "Cut off at the output budget (50 tokens)."},
		{"gpt-4o filtered", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", 0,
			fake.Script{Chunks: []string{}, Finish: "content_filter", Usage: fake.Usage{Prompt: 8}},
			"", "content_filter", 4096, "The provider's content filter withheld the answer."},
		{"gpt-4o finished", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", 0,
			fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}},
			"Hello world", "stop", 4096, ""},
		{"a server's odd finish reason is not stored as sent", fake.OpenAI, providers.KindOpenAI, rates.OpenAI, "gpt-4o", 0,
			fake.Script{Finish: "Ended: <b>see logs</b>", Usage: fake.Usage{Prompt: 8, Completion: 2}},
			"Hello world", "other", 4096, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, tc.script)
			defer srv.Close()
			e := reasoningEnv(t, srv, tc.kind, tc.rateP)
			conv := e.conversation("p", tc.model, "")
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: tc.maxTokens, Source: chat.SourceUI})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if m.Status != chat.StatusDone || m.Content != tc.content || m.Error != "" || m.Charge == nil ||
				m.FinishReason != tc.finish || m.OutputBudget != tc.budget || m.Note != tc.note {
				t.Fatalf("reply: status %q content %q error %q finish %q budget %d note %q (charge %v)\nwant finish %q budget %d note %q",
					m.Status, m.Content, m.Error, m.FinishReason, m.OutputBudget, m.Note, m.Charge != nil, tc.finish, tc.budget, tc.note)
			}
			e.sameAsStored(m)
			msgs, err := e.svc.Messages(adminCtx, conv.ID)
			if err != nil || len(msgs) != 2 || msgs[1].Note != tc.note || msgs[0].Note != "" || msgs[0].FinishReason != "" {
				t.Fatalf("messages after a reload: %+v, %v", msgs, err)
			}
			ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tc.note != "" && !strings.Contains(ex.Markdown, "\n*"+tc.note+"*\n") {
				t.Fatalf("export without the note:\n%s", ex.Markdown)
			}
			e.checkLedger()
		})
	}
}

// TestReplyCutWithThinkingSaysBoth: when the reasoning level added a
// thinking budget to the output budget, a reply cut off at it says both
// parts, as the person set them (Max output tokens, and the level's
// thinking), not their sum: Claude at High with the default 4,096 was
// "Cut off at the output budget (20,480 tokens)". The thinking budget is
// kept with the reply's charge, so the note is the same after a reload, in
// `conversations show` and in the export.
func TestReplyCutWithThinkingSaysBoth(t *testing.T) {
	for _, tc := range []struct {
		name      string
		flavor    fake.Flavor
		kind      providers.Kind
		rateP     string
		model     string
		level     providers.Reasoning
		maxTokens int
		script    fake.Script
		budget    int
		note      string
	}{
		{"claude high cut off after some text", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningHigh, 0,
			fake.Script{Thinking: []string{"Hmm."}, Chunks: []string{"The first part"}, Finish: "max_tokens", Usage: fake.Usage{Prompt: 8, Completion: 20480}},
			20480, "Cut off at the output budget (4,096 output tokens + 16,384 thinking)."},
		{"claude low spent it all thinking", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, "claude-sonnet-4-20250514", providers.ReasoningLow, 2000,
			fake.Script{Thinking: []string{"Hmm."}, Chunks: []string{}, Finish: "max_tokens", Usage: fake.Usage{Prompt: 8, Completion: 3024}},
			3024, "The model spent its whole output budget (2,000 output tokens + 1,024 thinking) on thinking and wrote no answer; raise Max output tokens in Model settings."},
		{"gemini medium cut off", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningMedium, 50,
			fake.Script{Chunks: []string{"Partial"}, Finish: "MAX_TOKENS", Usage: fake.Usage{Prompt: 8, Completion: 50, Reasoning: 8192}},
			8242, "Cut off at the output budget (50 output tokens + 8,192 thinking)."},
		{"gemini off: no thinking budget", fake.Gemini, providers.KindGemini, rates.Gemini, "gemini-2.5-flash", providers.ReasoningOff, 50,
			fake.Script{Chunks: []string{"Partial"}, Finish: "MAX_TOKENS", Usage: fake.Usage{Prompt: 8, Completion: 50}},
			50, "Cut off at the output budget (50 tokens)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.flavor, tc.script)
			defer srv.Close()
			e := reasoningEnv(t, srv, tc.kind, tc.rateP)
			conv := e.conversation("p", tc.model, "")
			set := chat.ModelSettings{MaxOutput: tc.maxTokens, Reasoning: tc.level}
			if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &set}); err != nil {
				t.Fatal(err)
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if m.FinishReason != "length" || m.OutputBudget != tc.budget || m.Note != tc.note {
				t.Fatalf("reply: finish %q budget %d note %q\nwant budget %d note %q", m.FinishReason, m.OutputBudget, m.Note, tc.budget, tc.note)
			}
			e.sameAsStored(m)
			msgs, err := e.svc.Messages(adminCtx, conv.ID)
			if err != nil || len(msgs) != 2 || msgs[1].Note != tc.note {
				t.Fatalf("messages after a reload: %+v, %v", msgs, err)
			}
			ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
			if err != nil || !strings.Contains(ex.Markdown, "\n*"+tc.note+"*\n") {
				t.Fatalf("export without the note (%v):\n%s", err, ex.Markdown)
			}
			e.checkLedger()
		})
	}
}

// TestReplyNote: what each stored ending says, from the stored fields alone.
func TestReplyNote(t *testing.T) {
	reply := func(content, status, finish string, budget int) chat.Message {
		return chat.Message{Role: chat.RoleAssistant, Content: content, Status: status, FinishReason: finish, OutputBudget: budget}
	}
	cases := []struct {
		name string
		m    chat.Message
		want string
	}{
		{"out of budget, no text", reply("", chat.StatusDone, "length", 16384), spentThinking},
		{"out of budget, blank text", reply(" \n", chat.StatusDone, "length", 16384), spentThinking},
		{"out of budget, budget unknown", reply("", chat.StatusDone, "length", 0),
			"The model used its whole output budget thinking and wrote no answer; raise Max output tokens in Model settings."},
		{"cut off", reply("Some", chat.StatusDone, "length", 1234567), "Cut off at the output budget (1,234,567 tokens)."},
		{"cut off, budget unknown", reply("Some", chat.StatusDone, "length", 0), "Cut off at the output budget."},
		{"filtered after some text", reply("Some", chat.StatusDone, "content_filter", 10), "Cut off by the provider's content filter."},
		{"no text, finished", reply("", chat.StatusDone, "stop", 10), "The model wrote no answer."},
		{"no text, an older reply", reply("", chat.StatusDone, "", 0), "The model wrote no answer."},
		{"finished", reply("Hi", chat.StatusDone, "stop", 10), ""},
		{"stopped while thinking (its status says so)", reply("", chat.StatusStopped, "", 10), ""},
		{"interrupted with no text", reply("", chat.StatusInterrupted, "", 10), ""},
		{"being written", reply("", chat.StatusStreaming, "", 10), ""},
		{"a user message", chat.Message{Role: chat.RoleUser, Content: "", Status: chat.StatusDone}, ""},
	}
	for _, tc := range cases {
		if got := chat.ReplyNote(tc.m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
