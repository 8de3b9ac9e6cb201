package team

import (
	"strings"
	"testing"
	"time"

	"meterdesk/backend/workzone"
)

// TestAutoRechargeCountsInTheMonthItsTransferIsStamped: a recharge that
// starts in a month's last millisecond (23:59:59.999 on its last day in the
// workspace zone) and whose transfer is stamped a millisecond later, in the
// next month, counts against the next month's cap, the month its transfer
// and the statements show it in. Its month was read before the transfer:
// it was logged against the month before, and the next month recharged a
// second time over its cap. On last days with a DST change too (Berlin's
// 23-hour 31 March 2030 and 25-hour 31 October 2027) and over a year's end.
func TestAutoRechargeCountsInTheMonthItsTransferIsStamped(t *testing.T) {
	cases := []struct {
		zone      string
		last      string // the month's last day, in zone
		wantMonth string // the month the transfer is stamped in
	}{
		{"Europe/Berlin", "2026-05-31", "2026-06"},
		{"Europe/Berlin", "2030-03-31", "2030-04"}, // the clocks go forward that morning
		{"Europe/Berlin", "2027-10-31", "2027-11"}, // the clocks go back that morning
		{"America/New_York", "2026-11-30", "2026-12"},
		{"Australia/Sydney", "2026-12-31", "2027-01"},
	}
	for _, c := range cases {
		t.Run(c.zone+" "+c.last, func(t *testing.T) {
			e := newEnv(t).setup(c.zone)
			ctx := e.adminCtx()
			loc, err := workzone.Location(c.zone)
			if err != nil {
				t.Fatal(err)
			}
			day, _ := time.Parse(time.DateOnly, c.last)
			e.clock.Set(workzone.At(day, 12*time.Hour, loc))
			e.topUp("pool", "10000")
			dep := e.department("Ops")
			if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "50", Amount: "100", MonthlyCap: "100", Enabled: true}); err != nil {
				t.Fatal(err)
			}
			carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = dep.ID })
			spend := func(credits, wantBalance string) {
				t.Helper()
				if err := e.use(carol, dep.Account, "m", credits); err != nil {
					t.Fatal(err)
				}
				e.afterCharge(t, dep.Account)
				if got := e.balance(dep.Account); got != wantBalance {
					t.Fatalf("balance %s, want %s", got, wantBalance)
				}
			}

			// The month's last millisecond; the transfer is stamped one later.
			e.clock.Set(workzone.At(day, 24*time.Hour-time.Millisecond, loc))
			beforeRechargeTransfer = func() { e.clock.Add(time.Millisecond) }
			t.Cleanup(func() { beforeRechargeTransfer = func() {} })
			spend("60", "140") // 40 < 50: +100
			beforeRechargeTransfer = func() {}

			var month, at, stamped string
			if err := e.db.Read().QueryRow("SELECT month, at FROM auto_recharge_log WHERE account = ?", dep.Account).Scan(&month, &at); err != nil {
				t.Fatal(err)
			}
			if err := e.db.Read().QueryRow(`SELECT t.created_at FROM ledger_transfers t JOIN ledger_accounts c ON c.id = t.credit_id
				WHERE c.code = ? AND t.meta LIKE '%autoRecharge%'`, dep.Account).Scan(&stamped); err != nil {
				t.Fatal(err)
			}
			if month != c.wantMonth {
				t.Errorf("the recharge stamped %s counts in %s, want %s", stamped, month, c.wantMonth)
			}
			if got := mustParse(t, stamped); !strings.HasPrefix(got.In(loc).Format(time.DateOnly), c.wantMonth) {
				t.Errorf("the transfer is stamped %s (%s there), want in %s", stamped, got.In(loc), c.wantMonth)
			}
			if !mustParse(t, at).Equal(mustParse(t, stamped)) {
				t.Errorf("logged at %s, the transfer stamped %s: want one instant", at, stamped)
			}

			// Later that month the cap of 100 is spent: no second recharge.
			e.clock.Add(time.Hour)
			spend("100", "40")
			rules, _ := e.svc.ListAutoRecharge(ctx)
			if len(rules) != 1 || rules[0].ThisMonth != "100" {
				t.Errorf("rules %+v, want 100 recharged in %s", rules, c.wantMonth)
			}
			found := false
			for _, n := range notifications(e) {
				found = found || n.Title == "Auto-recharge cap reached" && strings.Contains(n.Body, "for "+c.wantMonth)
			}
			if !found {
				t.Errorf("no cap-reached notification for %s", c.wantMonth)
			}
		})
	}
}

func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}
