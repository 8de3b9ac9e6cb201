package cli

import (
	"encoding/json"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestCreditsHistoryHidesReservationsUnlessAsked: `credits history` listed
// a send's reservation (its hold row, which moves no money) beside its
// charge by default, while the Credits page hides such rows behind "Show
// reservations". Now it leaves them out unless --reservations asks for
// them, or --op picks them.
func TestCreditsHistoryHidesReservationsUnlessAsked(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	t.Setenv("METERDESK_API_KEY", "sk-test-0123456789")
	admin("providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", srv.BaseURL())
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("chat", "--model", "gpt-4o", "Hello")
	ops := func(args ...string) map[string]int {
		t.Helper()
		var page struct {
			Items []struct {
				Op string `json:"op"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(admin(append([]string{"--json", "credits", "history"}, args...)...)), &page); err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, it := range page.Items {
			n[it.Op]++
		}
		return n
	}
	for _, c := range []struct {
		args       []string
		hold, post int
	}{
		{nil, 0, 1},
		{[]string{"--reservations"}, 1, 1},
		{[]string{"--op", "hold"}, 1, 0},
		{[]string{"--op", "hold,post"}, 1, 1},
		{[]string{"--op", "usage"}, 0, 1},
		{[]string{"--model", "gpt-4o"}, 0, 1},
		{[]string{"--model", "gpt-4o", "--reservations"}, 1, 1},
	} {
		got := ops(c.args...)
		if got["hold"] != c.hold || got["post"] != c.post {
			t.Errorf("credits history %v: %v, want %d hold and %d post rows", c.args, got, c.hold, c.post)
		}
		if c.args == nil && got["topup"] != 1 {
			t.Errorf("credits history: %v, want the top-up listed", got)
		}
	}
}
