package statements

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

// A removed member and the member who took their name, an archived
// department and the new one of its name, are told apart in every
// statement file: their names carry backend/people's mark ("bob
// (removed)", "Eng (archived)") in the text, the PDF and both CSVs, and the
// CSVs name their ids (member_id, department_id, after the old columns).
func TestStatementsTellEndedNamesApart(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3
	const at = "'2025-01-01T00:00:00.000Z'"
	e.exec(t,
		`INSERT INTO departments(id, name, archived, created_at, updated_at) VALUES (3, 'Eng', 1, `+at+`, `+at+`), (4, 'Eng', 0, `+at+`, `+at+`)`,
		`INSERT INTO users(id, name, role, secret_kind, secret_hash, status, removed_at, department_id, created_at, updated_at)
			VALUES (4, 'bob', 'member', 'pin', 'x', 'removed', '2025-03-20T00:00:00.000Z', 3, `+at+`, `+at+`),
			(5, 'bob', 'member', 'pin', 'x', 'active', '', 4, `+at+`, `+at+`)`,
		`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES ('user:4', 'user', 'overdraft', `+at+`),
			('user:5', 'user', 'overdraft', `+at+`), ('dept:3', 'dept', 'overdraft', `+at+`), ('dept:4', 'dept', 'overdraft', `+at+`)`,
	)
	rows, err := e.db.Read().Query("SELECT code, id FROM ledger_accounts")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		var id int64
		if err := rows.Scan(&c, &id); err != nil {
			t.Fatal(err)
		}
		e.ids[c] = id
	}
	rows.Close()
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "usage", from: "user:4", to: "sys:usage", amount: mustMinor("1"), user: 4, dept: 3, model: "m", at: mar},
		{op: "usage", from: "dept:3", to: "sys:usage", amount: mustMinor("2"), user: 4, dept: 3, model: "m", at: mar.Add(time.Minute)},
		{op: "usage", from: "user:5", to: "sys:usage", amount: mustMinor("3"), user: 5, dept: 4, model: "m", at: mar.Add(2 * time.Minute)},
		{op: "usage", from: "dept:4", to: "sys:usage", amount: mustMinor("4"), user: 5, dept: 4, model: "m", at: mar.Add(3 * time.Minute)},
	})
	byHeader := func(b []byte) []map[string]string {
		t.Helper()
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, r := range recs[1:] {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	who := func(r map[string]string) string {
		return r["member_id"] + "=" + r["member"] + "|" + r["department_id"] + "=" + r["department"]
	}
	old, current := "4=bob (removed)|3=Eng (archived)", "5=bob|4=Eng"
	for _, c := range []struct {
		req   Request
		scope string   // the statement's name
		lines []string // the detail CSV's rows (the usage attributed; the workspace's transactions too), by who
		pdf   []string // in the PDF
	}{
		{Request{Month: "2025-03"}, "", []string{old, old, current, current}, []string{"bob (removed)", "Eng (archived)"}},
		{Request{Month: "2025-03", UserID: 4}, "bob (removed)", []string{old, old}, []string{"bob (removed)'s wallet"}},
		{Request{Month: "2025-03", UserID: 5}, "bob", []string{current, current}, []string{"bob's wallet"}},
		{Request{Month: "2025-03", DepartmentID: 3}, "Eng (archived)", []string{old, old}, []string{"Eng department's credits (archived)", "Statement — Eng department (archived)"}},
		{Request{Month: "2025-03", DepartmentID: 4}, "Eng", []string{current, current}, []string{"Eng department's credits", "Statement — Eng department "}},
	} {
		st, err := e.st.Build(e.ctx, c.req)
		if err != nil {
			t.Fatal(err)
		}
		if c.scope != "" && st.ScopeName != c.scope {
			t.Errorf("%+v: named %q, want %q", c.req, st.ScopeName, c.scope)
		}
		// The Statements page heads the account's section with AccountName, as the PDF does.
		if c.scope != "" && st.AccountName != c.pdf[0] {
			t.Errorf("%+v: account named %q, want %q", c.req, st.AccountName, c.pdf[0])
		}
		var b bytes.Buffer
		if err := e.st.WriteDetailCSV(e.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range byHeader(b.Bytes()) {
			got = append(got, who(r))
		}
		if strings.Join(got, ", ") != strings.Join(c.lines, ", ") {
			t.Errorf("%+v: detail CSV rows %q, want %q", c.req, got, c.lines)
		}
		b.Reset()
		if err := e.st.WriteCSV(e.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		got = nil
		var centres []string
		for _, r := range byHeader(b.Bytes()) {
			switch r["section"] {
			case "transaction":
				got = append(got, who(r))
			case "usage_by_cost_centre":
				centres = append(centres, r["description"])
			}
		}
		if c.req.UserID == 0 && c.req.DepartmentID == 0 {
			if strings.Join(got, ", ") != strings.Join(c.lines, ", ") {
				t.Errorf("%+v: statement CSV transactions %q, want %q", c.req, got, c.lines)
			}
			// Usage by cost centre: one line per department, told apart.
			if strings.Join(centres, ", ") != "Eng, Eng (archived)" {
				t.Errorf("usage by cost centre %q, want Eng and Eng (archived)", centres)
			}
		}
		_, pdf := e.statementFiles(t, st)
		for _, want := range c.pdf {
			if !strings.Contains(pdf, want) {
				t.Errorf("%+v: the PDF lacks %q:\n%.1200s", c.req, want, pdf)
			}
		}
	}
}
