package ledger

import (
	"errors"
	"testing"

	"meterdesk/backend/access"
)

// TestTopUpChecksTheRoleBeforeTheAmount: a top-up's amount as typed
// (TopUpRequest.Amount) is read after the role check, so a member is
// refused for the role whatever they typed (nothing, text, a negative
// number), never told it is no amount; an admin's amount is read as
// before.
func TestTopUpChecksTheRoleBeforeTheAmount(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name string
		req  TopUpRequest
	}{
		{"empty", TopUpRequest{}},
		{"empty amount", TopUpRequest{ID: "m1", Account: "pool"}},
		{"not a number", TopUpRequest{ID: "m2", Account: "pool", Amount: "lots"}},
		{"negative", TopUpRequest{ID: "m3", Account: "pool", Amount: "-5"}},
		{"bad account and id", TopUpRequest{ID: "  ", Account: "nowhere", Amount: "x"}},
		{"valid", TopUpRequest{ID: "m4", Account: "pool", Amount: "100", Price: "1"}},
	} {
		if _, err := e.s.TopUp(memberCtx(2), c.req); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("member, %s: %v, want %v", c.name, err, access.ErrForbidden)
		}
	}
	for _, c := range []struct {
		name string
		req  TopUpRequest
		want error
	}{
		{"not a number", TopUpRequest{ID: "a1", Account: "pool", Amount: "lots"}, ErrInvalidAmount},
		{"negative", TopUpRequest{ID: "a2", Account: "pool", Amount: "-5"}, ErrInvalidAmount},
		{"amount and package", TopUpRequest{ID: "a3", Account: "pool", Amount: "5", PackageID: 1}, ErrInvalidRequest},
		{"amount twice", TopUpRequest{ID: "a4", Account: "pool", Amount: "5", Credits: d("5")}, ErrInvalidRequest},
		{"valid", TopUpRequest{ID: "a5", Account: "pool", Amount: "100", Price: "1"}, nil},
	} {
		tu, err := e.s.TopUp(adminCtx, c.req)
		if c.want == nil && (err != nil || !tu.Credits.Equal(d("100"))) {
			t.Errorf("admin, %s: %+v, %v; want 100 credits", c.name, tu, err)
		} else if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("admin, %s: %v, want %v", c.name, err, c.want)
		}
	}
	if b, err := e.s.Balance(adminCtx, "pool"); err != nil || !b.Balance.Equal(d("100")) {
		t.Errorf("pool: %+v, %v; want only the admin's valid top-up", b, err)
	}
}
