// Package audittest reads the audit log back in tests of the areas that
// write it (providers, gateway, rates, ledger), which cannot import the
// team package that lists it for admins.
package audittest

import (
	"context"
	"testing"

	"meterdesk/backend/store"
)

// Entry is one audit_log row as stored.
type Entry struct {
	ActorID   int64 // 0 = the system
	ActorName string
	Action    string
	Target    string
	Before    string // JSON
	After     string // JSON
}

// Entries returns every entry in the order written, failing t on error.
func Entries(t testing.TB, db *store.DB) []Entry {
	t.Helper()
	rows, err := db.Read().QueryContext(context.Background(), `SELECT COALESCE(actor_id, 0), actor_name, action, target,
		before_json, after_json FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.Before, &e.After); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Actions returns "action target" of every entry, for compact assertions.
func Actions(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	for _, e := range Entries(t, db) {
		out = append(out, e.Action+" "+e.Target)
	}
	return out
}
