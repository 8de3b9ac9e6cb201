package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestCLITimesInTheRepeatedHourSayTheirOffset: in the hour repeated when
// the clocks go back (Europe/Berlin, the workspace's zone, on 2026-10-25 and
// 2027-10-31: 02:00-02:59 happens twice), every list and line of the CLI
// that prints a local time adds its UTC offset, so that its two occurrences
// read apart (workzone.LocalTime, the statements' rule); the other times
// print as before, without one.
func TestCLITimesInTheRepeatedHourSayTheirOffset(t *testing.T) {
	dir := teamWorkspace(t) // Europe/Berlin
	admin := asAlice(t, dir)
	for i, title := range []string{"first", "second", "after"} {
		admin("conversations", "new") // a blank one is reused: each gets a title
		admin("conversations", "set", strconv.Itoa(i+1), "--title", title)
	}
	admin("credits", "topup", "--amount", "5", "--price", "0")
	admin("credits", "topup", "--amount", "7", "--price", "0")
	admin("apikeys", "create", "--member", "alice", "--name", "ci")
	admin("apikeys", "create", "--member", "alice", "--name", "cd")
	admin("rates", "set", "openai", "gpt-4o", "--input", "2", "--output", "3")
	admin("rates", "set", "openai", "gpt-4o", "--input", "3", "--output", "4")

	// 00:30Z and 01:30Z are both 02:30 in Berlin that day (CEST, then CET);
	// 02:30Z is 03:30 CET, which happens once.
	const first, second, after = "2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z", "2026-10-25T02:30:00.000Z"
	nano := func(s string) string { return strings.TrimSuffix(s, "Z") + "000000Z" }
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE chat_conversations SET updated_at = ? WHERE id = 1", []any{first}},
		{"UPDATE chat_conversations SET updated_at = ? WHERE id = 2", []any{second}},
		{"UPDATE chat_conversations SET updated_at = ? WHERE id = 3", []any{after}},
		{"UPDATE ledger_transfers SET created_at = ? WHERE id = (SELECT min(id) FROM ledger_transfers WHERE op = 'topup')", []any{first}},
		{"UPDATE ledger_transfers SET created_at = ? WHERE id = (SELECT max(id) FROM ledger_transfers WHERE op = 'topup')", []any{second}},
		{"UPDATE ledger_lots SET expires_at = ? WHERE id = (SELECT min(id) FROM ledger_lots)", []any{"2027-10-31T00:30:00.000Z"}},
		{"UPDATE ledger_lots SET expires_at = ? WHERE id = (SELECT max(id) FROM ledger_lots)", []any{"2027-10-31T01:30:00.000Z"}},
		{"UPDATE audit_log SET at = ? WHERE id = (SELECT max(id) - 1 FROM audit_log)", []any{nano(first)}},
		{"UPDATE audit_log SET at = ? WHERE id = (SELECT max(id) FROM audit_log)", []any{nano(second)}},
		{"UPDATE gateway_keys SET created_at = ?, last_used_at = ? WHERE id = 1", []any{first, after}},
		{"UPDATE gateway_keys SET created_at = ?, last_used_at = ? WHERE id = 2", []any{second, second}},
		{"UPDATE rate_versions SET effective_at = ? WHERE id = (SELECT max(id) - 1 FROM rate_versions)", []any{nano(first)}},
		{"UPDATE rate_versions SET effective_at = ? WHERE id = (SELECT max(id) FROM rate_versions)", []any{nano(second)}},
	} {
		if _, err := db.Writer().Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args          []string
		want, notWant []string
	}{
		{[]string{"conversations", "list"},
			[]string{"2026-10-25 02:30 +02:00", "2026-10-25 02:30 +01:00", "2026-10-25 03:30  "}, []string{"03:30 +"}},
		{[]string{"credits", "history", "--account", "pool"},
			[]string{"2026-10-25 02:30:00 +02:00", "2026-10-25 02:30:00 +01:00"}, nil},
		{[]string{"credits", "balance", "pool"},
			[]string{"expires 2027-10-31 02:30 +02:00 Europe/Berlin", "expires 2027-10-31 02:30 +01:00 Europe/Berlin",
				"at 2026-10-25 02:30:00 +01:00 Europe/Berlin"}, nil},
		{[]string{"audit", "list"},
			[]string{"2026-10-25 02:30:00 +02:00", "2026-10-25 02:30:00 +01:00"}, nil},
		{[]string{"apikeys", "list", "--all"},
			[]string{"2026-10-25 02:30:00 +02:00", "2026-10-25 02:30:00 +01:00", "2026-10-25 03:30:00  "}, []string{"03:30:00 +"}},
		{[]string{"rates", "versions"},
			[]string{"2026-10-25 02:30:00 +02:00", "2026-10-25 02:30:00 +01:00"}, nil},
		{[]string{"rates", "list"},
			[]string{"2026-10-25 02:30:00 +01:00 Europe/Berlin"}, nil},
	} {
		out := admin(c.args...)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%v has %q (a time that happens once, with an offset):\n%s", c.args, w, out)
			}
		}
	}
}
