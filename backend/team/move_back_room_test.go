package team

import (
	"context"
	"errors"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestMoveBackRoomSaysWhatCanMove: the line under "Move credits back to
// the pool" on the Credits page is Go's (MoveBackLine, in GiveRoomLine's
// words), naming the account as notifications do and saying the minimum
// balance it keeps; the window built it from the amounts itself. A member
// is refused: only an admin moves credits back.
func TestMoveBackRoomSaysWhatCanMove(t *testing.T) {
	for _, c := range []struct {
		name, account, topUp string
		policy               ledger.Policy
		want                 string
	}{
		{"a wallet's minimum holds some back", "bob", "500", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("100")},
			"Moves credits from bob's wallet to the workspace pool: 400.00 credits can move now (its minimum balance of 100.00 credits stays)."},
		{"a wallet with no minimum", "bob", "20", ledger.Policy{Kind: ledger.PolicyBlocked},
			"Moves credits from bob's wallet to the workspace pool: 20.00 credits can move now."},
		{"a department's credits", "Research", "12.5", ledger.Policy{Kind: ledger.PolicyBlocked},
			"Moves credits from the Research department to the workspace pool: 12.50 credits can move now."},
		{"a wallet at its minimum", "bob", "100", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("100")},
			"Nothing in bob's wallet can move now (its minimum balance of 100.00 credits stays)."},
		{"an empty department", "Research", "", ledger.Policy{Kind: ledger.PolicyBlocked},
			"Nothing in the Research department can move now."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			var account string
			if c.account == "bob" {
				account = ledger.UserAccount(e.addMember("bob", nil).ID)
			} else {
				account = e.department(c.account).Account
			}
			sys := access.WithActor(context.Background(), access.System)
			if err := e.led.EnsureAccount(sys, account); err != nil {
				t.Fatal(err)
			}
			if c.topUp != "" {
				e.topUp(account, c.topUp)
			}
			if err := e.led.SetPolicy(sys, account, c.policy); err != nil {
				t.Fatal(err)
			}
			got, err := e.svc.MoveBackRoom(e.adminCtx(), account)
			if err != nil || got != c.want {
				t.Errorf("MoveBackRoom = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	e := newEnv(t).setup("UTC")
	m := e.addMember("bob", nil)
	if _, err := e.svc.MoveBackRoom(e.as(actorFor(m)), ledger.UserAccount(m.ID)); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a member's MoveBackRoom: %v, want forbidden", err)
	}
}
