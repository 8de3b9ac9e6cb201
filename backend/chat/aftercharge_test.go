package chat_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// countedTeam is the real team service as chat's Funder, counting the
// AfterCharge calls the settlements make.
type countedTeam struct {
	*team.Service
	after atomic.Int32
}

func (f *countedTeam) AfterCharge(ctx context.Context, payer string) {
	f.after.Add(1)
	f.Service.AfterCharge(ctx, payer)
}

// A settlement runs the team's AfterCharge only when the posting's own
// transaction found something for it to do (team.AfterChargeNeeded): not
// after a charge that crosses no alert threshold, once after the charge
// that crosses one (and the alert fires), not again below it.
func TestAfterChargeRunsOnlyWhenAnAlertMayChange(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	ft := &countedTeam{Service: tm}
	e.svc = chat.New(e.db, e.led, e.rates, ft, e.res, e.rec, nil)
	e.openAI(benchScript)
	if _, err := tm.SetAlertSettings(alice, team.AlertSettings{Absolute: []string{"1"}, Depleted: true}); err != nil {
		t.Fatal(err)
	}
	e.fund("1000")
	conv := e.conversationAs(alice, "openai", "gpt-4o", "")
	send := func(wantAfter int32) decimal.Decimal {
		t.Helper()
		m, err := e.svc.Send(alice, chat.SendRequest{ConversationID: conv.ID, Text: "hello", Source: chat.SourceCLI})
		if err != nil || m.Charge == nil {
			t.Fatalf("send: %v", err)
		}
		if got := ft.after.Load(); got != wantAfter {
			t.Fatalf("after a charge of %s (pool %s): %d AfterCharge calls, want %d", m.Charge.Amount, e.balance(ledger.AccountPool), got, wantAfter)
		}
		return decimal.RequireFromString(m.Charge.Amount)
	}
	cost := send(0) // 1000 → far above the threshold
	send(0)
	// A threshold half a send under the pool's balance: the next send crosses it.
	pool := decimal.RequireFromString(e.balance(ledger.AccountPool))
	thr := pool.Sub(cost.Div(decimal.NewFromInt(2))).Round(6)
	if _, err := tm.SetAlertSettings(alice, team.AlertSettings{Absolute: []string{thr.String()}, Depleted: true}); err != nil {
		t.Fatal(err)
	}
	send(1)
	low, err := tm.Notifications(alice, true, 0)
	if err != nil || len(low) != 1 || !strings.Contains(low[0].Title, "running low") {
		t.Fatalf("notifications after crossing %s: %+v %v", thr, low, err)
	}
	send(1) // below it, already fired: nothing to do
	if again, _ := tm.Notifications(alice, true, 0); len(again) != 1 {
		t.Fatalf("notifications below the threshold: %d, want 1", len(again))
	}
	// A member's send through the same funder pays from the pool too.
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	bc := e.conversationAs(bobCtx, "openai", "gpt-4o", "")
	if _, err := e.svc.Send(bobCtx, chat.SendRequest{ConversationID: bc.ID, Text: "hello", Source: chat.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	if got := ft.after.Load(); got != 1 {
		t.Fatalf("bob's send below the fired threshold: %d AfterCharge calls, want 1", got)
	}
}
