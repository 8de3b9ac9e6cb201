package team

import (
	"context"
	"database/sql"
	"testing"
)

// TestDepartmentAlertWords: an alert names a department by
// departmentPhrase's rule end to end, as fired and as listed: "The
// Research department is running low", but "Department 3 is running low"
// (it read "The Department 3 is running low"), and a notification stored
// with the old words reads the new ones.
func TestDepartmentAlertWords(t *testing.T) {
	for _, tc := range []struct{ name, title, body string }{
		{"Research", "The Research department is running low", "The Research department has 40.00 credits left, below 60.00 credits."},
		{"Department 3", "Department 3 is running low", "Department 3 has 40.00 credits left, below 60.00 credits."},
		{"department of Physics", "department of Physics is running low", "department of Physics has 40.00 credits left, below 60.00 credits."},
		{"R&D Department", "The R&D Department is running low", "The R&D Department has 40.00 credits left, below 60.00 credits."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Absolute: []string{"60"}}); err != nil {
				t.Fatal(err)
			}
			dep, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: tc.name})
			if err != nil {
				t.Fatal(err)
			}
			carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
			e.topUp("pool", "1000")
			if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
				t.Fatal(err)
			}
			chargeAlerts(t, e, carol, dep.Account, "60", 1) // 40: below 60
			fired := notifications(e, dep.Account)
			if n := fired[len(fired)-1]; n.Title != tc.title || n.Body != tc.body {
				t.Errorf("fired %q / %q, want %q / %q", n.Title, n.Body, tc.title, tc.body)
			}
			list, err := e.svc.Notifications(ctx, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			var listed *Notification
			for i := range list {
				if list[i].Account == dep.Account {
					listed = &list[i]
				}
			}
			if listed == nil || listed.Title != tc.title || listed.Body != tc.body {
				t.Fatalf("listed %+v, want %q / %q", listed, tc.title, tc.body)
			}
			// A notification written by the earlier rule ("The Department 3
			// is running low") reads the new words when listed.
			old := "The " + departmentName(tc.name)
			if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(`UPDATE notifications SET title = ?, body = ?, named = ? WHERE id = ?`,
					old+" is running low", old+" has 40.00 credits left, below 60.00 credits.", old, listed.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			list, err = e.svc.Notifications(ctx, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range list {
				if n.ID == listed.ID && (n.Title != tc.title || n.Body != tc.body) {
					t.Errorf("stored as %q, listed %q / %q, want %q / %q", old, n.Title, n.Body, tc.title, tc.body)
				}
			}
		})
	}
}
