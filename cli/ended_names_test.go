package cli

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// TestRemovedMemberAndTheNewOneOfTheirName: `users remove bob`, then
// `users add bob`. The commands tell the two apart: `report usage --by
// member` names the removed one "bob (removed)", the statement's
// per-message CSV too, with a member_id column; `apikeys list --all` says
// the removed bob's key is "member removed", not active, and a key for him
// is refused as removed, not "disabled"; `audit list --actor bob` takes the
// current bob and says on stderr how to reach the removed one (--actor 2),
// as `statement --member` and `credits history --member` do, and its WHO
// column marks the removed one. The removed bob's conversation stays, out
// of the new bob's reach and within an admin's.
func TestRemovedMemberAndTheNewOneOfTheirName(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t) // alice 1, bob 2 (PIN 1234), carol 3; Europe/Berlin
	admin := asAlice(t, dir)
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 20}})
	defer srv.Close()
	if code, out, errs := runIn(t, "sk-test-0123456789\n", "--data-dir", dir, "--user", "alice", "providers", "add", "--name", "fake",
		"--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"); code != 0 {
		t.Fatalf("providers add: %d %s %s", code, out, errs)
	}
	admin("credits", "topup", "--amount", "1000", "--price", "0")
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	asBob := func(pin string, args ...string) string {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", pin)
		defer t.Setenv("METERDESK_PASSWORD", "correct horse")
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
		if code != 0 {
			t.Fatalf("bob %v: exit %d: %s", args, code, errs)
		}
		return out
	}
	asBob("1234", "chat", "--model", "gpt-4o", "--max-tokens", "10", "Hi")
	asBob("1234", "apikeys", "create", "--name", "script")
	admin("users", "remove", "bob")
	if code, _, errs := runIn(t, "4321\n", "--data-dir", dir, "--user", "alice", "users", "add", "bob", "--pin"); code != 0 {
		t.Fatalf("users add bob: %s", errs)
	}
	asBob("4321", "chat", "--model", "gpt-4o", "--max-tokens", "10", "Hi")
	asBob("4321", "apikeys", "create", "--name", "script")

	now := time.Now().In(mustZone(t, "Europe/Berlin"))
	day, month := now.Format(time.DateOnly), now.Format("2006-01")
	var rows []string
	for _, l := range strings.Split(admin("report", "usage", "--from", day, "--to", day, "--by", "member"), "\n")[1:] {
		if f := strings.Fields(l); len(f) > 0 && f[0] != "Total" {
			rows = append(rows, strings.Join(f[:len(f)-2], " "))
		}
	}
	slices.Sort(rows)
	if !slices.Equal(rows, []string{"bob", "bob (removed)"}) {
		t.Errorf("report usage --by member: %q, want bob and bob (removed)", rows)
	}

	recs, err := csv.NewReader(strings.NewReader(admin("statement", "--month", month, "--format", "detail-csv", "--out", "-"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var who []string
	for _, r := range recs[1:] {
		who = append(who, r[col["member_id"]]+"="+r[col["member"]])
	}
	if !slices.Equal(who, []string{"2=bob (removed)", "4=bob"}) {
		t.Errorf("detail CSV members %q (header %q)", who, recs[0])
	}

	list := admin("apikeys", "list", "--all")
	for _, want := range []string{"bob (removed)", "member removed"} {
		if !strings.Contains(list, want) {
			t.Errorf("apikeys list --all lacks %q:\n%s", want, list)
		}
	}
	var keys []struct{ Member, Status string }
	if err := json.Unmarshal([]byte(admin("--json", "apikeys", "list", "--all")), &keys); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Member != "bob" || keys[0].Status != "active" || keys[1].Member != "bob (removed)" || keys[1].Status != "member removed" {
		t.Errorf("apikeys list --all --json: %+v", keys)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "apikeys", "create", "--name", "x", "--member", "2")
	if code != 5 || !strings.Contains(errs, "removed") || strings.Contains(errs, "disabled") {
		t.Errorf("apikeys create for the removed bob: exit %d, %q; want 5 and the member named removed", code, errs)
	}

	// The removed bob's conversation is kept: the bob added since does not
	// see it (his list is his own, and it is not found by id); an admin
	// opens it by id (docs/team.md).
	var convs []struct{ ID int64 }
	if err := json.Unmarshal([]byte(asBob("4321", "--json", "conversations", "list")), &convs); err != nil || len(convs) != 1 || convs[0].ID != 2 {
		t.Errorf("the new bob's conversations: %+v %v, want his own (2)", convs, err)
	}
	t.Setenv("METERDESK_PASSWORD", "4321")
	if code, _, _ := runIn(t, "", "--data-dir", dir, "--user", "bob", "conversations", "show", "1"); code != 5 {
		t.Errorf("the new bob opens the removed bob's conversation: exit %d, want 5", code)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := admin("conversations", "show", "1"); !strings.Contains(out, "Hello") {
		t.Errorf("an admin opens the removed bob's conversation: %q", out)
	}

	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "audit", "list", "--actor", "bob")
	if code != 0 || !strings.Contains(errs, "note: ") || !strings.Contains(errs, "--actor 2") {
		t.Errorf("audit list --actor bob: exit %d, stderr %q: want a note naming --actor 2", code, errs)
	}
	if !strings.Contains(out, "apikey.create") || strings.Contains(out, "(removed)") {
		t.Errorf("audit list --actor bob: want the current bob's entries:\n%s", out)
	}
	if out := admin("audit", "list", "--actor", "2"); !strings.Contains(out, "bob (removed)") || !strings.Contains(out, "apikey.create") {
		t.Errorf("audit list --actor 2: want the removed bob's key, marked:\n%s", out)
	}
}
