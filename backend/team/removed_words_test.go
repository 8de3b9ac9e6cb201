package team

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
)

// TestRemovedMemberRefusalsNameThem: every refusal for a removed member
// names them as people's rule does, by the display name ("Robert was
// removed"), else the sign-in name, never "member bob" or "member 7";
// ErrNotFound (exit 5), nothing written, and in the window the name first
// as spelt (inputerr.Sentence). The local API's key refusal
// (backend/gateway) says it by the same Removed.
func TestRemovedMemberRefusalsNameThem(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	e.led.SetPolicyCheck(e.svc.AcceptsPolicy)
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "100")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding, n.DisplayName = FundWallet, "Robert" })
	carol := e.addMember("carol", func(n *NewMember) { n.Funding = FundWallet })
	for _, m := range []Member{bob, carol} {
		if _, err := e.svc.RemoveMemberWith(ctx, m.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []struct {
		Member
		name string
	}{{bob, "Robert"}, {carol, "carol"}} {
		wallet := ledger.UserAccount(m.ID)
		for _, tc := range []struct {
			what   string
			run    func() error
			reason string // the window's words
		}{
			{"set a limit", func() error {
				_, err := e.svc.SetLimit(ctx, Limit{UserID: m.ID, Kind: LimitDaily, Amount: "5"})
				return err
			}, m.name + " was removed"},
			{"update", func() error {
				_, err := e.svc.UpdateMember(ctx, m.ID, MemberUpdate{DisplayName: "Bobby", Role: "member", Funding: FundWallet, MinBalance: "0"})
				return err
			}, m.name + " was removed"},
			{"disable", func() error { _, err := e.svc.DisableMember(ctx, m.ID); return err }, m.name + " was removed"},
			{"enable", func() error { _, err := e.svc.EnableMember(ctx, m.ID); return err }, m.name + " was removed"},
			{"remove again", func() error { _, err := e.svc.RemoveMember(ctx, m.ID); return err }, m.name + " was removed"},
			{"credits to the wallet", func() error {
				_, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: nextID("t"), Op: ledger.OpTransfer, From: ledger.AccountPool, To: wallet, Amount: d("1")})
				return err
			}, "Credits cannot go to " + wallet + ": " + m.name + " was removed, and their wallet owes nothing"},
			{"a policy on the wallet", func() error {
				return e.led.SetPolicy(ctx, wallet, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("5")})
			}, wallet + " cannot take the overdraft policy: " + m.name + " was removed, and their wallet keeps the blocked policy " +
				"(no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)"},
		} {
			before := dump(t, e.db)
			err := tc.run()
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s of %s: %v, want ErrNotFound", tc.what, m.name, err)
			}
			if got := inputerr.Sentence(err); got != tc.reason {
				t.Errorf("%s of %s: the window reads %q, want %q", tc.what, m.name, got, tc.reason)
			}
			if text := err.Error(); strings.Contains(text, "member "+m.Name) || strings.Contains(text, fmt.Sprintf("member %d was", m.ID)) ||
				strings.Contains(text, "not found:") {
				t.Errorf("%s of %s: Go's text %q names the member by sign-in name or id", tc.what, m.name, text)
			}
			if dump(t, e.db) != before {
				t.Fatalf("%s of %s: a refusal wrote something", tc.what, m.name)
			}
		}
	}
}
