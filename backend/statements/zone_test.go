package statements

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestStatementMonthInWorkspaceZone: a statement month runs from local
// midnight of the 1st to the next month's, in the workspace zone (across a
// DST change), its lines are printed in local time, and a top-up's invoice
// is dated on its local date.
func TestStatementMonthInWorkspaceZone(t *testing.T) {
	e := newEnv(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: at("2025-03-01T07:00:00Z")},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("1"), model: "a", at: at("2025-03-01T07:59:00Z")}, // LA: Feb 28 23:59 PST
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("2"), model: "b", at: at("2025-03-01T08:00:00Z")}, // LA: Mar 1 00:00 PST
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("4"), model: "c", at: at("2025-04-01T06:59:00Z")}, // LA: Mar 31 23:59 PDT
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("8"), model: "d", at: at("2025-04-01T07:00:00Z")}, // LA: Apr 1 00:00 PDT
	})
	for _, c := range []struct {
		zone, usage, opening string
		lines                int64
		generated            string
		pdfTimes             []string
	}{
		{"UTC", "3", "0", 3, "2025-05-02T12:00:00Z", []string{"2025-03-01 07:00", "2025-03-01 07:59", "2025-03-01 08:00"}},
		{"America/Los_Angeles", "6", "99", 2, "2025-05-02T05:00:00-07:00", []string{"2025-03-01 00:00", "2025-03-31 23:59"}},
	} {
		t.Run(c.zone, func(t *testing.T) {
			e.setZone(t, c.zone)
			st, err := e.st.Build(e.ctx, Request{Month: "2025-03"})
			if err != nil {
				t.Fatal(err)
			}
			if st.Usage != c.usage || st.Opening != c.opening || st.Lines != c.lines || st.TimeZone != c.zone || st.Generated != c.generated {
				t.Errorf("usage %s opening %s lines %d zone %s generated %s, want %s %s %d %s %s",
					st.Usage, st.Opening, st.Lines, st.TimeZone, st.Generated, c.usage, c.opening, c.lines, c.zone, c.generated)
			}
			var csvOut bytes.Buffer
			if err := e.st.WriteCSV(e.ctx, st, &csvOut, nil); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(csvOut.String(), "statement,,,time_zone,"+c.zone+",") {
				t.Errorf("the CSV does not name the zone:\n%s", csvOut.String())
			}
			var pdf bytes.Buffer
			if err := e.st.WritePDF(e.ctx, st, &pdf, nil); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf.Bytes())
			for _, want := range append([]string{"Month 2025-03 (" + c.zone + ")", "Closing balance"}, c.pdfTimes...) {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF lacks %q:\n%s", want, text)
				}
			}
		})
	}
	// The top-up at 07:00Z on 1 March is invoiced on 28 February in Los Angeles.
	if _, err := e.st.IssuePending(e.ctx); err != nil {
		t.Fatal(err)
	}
	invs, err := e.st.Invoices(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 1 || invs[0].IssueDate != "2025-02-28" {
		t.Errorf("invoices %+v, want one dated 2025-02-28", invs)
	}
}
