package statements

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/money"
)

// The Statements page wrote its usage tables' column names ("Model",
// "Department", "Messages", "Credits", "Total") and the attributed table's
// heading itself, where the PDF printed "Name" over every table; and the
// PDF printed "Usage attributed to … (any payer)" with "No usage this
// month." where the page showed nothing, and "none" under both usage
// tables where the page said it once. The statement now carries every
// table's words (Breakdown: heading, columns, total label, words for
// none, "" where an empty table is left out), and the PDF prints exactly
// what the window receives. testdata/statement_tables.json holds the
// statements the window receives for three of them (rewritten with -update,
// checked here otherwise), which frontend/src/pages/Statements.test.ts
// shows on the page and finds the same words in.
func TestStatementPDFPrintsTheWindowsTableWords(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3 (alice is 1)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: mar},
		{op: "transfer", from: "pool", to: "dept:1", amount: mustMinor("20"), at: mar.Add(time.Minute)},
		{op: "transfer", from: "pool", to: "dept:2", amount: mustMinor("1"), at: mar.Add(90 * time.Second)},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("2.5"), user: 1, model: "m", at: mar.Add(2 * time.Minute)},
		{op: "usage", from: "dept:1", to: "sys:usage", amount: mustMinor("1234.5"), user: 1, dept: 1, model: "m", at: mar.Add(3 * time.Minute)},
	})
	bound := map[string]json.RawMessage{}
	type table struct {
		By, Heading, TotalLabel, Total, None string
		Columns                              []string
		Lines                                []Line
	}
	for _, c := range []struct {
		name string
		req  Request
		// shown: the tables' headings the PDF prints, in order; empty: how
		// many say their words for none.
		shown  []string
		empty  int
		golden bool // in testdata/statement_tables.json
	}{
		{"workspace with usage", Request{Month: "2025-03"}, []string{"Usage by model", "Usage by department"}, 0, true},
		{"workspace without usage", Request{Month: "2025-02"}, []string{"Usage by model"}, 1, true},
		{"department with usage", Request{Month: "2025-03", DepartmentID: 1}, []string{"Usage attributed to", "Paid from", "Paid from"}, 0, false},
		{"department without usage", Request{Month: "2025-03", DepartmentID: 2}, []string{"Usage attributed to", "Paid from"}, 2, true},
		{"member paid for by others", Request{Month: "2025-03", UserID: 1}, []string{"Usage attributed to alice (any payer)"}, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.st.Build(e.ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			// What the window receives (Statements.Preview returns the statement as built).
			raw, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				AccountLeftOut  bool    `json:"accountLeftOut"`
				AttributedUsage *table  `json:"attributedUsage"`
				Breakdowns      []table `json:"breakdowns"`
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if c.golden {
				bound[c.name] = raw
			}
			var tables []table
			if st.Scope != "workspace" {
				if got.AttributedUsage == nil {
					t.Fatalf("a %s statement without its attributed usage table: %s", st.Scope, raw)
				}
				tables = append(tables, *got.AttributedUsage)
			} else if got.AttributedUsage != nil {
				t.Errorf("the workspace's statement has an attributed usage table: %s", raw)
			}
			if !got.AccountLeftOut {
				tables = append(tables, got.Breakdowns...)
			}
			_, pdf := e.statementFiles(t, st)
			at, shown, empty := 0, 0, 0
			// find is where want is in the PDF from at on (a long heading
			// is cut short with "…" in the PDF: its first 50 bytes).
			find := func(what, want string) {
				t.Helper()
				want = strings.Join(strings.Fields(want[:min(len(want), 50)]), " ")
				i := strings.Index(pdf[at:], want)
				if want == "" || i < 0 {
					t.Fatalf("the PDF lacks the %s %q after %q:\n%s", what, want, pdf[:at], pdf)
				}
				at += i + len(want)
			}
			for _, b := range tables {
				if len(b.Columns) != 3 || b.TotalLabel == "" || b.Heading == "" {
					t.Fatalf("table %+v: its words are not all Go's", b)
				}
				if len(b.Lines) == 0 && b.None == "" {
					if strings.Contains(pdf, b.Heading) {
						t.Errorf("the PDF prints the left-out table %q:\n%s", b.Heading, pdf)
					}
					continue
				}
				if shown < len(c.shown) && !strings.HasPrefix(b.Heading, c.shown[shown]) {
					t.Errorf("table %d is %q, want %q…", shown, b.Heading, c.shown[shown])
				}
				shown++
				find("heading", b.Heading)
				if len(b.Lines) == 0 {
					empty++
					find("words for none", b.None)
					continue
				}
				find("column names", strings.Join(b.Columns, " "))
				for _, l := range b.Lines {
					find("line", l.Name+" "+money.GroupInt(l.Count)+" "+money.DisplayString(l.Amount))
				}
				find("total row", b.TotalLabel+" "+money.DisplayString(b.Total))
			}
			if shown != len(c.shown) || empty != c.empty {
				t.Errorf("%d tables shown, %d of them empty; want %d, %d: %s", shown, empty, len(c.shown), c.empty, raw)
			}
			// Words for none only where a table says them, once each.
			for _, none := range []string{"No usage this month.", "No usage was paid from"} {
				want := 0
				for _, b := range tables {
					if len(b.Lines) == 0 && b.None != "" && strings.HasPrefix(b.None, none) {
						want++
					}
				}
				if n := strings.Count(pdf, none); n != want {
					t.Errorf("the PDF says %q %d times, the window %d:\n%s", none, n, want, pdf)
				}
			}
		})
	}
	checkStatementTables(t, bound)
}

var update = flag.Bool("update", false, "rewrite testdata/statement_tables.json from the statements built")

const statementTablesFile = "testdata/statement_tables.json"

// checkStatementTables compares the statements the window receives with
// testdata/statement_tables.json (or rewrites it with -update).
func checkStatementTables(t *testing.T, bound map[string]json.RawMessage) {
	t.Helper()
	want, err := json.MarshalIndent(map[string]any{
		"comment": "Statements as the window receives them (Statements.Preview), with their summary rows and usage tables in Go's words. Written by " +
			"backend/statements/table_words_test.go (go test ./backend/statements -run TestStatementPDFPrintsTheWindowsTableWords -update), " +
			"which finds the same words in their PDFs; read by frontend/src/pages/Statements.test.ts, which shows them on the page.",
		"statements": bound,
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(statementTablesFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(statementTablesFile)
	if err != nil {
		t.Fatalf("%v (run go test ./backend/statements -run TestStatementPDFPrintsTheWindowsTableWords -update)", err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("%s is not what the window receives: run go test ./backend/statements -run TestStatementPDFPrintsTheWindowsTableWords -update and read the diff", statementTablesFile)
	}
}
