package core

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// TestChatNamesTheMembersDepartment: a member charged to a department's
// credits is told the department's name (Getting started, the low-balance
// banner, the refusal for want of credits), not its account code, and not
// as a "budget" (a department's alert budget is another thing).
func TestChatNamesTheMembersDepartment(t *testing.T) {
	ctx := context.Background()
	b, alice := setUpWorkspace(t)
	dept, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := b.Team.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN,
		Secret: "1234", DepartmentID: dept.ID})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(ctx, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	st, err := b.Chat.Status(bobCtx)
	if err != nil || st.PayerName != "the Research department" {
		t.Fatalf("bob's payer %q (%v)", st.PayerName, err)
	}
	r, err := b.Chat.Readiness(bobCtx)
	if err != nil || len(r.Steps) < 2 || r.Steps[1].Detail != "The Research department has 0.00 credits available: ask an admin for credits." {
		t.Fatalf("bob's readiness %+v (%v)", r, err)
	}
	if st, err := b.Chat.Status(alice); err != nil || st.PayerName != "the workspace pool" {
		t.Fatalf("alice's payer %q (%v)", st.PayerName, err)
	}
}

// TestMyBalanceIsThePayersForAdminsToo: MyBalance (the window's header and
// `credits balance` without an account) is the balance of the account that
// pays for the signed-in actor's sends, an admin's as a member's: the pool
// without a department, the department's credits in one, the own wallet
// when paid by it; the system's is the pool.
func TestMyBalanceIsThePayersForAdminsToo(t *testing.T) {
	ctx := context.Background()
	b, alice := setUpWorkspace(t)
	admin, _ := access.FromContext(alice)
	dept, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	for acct, credits := range map[string]string{ledger.AccountPool: "100", dept.Account: "40", ledger.UserAccount(admin.UserID): "7"} {
		if err := b.Ledger.EnsureAccount(access.WithActor(ctx, access.System), acct); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t-" + acct, Account: acct, Credits: decimal.RequireFromString(credits), Price: "0"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who                 string
		ctx                 context.Context
		update              *team.MemberUpdate
		account, kind, name string
		available           string
	}{
		{"an admin without a department", alice, nil, ledger.AccountPool, team.PayerPool, "", "100"},
		{"an admin in Research", alice, &team.MemberUpdate{Role: access.RoleAdmin, Funding: team.FundPool, DepartmentID: dept.ID, MinBalance: "0"},
			dept.Account, team.PayerDepartment, "Research", "40"},
		{"an admin paid by her wallet", alice, &team.MemberUpdate{Role: access.RoleAdmin, Funding: team.FundWallet, DepartmentID: dept.ID, MinBalance: "0"},
			ledger.UserAccount(admin.UserID), team.PayerWallet, "", "7"},
		{"the system", access.WithActor(ctx, access.System), nil, ledger.AccountPool, team.PayerPool, "", "100"},
	} {
		if c.update != nil {
			if _, err := b.Team.UpdateMember(alice, admin.UserID, *c.update); err != nil {
				t.Fatalf("%s: %v", c.who, err)
			}
		}
		p, bal, err := b.MyBalance(c.ctx)
		if err != nil || p.Account != c.account || p.Kind != c.kind || p.Name != c.name || bal.Account != c.account || bal.Available.String() != c.available {
			t.Errorf("%s: %+v, %s available in %s (%v); want %s (%s %q), %s", c.who, p, bal.Available, bal.Account, err, c.account, c.kind, c.name, c.available)
		}
	}
}
