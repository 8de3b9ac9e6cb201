package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"meterdesk/backend/team"
)

// TestCreditsLimitsSayWhatTheWindowSays: GET /v1/credits gives each
// limit in the words the window and `meterdesk limits list` show for it
// (team.LimitStatus.Reached: "reached": the limit refuses requests, and
// until when), and no reset for a limit of 0, which no reset helps
// (resets_at null, as its 429 gives no reset header). Before, every limit
// had a resets_at, a limit of 0 too, and none said it refused requests.
func TestCreditsLimitsSayWhatTheWindowSays(t *testing.T) {
	e := newEnv(t, "100")
	// bob spends 0.032 on gpt-4o before his limits are set.
	if resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("send: %d", resp.StatusCode)
	} else {
		resp.Body.Close()
	}
	for _, l := range []team.Limit{
		{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0"},
		{UserID: e.bob.ID, Kind: team.LimitMonthly, Amount: "50"},
		{UserID: e.bob.ID, Kind: team.LimitModel, Model: "gpt-4o", Period: "day", Amount: "0.03"},
	} {
		if _, err := e.team.SetLimit(e.admin, l); err != nil {
			t.Fatal(err)
		}
	}
	resp := e.get("/v1/credits", e.bobKey)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, raw)
	}
	var got struct {
		Limits []map[string]any `json:"limits"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		resetsAt any // nil: null
		reached  any // nil: absent
	}{
		"daily":   {nil, "a limit of 0: sends are refused until an admin raises it"},
		"monthly": {"2026-07-01T00:00:00Z", nil},
		"model":   {"2026-06-16T00:00:00Z", "reached: sends are refused until it resets"},
	}
	if len(got.Limits) != len(want) {
		t.Fatalf("limits %s", raw)
	}
	for _, l := range got.Limits {
		w := want[l["kind"].(string)]
		r, has := l["resets_at"]
		if !has || r != w.resetsAt {
			t.Errorf("%s limit: resets_at %v (present %v), want %v: %s", l["kind"], r, has, w.resetsAt, raw)
		}
		if l["reached"] != w.reached {
			t.Errorf("%s limit: reached %v, want %v: %s", l["kind"], l["reached"], w.reached, raw)
		}
	}
}
