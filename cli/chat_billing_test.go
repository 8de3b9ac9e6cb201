package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatChargesWhatTheProviderBills: `meterdesk chat` (text and --json)
// against a server that ignores "stream" and answers with its whole
// chat.completion prints the reply and its charge from the body's usage,
// as for a streamed reply; a stream that delivered only reasoning text and
// then failed is kept (an interrupted reply with no text, its charge and
// the error), and its conversation stays. Both were charged nothing
// before: the first read as cut off before any text, the second voided.
func TestChatChargesWhatTheProviderBills(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewDeepSeek(fake.Script{Unstreamed: true, Thinking: []string{"Let me think."}, Chunks: []string{"Hello there"},
		Usage: fake.Usage{Prompt: 10, Cached: 4, Completion: 40, Reasoning: 30}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "ds", "--kind", "deepseek", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "deepseek", "deepseek-chat", "--input", "0.001", "--cache-read", "0.0001", "--output", "0.002", "--reasoning", "0.003")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	// 6 input, 4 cached, 10 output, 30 reasoning tokens:
	// 6*0.001 + 4*0.0001 + 10*0.002 + 30*0.003 = 0.006 + 0.0004 + 0.02 + 0.09
	code, out, errs := d.run("chat", "--model", "deepseek-chat", "Hi")
	if code != 0 || !strings.HasPrefix(out, "Hello there\n\ncharged 0.1164 credits to pool (the workspace pool): deepseek-chat") || strings.Contains(out, "estimated") {
		t.Fatalf("chat: %d\nstdout %q\nstderr %q", code, out, errs)
	}
	type result struct {
		ConversationID *int64 `json:"conversationId"`
		Text           string `json:"text"`
		Status         string `json:"status"`
		FinishReason   string `json:"finishReason"`
		Charge         *struct {
			Amount    string `json:"amount"`
			Estimated bool   `json:"estimated"`
		} `json:"charge"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	var res result
	code, out, errs = d.run("--json", "chat", "--conversation", "1", "Again")
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Text != "Hello there" || res.Status != "done" || res.FinishReason != "stop" ||
		res.Charge == nil || res.Charge.Amount != "0.1164" || res.Charge.Estimated || res.Error != nil {
		t.Fatalf("chat --json: %d %q %q", code, out, errs)
	}

	// Reasoning only, then the connection drops: prompt "Hi" ceil(8 * 1.15)
	// = 10 input tokens, "Let me think." ceil(4 * 1.15) = 5 reasoning
	// tokens: 10*0.001 + 5*0.003, estimated.
	srv.SetScript(fake.Script{Thinking: []string{"Let me think."}, Chunks: []string{"Hello"}, Fault: fake.Drop, FailAfter: 1})
	code, out, errs = d.run("chat", "--model", "deepseek-chat", "Hi")
	if code != 1 || !strings.HasPrefix(out, "\ncharged 0.025 credits to pool (the workspace pool): deepseek-chat") || !strings.Contains(out, "estimated") ||
		!strings.Contains(errs, "(kept in conversation 2; continue it with: meterdesk chat --conversation 2)") {
		t.Fatalf("chat cut after reasoning: %d\nstdout %q\nstderr %q", code, out, errs)
	}
	res = result{}
	code, out, errs = d.run("--json", "chat", "--conversation", "2", "Again")
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || res.ConversationID == nil || *res.ConversationID != 2 || res.Text != "" ||
		res.Status != "interrupted" || res.Charge == nil || res.Charge.Amount != "0.025" || !res.Charge.Estimated ||
		res.Error == nil || res.Error.Code != "interrupted" {
		t.Fatalf("chat --json cut after reasoning: %d %q %q", code, out, errs)
	}
	if out := d.must("conversations", "show", "2"); !strings.Contains(out, "assistant:\n\n[Interrupted: chat stream "+strings.TrimPrefix(srv.URL, "http://")+": the reply was cut off before it finished (the connection closed)]\n") ||
		!strings.Contains(out, "reasoning 5 tokens (0.015 credits) · total 0.025 credits · estimated") {
		t.Fatalf("show:\n%s", out)
	}
}
