package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestAPIKeysListSaysWhatEachKeyWasCharged: `apikeys list` says each key's
// charged requests and their credits in the window's words (USAGE,
// gateway.KeyUsage; --json "requests", "charged" as an exact decimal string
// and "usage"), which the local API counts as it posts each charge
// (gateway.Key.Requests, Charged). A key used only with a free model reads
// "1 request, free": it read "1  0.00" (REQUESTS, CHARGED) here and "1
// request charged, 0.00 credits" in the window. A key with free and paid
// requests says how many were free, "5 requests (2 free), 12.50 credits",
// and --json gives "freeRequests": it read "5 requests charged".
func TestAPIKeysListSaysWhatEachKeyWasCharged(t *testing.T) {
	d := emptyDataDir(t, "correct horse\n")
	d.must("workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice")
	d.must("apikeys", "create", "--name", "scripts")
	d.must("apikeys", "create", "--name", "editor")
	d.must("apikeys", "create", "--name", "ollama")
	d.must("apikeys", "create", "--name", "mixed")
	// As the local API's charges leave them (gateway.countCharge): 1,234
	// requests for 1,500.072 credits on one key, one free request on
	// another, none on the third.
	ctx := context.Background()
	db, err := store.Open(ctx, d.dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE gateway_keys SET charged_requests = 1234, charged_minor = 1500072000000 WHERE name = 'scripts'`); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE gateway_keys SET charged_requests = 5, free_requests = 2, charged_minor = 12500000000 WHERE name = 'mixed'`); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE gateway_keys SET charged_requests = 1, free_requests = 1, charged_minor = 0 WHERE name = 'ollama'`)
		return err
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	out := d.must("apikeys", "list")
	if !strings.Contains(out, "USAGE") {
		t.Fatalf("no USAGE column:\n%s", out)
	}
	want := map[string]string{
		"scripts": "1,234 requests charged, 1,500.072 credits",
		"ollama":  "1 request, free",
		"editor":  "no requests charged yet",
		"mixed":   "5 requests (2 free), 12.50 credits",
	}
	for name, words := range want {
		found := false
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, " "+name+" ") {
				found = true
				if !strings.Contains(line, " "+words+" ") {
					t.Errorf("%s's row does not say %q: %q", name, words, line)
				}
			}
		}
		if !found {
			t.Errorf("no row for %s:\n%s", name, out)
		}
	}
	if strings.Contains(out, "0.00") {
		t.Errorf("a key charged nothing is listed with 0.00 credits:\n%s", out)
	}
	var keys []struct {
		Name     string `json:"name"`
		Requests int64  `json:"requests"`
		Free     int64  `json:"freeRequests"`
		Charged  string `json:"charged"`
		Usage    string `json:"usage"`
	}
	if err := json.Unmarshal([]byte(d.must("--json", "apikeys", "list")), &keys); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range keys {
		got[k.Name] = fmt.Sprintf("%s %d %d %s", k.Charged, k.Requests, k.Free, k.Usage)
	}
	for name, w := range map[string]string{"scripts": "1500.072 1234 0 " + want["scripts"], "ollama": "0 1 1 " + want["ollama"],
		"editor": "0 0 0 " + want["editor"], "mixed": "12.5 5 2 " + want["mixed"]} {
		if got[name] != w {
			t.Errorf("--json %s: %q, want %q", name, got[name], w)
		}
	}
}
