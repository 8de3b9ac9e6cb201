package statements

import (
	"database/sql"
	"strings"
	"testing"
	"time"
)

// TestStatementNamesADepartmentByTheRule: a statement's sentences name a
// department's credits by team's one rule (team.DepartmentCreditsPhrase):
// "the Research department's credits", but "Department 3's credits" (it
// read "the Department 3's credits"), in Build's message, the CSV and the
// PDF alike, as the department's own statement and as a member's payer.
func TestStatementNamesADepartmentByTheRule(t *testing.T) {
	for _, tc := range []struct{ name, phrase string }{
		{"Research", "the Research department's credits"},
		{"Department 3", "Department 3's credits"},
		{"department of Physics", "department of Physics's credits"},
		{"R&D Department", "the R&D Department's credits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if err := e.db.Write(e.ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec(`UPDATE departments SET name = ? WHERE id = 1`, tc.name)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
			apr := time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC)
			e.insert(t, []entry{
				// March: the pool pays for usage attributed to the department.
				{op: "usage", from: "pool", to: "sys:usage", amount: 1_000_000_000, user: 1, dept: 1, model: "gpt-4o", at: mar},
				// April: the department's credits pay for Αλέξης's usage.
				{op: "usage", from: "dept:1", to: "sys:usage", amount: 2_000_000_000, user: 3, dept: 1, model: "gpt-4o", at: apr},
			})
			for _, c := range []struct {
				req  Request
				want string
			}{
				{Request{Month: "2025-03", DepartmentID: 1}, "No movements in " + tc.phrase + "; its usage was paid from the workspace pool."},
				{Request{Month: "2025-04", UserID: 3}, "No movements in Αλέξης's wallet; their usage was paid from " + tc.phrase + "."},
			} {
				st, err := e.st.Build(e.ctx, c.req)
				if err != nil {
					t.Fatal(err)
				}
				if st.Message != c.want {
					t.Errorf("%+v: message %q, want %q", c.req, st.Message, c.want)
				}
				rows, pdf := e.statementFiles(t, st)
				if got := csvMessage(rows); got != c.want {
					t.Errorf("%+v: CSV message %q, want %q", c.req, got, c.want)
				}
				if !strings.Contains(pdf, c.want) {
					t.Errorf("%+v: PDF lacks %q:\n%.800s", c.req, c.want, pdf)
				}
			}
		})
	}
}
