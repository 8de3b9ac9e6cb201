package chat_test

import (
	"encoding/json"
	"os"
	"testing"

	"meterdesk/backend/chat"
)

// TestEstimateWordsMatchTheWindow: the words `meterdesk chat --estimate`
// says of an upper end priced at the reasoning rate (HighThinkingWords) are
// the composer's too (api/chat.ts HIGH_THINKING); both are checked against
// testdata/estimate_words.json, so that neither changes alone; and the
// words ReasoningSupport.ThinkingCharged sends the window (whose tests'
// models read them from the same file).
func TestEstimateWordsMatchTheWindow(t *testing.T) {
	raw, err := os.ReadFile("testdata/estimate_words.json")
	if err != nil {
		t.Fatal(err)
	}
	var words struct {
		HighThinking       string `json:"highThinking"`
		ChargedAsOutput    string `json:"thinkingChargedAsOutput"`
		ChargedAsReasoning string `json:"thinkingChargedAsReasoning"`
	}
	if err := json.Unmarshal(raw, &words); err != nil {
		t.Fatal(err)
	}
	if words.HighThinking != chat.HighThinkingWords {
		t.Errorf("HighThinkingWords %q, testdata/estimate_words.json (the window's) %q", chat.HighThinkingWords, words.HighThinking)
	}
	if words.ChargedAsOutput != chat.ThinkingChargedAsOutput || words.ChargedAsReasoning != chat.ThinkingChargedAsReasoning {
		t.Errorf("ThinkingChargedAsOutput %q and AsReasoning %q, testdata/estimate_words.json %q and %q",
			chat.ThinkingChargedAsOutput, chat.ThinkingChargedAsReasoning, words.ChargedAsOutput, words.ChargedAsReasoning)
	}
}
