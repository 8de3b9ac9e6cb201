package team

import (
	"errors"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

func TestAddMemberValidation(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.addMember("bob", nil)
	for name, in := range map[string]NewMember{
		"duplicate name":      {Name: "BOB", Secret: "1234", SecretKind: SecretPIN},
		"bad name":            {Name: "bob smith", Secret: "1234", SecretKind: SecretPIN},
		"name of digits only": {Name: "123", Secret: "1234", SecretKind: SecretPIN}, // read as an id elsewhere
		"bad role":            {Name: "carol", Role: "owner", Secret: "1234", SecretKind: SecretPIN},
		"bad funding":         {Name: "carol", Funding: "credit card", Secret: "1234", SecretKind: SecretPIN},
		"negative minimum":    {Name: "carol", MinBalance: "-5", Secret: "1234", SecretKind: SecretPIN},
		"unknown department":  {Name: "carol", DepartmentID: 42, Secret: "1234", SecretKind: SecretPIN},
		"weak PIN":            {Name: "carol", Secret: "12", SecretKind: SecretPIN},
		"weak password":       {Name: "carol", Secret: "pass"},
	} {
		t.Run(name, func(t *testing.T) {
			before := dump(t, e.db)
			if _, err := e.svc.AddMember(e.adminCtx(), in); err == nil {
				t.Fatal("accepted")
			}
			if dump(t, e.db) != before {
				t.Fatal("rejected member wrote")
			}
		})
	}
}

func TestLastAdminProtected(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	id := e.admin.UserID
	if _, err := e.svc.UpdateMember(ctx, id, MemberUpdate{Role: access.RoleMember}); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("demote last admin: %v", err)
	}
	if _, err := e.svc.DisableMember(ctx, id); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("disable last admin: %v", err)
	}
	if _, err := e.svc.RemoveMember(ctx, id); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("remove last admin: %v", err)
	}
	bob := e.addMember("bob", func(n *NewMember) { n.Role = access.RoleAdmin })
	if _, err := e.svc.UpdateMember(ctx, id, MemberUpdate{Role: access.RoleMember}); err != nil {
		t.Fatalf("demote with another admin: %v", err)
	}
	if _, err := e.svc.RemoveMember(e.as(actorFor(bob)), bob.ID); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("remove the now last admin: %v", err)
	}
}

// TestRemovedMemberHistoryRemains: removing a member keeps their row, their
// ledger transfers and their audit trail; the name becomes free.
func TestRemovedMemberHistoryRemains(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet })
	e.topUp(ledger.UserAccount(bob.ID), "50")
	if err := e.use(bob, ledger.UserAccount(bob.ID), "m", "7"); err != nil {
		t.Fatal(err)
	}
	removed, err := e.svc.RemoveMember(e.adminCtx(), bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if removed.Status != StatusRemoved || removed.RemovedAt == nil {
		t.Fatalf("removed %+v", removed)
	}
	var n int
	if err := e.db.Read().QueryRow("SELECT count(*) FROM ledger_transfers WHERE user_id = ?", bob.ID).Scan(&n); err != nil || n == 0 {
		t.Fatalf("usage transfers of the removed member: %d %v", n, err)
	}
	all, err := e.svc.ListMembers(e.adminCtx(), true)
	if err != nil || len(all) != 2 {
		t.Fatalf("list with removed: %v %v", all, err)
	}
	active, _ := e.svc.ListMembers(e.adminCtx(), false)
	if len(active) != 1 {
		t.Fatalf("list without removed: %v", active)
	}
	if e.balance(ledger.UserAccount(bob.ID)) != "43" {
		t.Fatal("the removed member's wallet changed")
	}
	// The name can be reused by a new member, a different person.
	bob2 := e.addMember("bob", nil)
	if bob2.ID == bob.ID {
		t.Fatal("reused the row")
	}
	if _, err := e.svc.EnableMember(e.adminCtx(), bob.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("re-enable removed: %v", err)
	}
}

func TestFunding(t *testing.T) {
	e := newEnv(t).setup("UTC")
	dep, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	pool := e.addMember("p", nil)
	inDept := e.addMember("q", func(n *NewMember) { n.DepartmentID = dep.ID })
	wallet := e.addMember("w", func(n *NewMember) { n.Funding, n.DepartmentID = FundWallet, dep.ID })
	for _, c := range []struct {
		m    Member
		want Funding
	}{
		{pool, Funding{PayerAccount: "pool"}},
		{inDept, Funding{PayerAccount: ledger.DeptAccount(dep.ID), DepartmentID: dep.ID}},
		{wallet, Funding{PayerAccount: ledger.UserAccount(wallet.ID), DepartmentID: dep.ID}},
	} {
		f, err := e.svc.Funding(e.as(actorFor(c.m)), c.m.ID)
		if err != nil || f != c.want {
			t.Errorf("%s: %+v %v, want %+v", c.m.Name, f, err, c.want)
		}
	}
	if _, err := e.svc.Funding(e.as(actorFor(pool)), wallet.ID); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member reading another's funding: %v", err)
	}
	e.svc.DisableMember(e.adminCtx(), pool.ID)
	if _, err := e.svc.Funding(e.adminCtx(), pool.ID); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled funding: %v", err)
	}
}

// TestWalletMinimumBalance: a self-funded member's wallet keeps its minimum.
func TestWalletMinimumBalance(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", func(n *NewMember) { n.Funding, n.MinBalance = FundWallet, "5" })
	acct := ledger.UserAccount(bob.ID)
	e.topUp(acct, "20")
	if err := e.hold(bob, acct, "m", "15"); err != nil {
		t.Fatalf("down to the minimum: %v", err)
	}
	if err := e.hold(bob, acct, "m", "0.000000001"); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("below the minimum: %v", err)
	}
}
