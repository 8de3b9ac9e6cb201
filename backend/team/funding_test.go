package team

import (
	"context"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

func TestMyAccountFollowsFunding(t *testing.T) {
	e := newEnv(t).setup("UTC")
	wallet := e.addMember("wanda", func(m *NewMember) { m.Funding = FundWallet })
	pooled := e.addMember("pete", nil)
	cases := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"system actor sees the pool", e.as(access.System), ledger.AccountPool},
		{"admin without department pays from the pool", e.adminCtx(), ledger.AccountPool},
		{"self-funded member sees the wallet", e.as(actorFor(wallet)), ledger.UserAccount(wallet.ID)},
		{"organisation-funded member sees the pool", e.as(actorFor(pooled)), ledger.AccountPool},
	}
	for _, c := range cases {
		got, err := e.svc.MyAccount(c.ctx)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := e.svc.MyAccount(context.Background()); err == nil {
		t.Error("MyAccount without a signed-in actor succeeded")
	}
}
