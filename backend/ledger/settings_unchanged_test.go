package ledger

import (
	"testing"

	"meterdesk/backend/audit/audittest"
)

// TestSettingsUnchangedAreNotAudited: what a credit is worth and how long
// lots are valid, saved as they are in force (0.02 and 0.020 alike; the
// defaults before any save), write nothing and no credits.value or
// credits.lot_validity entry; a real change is still audited. Before,
// every save wrote one.
func TestSettingsUnchangedAreNotAudited(t *testing.T) {
	e := newEnv(t)
	value := func(amount, currency string) func() error {
		return func() error { return e.s.SetCreditValue(adminCtx, CreditValue{Amount: amount, Currency: currency}) }
	}
	validity := func(months int) func() error {
		return func() error { return e.s.SetLotValidity(adminCtx, months) }
	}
	for _, c := range []struct {
		name   string
		do     func() error
		action string // the entry a change writes; "" = unchanged
	}{
		{"the default credit value", value(DefaultCreditValue.Amount, DefaultCreditValue.Currency), ""},
		{"a credit value", value("0.02", "EUR"), "credits.value"},
		{"the same written 0.020", value(" 0.020", "EUR"), ""},
		{"another currency", value("0.02", "USD"), "credits.value"},
		{"the default validity", validity(DefaultLotValidityMonths), ""},
		{"a validity", validity(DefaultLotValidityMonths + 1), "credits.lot_validity"},
		{"the same validity", validity(DefaultLotValidityMonths + 1), ""},
		{"never", validity(0), "credits.lot_validity"},
		{"never again", validity(0), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, snap := len(audittest.Entries(t, e.db)), e.snapshot(t)
			if err := c.do(); err != nil {
				t.Fatal(err)
			}
			got := audittest.Entries(t, e.db)
			if c.action == "" {
				if len(got) != entries {
					t.Fatalf("an unchanged setting was audited: %+v", got[len(got)-1])
				}
				if e.snapshot(t) != snap {
					t.Fatal("an unchanged setting wrote something")
				}
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != c.action {
				t.Fatalf("entries written: %+v, want one %s", got[entries:], c.action)
			}
		})
	}
}
