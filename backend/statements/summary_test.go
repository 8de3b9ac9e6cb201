package statements

import (
	"fmt"
	"testing"
	"time"
)

// TestStatementSummaryFieldByField: each summary field of a month with one
// transaction of every kind is exactly what happened, with the signs the
// Statement documents (Usage, TransfersOut and Expiry as positive amounts
// taken away), and Closing = Opening + TopUps - Usage + Refunds +
// TransfersIn - TransfersOut + Adjustments - Expiry; for the workspace and
// for a department. A charge at the very instant a month starts is that
// month's, one at the instant the next starts is the next month's, in the
// totals and in the usage by model and by cost centre alike.
func TestStatementSummaryFieldByField(t *testing.T) {
	e := newEnv(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	m := mustMinor
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: m("200"), price: 100, at: at("2025-02-10T00:00:00Z")},
		{op: "transfer", from: "pool", to: "dept:1", amount: m("100"), at: at("2025-02-11T00:00:00Z")},
		// March: every kind once, on dept:1.
		{op: "usage", from: "dept:1", to: "sys:usage", amount: m("1"), model: "first", dept: 2, at: at("2025-03-01T00:00:00Z")},
		{op: "topup", from: "sys:topup", to: "dept:1", amount: m("20"), price: 10, at: at("2025-03-02T00:00:00Z")},
		{op: "usage", from: "dept:1", to: "sys:usage", amount: m("10"), model: "a", dept: 1, at: at("2025-03-03T00:00:00Z")},
		{op: "refund", from: "sys:refund", to: "dept:1", amount: m("2"), at: at("2025-03-04T00:00:00Z")},
		{op: "transfer", from: "pool", to: "dept:1", amount: m("40"), at: at("2025-03-05T00:00:00Z")},
		{op: "transfer", from: "dept:1", to: "pool", amount: m("5"), at: at("2025-03-06T00:00:00Z")},
		{op: "adjustment", from: "sys:adjust", to: "dept:1", amount: m("3"), at: at("2025-03-07T00:00:00Z")},
		{op: "adjustment", from: "dept:1", to: "sys:adjust", amount: m("1"), at: at("2025-03-08T00:00:00Z")},
		{op: "expiry", from: "dept:1", to: "sys:expiry", amount: m("5"), at: at("2025-03-09T00:00:00Z")},
		// The first instant of April.
		{op: "usage", from: "dept:1", to: "sys:usage", amount: m("7"), model: "boundary", dept: 2, at: at("2025-04-01T00:00:00Z")},
	})
	dept1, dept2 := deptName(t, e, 1), deptName(t, e, 2)
	type sum struct{ opening, topUps, usage, refunds, in, out, adjustments, expiry, closing string }
	for _, c := range []struct {
		name    string
		req     Request
		want    sum
		byModel []Line
		byCost  []Line
	}{
		{"workspace, March", Request{Month: "2025-03"},
			sum{"200", "20", "11", "2", "0", "0", "2", "5", "208"},
			[]Line{{Name: "a · provider unknown", Amount: "10", Count: 1}, {Name: "first · provider unknown", Amount: "1", Count: 1}},
			[]Line{{Name: dept1, Amount: "10", Count: 1}, {Name: dept2, Amount: "1", Count: 1}}},
		{"department, March", Request{Month: "2025-03", DepartmentID: 1},
			sum{"100", "20", "11", "2", "40", "5", "2", "5", "143"},
			[]Line{{Name: "a · provider unknown", Amount: "10", Count: 1}, {Name: "first · provider unknown", Amount: "1", Count: 1}},
			[]Line{{Name: dept1, Amount: "10", Count: 1}, {Name: dept2, Amount: "1", Count: 1}}},
		{"department, April", Request{Month: "2025-04", DepartmentID: 1},
			sum{"143", "0", "7", "0", "0", "0", "0", "0", "136"},
			[]Line{{Name: "boundary · provider unknown", Amount: "7", Count: 1}},
			[]Line{{Name: dept2, Amount: "7", Count: 1}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.st.Build(e.ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			got := sum{st.Opening, st.TopUps, st.Usage, st.Refunds, st.TransfersIn, st.TransfersOut, st.Adjustments, st.Expiry, st.Closing}
			if got != c.want {
				t.Errorf("summary %+v\nwant    %+v", got, c.want)
			}
			identity := m(st.Opening) + m(st.TopUps) - m(st.Usage) + m(st.Refunds) + m(st.TransfersIn) - m(st.TransfersOut) +
				m(st.Adjustments) - m(st.Expiry)
			if identity != m(st.Closing) {
				t.Errorf("opening + top-ups - usage + refunds + in - out + adjustments - expiry = %d, closing %d", identity, m(st.Closing))
			}
			if g, w := plain(st.UsageByModel), plain(c.byModel); g != w {
				t.Errorf("usage by model %s, want %s", g, w)
			}
			if g, w := plain(st.UsageByCostCentre), plain(c.byCost); g != w {
				t.Errorf("usage by cost centre %s, want %s", g, w)
			}
		})
	}
}

// plain renders lines as name=amount×count.
func plain(ls []Line) string {
	s := ""
	for _, l := range ls {
		s += fmt.Sprintf("%s=%s×%d; ", l.Name, l.Amount, l.Count)
	}
	return s
}

// deptName is department id's name as statements label it.
func deptName(t *testing.T, e *env, id int64) string {
	t.Helper()
	var n string
	if err := e.db.Read().QueryRow(`SELECT md_department_label(name, archived) FROM departments WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
