package core

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// TestOpenRaisesAlertsACrashMissed: a move's alerts are evaluated after its
// commit, so a crash between the two loses them; the next Open raises each
// missed crossing once, and none twice. Bob's wallet is taken below 100 by
// a transfer committed with no move hook (the crash after the commit),
// carol's by a charge whose AfterCharge never ran; dave's crossing was
// raised when it happened; eve's empty wallet was never debited (below the
// threshold, no crossing) and the untouched pool neither.
func TestOpenRaisesAlertsACrashMissed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(ctx, admin)
	if _, err := b.Team.SetAlertSettings(alice, team.AlertSettings{Absolute: []string{"100"}, Depleted: true}); err != nil {
		t.Fatal(err)
	}
	wallet := map[string]string{}
	ids := map[string]int64{}
	for _, name := range []string{"bob", "carol", "dave", "eve"} {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: team.FundWallet})
		if err != nil {
			t.Fatal(err)
		}
		wallet[name], ids[name] = ledger.UserAccount(m.ID), m.ID
	}
	amount := decimal.RequireFromString
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: amount("1000"), Price: "0"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bob", "carol", "dave"} {
		if _, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "give-" + name, Op: ledger.OpTransfer,
			From: ledger.AccountPool, To: wallet[name], Amount: amount("150")}); err != nil {
			t.Fatal(err)
		}
	}
	// Dave's crossing is raised as it happens (the hook).
	if _, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "dave-down", Op: ledger.OpTransfer,
		From: wallet["dave"], To: ledger.AccountPool, Amount: amount("60")}); err != nil {
		t.Fatal(err)
	}
	// Bob's: committed, then "crashed" before the hook.
	b.Ledger.SetMoveHook(nil)
	if _, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "bob-down", Op: ledger.OpTransfer,
		From: wallet["bob"], To: ledger.AccountPool, Amount: amount("60")}); err != nil {
		t.Fatal(err)
	}
	// Carol's: a charge, settled, with no AfterCharge after it.
	sys := access.WithActor(ctx, access.System)
	if _, err := b.Ledger.Transfer(sys, ledger.TransferRequest{ID: "carol-use", Op: ledger.OpUsage, From: wallet["carol"],
		To: ledger.AccountUsage, Amount: amount("120"), Dims: ledger.Dims{UserID: ids["carol"], Model: "m"}}); err != nil {
		t.Fatal(err)
	}
	if got := alertsByAccount(t, b); len(got) != 1 || got[wallet["dave"]] != 1 {
		t.Fatalf("alerts before the restart %v, want dave's alone", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	want := map[string]int{wallet["bob"]: 1, wallet["carol"]: 1, wallet["dave"]: 1}
	for i := range 2 { // the next start raises the missed ones; the one after, nothing more
		b, err := Open(ctx, Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		got := alertsByAccount(t, b)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || got[wallet["bob"]] != 1 || got[wallet["carol"]] != 1 || got[wallet["dave"]] != 1 {
			t.Fatalf("start %d: alerts %v, want one each for %v", i+1, got, want)
		}
	}
}

// TestOpenRaisesAThresholdSetAfterTheDebitThatCrossedIt: setting a
// threshold evaluates nothing, and the start-up catch-up reads only the
// account's last debit and whether the threshold fired after it; so a
// threshold set above a balance whose last debit went across it is raised
// at the next start, once, as the next charge would raise it (the
// catch-up then writes that alert). Bob's wallet went from 150 to 90 with
// no threshold at 100; 100 is set afterwards. Eve's wallet, below 100 with no
// debit across it (its last change a credit), raises nothing.
func TestOpenRaisesAThresholdSetAfterTheDebitThatCrossedIt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	alice := access.WithActor(ctx, admin)
	// Not the defaults (100 among them): a threshold of 10 alone, which
	// nothing here crosses.
	if _, err := b.Team.SetAlertSettings(alice, team.AlertSettings{Absolute: []string{"10"}}); err != nil {
		t.Fatal(err)
	}
	wallet := map[string]string{}
	for _, name := range []string{"bob", "eve"} {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: team.FundWallet})
		if err != nil {
			t.Fatal(err)
		}
		wallet[name] = ledger.UserAccount(m.ID)
	}
	amount := decimal.RequireFromString
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: amount("1000"), Price: "0"}); err != nil {
		t.Fatal(err)
	}
	for _, tr := range []ledger.TransferRequest{
		{ID: "give-bob", Op: ledger.OpTransfer, From: ledger.AccountPool, To: wallet["bob"], Amount: amount("150")},
		{ID: "bob-down", Op: ledger.OpTransfer, From: wallet["bob"], To: ledger.AccountPool, Amount: amount("60")},
		{ID: "give-eve", Op: ledger.OpTransfer, From: ledger.AccountPool, To: wallet["eve"], Amount: amount("50")},
	} {
		if _, err := b.Ledger.Transfer(alice, tr); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Team.SetAlertSettings(alice, team.AlertSettings{Absolute: []string{"10", "100"}}); err != nil {
		t.Fatal(err)
	}
	if got := alertsByAccount(t, b); len(got) != 0 {
		t.Fatalf("alerts once the threshold is set %v, want none (setting it evaluates nothing)", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the next start raises bob's; the one after, nothing more
		b, err := Open(ctx, Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		got := alertsByAccount(t, b)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[wallet["bob"]] != 1 {
			t.Fatalf("start %d: alerts %v, want one, bob's (%s)", i+1, got, wallet["bob"])
		}
	}
}

// alertsByAccount is how many balance alerts each account has raised in
// b's notifications.
func alertsByAccount(t *testing.T, b *Backend) map[string]int {
	t.Helper()
	rows, err := b.DB.Read().Query("SELECT account, count(*) FROM notifications WHERE kind = ? GROUP BY account", team.KindAlert)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			t.Fatal(err)
		}
		out[a] = n
	}
	return out
}
