package app

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// TestCreditsTransferFundsAWallet: an admin gives a wallet-funded member
// credits from the pool in the window (Credits.Transfer, a ledger transfer);
// the member cannot take from the pool, and a retry moves nothing twice.
func TestCreditsTransferFundsAWallet(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	lee, err := b.Team.AddMember(alice, team.NewMember{Name: "lee", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234",
		Funding: team.FundWallet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	admin, err := b.Team.Authenticate(context.Background(), "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(admin)
	c := &Credits{app: a}
	wallet := ledger.UserAccount(lee.ID)
	in := TransferInput{ID: "give-1", From: ledger.AccountPool, To: wallet, Amount: "12.5"}
	for range 2 {
		tr, err := c.Transfer(in)
		if err != nil || tr.Op != ledger.OpTransfer || tr.From != "pool" || tr.To != wallet || tr.Amount.String() != "12.5" || tr.Source != "ui" {
			t.Fatalf("give: %+v %v", tr, err)
		}
	}
	for acct, want := range map[string]string{wallet: "12.5", ledger.AccountPool: "87.5"} {
		if bal, err := c.Balance(acct); err != nil || bal.Available.String() != want {
			t.Fatalf("%s: %+v %v, want %s", acct, bal, err, want)
		}
	}
	if _, err := c.Transfer(TransferInput{ID: "give-2", From: ledger.AccountPool, To: wallet, Amount: "1e3"}); err == nil {
		t.Fatal("an amount with an exponent was accepted")
	}

	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	if _, err := c.Transfer(TransferInput{ID: "take-1", From: ledger.AccountPool, To: wallet, Amount: "5"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member taking from the pool: %v, want ErrForbidden", err)
	}
}

// TestMyBalanceNamesThePayer: the header's balance comes with the account it
// is of (the pool, the member's department by name, their own wallet), and
// the name follows when an admin changes the member's funding.
func TestMyBalanceNamesThePayer(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	research, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name, funding string, dept int64) access.Actor {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234",
			Funding: funding, DepartmentID: dept})
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role}
	}
	rita, wanda := add("rita", team.FundPool, research.ID), add("wanda", team.FundWallet, 0)
	for acct, credits := range map[string]string{ledger.AccountPool: "123", research.Account: "45", ledger.UserAccount(wanda.UserID): "10"} {
		if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t-" + acct, Account: acct, Credits: decimal.RequireFromString(credits),
			Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
			t.Fatal(err)
		}
	}
	admin, _ := access.FromContext(alice)
	c := &Credits{app: a}
	for _, tc := range []struct {
		who   string
		actor access.Actor
		want  PayerBalance
	}{
		{"an admin without a department", admin, PayerBalance{Account: "pool", Kind: team.PayerPool, Available: "123"}},
		{"a member of Research paid by the organisation", rita, PayerBalance{Account: research.Account, Kind: team.PayerDepartment, Name: "Research", AccountName: "Research department's credits", Available: "45"}},
		{"a member paid by her wallet", wanda, PayerBalance{Account: ledger.UserAccount(wanda.UserID), Kind: team.PayerWallet, Available: "10"}},
	} {
		a.SetActor(tc.actor)
		if got, err := c.MyBalance(); err != nil || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v", tc.who, got, err, tc.want)
		}
	}

	if _, err := b.Team.UpdateMember(alice, rita.UserID, team.MemberUpdate{Role: access.RoleMember, Funding: team.FundWallet,
		DepartmentID: research.ID, MinBalance: "0"}); err != nil {
		t.Fatal(err)
	}
	a.SetActor(rita)
	want := PayerBalance{Account: ledger.UserAccount(rita.UserID), Kind: team.PayerWallet, Available: "0"}
	if got, err := c.MyBalance(); err != nil || got != want {
		t.Errorf("rita after her funding changed: %+v %v, want %+v", got, err, want)
	}
}
