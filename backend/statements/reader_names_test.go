package statements

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
)

// A member's statement PDF names the other account of a line only as the
// window names it for them (team.AccountNames' one rule): their own wallet
// and their department by name, another member's wallet and another
// department as "Member 3's wallet" and "Department 2's credits", as their
// Credits and Usage pages read "Member 3" and "Department 2". It named
// them ("carol's wallet", "Legal department's credits") when their wallet
// gave credits to, or got them from, another member or department, which
// the window keeps from a member. An admin's PDF of the same statement
// names every account.
func TestStatementPDFNamesOnlyWhatTheReaderMaySee(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3; alice (1) and Αλέξης (3) in department 1
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "transfer", from: "pool", to: "user:1", amount: mustMinor("10"), at: mar},
		{op: "transfer", from: "user:1", to: "user:2", amount: mustMinor("1"), at: mar.Add(time.Minute)},
		{op: "transfer", from: "user:1", to: "dept:2", amount: mustMinor("1"), at: mar.Add(2 * time.Minute)},
		{op: "transfer", from: "user:1", to: "dept:1", amount: mustMinor("1"), at: mar.Add(3 * time.Minute)},
		{op: "transfer", from: "user:3", to: "user:1", amount: mustMinor("0.5"), at: mar.Add(4 * time.Minute)},
	})
	alice := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleMember})
	for _, c := range []struct {
		who       string
		ctx       context.Context
		want, not []string
	}{
		{"alice herself", alice,
			[]string{"Transfer in Workspace pool", "Transfer out Member 2's wallet", "Transfer out Department 2's credits",
				"Transfer out Research & Development", "Transfer in Member 3's wallet"},
			[]string{"Vertrieb", "Αλέξης", "Jürgen", "HYPERLINK", "user:", "dept:"}},
		{"an admin", e.ctx,
			[]string{"Transfer in Workspace pool", "Transfer out Vertrieb € department's", "Transfer out Research & Development",
				"Transfer in Αλέξης's wallet", "Jürgen"},
			[]string{"Member 2", "Member 3", "Department 2", "user:", "dept:"}},
	} {
		st, err := e.st.Build(c.ctx, Request{Month: "2025-03", UserID: 1})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := e.st.WritePDF(c.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(pdfText(t, b.Bytes())), " ")
		for _, w := range c.want {
			if !strings.Contains(flat, w) {
				t.Errorf("%s: the PDF lacks %q:\n%s", c.who, w, flat)
			}
		}
		for _, w := range c.not {
			if strings.Contains(flat, w) {
				t.Errorf("%s: the PDF says %q:\n%s", c.who, w, flat)
			}
		}
	}
}
