package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestChatSaysWhenTheBudgetRanOut: a reply whose output budget ran out says
// so after its charge, on standard error (o3-mini that spent all 16,384
// tokens thinking printed only the charge, as if the answer were empty),
// with the command line's way to a bigger budget; --json carries the finish
// reason, the budget and the note; `conversations show` and the export
// show the note again. A reply cut off after some text says it was cut off.
func TestChatSaysWhenTheBudgetRanOut(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 16384, Reasoning: 16384}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "o3-mini", "--input", "0.001", "--output", "0.004", "--reasoning", "0.004")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")

	const note = "note: The model used its whole output budget (16,384 tokens) thinking and wrote no answer; raise Max output tokens in Model settings.\n" +
		"note: on the command line: --max-tokens N for one send, or for the conversation: meterdesk conversations set 1 --max-output N\n"
	code, out, errs := d.run("chat", "--model", "o3-mini", "Hi")
	// 8*0.001 + 16384*0.004 (reasoning at its own rate)
	if code != 0 || !strings.HasPrefix(out, "\ncharged 65.544 credits to pool (the workspace pool): o3-mini") || !strings.HasPrefix(errs, note) ||
		!strings.Contains(errs, "conversation 1: continue it with") {
		t.Fatalf("chat: %d\nstdout %q\nstderr %q", code, out, errs)
	}

	code, out, errs = d.run("--json", "chat", "--conversation", "1", "Again")
	var res struct {
		Text         string `json:"text"`
		Status       string `json:"status"`
		FinishReason string `json:"finishReason"`
		OutputBudget int    `json:"outputBudget"`
		Note         string `json:"note"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Text != "" || res.Status != "done" || res.FinishReason != "length" ||
		res.OutputBudget != 16384 || res.Note != strings.TrimPrefix(strings.SplitN(note, "\n", 2)[0], "note: ") || strings.Contains(errs, "note:") {
		t.Fatalf("chat --json: %d %q %q", code, out, errs)
	}

	// Cut off after some text, with a budget of this send's own.
	srv.SetScript(fake.Script{Chunks: []string{"The first part"}, Finish: "length", Usage: fake.Usage{Prompt: 8, Completion: 1500}})
	code, out, errs = d.run("chat", "--conversation", "1", "--max-tokens", "1500", "Third")
	if code != 0 || !strings.HasPrefix(out, "The first part\n\ncharged ") ||
		!strings.HasPrefix(errs, "note: Cut off at the output budget (1,500 tokens).\nnote: on the command line: --max-tokens N") {
		t.Fatalf("chat cut off: %d %q %q", code, out, errs)
	}

	out = d.must("conversations", "show", "1")
	if !strings.Contains(out, "assistant:\n\n[note] The model used its whole output budget (16,384 tokens) thinking") ||
		!strings.Contains(out, "assistant:\nThe first part\n[note] Cut off at the output budget (1,500 tokens).\n") {
		t.Fatalf("show:\n%s", out)
	}
	if out := d.must("conversations", "export", "1"); !strings.Contains(out, "\n*Cut off at the output budget (1,500 tokens).*\n") {
		t.Fatalf("export:\n%s", out)
	}
}
