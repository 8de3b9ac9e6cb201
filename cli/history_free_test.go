package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCreditsHistorySaysFreeForAFreeReply: a free reply's charge read
// "0.00" in `credits history` (and "0.00 credits" in the window) while the
// chat says "free". It reads "free" now (chat.HistoryWord); a paid reply's
// charge keeps its amount, and --json keeps the number ("0").
func TestCreditsHistorySaysFreeForAFreeReply(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	t.Setenv("METERDESK_API_KEY", "sk-test-0123456789")
	admin("providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", srv.BaseURL())
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin("rates", "set", "openai", "gpt-4o-mini", "--input", "0", "--output", "0")
	admin("credits", "topup", "--amount", "100", "--price", "0")
	if out := admin("chat", "--model", "gpt-4o-mini", "Hello"); !strings.Contains(out, "free") {
		t.Fatalf("the chat says the free reply's cost otherwise: %q", out)
	}
	admin("chat", "--model", "gpt-4o", "Hello")
	rows := map[string]string{} // model -> AMOUNT column of its charge (post row)
	for _, line := range strings.Split(admin("credits", "history", "--op", "usage"), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 8 || f[3] != "Usage" {
			continue
		}
		rows[f[7]] = f[6]
	}
	if rows["gpt-4o-mini"] != "free" {
		t.Errorf("the free reply's charge reads %q, want free (rows %v)", rows["gpt-4o-mini"], rows)
	}
	if rows["gpt-4o"] != "0.034" {
		t.Errorf("the paid reply's charge reads %q, want 0.034 (rows %v)", rows["gpt-4o"], rows)
	}
	var page struct {
		Items []struct {
			Model  string `json:"model"`
			Amount string `json:"amount"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "credits", "history", "--op", "usage", "--model", "gpt-4o-mini")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Amount != "0" {
		t.Errorf("--json: %+v, want the free charge's amount as the number 0", page.Items)
	}
}

// TestCreditsHistorySaysFreeOnlyWhereTheChatDoes: a reply of a model rated 0
// for input but not for output that generated nothing (filtered) is charged
// nothing, and the chat says so as "total 0.00 credits", not "free" (what
// was held for its output tells it from a free model's: chat.Free). Its
// charge's row read "free" in `credits history` all the same, as the row
// did not record the hold. The history now says what the chat says, for
// that reply and for a free model's.
func TestCreditsHistorySaysFreeOnlyWhereTheChatDoes(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	for _, tc := range []struct {
		name, model, chatEnds, historySays string
	}{
		{"output rated, none generated", "half", "· total 0.00 credits\n", "0.00"},
		{"free, none generated", "m1", "· free\n", "free"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewOpenAI(fake.Script{Chunks: []string{}, Finish: "content_filter", Usage: fake.Usage{Prompt: 9, Completion: 0},
				Models: []string{"m1", "half"}})
			defer srv.Close()
			d := newDataDir(t, "")
			d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.BaseURL())
			d.must("rates", "set", "local", "m1", "--input", "0", "--output", "0")
			d.must("rates", "set", "local", "half", "--input", "0", "--output", "0.008")
			d.must("credits", "topup", "--amount", "100", "--price", "0")
			code, out, errs := d.run("chat", "--model", tc.model, "--max-tokens", "10", "Hi")
			if code != 0 || !strings.HasSuffix(out, tc.chatEnds) {
				t.Fatalf("chat: exit %d %q %q; want the line ending %q", code, out, errs, tc.chatEnds)
			}
			var said []string
			for _, line := range strings.Split(d.must("credits", "history", "--op", "usage"), "\n")[1:] {
				if f := strings.Fields(line); len(f) >= 8 && f[3] == "Usage" {
					said = append(said, f[6])
				}
			}
			if len(said) != 1 || said[0] != tc.historySays {
				t.Errorf("credits history: the charge reads %q, want %q as the chat says it", said, tc.historySays)
			}
		})
	}
}
