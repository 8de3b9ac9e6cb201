package team

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// TestGiveRoomSaysWhatCanMove: "Give credits from your wallet" wrote its
// line under the title in TypeScript from the wallet's amounts. It is made
// here (GiveRoomLine, asked through GiveRoom for the signed-in member's own
// wallet): what can move now, and the minimum balance only when it holds
// credits back.
func TestGiveRoomSaysWhatCanMove(t *testing.T) {
	const moves = "Moves credits from your wallet to the workspace pool, your department or another member: "
	for _, c := range []struct {
		name   string
		topUp  string
		policy ledger.Policy
		want   string
	}{
		{"a minimum holds some back", "20", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			moves + "17.00 credits can move now (your minimum balance of 3.00 credits stays)."},
		{"no policy keeps any", "20", ledger.Policy{Kind: ledger.PolicyBlocked},
			moves + "20.00 credits can move now."},
		{"one credit", "1", ledger.Policy{Kind: ledger.PolicyBlocked}, moves + "1.00 credits can move now."},
		{"a minimum of 0 keeps nothing back", "5.5", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("0")},
			moves + "5.50 credits can move now."},
		{"at its minimum", "3", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			"Nothing in your wallet can move now (its minimum balance of 3.00 credits stays)."},
		{"below its minimum", "2", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			"Nothing in your wallet can move now (its minimum balance of 3.00 credits stays)."},
		{"empty", "", ledger.Policy{Kind: ledger.PolicyBlocked}, "Nothing in your wallet can move now."},
		{"an overdraft is not counted in", "", ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")},
			"Nothing in your wallet can move now."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			m := e.addMember("bob", nil)
			wallet := ledger.UserAccount(m.ID)
			sys := access.WithActor(context.Background(), access.System)
			if err := e.led.EnsureAccount(sys, wallet); err != nil {
				t.Fatal(err)
			}
			if c.topUp != "" {
				e.topUp(wallet, c.topUp)
			}
			if err := e.led.SetPolicy(sys, wallet, c.policy); err != nil {
				t.Fatal(err)
			}
			got, err := e.svc.GiveRoom(e.as(actorFor(m)))
			if err != nil || got != c.want {
				t.Errorf("GiveRoom = %q, %v; want %q", got, err, c.want)
			}
			b, err := e.led.Balance(e.adminCtx(), wallet)
			if err != nil {
				t.Fatal(err)
			}
			if line := GiveRoomLine(b); line != got {
				t.Errorf("GiveRoomLine(%+v) = %q, GiveRoom said %q", b, line, got)
			}
		})
	}
	// Signed out: refused; the system has no wallet.
	e := newEnv(t).setup("UTC")
	if _, err := e.svc.GiveRoom(context.Background()); err == nil {
		t.Error("GiveRoom signed out: no error")
	}
	if got, err := e.svc.GiveRoom(access.WithActor(context.Background(), access.System)); err != nil || got != "" {
		t.Errorf("GiveRoom as the system = %q, %v", got, err)
	}
}

// TestGiveRefusalSaysTheRoomAsGiveRoomDoes: the line over the give form
// says "17.00 credits can move now (your minimum balance of 3.00 credits
// stays)" while a give refused for want of room said "17.00 can move now"
// and named a minimum of 0.00 credits that keeps nothing back. A refused
// give now says what can move in the line's words (one phrase, made once),
// one minor unit over what can move and at nothing.
func TestGiveRefusalSaysTheRoomAsGiveRoomDoes(t *testing.T) {
	const moves = "Moves credits from your wallet to the workspace pool, your department or another member: "
	for _, c := range []struct {
		name, topUp, give string
		policy            ledger.Policy
		want              string // the refusal
	}{
		{"a minimum holds some back", "20", "17.000000001", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			"your wallet is short by 0.000000001 credits: 17.00 credits can move now (your minimum balance of 3.00 credits stays)"},
		{"no policy keeps any", "20", "20.01", ledger.Policy{Kind: ledger.PolicyBlocked},
			"your wallet is short by 0.01 credits: 20.00 credits can move now"},
		{"a minimum of 0 keeps nothing back", "5.5", "6", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("0")},
			"your wallet is short by 0.50 credits: 5.50 credits can move now"},
		{"at its minimum", "3", "1", ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("3")},
			"your wallet is short by 1.00 credits: nothing in it can move now (your minimum balance of 3.00 credits stays)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			m := e.addMember("bob", nil)
			wallet := ledger.UserAccount(m.ID)
			sys := access.WithActor(context.Background(), access.System)
			if err := e.led.EnsureAccount(sys, wallet); err != nil {
				t.Fatal(err)
			}
			e.topUp(wallet, c.topUp)
			if err := e.led.SetPolicy(sys, wallet, c.policy); err != nil {
				t.Fatal(err)
			}
			ctx := e.as(actorFor(m))
			line, err := e.svc.GiveRoom(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.Transfer(ctx, ledger.TransferRequest{ID: "give-1", Op: ledger.OpTransfer, From: wallet,
				To: ledger.AccountPool, Amount: d(c.give)})
			if !errors.Is(err, ledger.ErrInsufficientFunds) || err.Error() != c.want {
				t.Fatalf("give %s: %v, want %q", c.give, err, c.want)
			}
			if room, ok := strings.CutPrefix(line, moves); ok && !strings.HasSuffix(c.want, ": "+strings.TrimSuffix(room, ".")) {
				t.Errorf("the refusal %q does not say what can move as the line does: %q", c.want, line)
			}
			if b, err := e.led.Balance(e.adminCtx(), wallet); err != nil || !b.Balance.Equal(d(c.topUp)) {
				t.Errorf("after the refused give: %+v %v, want %s, nothing written", b, err, c.topUp)
			}
		})
	}
}
