package gateway_test

import (
	"io"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestReasoningOnlyInTotalIsCharged: a provider that counts the model's
// thoughts only in total_tokens (Gemini's OpenAI compatibility) has them
// charged at the reasoning rate: 8 input, 2 output and 30 - 10 = 20
// reasoning tokens at 0.002, 0.008 and 0.01 = 0.232 (not 0.032).
func TestReasoningOnlyInTotalIsCharged(t *testing.T) {
	e := newEnv(t, "100")
	e.fake.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2, Total: 30}})
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	c := decode[completionBody](t, resp.Body)
	if c.Meterdesk.CreditsCharged != "0.232" || e.charged() != "0.232" {
		t.Fatalf("charged %s (%s in the database), want 0.232", c.Meterdesk.CreditsCharged, e.charged())
	}
	e.checkLedger()
}
