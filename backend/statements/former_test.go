package statements

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
)

// exec runs SQL statements on the fixture's database.
func (e *env) exec(t *testing.T, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := e.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A removed member and an archived department are found by name as well as
// by id (their statements stay readable); when a current one has the name
// too, it wins, and the note says how to reach the other; two former ones
// of one name are ambiguous, with their ids in the error.
func TestResolveFindsRemovedMembersAndArchivedDepartments(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3
	e.exec(t,
		`INSERT INTO users(id, name, role, secret_kind, secret_hash, status, removed_at, created_at, updated_at)
			VALUES (4, 'dave', 'member', 'pin', 'x', 'removed', '2025-04-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(5, 'erin', 'member', 'pin', 'x', 'removed', '2025-04-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(6, 'Erin', 'member', 'pin', 'x', 'active', '', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(7, 'frank', 'member', 'pin', 'x', 'removed', '2025-04-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(8, 'Frank', 'member', 'pin', 'x', 'removed', '2025-04-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
		`INSERT INTO departments(id, name, archived, created_at, updated_at)
			VALUES (3, 'Legal', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(4, 'Sales', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(5, 'SALES', 0, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
	)
	for _, c := range []struct {
		resolve  func(v string) (int64, string, error)
		v        string
		want     int64
		note     string // a part of the note ("" = none)
		ambiguus string // a part of the error
	}{
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "dave", 4, `"dave" is the removed member 4`, ""},
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "ＤＡＶＥ", 4, "removed member 4", ""}, // the names rule
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "4", 4, "", ""},
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "erin", 6,
			`"erin" is member 6; the removed member 5 has that name too: --member 5`, ""},
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "alice", 1, "", ""},
		{func(v string) (int64, string, error) { return e.st.ResolveMemberNote(e.ctx, v) }, "frank", 0, "",
			`member "frank" is ambiguous (2 removed members): give the id, --member 7 or --member 8`},
		{func(v string) (int64, string, error) { return e.st.ResolveDepartmentNote(e.ctx, v) }, "legal", 3, `"legal" is the archived department 3`, ""},
		{func(v string) (int64, string, error) { return e.st.ResolveDepartmentNote(e.ctx, v) }, "Sales", 5,
			`"Sales" is department 5; the archived department 4 has that name too: --department 4`, ""},
	} {
		id, note, err := c.resolve(c.v)
		if c.ambiguus != "" {
			if err == nil || !strings.Contains(err.Error(), c.ambiguus) {
				t.Errorf("%q: %d, %v; want an error with %q", c.v, id, err, c.ambiguus)
			}
			continue
		}
		if err != nil || id != c.want || !strings.Contains(note, c.note) || (c.note == "") != (note == "") {
			t.Errorf("%q: %d, %q, %v; want %d with a note %q", c.v, id, note, err, c.want, c.note)
		}
	}
	// The plain lookups (the CLI's) find the same.
	if id, err := e.st.ResolveMember(e.ctx, "dave"); err != nil || id != 4 {
		t.Errorf("ResolveMember(dave) = %d, %v", id, err)
	}
	if id, err := e.st.ResolveDepartment(e.ctx, "legal"); err != nil || id != 3 {
		t.Errorf("ResolveDepartment(legal) = %d, %v", id, err)
	}
	if _, err := e.st.ResolveMember(e.ctx, "zoe"); !errors.Is(err, ErrUnknownName) {
		t.Errorf("zoe: %v", err)
	}
}

// statementFiles renders st as CSV (read back by header) and PDF text.
func (e *env) statementFiles(t *testing.T, st *Statement) (rows []map[string]string, pdf string) {
	t.Helper()
	var b bytes.Buffer
	if err := e.st.WriteCSV(e.ctx, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	b.Reset()
	if err := e.st.WritePDF(e.ctx, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	return rows, strings.Join(strings.Fields(pdfText(t, b.Bytes())), " ")
}

// csvMessage is the statement CSV's message row's text.
func csvMessage(rows []map[string]string) string {
	for _, r := range rows {
		if r["section"] == "statement" && r["type"] == "message" {
			return r["description"]
		}
	}
	return ""
}

// A member the pool (or a department) pays for has usage and no wallet
// movements: the statement says whose account paid, never "No activity"
// above their usage; a member with neither still reads "No activity".
// Checked in Build (the window and the CLI print its message), the CSV and
// the PDF.
func TestStatementOfAMemberPaidByOthersIsNotNoActivity(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "usage", from: "pool", to: "sys:usage", amount: 994_730_000_000, user: 1, model: "gpt-4o-mini", at: mar},
		{op: "usage", from: "dept:2", to: "sys:usage", amount: 5_000_000_000, user: 3, dept: 2, model: "gpt-4o", at: mar},
		{op: "usage", from: "pool", to: "sys:usage", amount: 1_000_000_000, user: 3, dept: 2, model: "gpt-4o", at: mar.Add(time.Hour)},
	})
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Month: "2025-03", UserID: 1}, "No movements in alice's wallet; their usage was paid from the workspace pool."},
		{Request{Month: "2025-03", UserID: 3}, "No movements in Αλέξης's wallet; their usage was paid from the workspace pool and the Vertrieb € department's credits."},
		{Request{Month: "2025-03", DepartmentID: 2}, ""}, // its credits paid: a movement
		{Request{Month: "2025-03", UserID: 2}, "No activity in this period."},
		{Request{Month: "2025-02", UserID: 1}, "No activity in this period."},
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
		if c.want != "" && !strings.Contains(pdf, c.want) {
			t.Errorf("%+v: PDF lacks %q:\n%.800s", c.req, c.want, pdf)
		}
		if len(st.Attributed) > 0 && strings.Contains(pdf, "No activity") {
			t.Errorf("%+v: PDF says no activity above usage:\n%.800s", c.req, pdf)
		}
	}
}

// Names in Chinese and Korean print as typed in the PDF's note lines (the
// account note, the message), not as "??", and a long note wraps onto more
// lines whole, each line in the faces its runes need.
func TestPDFNotesDrawCJKNames(t *testing.T) {
	e := newEnv(t)
	e.exec(t,
		`INSERT INTO users(id, name, display_name, role, secret_kind, secret_hash, created_at, updated_at)
			VALUES (4, 'wang', '王 "Carol", Jr.', 'member', 'pin', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(5, 'kim', '김민수', 'member', 'pin', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
		`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES ('user:4', 'user', 'overdraft', '2025-01-01T00:00:00.000Z'),
			('user:5', 'user', 'overdraft', '2025-01-01T00:00:00.000Z')`,
	)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []string{"user:4", "user:5"} {
		var id int64
		if err := e.db.Read().QueryRowContext(e.ctx, "SELECT id FROM ledger_accounts WHERE code = ?", c).Scan(&id); err != nil {
			t.Fatal(err)
		}
		e.ids[c] = id
	}
	e.insert(t, []entry{
		// A credit in each wallet, so that its section (and its note) is there.
		{op: "transfer", from: "pool", to: "user:4", amount: 1_000_000_000, at: mar.AddDate(0, -1, 0)},
		{op: "transfer", from: "pool", to: "user:5", amount: 1_000_000_000, at: mar.AddDate(0, -1, 0)},
		{op: "usage", from: "pool", to: "sys:usage", amount: 1_000_000_000, user: 4, model: "gpt-4o", at: mar},
		{op: "usage", from: "pool", to: "sys:usage", amount: 1_000_000_000, user: 5, model: "gpt-4o", at: mar},
	})
	for id, name := range map[int64]string{4: `王 "Carol", Jr.`, 5: "김민수"} {
		st, err := e.st.Build(e.ctx, Request{Month: "2025-03", UserID: id})
		if err != nil {
			t.Fatal(err)
		}
		_, pdf := e.statementFiles(t, st)
		for _, want := range []string{
			"Movements in " + name + "'s wallet only",
			"No movements in " + name + "'s wallet; their usage was paid from the workspace pool.",
		} {
			if !strings.Contains(pdf, want) {
				t.Errorf("PDF lacks %q:\n%.900s", want, pdf)
			}
		}
		if strings.Contains(pdf, "??") {
			t.Errorf("PDF prints a name as ??:\n%.900s", pdf)
		}
	}

	// A note wider than the page, mostly in Chinese (no spaces to break at).
	long := strings.Repeat("田中太郎の使用量は共有プールから支払われました。", 8) + " 김민수 end."
	p := NewPDF(PDFOptions{Title: "Notes"})
	p.Note(long)
	p.Note("Jürgen after it")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	raw := pdfText(t, b.Bytes())
	if strings.Contains(raw, "…") || strings.Contains(raw, "?") {
		t.Errorf("the long note was cut or lost glyphs:\n%s", raw)
	}
	noteLines := 0
	for _, l := range strings.Split(raw, "\n") {
		if strings.ContainsAny(l, "田用共払") {
			noteLines++
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(raw), ""), strings.ReplaceAll(long, " ", "")+"Jürgen") || noteLines < 3 {
		t.Errorf("the long note is not whole, on several lines (%d), before the next note:\n%s", noteLines, raw)
	}
	for _, font := range []string{"droidfallback", "nanumsquare"} {
		if !bytes.Contains(b.Bytes(), []byte(font)) {
			t.Errorf("a note in Chinese and Korean does not embed %s", font)
		}
	}
}

// Every column of the statement CSV holds what its header says: a
// breakdown row's transaction count is under count, its name under
// description, and type is empty.
func TestStatementCSVColumnsByHeader(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: 100_000_000_000, price: 1000, at: mar},
		{op: "usage", from: "pool", to: "sys:usage", amount: 2_000_000_000, user: 1, dept: 1, model: "gpt-4o-mini", at: mar.Add(time.Hour)},
		{op: "usage", from: "pool", to: "sys:usage", amount: 3_000_000_000, user: 1, dept: 1, model: "gpt-4o-mini", at: mar.Add(2 * time.Hour)},
	})
	for _, req := range []Request{{Month: "2025-03"}, {Month: "2025-03", UserID: 1}} {
		st, err := e.st.Build(e.ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := e.statementFiles(t, st)
		seen := map[string]int{}
		for _, r := range rows {
			if len(r) != len(csvHeader) {
				t.Fatalf("row %v: %d columns, header %d", r, len(r), len(csvHeader))
			}
			switch sec := r["section"]; sec {
			case "usage_by_model", "usage_by_cost_centre", "attributed_usage":
				seen[sec]++
				want := map[string]string{"type": "", "count": "2", "amount": "5", "date": "", "id": ""}
				// A by-model row: the model and its provider (none here) as the
				// description, the model alone in the model column.
				want["description"] = map[string]string{"usage_by_model": "gpt-4o-mini · provider unknown", "attributed_usage": "gpt-4o-mini · provider unknown",
					"usage_by_cost_centre": "Research & Development, \"R&D\""}[sec]
				want["model"] = map[string]string{"usage_by_model": "gpt-4o-mini", "attributed_usage": "gpt-4o-mini"}[sec]
				for k, v := range want {
					if r[k] != v {
						t.Errorf("%+v %s row: %s = %q, want %q (%v)", req, sec, k, r[k], v, r)
					}
				}
			case "transaction":
				if r["type"] != "usage" && r["type"] != "topup" || r["count"] != "" || r["balance"] == "" {
					t.Errorf("%+v transaction row %v", req, r)
				}
			}
		}
		want := map[string]int{"usage_by_model": 1, "usage_by_cost_centre": 1}
		if req.UserID != 0 {
			want = map[string]int{"attributed_usage": 1}
		}
		for k, n := range want {
			if seen[k] != n {
				t.Errorf("%+v: %d %s rows, want %d", req, seen[k], k, n)
			}
		}
	}
}
