package team

import (
	"errors"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// auditCount counts the audit entries of action on target.
func (e *env) auditCount(action, target string) int {
	e.t.Helper()
	var n int
	if err := e.db.Read().QueryRow("SELECT count(*) FROM audit_log WHERE action = ? AND target = ?", action, target).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestRemoveMemberReturnsWalletCredits: removing a wallet-funded member says
// what their wallet holds; with returnCredits the balance goes back to the
// pool in the same operation, as an audited ledger transfer, and without it
// stays in the wallet, which Wallets still lists (marked removed).
func TestRemoveMemberReturnsWalletCredits(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	carol := e.addMember("carol", func(n *NewMember) { n.Funding = FundWallet })
	dave := e.addMember("dave", func(n *NewMember) { n.Funding = FundWallet })
	e.topUp(ledger.AccountPool, "100")
	e.topUp(ledger.UserAccount(carol.ID), "50")
	e.topUp(ledger.UserAccount(dave.ID), "30")

	ch, err := e.svc.RemoveMemberWith(ctx, carol.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Member.Status != StatusRemoved || ch.Wallet == nil || ch.Wallet.Balance != "50" || ch.Wallet.Returned != "50" ||
		ch.Wallet.Left != "0" || ch.Wallet.TransferID == 0 {
		t.Fatalf("removed with return: %+v %+v", ch.Member, ch.Wallet)
	}
	if got := e.balance(ledger.UserAccount(carol.ID)); got != "0" {
		t.Fatalf("carol's wallet: %s", got)
	}
	if got := e.balance(ledger.AccountPool); got != "150" {
		t.Fatalf("pool: %s", got)
	}
	var op, from, to string
	var amount, uid int64
	if err := e.db.Read().QueryRow(`SELECT t.op, d.code, c.code, t.amount_minor, COALESCE(t.user_id, 0) FROM ledger_transfers t
		JOIN ledger_accounts d ON d.id = t.debit_id JOIN ledger_accounts c ON c.id = t.credit_id WHERE t.id = ?`,
		ch.Wallet.TransferID).Scan(&op, &from, &to, &amount, &uid); err != nil {
		t.Fatal(err)
	}
	if op != ledger.OpTransfer || from != ledger.UserAccount(carol.ID) || to != ledger.AccountPool || uid != carol.ID {
		t.Fatalf("the transfer: %s %s -> %s (user %d)", op, from, to, uid)
	}
	if e.auditCount("credits.transfer", ledger.AccountPool) != 1 || e.auditCount("member.remove", ledger.UserAccount(carol.ID)) != 1 {
		t.Fatal("the removal and the transfer are not both in the audit log")
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}

	// Without returning: the removal says what stays, and moves nothing.
	ch, err = e.svc.RemoveMemberWith(ctx, dave.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Wallet == nil || ch.Wallet.Balance != "30" || ch.Wallet.Returned != "0" || ch.Wallet.Left != "30" || ch.Wallet.TransferID != 0 {
		t.Fatalf("removed without return: %+v", ch.Wallet)
	}
	if e.balance(ledger.UserAccount(dave.ID)) != "30" || e.balance(ledger.AccountPool) != "150" {
		t.Fatal("credits moved without being asked to")
	}
	// The wallet left with credits is listed for an admin, removed; the
	// emptied one is not.
	ws, err := e.svc.Wallets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].UserID != dave.ID || ws[0].Status != StatusRemoved || ws[0].Balance != "30" || ws[0].Returnable != "30" {
		t.Fatalf("wallets: %+v", ws)
	}
	// ... and can be moved back to the pool from there (a removed member's
	// wallet gives, it only takes no more).
	if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "back", Op: ledger.OpTransfer, From: ws[0].Account,
		To: ledger.AccountPool, Amount: d("30")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Wallets(e.as(actorFor(carol))); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member lists wallets: %v", err)
	}
}

// TestRemoveRefusedMovesNothing: a removal refused (the last admin) with
// returnCredits leaves the wallet, the pool, the member and the log as
// they were.
func TestRemoveRefusedMovesNothing(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.topUp(ledger.UserAccount(e.admin.UserID), "20")
	before := dump(t, e.db)
	if _, err := e.svc.RemoveMemberWith(e.adminCtx(), e.admin.UserID, true); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("remove the last admin: %v", err)
	}
	if after := dump(t, e.db); after != before {
		t.Fatal("a refused removal wrote something")
	}
	bob := e.addMember("bob", nil)
	before = dump(t, e.db)
	if _, err := e.svc.RemoveMemberWith(e.as(actorFor(bob)), e.admin.UserID, true); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member removes: %v", err)
	}
	if after := dump(t, e.db); after != before {
		t.Fatal("a refused removal wrote something")
	}
}

// TestFundingChangeReturnsWalletCredits: a member switched from their
// wallet to the organisation is told what the wallet holds and may have it
// moved back; a minimum balance stays; returnCredits on a change that keeps
// the wallet in use is refused with nothing written.
func TestFundingChangeReturnsWalletCredits(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet; n.MinBalance = "5" })
	e.topUp(ledger.UserAccount(bob.ID), "50")
	up := MemberUpdate{Role: access.RoleMember, Funding: FundWallet, MinBalance: "5", DisplayName: "Bob"}
	before := dump(t, e.db)
	if _, err := e.svc.UpdateMemberWith(ctx, bob.ID, up, true); !errors.Is(err, ErrInvalid) {
		t.Fatalf("return credits of a wallet still in use: %v", err)
	}
	if dump(t, e.db) != before {
		t.Fatal("a refused update wrote something")
	}
	up.Funding = FundPool
	ch, err := e.svc.UpdateMemberWith(ctx, bob.ID, up, true)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Member.Funding != FundPool || ch.Wallet == nil || ch.Wallet.Balance != "50" || ch.Wallet.Returned != "45" || ch.Wallet.Left != "5" {
		t.Fatalf("funding change: %+v %+v", ch.Member, ch.Wallet)
	}
	if e.balance(ledger.AccountPool) != "45" || e.auditCount("member.update", ledger.UserAccount(bob.ID)) != 1 ||
		e.auditCount("credits.transfer", ledger.AccountPool) != 1 {
		t.Fatal("pool or audit after the funding change")
	}
	// Without returning: reported, nothing moved.
	carol := e.addMember("carol", func(n *NewMember) { n.Funding = FundWallet })
	e.topUp(ledger.UserAccount(carol.ID), "7")
	ch, err = e.svc.UpdateMemberWith(ctx, carol.ID, MemberUpdate{Role: access.RoleMember, Funding: FundPool}, false)
	if err != nil || ch.Wallet == nil || ch.Wallet.Left != "7" || ch.Wallet.Returned != "0" {
		t.Fatalf("funding change without return: %+v %v", ch.Wallet, err)
	}
	// A change that keeps the funding says nothing of the wallet.
	ch, err = e.svc.UpdateMemberWith(ctx, carol.ID, MemberUpdate{Role: access.RoleMember, Funding: FundPool, DisplayName: "C"}, false)
	if err != nil || ch.Wallet != nil {
		t.Fatalf("plain update: %+v %v", ch.Wallet, err)
	}
}

// TestAccountNamesForAMember: a member is given the names of their own
// wallet and their department, and no one else's; an admin every name.
func TestAccountNamesForAMember(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	eng, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Eng"})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	bob := e.addMember("bob", func(n *NewMember) { n.DepartmentID = eng.ID; n.DisplayName = "Bob Martin" })
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = ops.ID })
	names, err := e.svc.AccountNames(e.as(actorFor(bob)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{eng.Account: "Eng", ledger.UserAccount(bob.ID): "Bob Martin"}
	if len(names) != len(want) || names[eng.Account] != "Eng" || names[ledger.UserAccount(bob.ID)] != "Bob Martin" {
		t.Fatalf("a member's names: %v, want %v", names, want)
	}
	all, err := e.svc.AccountNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if all[ops.Account] != "Ops" || all[ledger.UserAccount(carol.ID)] != "carol" || all[ledger.UserAccount(e.admin.UserID)] != "alice" {
		t.Fatalf("an admin's names: %v", all)
	}
}
