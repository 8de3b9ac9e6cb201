package team

import (
	"context"
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
	research, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	rita := e.addMember("rita", func(m *NewMember) { m.DepartmentID = research.ID })
	// A member's own preflight names their payer as the chat does
	// (Payer.Phrase: "your wallet", "the Research department"); an admin's
	// for someone else names it as notifications do ("carol's wallet").
	for _, tc := range []struct {
		name     string
		asAdmin  bool
		member   Member
		estimate string
		want     []string
	}{
		{"fits the pool", false, bob, "10", []string{}},
		{"over the pool", false, bob, "50", []string{"This send may cost up to 50.00 credits but the workspace pool has only 10.00 available."}},
		{"over an empty wallet", false, carol, "0.5", []string{"This send may cost up to 0.50 credits but your wallet has only 0.00 available."}},
		{"an admin's for an empty wallet", true, carol, "0.5", []string{"This send may cost up to 0.50 credits but carol's wallet has only 0.00 available."}},
		{"over a wallet's minimum", false, dave, "0.1", []string{"This send may cost up to 0.10 credits but your wallet has only 0.05 available."}},
		{"within a wallet's minimum", false, dave, "0.05", []string{}},
		{"within an overdraft", false, erin, "4.5", []string{}},
		{"over an overdraft", false, erin, "5.5", []string{"This send may cost up to 5.50 credits but your wallet has only 5.00 available."}},
		{"over an empty department", false, rita, "1", []string{"This send may cost up to 1.00 credits but the Research department has only 0.00 available."}},
		{"an admin's for an empty department", true, rita, "1", []string{"This send may cost up to 1.00 credits but the Research department has only 0.00 available."}},
	} {
		ctx := e.as(actorFor(tc.member))
		if tc.asAdmin {
			ctx = e.adminCtx()
		}
		p, err := e.svc.Preflight(ctx, tc.member.ID, "gpt-4o", tc.estimate)
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

// TestPreflightCountsHoldsAsTheHoldDoes: with a hold of another send
// pending on the payer, and holds of sends being taken (promised, not
// written yet: PreflightBeside's reserved), the pre-flight warns exactly
// when a hold of the estimate taken now is refused, and says what is left.
func TestPreflightCountsHoldsAsTheHoldDoes(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.topUp("pool", "10")
	bob := e.addMember("bob", nil)
	ctx := e.as(actorFor(bob))
	sys := access.WithActor(context.Background(), access.System)
	if _, err := e.led.Hold(sys, ledger.HoldRequest{ID: "other-send", From: ledger.AccountPool, Amount: decimal.RequireFromString("3")}); err != nil {
		t.Fatal(err)
	}
	const credit = int64(1_000_000_000) // minor units per credit
	for i, tc := range []struct {
		estimate  string
		promised  int64 // on the pool, by sends being held
		exceeds   bool
		available string
	}{
		{"7", 0, false, "7"},
		{"7.000000001", 0, true, "7"}, // fits the balance of 10, not beside the pending 3
		{"5", 2 * credit, false, "5"},
		{"5.5", 2 * credit, true, "5"},
		{"1", 8 * credit, true, "0"},
	} {
		asked := ""
		p, err := e.svc.PreflightBeside(ctx, bob.ID, "gpt-4o", tc.estimate, func(payer string) int64 { asked = payer; return tc.promised })
		if err != nil {
			t.Fatal(err)
		}
		if p.ExceedsBalance != tc.exceeds || p.Available != tc.available || asked != ledger.AccountPool {
			t.Errorf("%s beside %d promised: exceeds %v, available %s (reserve asked of %q); want %v, %s",
				tc.estimate, tc.promised, p.ExceedsBalance, p.Available, asked, tc.exceeds, tc.available)
		}
		// The hold, taken now with the same promises, agrees.
		_, err = e.led.Hold(sys, ledger.HoldRequest{ID: fmt.Sprintf("h%d", i), From: ledger.AccountPool,
			Amount: decimal.RequireFromString(tc.estimate), Reserve: func() int64 { return tc.promised }})
		if refused := errors.Is(err, ledger.ErrInsufficientFunds); refused != tc.exceeds || (err != nil && !refused) {
			t.Errorf("%s beside %d promised: the hold says %v", tc.estimate, tc.promised, err)
		}
		if err == nil {
			if _, err := e.led.Void(sys, fmt.Sprintf("v%d", i), fmt.Sprintf("h%d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Preflight is PreflightBeside with nothing promised.
	if p, err := e.svc.Preflight(ctx, bob.ID, "gpt-4o", "7.5"); err != nil || !p.ExceedsBalance || p.Available != "7" {
		t.Errorf("Preflight beside the pending hold: %+v, %v", p, err)
	}
}
