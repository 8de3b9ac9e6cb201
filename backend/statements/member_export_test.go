package statements

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/reports"
)

// TestMemberExportsHoldOnlyTheirOwn: a member's statement (CSV, detailed
// CSV, PDF) and transaction CSV, made as that member, carry their own
// usage and credits only: not another member's usage from the pool, from
// the department they share or from that member's wallet, nor credits
// given to another wallet; asking for another member's is refused.
func TestMemberExportsHoldOnlyTheirOwn(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	// Members 2 and 3 are both in department 2; member 3 exports.
	e.insert(t, []entry{
		{op: "transfer", from: "pool", to: "user:3", amount: 50_000_000_000, at: mar},
		{op: "transfer", from: "pool", to: "user:2", amount: 70_000_000_000, at: mar},
		{op: "usage", from: "user:3", to: "sys:usage", amount: 1_000_000_000, user: 3, dept: 2, model: "mine-wallet-model", conv: 1, at: mar.Add(time.Hour)},
		{op: "usage", from: "pool", to: "sys:usage", amount: 2_000_000_000, user: 3, dept: 2, model: "mine-pool-model", conv: 1, at: mar.Add(2 * time.Hour)},
		{op: "usage", from: "dept:2", to: "sys:usage", amount: 3_000_000_000, user: 3, dept: 2, model: "mine-dept-model", conv: 1, at: mar.Add(3 * time.Hour)},
		{op: "usage", from: "user:2", to: "sys:usage", amount: 4_000_000_000, user: 2, dept: 2, model: "other-wallet-model", conv: 2, at: mar.Add(4 * time.Hour)},
		{op: "usage", from: "pool", to: "sys:usage", amount: 5_000_000_000, user: 2, dept: 2, model: "other-pool-model", conv: 2, at: mar.Add(5 * time.Hour)},
		{op: "usage", from: "dept:2", to: "sys:usage", amount: 6_000_000_000, user: 2, dept: 2, model: "other-dept-model", conv: 2, at: mar.Add(6 * time.Hour)},
		{op: "usage", from: "pool", to: "sys:usage", amount: 7_000_000_000, user: 1, dept: 1, model: "other-alice-model", conv: 3, at: mar.Add(7 * time.Hour)},
	})
	member := access.WithActor(context.Background(), access.Actor{UserID: 3, Name: "Αλέξης", Role: access.RoleMember})
	if _, err := e.st.Build(member, Request{Month: "2025-03", UserID: 2}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("another member's statement: %v, want refused", err)
	}
	if err := e.st.WriteTransactionsCSV(member, reports.Filter{UserID: 2}, &bytes.Buffer{}, nil); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("another member's transactions: %v, want refused", err)
	}
	st, err := e.st.Build(member, Request{Month: "2025-03", UserID: 3})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var b bytes.Buffer
	if err := e.st.WriteCSV(member, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	files["statement CSV"] = b.String()
	b.Reset()
	if err := e.st.WriteDetailCSV(member, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	files["detailed CSV"] = b.String()
	b.Reset()
	if err := e.st.WritePDF(member, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	files["PDF"] = strings.Join(strings.Fields(pdfText(t, b.Bytes())), " ")
	for name, f := range map[string]reports.Filter{"transactions CSV": {}, "transactions CSV of member 3": {UserID: 3}} {
		b.Reset()
		if err := e.st.WriteTransactionsCSV(member, f, &b, nil); err != nil {
			t.Fatal(err)
		}
		files[name] = b.String()
	}
	for name, text := range files {
		for _, other := range []string{"other-", "user:2", "user:1", "alice", "Jürgen", "HYPERLINK"} {
			if strings.Contains(text, other) {
				t.Errorf("%s holds %q, another member's:\n%.1200s", name, other, text)
			}
		}
	}
	for _, name := range []string{"detailed CSV", "transactions CSV"} {
		for _, mine := range []string{"mine-wallet-model", "mine-pool-model", "mine-dept-model"} {
			if !strings.Contains(files[name], mine) {
				t.Errorf("%s lacks the member's own %q:\n%.1200s", name, mine, files[name])
			}
		}
	}
}
