package team

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

// TestEndedAccountsKeepBlockedPolicy: a removed member's wallet and an
// archived department's account keep the blocked policy their end gave
// them: a minimum balance (which would strand the wallet's credits), an
// overdraft or carry (which would let a debt be made that no credit could
// settle) is refused with the reason and nothing written, as ErrNotFound
// (the owner is gone: exit 5, like a credit to such an account), the
// message without the sentinel's "not found:" or "invalid input:" prefix;
// blocked again is accepted. Open accounts take any policy, as before.
func TestEndedAccountsKeepBlockedPolicy(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	e.led.SetPolicyCheck(e.svc.AcceptsPolicy)
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "1000")
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	erin := e.addMember("erin", func(n *NewMember) { n.Funding = FundWallet })
	fc, ec := ledger.UserAccount(frank.ID), ledger.UserAccount(erin.ID)
	e.give(fc, "50")
	if _, err := e.svc.RemoveMemberWith(ctx, frank.ID, false); err != nil {
		t.Fatal(err)
	}
	legal, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Legal"})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, legal.ID); err != nil {
		t.Fatal(err)
	}
	wallet := fmt.Sprintf("%s cannot take the %%s policy: frank was removed, and their wallet keeps the blocked policy", fc)
	dept := fmt.Sprintf("%s cannot take the %%s policy: the Legal department is archived, and its account keeps the blocked policy", legal.Account)
	refused := []struct {
		account string
		policy  ledger.Policy
		want    string
	}{
		{fc, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("50")}, fmt.Sprintf(wallet, "minimum")},
		{fc, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("0")}, fmt.Sprintf(wallet, "minimum")},
		{fc, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("20")}, fmt.Sprintf(wallet, "overdraft")},
		{fc, ledger.Policy{Kind: ledger.PolicyCarry, Limit: d("0")}, fmt.Sprintf(wallet, "carry")},
		{legal.Account, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("20")}, fmt.Sprintf(dept, "overdraft")},
		{legal.Account, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("5")}, fmt.Sprintf(dept, "minimum")},
		{legal.Account, ledger.Policy{Kind: ledger.PolicyCarry, Limit: d("0")}, fmt.Sprintf(dept, "carry")},
	}
	before := dump(t, e.db)
	for _, c := range refused {
		err := e.led.SetPolicy(ctx, c.account, c.policy)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), c.want) ||
			strings.Contains(err.Error(), "not found:") || strings.Contains(err.Error(), "invalid input:") {
			t.Errorf("%s %s %s: %v, want %q", c.account, c.policy.Kind, c.policy.Limit, err, c.want)
		}
	}
	if dump(t, e.db) != before {
		t.Fatal("a refused policy wrote something")
	}
	// The removed wallet's credits can all go back to the pool.
	if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "back", Op: ledger.OpTransfer, From: fc, To: ledger.AccountPool, Amount: d("50")}); err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{fc, legal.Account} {
		if err := e.led.SetPolicy(ctx, acct, ledger.Policy{Kind: ledger.PolicyBlocked, Limit: money.Zero}); err != nil {
			t.Errorf("blocked again on %s: %v", acct, err)
		}
	}
	// Open accounts take any policy.
	for _, c := range []struct {
		account string
		policy  ledger.Policy
	}{
		{ec, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: d("50")}},
		{ec, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("20")}},
		{ops.Account, ledger.Policy{Kind: ledger.PolicyCarry, Limit: d("0")}},
		{ops.Account, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("20")}},
	} {
		if err := e.led.SetPolicy(ctx, c.account, c.policy); err != nil {
			t.Errorf("%s %s: %v", c.account, c.policy.Kind, err)
		}
		if p := e.policyOf(c.account); p.Kind != c.policy.Kind || !p.Limit.Equal(c.policy.Limit) {
			t.Errorf("%s: policy %+v, want %+v", c.account, p, c.policy)
		}
	}
	for _, acct := range []string{fc, legal.Account} {
		if p := e.policyOf(acct); p.Kind != ledger.PolicyBlocked || !p.Limit.IsZero() {
			t.Errorf("%s: policy %+v", acct, p)
		}
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
