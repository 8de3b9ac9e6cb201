package core

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// TestNoCreditsToRemovedMembersOrArchivedDepartments: the team's check is
// wired into the ledger (core.Open). Credits cannot go to a removed
// member's wallet, an archived department, or an account of nobody, by a
// top-up or a transfer of any kind; nothing is written. A disabled member
// still takes credits, a removed member's balance can still be moved out,
// and a top-up made before the removal answers its replay as before.
func TestNoCreditsToRemovedMembersOrArchivedDepartments(t *testing.T) {
	b, alice := setUpWorkspace(t)
	add := func(name string) team.Member {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234", Funding: "wallet"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	bob, carol, dave := add("bob"), add("carol"), add("dave")
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	topUp := func(id, account, credits string) error {
		_, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: id, Account: account, Credits: d(credits), Price: "0"})
		return err
	}
	if err := topUp("pool-1", ledger.AccountPool, "100"); err != nil {
		t.Fatal(err)
	}
	if err := topUp("bob-1", ledger.UserAccount(bob.ID), "10"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.RemoveMember(alice, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.DisableMember(alice, carol.ID); err != nil {
		t.Fatal(err)
	}
	dept, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Old"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Team.ArchiveDepartment(alice, dept.ID); err != nil {
		t.Fatal(err)
	}
	bobAcct, deptAcct := ledger.UserAccount(bob.ID), "dept:"+itoa(dept.ID)

	dump := func() string {
		t.Helper()
		db, err := store.Open(alice, b.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		out, err := db.Dump(alice)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := dump()
	refused := []struct {
		name string
		run  func() error
		want error
	}{
		{"a top-up to a removed member", func() error { return topUp("bob-2", bobAcct, "5") }, team.ErrNotFound},
		{"a top-up to an archived department", func() error { return topUp("dept-1", deptAcct, "5") }, team.ErrNotFound},
		{"a top-up to nobody", func() error { return topUp("x-1", "user:999", "5") }, team.ErrNotFound},
		{"a grant to a removed member", func() error {
			_, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "g-1", Op: ledger.OpGrant, From: ledger.AccountPool, To: bobAcct, Amount: d("1")})
			return err
		}, team.ErrNotFound},
		{"a transfer to an archived department", func() error {
			_, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "t-1", Op: ledger.OpTransfer, From: ledger.AccountPool, To: deptAcct, Amount: d("1")})
			return err
		}, team.ErrNotFound},
		{"one leg of many to a removed member", func() error {
			_, err := b.Ledger.TransferMany(alice, "many-1", []ledger.TransferRequest{
				{Op: ledger.OpTransfer, From: ledger.AccountPool, To: ledger.UserAccount(dave.ID), Amount: d("1")},
				{Op: ledger.OpTransfer, From: ledger.AccountPool, To: bobAcct, Amount: d("1")},
			})
			return err
		}, team.ErrNotFound},
	}
	for _, c := range refused {
		if err := c.run(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if got := dump(); got != before {
		t.Fatal("a refused credit wrote something")
	}

	// Still allowed: a disabled member, a removed member's balance moved
	// out, and the replay of a top-up made before the removal.
	if err := topUp("carol-1", ledger.UserAccount(carol.ID), "5"); err != nil {
		t.Errorf("a disabled member's top-up: %v", err)
	}
	if _, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "out-1", Op: ledger.OpTransfer, From: bobAcct, To: ledger.AccountPool, Amount: d("10")}); err != nil {
		t.Errorf("moving a removed member's balance out: %v", err)
	}
	if err := topUp("bob-1", bobAcct, "10"); err != nil {
		t.Errorf("the replay of a top-up made before the removal: %v", err)
	}
	if err := b.Ledger.Verify(alice); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return decimal.NewFromInt(n).String() }
