package statements

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Statements page showed only a workspace statement's usage by model:
// its usage by department, which the PDF prints under it, and both tables'
// totals were missing from the window. The statement now carries its
// usage tables ready to show (Breakdowns: heading, lines, total, words for
// none), the ones the PDF prints, so the page and the PDF cannot differ.
// By department splits the same charges as by model: with none, by model
// alone says so (its None; by department's is "", left out).
func TestStatementBreakdownsAreThePDFsTables(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3 (alice is 1)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: mar},
		{op: "transfer", from: "pool", to: "dept:1", amount: mustMinor("20"), at: mar.Add(time.Minute)},
		{op: "transfer", from: "pool", to: "dept:2", amount: mustMinor("1"), at: mar.Add(90 * time.Second)},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("2.5"), user: 1, model: "m", at: mar.Add(2 * time.Minute)},
		{op: "usage", from: "dept:1", to: "sys:usage", amount: mustMinor("3"), user: 1, dept: 1, model: "m", at: mar.Add(3 * time.Minute)},
	})
	const rd, d2 = `Research & Development, "R&D"`, "Vertrieb € department's credits"
	type table struct {
		by, heading, total, none string
		lines                    []string // name=amount/count
	}
	for _, c := range []struct {
		req  Request
		want []table
	}{
		{Request{Month: "2025-03"}, []table{
			{"model", "Usage by model", "5.5", "No usage this month.", []string{"m · provider unknown=5.5/2"}},
			{"department", "Usage by department", "5.5", "", []string{rd + "=3/1", "(no department)=2.5/1"}},
		}},
		{Request{Month: "2025-03", DepartmentID: 1}, []table{
			{"model", "Paid from " + rd + " department's credits, by model", "3", "No usage was paid from " + rd + " department's credits this month.", []string{"m · provider unknown=3/1"}},
			{"department", "Paid from " + rd + " department's credits, by department", "3", "", []string{rd + "=3/1"}},
		}},
		{Request{Month: "2025-03", DepartmentID: 2}, []table{
			{"model", "Paid from " + d2 + ", by model", "0", "No usage was paid from " + d2 + " this month.", nil},
			{"department", "Paid from " + d2 + ", by department", "0", "", nil}, // "none" once, by model
		}},
	} {
		st, err := e.st.Build(e.ctx, c.req)
		if err != nil {
			t.Fatal(err)
		}
		// What the window receives.
		raw, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Breakdowns []struct {
				By, Heading, Total, None string
				Lines                    []Line
			} `json:"breakdowns"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Breakdowns) != len(c.want) {
			t.Fatalf("%+v: %d breakdowns, want %d: %s", c.req, len(got.Breakdowns), len(c.want), raw)
		}
		if !strings.Contains(string(raw), `"lines":[]`) && len(c.want[0].lines) == 0 {
			t.Errorf("%+v: no lines must be [] for the page, not null: %s", c.req, raw)
		}
		_, pdf := e.statementFiles(t, st)
		flat := strings.Join(strings.Fields(pdf), " ")
		for i, w := range c.want {
			b := got.Breakdowns[i]
			var lines []string
			for _, l := range b.Lines {
				lines = append(lines, l.Name+"="+l.Amount+"/"+strconv.FormatInt(l.Count, 10))
			}
			if b.By != w.by || b.Heading != w.heading || b.Total != w.total || b.None != w.none || strings.Join(lines, ",") != strings.Join(w.lines, ",") {
				t.Errorf("%+v: breakdown %d = %+v %v, want %+v", c.req, i, b, lines, w)
			}
			// The PDF prints the same table: its heading, then its total or the words for none;
			// an empty one without words for none not at all. (A long heading is cut short with
			// "…" in the PDF.)
			if len(w.lines) == 0 && w.none == "" {
				if strings.Contains(flat, w.heading) {
					t.Errorf("%+v: the PDF prints the left-out table %q:\n%s", c.req, w.heading, pdf)
				}
				continue
			}
			if !strings.Contains(flat, strings.Join(strings.Fields(w.heading[:min(len(w.heading), 60)]), " ")) {
				t.Errorf("%+v: the PDF lacks the heading %q:\n%s", c.req, w.heading, pdf)
			}
			if len(w.lines) == 0 && !strings.Contains(flat, w.none) {
				t.Errorf("%+v: the PDF does not say %q under %q:\n%s", c.req, w.none, w.heading, pdf)
			}
		}
	}
}
