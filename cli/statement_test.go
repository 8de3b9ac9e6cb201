package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestStatementOfARemovedMemberPaidByThePool: bob, paid for by the pool in
// October, is removed; `statement --member bob` still finds him by name (and
// by id), and its summary says whose account paid his usage, not "No
// activity"; a member with no activity still reads so. A new member named
// bob then wins the name.
func TestStatementOfARemovedMemberPaidByThePool(t *testing.T) {
	dir := teamWorkspace(t) // alice 1, bob 2, carol 3
	admin := asAlice(t, dir)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Writer().Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor, user_id, model, source, created_at)
		VALUES ('october-usage', 'h', 'usage', 'posted', (SELECT id FROM ledger_accounts WHERE code = 'pool'),
			(SELECT id FROM ledger_accounts WHERE code = 'sys:usage'), 994730000000, 2, 'gpt-4o-mini', 'ui', '2025-10-15T10:00:00.000Z')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	admin("users", "remove", "bob")
	out := filepath.Join(t.TempDir(), "s.csv")
	for _, who := range []string{"bob", "2"} {
		got := admin("statement", "--month", "2025-10", "--member", who, "--format", "csv", "--out", out)
		want := "  note: No movements in bob's wallet; their usage was paid from the workspace pool.\n"
		if !strings.Contains(got, "member statement 2025-10 (bob)") || !strings.Contains(got, want) || strings.Contains(got, "No activity") {
			t.Errorf("--member %s: %q, want the note %q", who, got, want)
		}
	}
	if got := admin("statement", "--month", "2025-10", "--member", "carol", "--format", "csv", "--out", out); !strings.Contains(got, "note: No activity in this period.") {
		t.Errorf("carol: %q", got)
	}

	// A current bob now has the name: he is the one found.
	code, _, errs := runIn(t, "4321\n", "--data-dir", dir, "--user", "alice", "users", "add", "bob", "--pin")
	if code != 0 {
		t.Fatalf("users add bob: %s", errs)
	}
	var res struct {
		Statement struct{ Account string } `json:"statement"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "statement", "--month", "2025-10", "--member", "bob", "--format", "csv", "--out", out)), &res); err != nil {
		t.Fatal(err)
	}
	if res.Statement.Account != "user:4" {
		t.Errorf("--member bob with a current bob: %s, want user:4", res.Statement.Account)
	}
	// ... and the command says how to reach the removed one, on standard
	// error, as `credits history --member` does.
	for _, args := range [][]string{
		{"statement", "--month", "2025-10", "--member", "bob", "--format", "csv", "--out", out},
		{"credits", "history", "--member", "bob"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != 0 || !strings.Contains(errs, "note: ") || !strings.Contains(errs, "--member 2") {
			t.Errorf("%v: exit %d, stderr %q: want a note naming the removed bob's id", args, code, errs)
		}
	}
}
