package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestCLIStoredErrorShowsAMemberNoAddress: a failed reply stored with its
// provider's address in its error (as an older version stored it, or an
// admin's send) reads, for the member who owns it, in `conversations
// show` (and --json), the exported file and `conversations list --search`
// with the provider's name and no host or IP; the admin's show reads the
// stored text. An error naming no address reads the same for both; one
// naming a proxy on the way says the path to the provider failed.
func TestCLIStoredErrorShowsAMemberNoAddress(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := teamWorkspace(t) // alice the admin, bob and carol members
	as := func(user, secret string, args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", secret)
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", user}, args...)...)
	}
	if code, out, errs := as("alice", "correct horse", "providers", "add", "--name", "Lab", "--kind", "openai_compatible",
		"--url", "http://lab.meterdesk-test.invalid:8080/v1"); code != 0 {
		t.Fatalf("providers add: %d %q %q", code, out, errs)
	}
	const (
		withAddress = "chat stream lab.meterdesk-test.invalid:8080: the reply was cut off before it finished: read tcp 10.1.2.3:5555->10.0.0.5:8080: connection reset by peer"
		memberReads = "chat stream the provider Lab: the reply was cut off before it finished: read tcp [address hidden]->[address hidden]: connection reset by peer"
		noAddress   = "the provider kept writing far past the output budget, so the reply was cut off"
		// A proxy on the way, named by its host (as Go's DNS error names it).
		throughProxy = "offline: the provider cannot be reached: cannot connect to lab.meterdesk-test.invalid:8080: its address could not be found (DNS lookup of corp-proxy.meterdesk-test.invalid: no such host)"
		proxyReads   = "offline: the provider cannot be reached: cannot reach the provider Lab (the network path to it failed); ask your admin"
	)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *sql.Tx) error {
		const at = "2025-01-02T03:04:05.000Z"
		for i, stored := range []string{withAddress, noAddress, throughProxy} {
			uid := []string{"a", "b", "c"}[i]
			res, err := tx.Exec(`INSERT INTO chat_conversations(user_id, title, provider, model, created_at, updated_at)
				SELECT id, 'Stored', 'Lab', 'm', ?, ? FROM users WHERE name = 'bob'`, at, at)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, model, error,
				created_at, updated_at) VALUES (?, ?, 'user', 'Question', 'done', 'Lab', 'm', '', ?, ?),
				(?, ?, 'assistant', 'Part of an answer', 'interrupted', 'Lab', 'm', ?, ?, ?)`,
				uid+":user", id, at, at, uid, id, stored, at, at); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	hosts := []string{"meterdesk-test.invalid", "10.0.0.5", "10.1.2.3", "corp-proxy"}
	for _, c := range []struct {
		conv, stored, member string
	}{{"1", withAddress, memberReads}, {"2", noAddress, noAddress}, {"3", throughProxy, proxyReads}} {
		// The error as printed: the reply's "[Interrupted: …]" line, or
		// with --json its "error".
		shown := func(args []string, out string) string {
			if args[0] != "--json" {
				_, line, _ := strings.Cut(out, "[Interrupted: ")
				line, _, _ = strings.Cut(line, "\n")
				return strings.TrimSuffix(line, "]")
			}
			var v struct {
				Messages []struct {
					Error string `json:"error"`
				} `json:"messages"`
			}
			if json.Unmarshal([]byte(out), &v) != nil || len(v.Messages) != 2 {
				return ""
			}
			return v.Messages[1].Error
		}
		for _, args := range [][]string{{"conversations", "show", c.conv}, {"--json", "conversations", "show", c.conv}} {
			code, out, errs := as("bob", "1234", args...)
			if code != 0 || shown(args, out) != c.member {
				t.Errorf("bob %v: %d %q %q, want %q", args, code, out, errs, c.member)
			}
			for _, h := range hosts {
				if strings.Contains(out, h) {
					t.Errorf("bob %v names %s: %q", args, h, out)
				}
			}
			if code, out, errs := as("alice", "correct horse", args...); code != 0 || shown(args, out) != c.stored {
				t.Errorf("alice %v: %d %q %q, want %q", args, code, out, errs, c.stored)
			}
		}
		file := filepath.Join(t.TempDir(), "export.md")
		if code, out, errs := as("bob", "1234", "conversations", "export", c.conv, "--out", file); code != 0 {
			t.Fatalf("bob's export: %d %q %q", code, out, errs)
		}
		md, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ReplaceAll(string(md), `\`, ""), "*Interrupted: "+c.member+"*") { // mdText's escapes aside
			t.Errorf("bob's export:\n%s\nwant the error %q", md, c.member)
		}
		for _, h := range hosts {
			if strings.Contains(string(md), h) {
				t.Errorf("bob's export names %s:\n%s", h, md)
			}
		}
	}
	for _, q := range []string{"meterdesk-test", "10.0.0.5"} {
		if code, out, errs := as("bob", "1234", "--json", "conversations", "list", "--search", q); code != 0 || strings.TrimSpace(out) != "[]" {
			t.Errorf("bob's search for %q: %d %q %q, want none", q, code, out, errs)
		}
	}
}
