package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// limits list shows no reset time beside a limit of 0: an admin's block,
// which no reset helps (team.LimitStatus.ResetHelps, as the local API's
// /v1/credits gives resets_at null for it). Its RESETS cell is "-"; a
// limit with a reset that frees room still shows when. With --json each
// limit carries resetFreesRoom (Go's rule, which the window reads too)
// beside resetsAt, kept. Before, the table gave the limit of 0 a reset
// time like any other.
func TestLimitsListShowsNoResetForALimitOf0(t *testing.T) {
	dir := teamWorkspace(t) // bob: a daily limit of 50
	admin := asAlice(t, dir)
	admin("limits", "set", "bob", "monthly", "0")
	out := admin("limits", "list", "bob")
	row := func(kind string) []string {
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] == kind {
				return f
			}
		}
		t.Fatalf("limits list:\n%s\nno %s row", out, kind)
		return nil
	}
	if f := row("monthly"); f[len(f)-1] != "-" {
		t.Errorf("limits list:\n%s\nthe monthly limit of 0 ends in %q; want - (no reset)", out, f[len(f)-1])
	}
	if f := row("daily"); f[len(f)-1] == "-" || !strings.Contains(strings.Join(f, " "), ":00") {
		t.Errorf("limits list:\n%s\nthe daily limit of 50 shows no reset time", out)
	}

	var ls []map[string]any
	if err := json.Unmarshal([]byte(admin("--json", "limits", "list", "bob")), &ls); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, l := range ls {
		if l["resetsAt"] == nil || l["resetsAt"] == "" {
			t.Errorf("%s: resetsAt %v; want it kept", l["kind"], l["resetsAt"])
		}
		got[l["kind"].(string)] = l["resetFreesRoom"]
	}
	if got["monthly"] != false || got["daily"] != true {
		t.Errorf("--json resetFreesRoom by kind: %v; want monthly false, daily true", got)
	}
}
