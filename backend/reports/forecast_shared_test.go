package reports

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestSharedBalanceNote: a member's run-out date is forecast only against
// their own wallet; the pool and a department's credits pay for others
// too, and the note says so in the reader's words.
func TestSharedBalanceNote(t *testing.T) {
	cases := []struct {
		account string
		self    bool
		want    string
	}{
		{"user:7", true, ""},
		{"user:7", false, ""},
		{"pool", true, "Your sends are charged to the workspace pool, which pays for other members' sends too, so your spending alone cannot tell when it runs out: no run-out date is forecast."},
		{"pool", false, "This member's sends are charged to the workspace pool, which pays for other members' sends too, so their spending alone cannot tell when it runs out: no run-out date is forecast."},
		{"dept:3", true, "Your sends are charged to your department's credits, which pay for its other members' sends too, so your spending alone cannot tell when it runs out: no run-out date is forecast."},
		{"dept:3", false, "This member's sends are charged to their department's credits, which pay for its other members' sends too, so their spending alone cannot tell when it runs out: no run-out date is forecast."},
		{"user:8", true, "Your sends are charged to the workspace pool"}, // another's wallet never happens; it is not theirs either
	}
	for _, c := range cases {
		got := sharedBalanceNote(c.account, 7, c.self)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("sharedBalanceNote(%q, 7, self %v) = %q, want %q", c.account, c.self, got, c.want)
		}
	}
}

// TestMemberForecastOfASharedBalance: the dashboard's forecast and
// Reports.Forecast (one function) give a member the pool or a department
// pays for their month-end spend but no run-out date, with the note; a
// member paid by their own wallet, and the workspace, keep the date.
func TestMemberForecastOfASharedBalance(t *testing.T) {
	f := newFixture(t)
	txs := []tx{
		{op: "topup", from: "sys:topup", to: "pool", amount: 1000 * c, at: "2025-03-01 09:00"},
		{op: "transfer", from: "pool", to: "user:1", amount: 100 * c, at: "2025-03-01 09:30"},
		{op: "transfer", from: "pool", to: "dept:1", amount: 100 * c, at: "2025-03-01 09:40"},
	}
	for d := 5; d <= 19; d++ {
		txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, model: "gpt-4o", at: fmt.Sprintf("2025-03-%02d 10:00", d)})
	}
	f.add(t, txs...)
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	admin := access.WithActor(context.Background(), access.Actor{UserID: 9, Role: access.RoleAdmin})
	payer := "pool"
	f.svc.SetPayer(func(context.Context, int64) (string, error) { return payer, nil })
	r := Range{From: "2025-03-01", To: "2025-03-31"}
	cases := []struct {
		payer      string
		ctx        context.Context
		userID     int64
		note       string // prefix; "" = a date and no note
		wantRunOut string
	}{
		{"pool", ann, 0, "Your sends are charged to the workspace pool", ""},
		{"dept:1", ann, 0, "Your sends are charged to your department's credits", ""},
		{"pool", admin, 1, "This member's sends are charged to the workspace pool", ""},
		{"user:1", ann, 0, "", "2025-05-09"},   // 100 credits at 2 a day: 50 days
		{"user:1", admin, 0, "", "2026-04-09"}, // the workspace: the pool's 770 at 2 a day, 385 days
	}
	for _, tc := range cases {
		payer = tc.payer
		fc, err := f.svc.Forecast(tc.ctx, tc.userID)
		if err != nil {
			t.Fatal(err)
		}
		fcs := []Forecast{fc}
		if tc.userID == 0 {
			d, err := f.svc.Dashboard(tc.ctx, r, 0)
			if err != nil {
				t.Fatal(err)
			}
			fcs = append(fcs, d.Forecast)
		}
		for _, got := range fcs {
			if got.MonthEnd != "52" { // 30 so far + 2 a day for the 11 days left: their own spending, whoever pays
				t.Errorf("%s/%d: month-end %s, want 52", tc.payer, tc.userID, got.MonthEnd)
			}
			if tc.note == "" {
				if got.RunOutNote != "" || got.RunOut != tc.wantRunOut || got.RunOutEarly == "" {
					t.Errorf("%s/%d: run-out %q (%q–%q), note %q; want %s and no note", tc.payer, tc.userID, got.RunOut, got.RunOutEarly, got.RunOutLate, got.RunOutNote, tc.wantRunOut)
				}
				continue
			}
			if !strings.HasPrefix(got.RunOutNote, tc.note) || got.RunOut != "" || got.RunOutEarly != "" || got.RunOutLate != "" {
				t.Errorf("%s/%d: run-out %q (%q–%q), note %q; want no date and the note %q…", tc.payer, tc.userID, got.RunOut, got.RunOutEarly, got.RunOutLate, got.RunOutNote, tc.note)
			}
		}
	}
}
