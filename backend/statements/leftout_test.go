package statements

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A member the pool pays for has a wallet that never moved: their
// statement leaves out its section of zeros (heading, summary, breakdowns,
// transactions) in the PDF, the CSV (no summary rows) and the page (the
// JSON's accountLeftOut), by one rule. A wallet with a balance, or one
// that moved in the month and is back at zero, keeps its section; the
// workspace's statement always has its summary.
func TestStatementLeavesOutAnOwnAccountWithNothingInIt(t *testing.T) {
	e := newEnv(t)
	feb := time.Date(2025, 2, 10, 12, 0, 0, 0, time.UTC)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		// alice (1): the pool pays for her messages; her wallet never moves.
		{op: "usage", from: "pool", to: "sys:usage", amount: 2_000_000_000, user: 1, model: "gpt-4o-mini", at: mar},
		// Αλέξης (3): 5 credits in her wallet since February, none used.
		{op: "transfer", from: "pool", to: "user:3", amount: 5_000_000_000, at: feb},
		// user 2: 1 credit in and back out in March (closing 0, but it moved).
		{op: "transfer", from: "pool", to: "user:2", amount: 1_000_000_000, at: mar},
		{op: "transfer", from: "user:2", to: "pool", amount: 1_000_000_000, at: mar.Add(time.Hour)},
		// Research (dept:1): credits from February.
		{op: "transfer", from: "pool", to: "dept:1", amount: 3_000_000_000, at: feb},
	})
	for _, c := range []struct {
		name    string
		req     Request
		leftOut bool
		section string // what only a kept section says
	}{
		{"pool-paid member", Request{Month: "2025-03", UserID: 1}, true, "Movements in"},
		{"pool-paid member, month without usage", Request{Month: "2025-02", UserID: 1}, true, "Movements in"},
		{"wallet with a balance, no entries", Request{Month: "2025-03", UserID: 3}, false, "Movements in"},
		{"wallet before its first credit", Request{Month: "2025-01", UserID: 3}, true, "Movements in"},
		{"wallet that moved and is back at zero", Request{Month: "2025-03", UserID: 2}, false, "Movements in"},
		{"department with credits", Request{Month: "2025-03", DepartmentID: 1}, false, "Movements in"},
		{"department with nothing", Request{Month: "2025-03", DepartmentID: 2}, true, "Movements in"},
		{"workspace with nothing", Request{Month: "2024-06"}, false, "Summary"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := e.st.Build(e.ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if st.AccountLeftOut != c.leftOut {
				t.Fatalf("AccountLeftOut = %v, want %v (opening %s, closing %s, lines %d)", st.AccountLeftOut, c.leftOut, st.Opening, st.Closing, st.Lines)
			}
			js, _ := json.Marshal(st)
			if got := strings.Contains(string(js), `"accountLeftOut":true`); got != c.leftOut {
				t.Errorf("the page's JSON says accountLeftOut %v, want %v: %s", got, c.leftOut, js)
			}
			rows, pdf := e.statementFiles(t, st)
			summary := 0
			for _, r := range rows {
				if r["section"] == "summary" {
					summary++
				}
			}
			if want := map[bool]int{true: 0, false: 9}[c.leftOut]; summary != want {
				t.Errorf("CSV has %d summary rows, want %d", summary, want)
			}
			for _, s := range []string{"Opening balance", "Closing balance", c.section} {
				if got := strings.Contains(pdf, s); got == c.leftOut {
					t.Errorf("PDF has %q: %v, want %v:\n%.1200s", s, got, !c.leftOut, pdf)
				}
			}
			if c.req.UserID == 1 && c.req.Month == "2025-03" {
				// What she used, and who paid, still say it all.
				for _, want := range []string{"Usage attributed to alice (any payer)", "gpt-4o-mini",
					"No movements in alice's wallet; their usage was paid from the workspace pool."} {
					if !strings.Contains(pdf, want) {
						t.Errorf("PDF lacks %q:\n%.1200s", want, pdf)
					}
				}
			}
		})
	}
}

// In the month not over yet, a statement whose own account is left out says
// in its message what the section of zeros no longer shows: nothing so far,
// or who paid for what they used. A wallet with a balance keeps its section
// and the plain message. A month not started yet carries a balance forward
// only where the section shows one: left out, it says there is no activity.
func TestCurrentMonthMessageWhenTheAccountIsLeftOut(t *testing.T) {
	e := newEnv(t)
	may := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC) // fixedNow is 2025-05-02 12:00 UTC
	e.insert(t, []entry{
		{op: "usage", from: "pool", to: "sys:usage", amount: 2_000_000_000, user: 1, model: "gpt-4o-mini", at: may},
		{op: "transfer", from: "pool", to: "user:3", amount: 5_000_000_000, at: may.AddDate(0, -1, 0)},
	})
	const notOver = "This month is not over yet: the statement covers activity up to 2025-05-02T12:00:00Z."
	const future = "This month has not started yet"
	for _, c := range []struct {
		month   string
		user    int64
		leftOut bool
		want    string
	}{
		{"2025-05", 1, true, notOver + " No movements in alice's wallet so far; their usage was paid from the workspace pool."},
		{"2025-05", 2, true, notOver + " No activity so far."},
		{"2025-05", 3, false, notOver},
		{"2025-06", 1, true, future + ": there is no activity."},
		{"2025-06", 2, true, future + ": there is no activity."},
		{"2025-06", 3, false, future + ": the statement shows the balance carried forward and no activity."},
	} {
		st, err := e.st.Build(e.ctx, Request{Month: c.month, UserID: c.user})
		if err != nil {
			t.Fatal(err)
		}
		if st.AccountLeftOut != c.leftOut {
			t.Errorf("%s member %d: AccountLeftOut %v, want %v", c.month, c.user, st.AccountLeftOut, c.leftOut)
		}
		if st.Message != c.want {
			t.Errorf("%s member %d: message %q, want %q", c.month, c.user, st.Message, c.want)
		}
		rows, pdf := e.statementFiles(t, st)
		if got := csvMessage(rows); got != c.want {
			t.Errorf("%s member %d: CSV message %q, want %q", c.month, c.user, got, c.want)
		}
		// The PDF says the time as its lines and the Statements page do.
		if want := strings.Replace(c.want, "2025-05-02T12:00:00Z", "2025-05-02 12:00", 1); !strings.Contains(pdf, want) {
			t.Errorf("%s member %d: PDF lacks %q:\n%.900s", c.month, c.user, want, pdf)
		}
	}
}
