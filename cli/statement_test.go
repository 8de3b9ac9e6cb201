package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
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
		// Named as removed (backend/people), as every statement names him.
		want := "  note: No movements in bob (removed)'s wallet; their usage was paid from the workspace pool.\n"
		if !strings.Contains(got, "member statement 2025-10 (bob (removed))") || !strings.Contains(got, want) || strings.Contains(got, "No activity") {
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

// TestStatementShowsNotesRateVersionsAndCaps: through the real ledger and
// chat, a top-up's --note is printed with its line in the statement CSV
// (note column) and PDF, and the per-message CSV says which rate version
// priced each charge and whether it was capped at the hold. The window's
// exports run the same backend writers (statements.Export).
func TestStatementShowsNotesRateVersionsAndCaps(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t) // Europe/Berlin; bob has a daily limit of 50
	admin := asAlice(t, dir)
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 100000}})
	defer srv.Close()
	if code, out, errs := runIn(t, "sk-test-0123456789\n", "--data-dir", dir, "--user", "alice", "providers", "add", "--name", "fake",
		"--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"); code != 0 {
		t.Fatalf("providers add: %d %s %s", code, out, errs)
	}
	admin("credits", "topup", "--amount", "100000", "--price", "0", "--note", "PO 4711")
	version := func() string {
		t.Helper()
		var vs []struct {
			ID int64 `json:"id"`
		}
		out := admin("--json", "rates", "versions")
		if err := json.Unmarshal([]byte(out), &vs); err != nil || len(vs) == 0 {
			t.Fatalf("rates versions: %v %s", err, out)
		}
		return strconv.FormatInt(vs[0].ID, 10) // newest first
	}
	chat := func(args ...string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		if code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o"}, args...)...); code != 0 {
			t.Fatalf("chat: %d %s %s", code, out, errs)
		}
		t.Setenv("METERDESK_PASSWORD", "correct horse")
	}
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	first := version()
	chat("--max-tokens", "10", "Hi") // 800 credits against bob's daily 50: capped at the hold
	admin("rates", "set", "openai", "gpt-4o", "--output", "0.009")
	second := version()
	srv.SetScript(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 20}})
	chat("--max-tokens", "10", "Hi")
	if first == second {
		t.Fatalf("one rate version %s for both", first)
	}

	month := time.Now().In(mustZone(t, "Europe/Berlin")).Format("2006-01")
	read := func(format string) []map[string]string {
		t.Helper()
		recs, err := csv.NewReader(strings.NewReader(admin("statement", "--month", month, "--format", format, "--out", "-"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]string
		for _, r := range recs[1:] {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			rows = append(rows, m)
		}
		return rows
	}
	notes := 0
	for _, r := range read("csv") {
		if r["section"] == "transaction" && r["note"] != "" {
			notes++
			if r["type"] != "topup" || r["note"] != "PO 4711" || r["amount"] != "100000" {
				t.Errorf("a noted row: %v", r)
			}
		}
	}
	if notes != 1 {
		t.Errorf("%d rows with a note, want the top-up's", notes)
	}
	var got []string
	for _, r := range read("detail-csv") {
		got = append(got, r["member"]+" "+r["rate_version"]+" "+r["capped"])
	}
	if want := []string{"bob " + first + " true", "bob " + second + " false"}; !slices.Equal(got, want) {
		t.Errorf("detail rows %q, want %q", got, want)
	}

	pdf := filepath.Join(t.TempDir(), "s.pdf")
	admin("statement", "--month", month, "--format", "pdf", "--out", pdf)
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), "Note: PO 4711") {
		t.Errorf("the PDF lacks the top-up's note:\n%s", text)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
