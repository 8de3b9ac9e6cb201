package cli

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestMemberHistoryOfAnAccountHoldsTheirTransfersOnIt: a member's
// `credits history --account pool` (or their department's credits, as
// Credits → History's account filter asks it) lists the transfers between
// that account and their own wallet, which their unfiltered history shows:
// a grant from the pool, a transfer they made to their department. It
// listed only the transfers made for them (user_id), which those are not,
// so the window said "No credits have moved in or out of this account
// yet" under a history that showed both. Nothing of the account's that
// is not theirs is listed (a top-up, an allocation to the department).
func TestMemberHistoryOfAnAccountHoldsTheirTransfersOnIt(t *testing.T) {
	dir := teamWorkspace(t) // alice 1 (admin), bob 2, carol 3, department 1 Research
	admin := asAlice(t, dir)
	admin("users", "update", "bob", "--funding", "wallet", "--department", "1")
	admin("credits", "topup", "--amount", "100", "--price", "0", "--currency", "EUR")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "10")
	admin("departments", "allocate", "1", "20")
	t.Setenv("METERDESK_PASSWORD", "1234")
	bob := func(args ...string) []string {
		t.Helper()
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("bob %v: exit %d: %s", args, code, errs)
		}
		var page struct {
			Items []struct{ Op, From, To string }
		}
		if err := json.Unmarshal([]byte(out), &page); err != nil {
			t.Fatalf("bob %v: %v\n%s", args, err, out)
		}
		var got []string
		for _, it := range page.Items {
			got = append(got, it.Op+" "+it.From+">"+it.To)
		}
		return got
	}
	bob("credits", "transfer", "--from", "user:2", "--to", "dept:1", "--amount", "1", "--op", "transfer")
	all := bob("credits", "history")
	for _, want := range []string{"grant pool>user:2", "transfer user:2>dept:1"} {
		if !slices.Contains(all, want) {
			t.Fatalf("bob's history %q lacks %q", all, want)
		}
	}
	for _, c := range []struct {
		account string
		want    []string
	}{
		{"pool", []string{"grant pool>user:2"}},
		{"dept:1", []string{"transfer user:2>dept:1"}},
		{"user:2", []string{"transfer user:2>dept:1", "grant pool>user:2"}},
	} {
		if got := bob("credits", "history", "--account", c.account); !slices.Equal(got, c.want) {
			t.Errorf("bob's history of %s: %q, want %q", c.account, got, c.want)
		}
	}
}
