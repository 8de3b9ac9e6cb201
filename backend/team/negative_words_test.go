package team

import (
	"errors"
	"strings"
	"testing"
)

// A negative amount in a field that names itself says "amount" at most
// once: "limit -5 is negative", "monthly cap -10 is negative", where it
// read "limit amount: amount -5 is negative" and "monthly cap: amount -10
// is negative" (Team → Limits, auto-recharge and departments in the
// window, as "Monthly cap -10 is negative"). Nothing is written.
func TestANegativeAmountNamesItsFieldOnce(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	dept, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, e.db)
	for _, c := range []struct {
		name string
		do   func() error
		says string
	}{
		{"daily limit", func() error {
			_, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "-5"})
			return err
		}, "invalid input: limit -5 is negative"},
		{"model limit", func() error {
			_, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Period: PeriodDay, Amount: " -0.5 "})
			return err
		}, "invalid input: limit -0.5 is negative"},
		{"limit not a number", func() error {
			_, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "ten"})
			return err
		}, `invalid input: limit: "ten": not a decimal number`},
		{"recharge threshold", func() error {
			_, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dept.Account, Threshold: "-1", Amount: "5", MonthlyCap: "10"})
			return err
		}, "invalid input: threshold -1 is negative"},
		{"recharge amount", func() error {
			_, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dept.Account, Threshold: "1", Amount: "-5", MonthlyCap: "10"})
			return err
		}, "invalid input: amount -5 is negative"},
		{"recharge monthly cap", func() error {
			_, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dept.Account, Threshold: "1", Amount: "5", MonthlyCap: "-10"})
			return err
		}, "invalid input: monthly cap -10 is negative"},
		{"alert threshold", func() error {
			_, err := e.svc.SetAlertSettings(ctx, AlertSettings{Absolute: []string{"-3"}})
			return err
		}, "invalid input: absolute threshold -3 is negative"},
		{"department budget", func() error {
			_, err := e.svc.UpdateDepartment(ctx, dept.ID, DepartmentInput{Name: "Ops", Overdraft: "0", Budget: "-2"})
			return err
		}, "invalid input: budget -2 is negative"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			if !errors.Is(err, ErrInvalid) || !strings.HasSuffix(err.Error(), c.says) || strings.Count(err.Error(), "amount") > 1 {
				t.Errorf("%v; want %q", err, c.says)
			}
		})
	}
	if dump(t, e.db) != before {
		t.Fatal("a refused amount was written")
	}
}
