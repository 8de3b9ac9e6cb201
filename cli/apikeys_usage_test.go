package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestAPIKeysListSaysWhatEachKeyWasCharged: `apikeys list` prints each
// key's charged requests and their credits (REQUESTS, CHARGED; --json
// "requests", "charged" as an exact decimal string), which the local API
// counts as it posts each charge (gateway.Key.Requests, Charged). It showed
// only when a key was last used.
func TestAPIKeysListSaysWhatEachKeyWasCharged(t *testing.T) {
	d := emptyDataDir(t, "correct horse\n")
	d.must("workspace", "setup", "--name", "Acme", "--currency", "EUR", "--credit-value", "0.01", "--admin", "alice")
	d.must("apikeys", "create", "--name", "scripts")
	d.must("apikeys", "create", "--name", "editor")
	// As the local API's charges leave them (gateway.countCharge): 1,234
	// requests for 1,500.072 credits on one key, none on the other.
	ctx := context.Background()
	db, err := store.Open(ctx, d.dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE gateway_keys SET charged_requests = 1234, charged_minor = 1500072000000 WHERE name = 'scripts'`)
		return err
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	out := d.must("apikeys", "list")
	if !strings.Contains(out, "REQUESTS") || !strings.Contains(out, "CHARGED") {
		t.Fatalf("no REQUESTS and CHARGED columns:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case strings.Contains(line, "scripts") && !(strings.Contains(line, " 1,234 ") && strings.Contains(line, " 1,500.072 ")):
			t.Errorf("scripts' row lacks 1,234 requests for 1,500.072 credits: %q", line)
		case strings.Contains(line, "editor") && (len(f) < 3 || f[len(f)-3] != "0" || f[len(f)-2] != "0.00"):
			t.Errorf("editor's row lacks 0 requests for 0.00 credits: %q", line)
		}
	}
	var keys []struct {
		Name     string `json:"name"`
		Requests int64  `json:"requests"`
		Charged  string `json:"charged"`
	}
	if err := json.Unmarshal([]byte(d.must("--json", "apikeys", "list")), &keys); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, k := range keys {
		got[k.Name] = strings.Join([]string{k.Charged, func() string { b, _ := json.Marshal(k.Requests); return string(b) }()}, " ")
	}
	if got["scripts"] != "1500.072 1234" || got["editor"] != "0 0" {
		t.Errorf("--json: %v", got)
	}
}
