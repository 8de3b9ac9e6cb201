package statements

import (
	"strings"
	"testing"
	"time"
)

// The statement PDF says what the Statements page says: a breakdown counts
// "Messages" (each usage charge is one message), departments are
// "department" (the Usage page's word, not "cost centre"), expired credits
// are "Expired", and the other account of a line is named as the window
// names it ("Workspace pool", "alice's wallet", not the codes "pool" and
// "user:1"); a bookkeeping account (sys:refund) is left to the line's type.
func TestStatementPDFUsesThePagesWords(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3 (alice is 1)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: mar},
		{op: "transfer", from: "pool", to: "user:1", amount: mustMinor("10"), at: mar.Add(time.Minute)},
		{op: "transfer", from: "pool", to: "dept:1", amount: mustMinor("20"), at: mar.Add(2 * time.Minute)},
		{op: "transfer", from: "user:1", to: "dept:1", amount: mustMinor("1"), at: mar.Add(3 * time.Minute)},
		{op: "usage", from: "user:1", to: "sys:usage", amount: mustMinor("2"), user: 1, model: "m", at: mar.Add(4 * time.Minute)},
		{op: "usage", from: "dept:1", to: "sys:usage", amount: mustMinor("3"), user: 1, dept: 1, model: "m", at: mar.Add(5 * time.Minute)},
		{op: "refund", from: "sys:refund", to: "user:1", amount: mustMinor("0.5"), at: mar.Add(6 * time.Minute)},
		{op: "expiry", from: "user:1", to: "sys:expiry", amount: mustMinor("0.25"), at: mar.Add(7 * time.Minute)},
	})
	for _, c := range []struct {
		req       Request
		want, not []string
	}{
		{Request{Month: "2025-03"}, []string{"Messages", "Usage by department", "Expired", "(no department)"},
			[]string{"cost centre", "Expired credits", "(no cost"}},
		{Request{Month: "2025-03", UserID: 1}, []string{"Messages", "by department", "Expired",
			"Transfer in Workspace pool", "Transfer out Research & Development"},
			[]string{"cost centre", "Expired credits", "in pool", "user:", "dept:", "sys:"}},
		{Request{Month: "2025-03", DepartmentID: 1}, []string{"Statement — Research & Development", "Messages", "Transfer in Workspace pool",
			"Transfer in alice's wallet"},
			[]string{"cost centre", "user:", "dept:", "sys:", "Statement — department", "\"R&D\"'s credits"}},
	} {
		st, err := e.st.Build(e.ctx, c.req)
		if err != nil {
			t.Fatal(err)
		}
		_, pdf := e.statementFiles(t, st)
		flat := strings.Join(strings.Fields(pdf), " ")
		for _, w := range c.want {
			if !strings.Contains(flat, w) {
				t.Errorf("%+v: the PDF lacks %q:\n%s", c.req, w, pdf)
			}
		}
		for _, w := range c.not {
			if strings.Contains(flat, w) {
				t.Errorf("%+v: the PDF still says %q:\n%s", c.req, w, pdf)
			}
		}
		if strings.Contains(flat, "Name Transactions") {
			t.Errorf("%+v: a breakdown counts Transactions, the page's Messages:\n%s", c.req, pdf)
		}
	}
}
