package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// What an admin changes with other commands than the team's reaches the
// audit log too: providers, rates, top-ups, the credit value, API keys and
// the local API's settings, each by name; `audit list --json` shows them
// and no entry holds a provider's key or an API key's secret.
func TestCLIAuditCoversEveryArea(t *testing.T) {
	dir := teamWorkspace(t)
	const providerKey = "sk-audit-SECRET-1234567890"
	t.Setenv("METERDESK_API_KEY", providerKey)
	admin := asAlice(t, dir)
	admin("providers", "add", "--name", "openai", "--kind", "openai", "--url", "http://127.0.0.1:9/v1")
	admin("rates", "set", "local", "llama3", "--input", "0.5", "--output", "1")
	admin("credits", "topup", "--amount", "100", "--price", "1", "--currency", "EUR")
	admin("credits", "value", "--set", "0.02", "--currency", "EUR")
	admin("credits", "transfer", "--op", "transfer", "--from", "pool", "--to", "user:2", "--amount", "5")
	secret := admin("apikeys", "create", "--member", "bob", "--name", "ci")
	if !strings.Contains(secret, "mdk_") {
		t.Fatalf("apikeys create printed no key: %q", secret)
	}
	var entries []struct {
		ActorName string          `json:"actorName"`
		Action    string          `json:"action"`
		Target    string          `json:"target"`
		Before    json.RawMessage `json:"before"`
		After     json.RawMessage `json:"after"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "audit", "list")), &entries); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = e.ActorName == "alice" || seen[e.Action]
		body := string(e.Before) + string(e.After)
		if strings.Contains(body, providerKey) {
			t.Fatalf("%s holds the provider's key: %s", e.Action, body)
		}
		for _, line := range strings.Fields(secret) {
			if strings.HasPrefix(line, "mdk_") && strings.Contains(body, line) {
				t.Fatalf("%s holds the API key's secret: %s", e.Action, body)
			}
		}
	}
	for _, a := range []string{"provider.add", "rates.change", "credits.topup", "credits.value", "credits.transfer", "apikey.create"} {
		if !seen[a] {
			t.Errorf("no %s entry by alice in %+v", a, entries)
		}
	}
}

// audit export --out replaces an existing file, says where it wrote as the
// other exports do, and a refused export leaves the file as it was.
func TestAuditExportReplacesTheFileAndSaysSo(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	file := filepath.Join(t.TempDir(), "audit.csv")
	if err := os.WriteFile(file, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := admin("audit", "export", "--out", file); out != "audit log written to "+file+"\n" {
		t.Fatalf("export: %q", out)
	}
	b, _ := os.ReadFile(file)
	if strings.HasPrefix(string(b), "old") || !strings.Contains(string(b), "member.add") {
		t.Fatalf("file after export: %q", b)
	}
	if out := admin("--json", "audit", "export", "--out", file); !strings.Contains(out, `"file": "`+file+`"`) {
		t.Fatalf("export --json: %q", out)
	}
	if code, _, _ := runIn(t, "", "--data-dir", dir, "--user", "alice", "audit", "export", "--out", file, "--since", "2026-02-30"); code != 2 {
		t.Fatalf("bad date: exit %d", code)
	}
	if b2, _ := os.ReadFile(file); string(b2) != string(b) {
		t.Fatal("a refused export changed the file")
	}
	if !strings.Contains(admin("help", "audit"), "replacing it") {
		t.Fatal("help does not say an export replaces the file")
	}
}

// audit list shows the newest 500 entries, and says on stderr when it left
// older ones out (it did so silently); --limit shows more or fewer; --json
// prints the list alone.
func TestAuditListSaysWhenItLeftEntriesOut(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	list := func(args ...string) (rows int, stdout, stderr string) {
		t.Helper()
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice", "audit", "list"}, args...)...)
		if code != 0 {
			t.Fatalf("audit list %v: exit %d: %s", args, code, errs)
		}
		return strings.Count(out, "\n") - 1, out, errs // less the heading
	}
	rows, _, errs := list()
	if errs != "" || rows < 5 {
		t.Fatalf("a short log: %d rows, stderr %q", rows, errs)
	}
	total := rows + 600
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *sql.Tx) error {
		for i := range 600 {
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES ('2026-01-01T00:00:00.000000000Z', 0, 'system', 'test.entry', ?)`,
				fmt.Sprint("thing:", i)); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	const note = "showing the newest %d entries; use --limit N or --since/--until for the others\n"
	if rows, _, errs = list(); rows != 500 || errs != fmt.Sprintf(note, 500) {
		t.Fatalf("default: %d rows, stderr %q", rows, errs)
	}
	if rows, _, errs = list("--limit", "3"); rows != 3 || errs != fmt.Sprintf(note, 3) {
		t.Fatalf("--limit 3: %d rows, stderr %q", rows, errs)
	}
	if rows, _, errs = list("--limit", fmt.Sprint(total)); rows != total || errs != "" {
		t.Fatalf("--limit %d (all): %d rows, stderr %q", total, rows, errs)
	}
	if rows, _, errs = list("--action", "member."); errs != "" || rows == 0 || rows > 10 {
		t.Fatalf("--action member.: %d rows, stderr %q", rows, errs)
	}
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "--json", "audit", "list", "--limit", "3")
	var entries []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) != 3 || errs != "" {
		t.Fatalf("--json --limit 3: exit %d, %d entries, stderr %q", code, len(entries), errs)
	}
	if code, _, _ := runIn(t, "", "--data-dir", dir, "--user", "alice", "audit", "list", "--limit", "100001"); code != 2 {
		t.Fatalf("--limit 100001: exit %d", code)
	}
}

// No export may write over the data folder's own files: a statement,
// the audit log or the rate table sent to the database, its WAL or the
// secrets key is refused (exit 1 with the reason), and the workspace still
// opens with its data.
func TestExportsRefuseTheDataFoldersOwnFiles(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	before := admin("credits", "balance")
	for _, target := range []string{"meterdesk.db", "meterdesk.db-wal", "secrets.key"} {
		path := filepath.Join(dir, target)
		for _, args := range [][]string{
			{"statement", "--month", "2026-11", "--format", "csv", "--out", path},
			{"audit", "export", "--out", path},
			{"rates", "export", "--format", "csv", "--out", path},
		} {
			code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
			if code == 0 || !strings.Contains(errs, "workspace's own data") {
				t.Fatalf("%v: exit %d, %q", args, code, errs)
			}
		}
	}
	if after := admin("credits", "balance"); after != before {
		t.Fatalf("the workspace after refused exports: %q, before %q", after, before)
	}
}

// credits expire counts the lots it expired even when opening the data
// folder did it first (core's start-up runs the job before any command):
// it said "expire: 0" while the lot had just expired.
func TestCreditsExpireCountsWhatStartUpExpired(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("credits", "validity", "--set", "1")
	admin("credits", "topup", "--account", "pool", "--amount", "10", "--price", "0")
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Writer().Exec("UPDATE ledger_lots SET expires_at = '2020-01-01T00:00:00.000Z' WHERE expires_at > '2021'")
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("backdate the lot: %d rows, %v", n, err)
	}
	db.Close()
	if out := admin("credits", "expire"); out != "expire: 1\n" {
		t.Fatalf("credits expire: %q", out)
	}
	if out := admin("credits", "expire"); out != "expire: 0\n" {
		t.Fatalf("credits expire again: %q", out)
	}
}

// audit list names each entry's target as the window does, with the target
// as logged beside it ("openai (provider:1)", "Rate table v2 (rates:v2)"),
// and --target takes either.
func TestAuditListNamesTargets(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_API_KEY", "sk-test-1234567890")
	admin := asAlice(t, dir)
	admin("providers", "add", "--name", "openai", "--kind", "openai", "--url", "http://127.0.0.1:9/v1")
	admin("rates", "set", "local", "llama3", "--input", "0.5", "--output", "1")
	out := admin("audit", "list")
	for _, want := range []string{"openai (provider:1)", "Workspace settings (workspace)", "Rate table v"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit list has no %q:\n%s", want, out)
		}
	}
	for _, target := range []string{"provider:1", "openai", "OpenAI"} {
		rows := strings.Split(strings.TrimSpace(admin("audit", "list", "--target", target)), "\n")[1:]
		if len(rows) != 1 || !strings.Contains(rows[0], "provider.add") {
			t.Errorf("--target %s: %q", target, rows)
		}
	}
	var es []struct{ Target, TargetName string }
	if err := json.Unmarshal([]byte(admin("--json", "audit", "list", "--target", "workspace settings")), &es); err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 || es[0].Target != "workspace" || es[0].TargetName != "Workspace settings" {
		t.Errorf("--json --target 'workspace settings': %+v", es)
	}
}

// A provider's id is never handed out again (migration 0970): after the
// provider with the highest id is removed, the next one added gets a new
// id, and the removed one's entries keep its name ("ollama (removed)").
// A log that already has a reused id (an earlier version gave the id
// again) names each entry by the provider it was on, not by today's row:
// --target takes either name, and the id as logged still matches all.
func TestAuditNamesAProviderWhoseIDWasReused(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	t.Setenv("METERDESK_API_KEY", "")
	targets := func(args ...string) []string {
		t.Helper()
		var es []struct{ Action, Target, TargetName string }
		if err := json.Unmarshal([]byte(admin(append([]string{"--json", "audit", "list", "--action", "provider."}, args...)...)), &es); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Action+" "+e.Target+" "+e.TargetName)
		}
		return out
	}
	admin("providers", "add", "--name", "ollama", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1")
	admin("providers", "remove", "ollama")
	admin("providers", "add", "--name", "openai", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1")
	want := []string{"provider.add provider:2 openai", "provider.remove provider:1 ollama (removed)", "provider.add provider:1 ollama (removed)"}
	if got := targets(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after add, remove, add:\n got %q\nwant %q", got, want)
	}

	// An earlier version's log: the id was given again.
	admin("providers", "remove", "openai")
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE sqlite_sequence SET seq = 1 WHERE name = 'providers'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	admin("providers", "add", "--name", "deepseek", "--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1")
	want = []string{"provider.add provider:2 deepseek", "provider.remove provider:2 openai (removed)", "provider.add provider:2 openai (removed)",
		"provider.remove provider:1 ollama (removed)", "provider.add provider:1 ollama (removed)"}
	if got := targets(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("with provider:2 given again:\n got %q\nwant %q", got, want)
	}
	for _, c := range []struct {
		target string
		want   int
	}{{"deepseek", 1}, {"openai (removed)", 2}, {"OpenAI (Removed)", 2}, {"provider:2", 3}, {"ollama (removed)", 2}} {
		if got := targets("--target", c.target); len(got) != c.want {
			t.Errorf("--target %q: %q, want %d entries", c.target, got, c.want)
		}
	}
	if out := admin("audit", "list", "--target", "deepseek"); !strings.Contains(out, "deepseek (provider:2") || strings.Contains(out, "openai") {
		t.Errorf("audit list --target deepseek:\n%s", out)
	}
}
