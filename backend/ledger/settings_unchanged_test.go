package ledger

import (
	"context"
	"errors"
	"testing"

	"meterdesk/backend/audit/audittest"
)

// TestSettingsUnchangedAreNotAudited: what a credit is worth and how long
// lots are valid, saved as they are stored (0.02 and 0.020 alike), write
// nothing and no credits.value or credits.lot_validity entry, and say so
// (Unchanged); a real change is still audited and says Unchanged false.
// The default set explicitly while none is stored is stored (a later
// version's other default must not change it) and audited with the
// default marked as what was before; the same again is then unchanged.
// Refused values write nothing. Before, the default given explicitly was
// not stored, and neither report said whether anything changed.
func TestSettingsUnchangedAreNotAudited(t *testing.T) {
	e := newEnv(t)
	value := func(amount, currency string) func() (bool, error) {
		return func() (bool, error) {
			ch, err := e.s.ChangeCreditValue(adminCtx, CreditValue{Amount: amount, Currency: currency})
			return ch.Unchanged, err
		}
	}
	validity := func(months int) func() (bool, error) {
		return func() (bool, error) {
			ch, err := e.s.ChangeLotValidity(adminCtx, months)
			if err == nil && ch.Months != months {
				t.Fatalf("ChangeLotValidity(%d) reports %d months", months, ch.Months)
			}
			return ch.Unchanged, err
		}
	}
	for _, c := range []struct {
		name   string
		do     func() (bool, error)
		action string // the entry a change writes; "" = unchanged
		before string // the entry's before (a change only)
		err    error  // refused: nothing written
	}{
		{"the default credit value, none stored", value(DefaultCreditValue.Amount, DefaultCreditValue.Currency), "credits.value",
			`{"amount":"0.01","currency":"EUR","default":true}`, nil},
		{"the default credit value again", value("0.010", "EUR"), "", "", nil},
		{"a credit value", value("0.02", "EUR"), "credits.value", `{"amount":"0.01","currency":"EUR"}`, nil},
		{"the same written 0.020", value(" 0.020", "EUR"), "", "", nil},
		{"another currency", value("0.02", "USD"), "credits.value", `{"amount":"0.02","currency":"EUR"}`, nil},
		{"a credit value of 0", value("0", "USD"), "", "", ErrInvalidAmount},
		{"a currency that is none", value("0.02", "EUX"), "", "", ErrInvalidRequest},
		{"the default validity, none stored", validity(DefaultLotValidityMonths), "credits.lot_validity", `{"months":12,"default":true}`, nil},
		{"the default validity again", validity(DefaultLotValidityMonths), "", "", nil},
		{"a validity", validity(DefaultLotValidityMonths + 1), "credits.lot_validity", `{"months":12}`, nil},
		{"the same validity", validity(DefaultLotValidityMonths + 1), "", "", nil},
		{"never", validity(0), "credits.lot_validity", `{"months":13}`, nil},
		{"never again", validity(0), "", "", nil},
		{"a validity of -1", validity(-1), "", "", ErrInvalidRequest},
		{"a validity of 1201", validity(1201), "", "", ErrInvalidRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, snap := len(audittest.Entries(t, e.db)), e.snapshot(t)
			unchanged, err := c.do()
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("got %v, want %v", err, c.err)
				}
				if len(audittest.Entries(t, e.db)) != entries || e.snapshot(t) != snap {
					t.Fatal("a refused setting wrote something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := audittest.Entries(t, e.db)
			if unchanged != (c.action == "") {
				t.Fatalf("reported unchanged %v, want %v", unchanged, c.action == "")
			}
			if c.action == "" {
				if len(got) != entries {
					t.Fatalf("an unchanged setting was audited: %+v", got[len(got)-1])
				}
				if e.snapshot(t) != snap {
					t.Fatal("an unchanged setting wrote something")
				}
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != c.action || got[len(got)-1].Before != c.before {
				t.Fatalf("entries written: %+v, want one %s from %s", got[entries:], c.action, c.before)
			}
		})
	}
	// Both are stored now, so a default of another version would not move them.
	for key, want := range map[string]string{SettingLotValidity: "0", SettingCreditValue: `{"amount":"0.02","currency":"USD"}`} {
		if v, err := e.db.GetSetting(context.Background(), key, "(none)"); err != nil || v != want {
			t.Fatalf("%s stored %q (%v), want %q", key, v, err, want)
		}
	}
}

// TestDefaultLotValidityIsStoredWhenAsked: `credits validity --set 12` on a
// workspace that never stored one stores 12, so top-ups stay valid 12
// months whatever a later version's default is; one that never asked keeps
// following the default.
func TestDefaultLotValidityIsStoredWhenAsked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if v, _ := e.db.GetSetting(ctx, SettingLotValidity, "(none)"); v != "(none)" {
		t.Fatalf("a new workspace stores a validity: %q", v)
	}
	ch, err := e.s.ChangeLotValidity(adminCtx, DefaultLotValidityMonths)
	if err != nil || ch.Unchanged {
		t.Fatalf("the default asked for: %+v, %v (want it stored, not unchanged)", ch, err)
	}
	if v, _ := e.db.GetSetting(ctx, SettingLotValidity, "(none)"); v != "12" {
		t.Fatalf("stored %q, want 12", v)
	}
}
