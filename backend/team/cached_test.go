package team

import (
	"errors"
	"testing"
)

// TestLimitChangesApplyToTheNextHold: the guard's queries run on cached
// prepared statements; a limit set, lowered, raised or removed (and a member
// disabled) between two holds still applies to the very next one.
func TestLimitChangesApplyToTheNextHold(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	e.topUp("pool", "1000")
	// Warm the statement caches: many holds with no limit.
	for i := 0; i < 20; i++ {
		if err := e.hold(bob, "pool", "gpt-4o", "1"); err != nil {
			t.Fatalf("warm-up hold %d: %v", i, err)
		}
	}
	steps := []struct {
		name   string
		change func() error
		amount string
		refuse error // nil = the hold passes
	}{
		{"daily limit below what is held", func() error {
			_, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "20"})
			return err
		}, "1", ErrLimitExceeded},
		{"raised", func() error {
			_, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "25"})
			return err
		}, "5", nil},
		{"lowered again", func() error {
			_, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "25"})
			return err
		}, "0.000000001", ErrLimitExceeded},
		{"removed", func() error { return e.svc.RemoveLimit(e.adminCtx(), bob.ID, LimitDaily, "") }, "50", nil},
		{"model limit for another model", func() error {
			_, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitModel, Model: "claude", Amount: "1"})
			return err
		}, "1", nil},
		{"model limit for this model", func() error {
			_, err := e.svc.SetLimit(e.adminCtx(), Limit{UserID: bob.ID, Kind: LimitModel, Model: "gpt-4o", Amount: "1"})
			return err
		}, "1", ErrLimitExceeded},
		{"member disabled", func() error {
			if err := e.svc.RemoveLimit(e.adminCtx(), bob.ID, LimitModel, "gpt-4o"); err != nil {
				return err
			}
			_, err := e.svc.DisableMember(e.adminCtx(), bob.ID)
			return err
		}, "1", ErrDisabled},
	}
	for _, st := range steps {
		if err := st.change(); err != nil {
			t.Fatalf("%s: change: %v", st.name, err)
		}
		err := e.hold(bob, "pool", "gpt-4o", st.amount)
		if st.refuse == nil && err != nil || st.refuse != nil && !errors.Is(err, st.refuse) {
			t.Fatalf("%s: hold of %s = %v, want %v", st.name, st.amount, err, st.refuse)
		}
	}
}
