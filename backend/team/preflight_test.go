package team

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// Preflight's warnings read as sentences naming the payer, and it checks
// its input; each case is one payer and one estimate.
func TestPreflightWarnings(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.topUp("pool", "10")
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", func(m *NewMember) { m.Funding = FundWallet })
	// Policies count as the hold will: a minimum balance keeps part of the
	// balance, an overdraft adds to it.
	dave := e.addMember("dave", func(m *NewMember) { m.Funding = FundWallet; m.MinBalance = "4" })
	e.topUp(fmt.Sprintf("user:%d", dave.ID), "4.05")
	erin := e.addMember("erin", func(m *NewMember) { m.Funding = FundWallet })
	if err := e.led.SetPolicy(e.adminCtx(), fmt.Sprintf("user:%d", erin.ID), ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.RequireFromString("5")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		member   Member
		estimate string
		want     []string
	}{
		{"fits the pool", bob, "10", []string{}},
		{"over the pool", bob, "50", []string{"This send may cost up to 50 credits but the workspace pool has only 10 available."}},
		{"over an empty wallet", carol, "0.5", []string{"This send may cost up to 0.5 credits but carol's wallet has only 0 available."}},
		{"over a wallet's minimum", dave, "0.1", []string{"This send may cost up to 0.1 credits but dave's wallet has only 0.05 available."}},
		{"within a wallet's minimum", dave, "0.05", []string{}},
		{"within an overdraft", erin, "4.5", []string{}},
		{"over an overdraft", erin, "5.5", []string{"This send may cost up to 5.5 credits but erin's wallet has only 5 available."}},
	} {
		p, err := e.svc.Preflight(e.as(actorFor(tc.member)), tc.member.ID, "gpt-4o", tc.estimate)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(p.Warnings) != len(tc.want) || (len(tc.want) > 0 && p.Warnings[0] != tc.want[0]) {
			t.Errorf("%s: warnings %q, want %q", tc.name, p.Warnings, tc.want)
		}
		if p.ExceedsBalance != (len(tc.want) > 0) {
			t.Errorf("%s: exceeds balance %v", tc.name, p.ExceedsBalance)
		}
	}
	for _, bad := range []string{"", "-1", "abc", "1e3"} {
		if _, err := e.svc.Preflight(e.as(actorFor(bob)), bob.ID, "gpt-4o", bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("estimate %q: %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := e.svc.Preflight(e.as(actorFor(bob)), carol.ID, "gpt-4o", "1"); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("bob's preflight for carol: %v", err)
	}
}
