package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"meterdesk/backend/store"
)

// addAuditEntries appends n entries (action "test.entry" or, every third,
// "test.other") as the system.
func (e *env) addAuditEntries(n int) {
	e.t.Helper()
	err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		for i := range n {
			action := "test.entry"
			if i%3 == 2 {
				action = "test.other"
			}
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES (?, 0, 'system', ?, ?)`,
				store.FormatTimeNano(e.clock.Now()), action, fmt.Sprint("thing:", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// TestAuditPagesReadTheWholeLog: the window's pages, newest first, follow
// each other by their cursor to the oldest entry, with or without a filter;
// ListAudit (the CLI) returns the newest 500 by default, no longer all
// that there is silently.
func TestAuditPagesReadTheWholeLog(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.addAuditEntries(620)
	all, err := e.svc.ListAudit(ctx, AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 621 { // and the workspace's setup
		t.Fatalf("%d entries", len(all))
	}
	if def, _ := e.svc.ListAudit(ctx, AuditFilter{}); len(def) != AuditListLimit || !reflect.DeepEqual(def, all[:AuditListLimit]) {
		t.Fatalf("the default list: %d entries", len(def))
	}
	for _, c := range []struct {
		f     AuditFilter
		pages []int
	}{
		{AuditFilter{}, []int{100, 100, 100, 100, 100, 100, 21}},
		{AuditFilter{Limit: 250}, []int{250, 250, 121}},
		{AuditFilter{Limit: 621}, []int{621}},
		{AuditFilter{Action: "test.other"}, []int{100, 100, 6}},
	} {
		var want []AuditEntry
		for _, a := range all {
			if c.f.Action == "" || a.Action == c.f.Action {
				want = append(want, a)
			}
		}
		var got []AuditEntry
		var sizes []int
		f := c.f
		for {
			page, err := e.svc.ListAuditPage(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, sizes = append(got, page.Items...), append(sizes, len(page.Items))
			if page.Next == 0 {
				break
			}
			if page.Next != page.Items[len(page.Items)-1].ID {
				t.Fatalf("%+v: cursor %d after entry %d", c.f, page.Next, page.Items[len(page.Items)-1].ID)
			}
			f.Before = page.Next
		}
		if !reflect.DeepEqual(sizes, c.pages) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v: pages %v (want %v), %d entries (want %d)", c.f, sizes, c.pages, len(got), len(want))
		}
	}
	// A page larger than the most one read returns is cut to it; bad input is refused.
	if page, err := e.svc.ListAuditPage(ctx, AuditFilter{Limit: 5000}); err != nil || len(page.Items) != 621 || page.Next != 0 {
		t.Fatalf("limit 5000: %d entries, next %d, %v", len(page.Items), page.Next, err)
	}
	e.addAuditEntries(AuditMaxPage)
	if page, err := e.svc.ListAuditPage(ctx, AuditFilter{Limit: 5000}); err != nil || len(page.Items) != AuditMaxPage || page.Next == 0 {
		t.Fatalf("limit 5000 of %d: %d entries, next %d, %v", 621+AuditMaxPage, len(page.Items), page.Next, err)
	}
	for _, f := range []AuditFilter{{Limit: -1}, {Before: -1}} {
		if _, err := e.svc.ListAuditPage(ctx, f); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", f, err)
		}
	}
	bob := e.addMember("bob", nil)
	if _, err := e.svc.ListAuditPage(e.as(actorFor(bob)), AuditFilter{}); err == nil {
		t.Fatal("a member read the audit log")
	}
}
