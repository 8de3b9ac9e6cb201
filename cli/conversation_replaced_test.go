package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// TestCLIShowsTheChargesOfReplacedReplies: `conversations show` left out
// the replies a regenerate or an edit-and-resend replaced, and with them
// their charges, which the ledger took. Under the reply that replaced them
// it now says what they cost and each one's breakdown (--json: "replaced"
// on the reply).
func TestCLIShowsTheChargesOfReplacedReplies(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")
	d.must("chat", "--model", "gpt-4o", "Hi")
	d.must("chat", "--conversation", "1", "Hi again")
	// The CLI has no regenerate: the second turn replaces the first reply,
	// as an edit-and-resend of "Hi" would have (the window's send).
	db, err := store.Open(context.Background(), d.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`UPDATE chat_messages SET superseded = 1
		WHERE id IN (SELECT id FROM chat_messages WHERE conversation_id = 1 ORDER BY id LIMIT 2 OFFSET 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := d.must("conversations", "show", "1")
	// 8 input tokens at 0.002 and 2 output tokens at 0.008: 0.032.
	want := "\nassistant:\nHello.\n[gpt-4o · input 8 tokens (0.016 credits) · output 2 tokens (0.016 credits) · total 0.032 credits]\n" +
		"[1 earlier reply replaced · 0.032 credits]\n" +
		"  [Reply · gpt-4o · input 8 tokens (0.016 credits) · output 2 tokens (0.016 credits) · total 0.032 credits]\n"
	if !strings.Contains(out, want) || strings.Count(out, "\nassistant:") != 1 {
		t.Errorf("show lacks %q:\n%s", want, out)
	}
	var conv struct {
		Messages []struct {
			Role     string `json:"role"`
			Replaced *struct {
				Amount  string `json:"amount"`
				Replies []struct {
					Status string `json:"status"`
					Charge struct {
						Amount string `json:"amount"`
					} `json:"charge"`
				} `json:"replies"`
			} `json:"replaced"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(d.must("--json", "conversations", "show", "1")), &conv); err != nil {
		t.Fatal(err)
	}
	if n := len(conv.Messages); n != 2 || conv.Messages[1].Replaced == nil || conv.Messages[1].Replaced.Amount != "0.032" ||
		len(conv.Messages[1].Replaced.Replies) != 1 || conv.Messages[1].Replaced.Replies[0].Status != "done" ||
		conv.Messages[0].Replaced != nil {
		t.Errorf("--json: %+v", conv.Messages)
	}
}
