package audit_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/store"
)

func TestRecord(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
	type view struct {
		Name string `json:"name"`
	}
	cases := []struct {
		name          string
		actor         access.Actor
		before, after any
		want          audittest.Entry
		wantErr       bool
	}{
		{"member with a before and an after", access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin},
			view{"old"}, view{"new"},
			audittest.Entry{ActorID: 1, ActorName: "alice", Action: "thing.update", Target: "thing:1",
				Before: `{"name":"old"}`, After: `{"name":"new"}`}, false},
		{"the system, nothing before", access.System, nil, view{"new"},
			audittest.Entry{ActorID: 0, ActorName: access.System.Name, Action: "thing.update", Target: "thing:1",
				Before: `null`, After: `{"name":"new"}`}, false},
		{"a value JSON cannot hold is refused", access.System, nil, make(chan int), audittest.Entry{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(audittest.Entries(t, db))
			err := db.Write(ctx, func(tx *sql.Tx) error {
				return audit.Record(ctx, tx, at, c.actor, "thing.update", "thing:1", c.before, c.after)
			})
			got := audittest.Entries(t, db)
			if c.wantErr {
				if err == nil || len(got) != before {
					t.Fatalf("err %v, %d entries (want an error and none written)", err, len(got)-before)
				}
				return
			}
			if err != nil || len(got) != before+1 || !reflect.DeepEqual(got[before], c.want) {
				t.Fatalf("err %v, entries %+v, want %+v", err, got[before:], c.want)
			}
		})
	}
	var stored string
	if err := db.Read().QueryRow(`SELECT at FROM audit_log ORDER BY id LIMIT 1`).Scan(&stored); err != nil || stored != store.FormatTimeNano(at) {
		t.Fatalf("at %q (%v), want %q", stored, err, store.FormatTimeNano(at))
	}
}
