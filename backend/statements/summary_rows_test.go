package statements

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/money"
)

// The Statements page wrote its balance summary's row labels itself, apart
// from the PDF's (pdfSummary), and they differed: the page had one
// "Transfers in / out" row ("40.00 credits / −5.00 credits") where the PDF
// has "Transfers in" and "Transfers out". The statement now carries its
// summary rows (Statement.Summary: label and signed amount, in order, made
// once by summaryRows), the PDF prints exactly those and the page shows
// what it receives. This checks that the answer the window receives has
// the rows, one layout (the PDF's nine rows, transfers in and out apart),
// and that the PDF prints each of them, in order, as the window shows it.
func TestStatementPDFPrintsTheWindowsSummaryRows(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3 (alice is 1)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("1000"), price: 1000, at: mar},
		{op: "transfer", from: "pool", to: "dept:1", amount: mustMinor("40"), at: mar.Add(time.Minute)},
		{op: "transfer", from: "dept:1", to: "pool", amount: mustMinor("5"), at: mar.Add(2 * time.Minute)},
		{op: "usage", from: "dept:1", to: "sys:usage", amount: mustMinor("1234.5"), user: 1, dept: 1, model: "m", at: mar.Add(3 * time.Minute)},
		{op: "refund", from: "sys:refund", to: "dept:1", amount: mustMinor("2"), at: mar.Add(4 * time.Minute)},
		{op: "adjustment", from: "sys:adjust", to: "dept:1", amount: mustMinor("3"), at: mar.Add(5 * time.Minute)},
		{op: "expiry", from: "dept:1", to: "sys:expiry", amount: mustMinor("0.25"), at: mar.Add(6 * time.Minute)},
		{op: "transfer", from: "pool", to: "user:3", amount: mustMinor("7"), at: mar.Add(7 * time.Minute)},
	})
	type row struct {
		Key, Label, Amount string
		Balance            bool
	}
	for _, c := range []struct {
		name string
		req  Request
		want []row // labels and amounts, in order
	}{
		{"workspace", Request{Month: "2025-03"}, []row{
			{"opening", "Opening balance", "0", true}, {"topUps", "Top-ups", "1000", false}, {"usage", "Usage", "-1234.5", false},
			{"refunds", "Refunds", "2", false}, {"transfersIn", "Transfers in", "0", false}, {"transfersOut", "Transfers out", "0", false},
			{"adjustments", "Adjustments", "3", false}, {"expiry", "Expired", "-0.25", false}, {"closing", "Closing balance", "-229.75", true}}},
		{"department", Request{Month: "2025-03", DepartmentID: 1}, []row{
			{"opening", "Opening balance", "0", true}, {"topUps", "Top-ups", "0", false},
			{"usage", "Usage paid from " + team1Credits(t, e), "-1234.5", false},
			{"refunds", "Refunds", "2", false}, {"transfersIn", "Transfers in", "40", false}, {"transfersOut", "Transfers out", "-5", false},
			{"adjustments", "Adjustments", "3", false}, {"expiry", "Expired", "-0.25", false}, {"closing", "Closing balance", "-1194.75", true}}},
		{"member", Request{Month: "2025-03", UserID: 3}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.st.Build(e.ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(st) // what the window receives (Statements.Preview)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Summary []row `json:"summary"`
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Summary) != 9 {
				t.Fatalf("the window receives %d summary rows, want the nine the PDF prints: %s", len(got.Summary), raw)
			}
			if c.want != nil {
				for i, w := range c.want {
					if got.Summary[i] != w {
						t.Errorf("summary row %d is %+v, want %+v", i, got.Summary[i], w)
					}
				}
			}
			_, pdf := e.statementFiles(t, st)
			at := 0
			// Each row in order: its label, then its amount, nothing
			// between them but the rest of the label (a long one is cut
			// short with "…" in the PDF: its first 40 characters are found).
			for _, r := range got.Summary {
				label := []rune(strings.Join(strings.Fields(r.Label), " "))
				head, rest := string(label[:min(len(label), 40)]), string(label[min(len(label), 40):])
				amount := money.DisplayString(r.Amount)
				i := strings.Index(pdf[at:], head)
				if i < 0 {
					t.Fatalf("the PDF lacks the summary row %q after %q:\n%s", r.Label, pdf[:at], pdf)
				}
				at += i + len(head)
				j := strings.Index(pdf[at:], " "+amount)
				between := pdf[at : at+max(j, 0)]
				if j < 0 || between != rest && !(strings.HasSuffix(between, "…") && strings.HasPrefix(rest, strings.TrimSuffix(between, "…"))) {
					t.Fatalf("the PDF's row %q does not read %q %s:\n%s", head+between, r.Label, amount, pdf)
				}
				at += j + 1 + len(amount)
			}
			if strings.Contains(pdf, "Transfers in / out") {
				t.Errorf("the PDF prints the page's former row: %s", pdf)
			}
		})
	}
}

// team1Credits is department 1's account as a statement names it.
func team1Credits(t *testing.T, e *env) string {
	t.Helper()
	st, err := e.st.Build(e.ctx, Request{Month: "2025-03", DepartmentID: 1})
	if err != nil {
		t.Fatal(err)
	}
	return st.AccountName
}
