package team

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

// policyOf reads an account's ledger policy.
func (e *env) policyOf(account string) ledger.Policy {
	e.t.Helper()
	b, err := e.led.Balance(e.adminCtx(), account)
	if err != nil {
		e.t.Fatal(err)
	}
	return b.Policy
}

// give moves credits from the pool to account as the admin (a grant, as
// `credits transfer --from pool --to ACCOUNT` makes).
func (e *env) give(account, credits string) {
	e.t.Helper()
	if _, err := e.led.Transfer(e.adminCtx(), ledger.TransferRequest{ID: nextID("give"), Op: ledger.OpGrant,
		From: ledger.AccountPool, To: account, Amount: d(credits)}); err != nil {
		e.t.Fatal(err)
	}
}

// TestRemovedWalletKeepsNoMinimum: a member paid by their own wallet with a
// minimum balance is removed; the wallet ends with them (policy blocked,
// floor 0; the member's minimum 0, both logged), so --return-credits moves
// all of it back to the pool, and without it every credit left can be moved
// later: the wallet's Returnable, the ledger's Movable and the transfer
// agree. A funding change keeps the minimum (the member still has it).
func TestRemovedWalletKeepsNoMinimum(t *testing.T) {
	for _, c := range []struct {
		name          string
		returnCredits bool
		returned      string
		left          string
	}{
		{"with --return-credits", true, "500", "0"},
		{"without", false, "0", "500"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			erin := e.addMember("erin", func(n *NewMember) { n.Funding = FundWallet; n.MinBalance = "100" })
			code := ledger.UserAccount(erin.ID)
			e.topUp(ledger.AccountPool, "1000")
			e.give(code, "500")
			w, err := e.svc.Wallet(ctx, erin.ID)
			if err != nil {
				t.Fatal(err)
			}
			if w.Returnable != "400" || w.ReturnableOnRemoval != "500" {
				t.Fatalf("before the removal: returnable %s, on removal %s", w.Returnable, w.ReturnableOnRemoval)
			}
			ch, err := e.svc.RemoveMemberWith(ctx, erin.ID, c.returnCredits)
			if err != nil {
				t.Fatal(err)
			}
			if ch.Wallet == nil || ch.Wallet.Balance != "500" || ch.Wallet.Returned != c.returned || ch.Wallet.Left != c.left {
				t.Fatalf("removed: %+v", ch.Wallet)
			}
			if ch.Member.MinBalance != "0" {
				t.Fatalf("a removed member keeps a minimum balance of %s", ch.Member.MinBalance)
			}
			if p := e.policyOf(code); p.Kind != ledger.PolicyBlocked || !p.Limit.IsZero() {
				t.Fatalf("the removed wallet's policy: %+v", p)
			}
			if e.auditCount("credits.policy", code) != 1 || e.auditCount("member.remove", code) != 1 {
				t.Fatal("the end of the minimum is not in the audit log")
			}
			var before, after string
			if err := e.db.Read().QueryRow("SELECT before_json, after_json FROM audit_log WHERE action = 'credits.policy' AND target = ?",
				code).Scan(&before, &after); err != nil {
				t.Fatal(err)
			}
			if before != `{"kind":"minimum","limit":"100"}` || after != `{"kind":"blocked","limit":"0"}` {
				t.Fatalf("credits.policy entry: %s -> %s", before, after)
			}
			if !c.returnCredits {
				// What the window offers (Returnable, Balance.Movable) is all of it, and is taken.
				ws, err := e.svc.Wallets(ctx)
				if err != nil {
					t.Fatal(err)
				}
				b, err := e.led.Balance(ctx, code)
				if err != nil {
					t.Fatal(err)
				}
				if len(ws) != 1 || ws[0].Returnable != "500" || ws[0].ReturnableOnRemoval != "500" || b.Movable.String() != "500" {
					t.Fatalf("after the removal: wallets %+v, movable %s", ws, b.Movable)
				}
				if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "back", Op: ledger.OpTransfer, From: code,
					To: ledger.AccountPool, Amount: b.Movable}); err != nil {
					t.Fatalf("moving what the window offers: %v", err)
				}
			}
			if e.balance(code) != "0" || e.balance(ledger.AccountPool) != "1000" {
				t.Fatalf("wallet %s, pool %s", e.balance(code), e.balance(ledger.AccountPool))
			}
			// Nothing more leaves it: floor 0.
			if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "more", Op: ledger.OpTransfer, From: code,
				To: ledger.AccountPool, Amount: d("1")}); !errors.Is(err, ledger.ErrInsufficientFunds) {
				t.Fatalf("below zero: %v", err)
			}
			if err := e.led.Verify(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestRemovedWalletOverdraftEnds: a removed member's overdraft ends with
// them (blocked), so their wallet cannot be taken further below zero; the
// debt stays, named by the removal.
func TestRemovedWalletOverdraftEnds(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	code := ledger.UserAccount(frank.ID)
	e.topUp(ledger.AccountPool, "100")
	if err := e.led.SetPolicy(ctx, code, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("500")}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(frank, code, "m", "18"); err != nil {
		t.Fatal(err)
	}
	ch, err := e.svc.RemoveMemberWith(ctx, frank.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Wallet == nil || ch.Wallet.Left != "-18" || ch.Wallet.Returned != "0" {
		t.Fatalf("removed: %+v", ch.Wallet)
	}
	if p := e.policyOf(code); p.Kind != ledger.PolicyBlocked {
		t.Fatalf("policy: %+v", p)
	}
	if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "deeper", Op: ledger.OpTransfer, From: code,
		To: ledger.AccountPool, Amount: d("1")}); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("deeper into the removed wallet's overdraft: %v", err)
	}
}

// TestRemovedWalletDebtCanBeSettled: credits may go to a removed member's
// wallet only to settle its debt: up to what it owes, by any transfer or a
// top-up, in parts; anything beyond (more than the debt, one leg of many
// that would pass it, a wallet that owes nothing) is refused with the
// reason and nothing written. The ledger stays balanced.
func TestRemovedWalletDebtCanBeSettled(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	ctx := e.adminCtx()
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	gone := e.addMember("gone", func(n *NewMember) { n.Funding = FundWallet })
	code, goneCode := ledger.UserAccount(frank.ID), ledger.UserAccount(gone.ID)
	e.topUp(ledger.AccountPool, "100")
	if err := e.led.SetPolicy(ctx, code, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("500")}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(frank, code, "m", "18"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Member{frank, gone} {
		if _, err := e.svc.RemoveMemberWith(ctx, m.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	transfer := func(op, from, to, amount string) func() error {
		return func() error {
			_, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: nextID("t"), Op: op, From: from, To: to, Amount: d(amount)})
			return err
		}
	}
	topUp := func(account, amount string) func() error {
		return func() error {
			_, err := e.led.TopUp(ctx, ledger.TopUpRequest{ID: nextID("top"), Account: account, Credits: d(amount), Price: "0"})
			return err
		}
	}
	refused := []struct {
		name string
		run  func() error
		want string
	}{
		{"more than the debt from the pool", transfer(ledger.OpGrant, ledger.AccountPool, code, "19"),
			"frank was removed; only their wallet's debt may be settled, at most 18 credits (asked for 19)"},
		{"an adjustment past the debt", transfer(ledger.OpAdjustment, ledger.AccountAdjust, code, "18.000000001"), "at most 18 credits"},
		{"a top-up past the debt", topUp(code, "50"), "at most 18 credits"},
		{"two legs that pass it together", func() error {
			_, err := e.led.TransferMany(ctx, nextID("many"), []ledger.TransferRequest{
				{Op: ledger.OpTransfer, From: ledger.AccountPool, To: code, Amount: d("10")},
				{Op: ledger.OpTransfer, From: ledger.AccountPool, To: code, Amount: d("10")},
			})
			return err
		}, "at most 8 credits (asked for 10)"},
		{"a removed wallet that owes nothing", transfer(ledger.OpTransfer, ledger.AccountPool, goneCode, "1"),
			"gone was removed, and their wallet owes nothing"},
	}
	before := dump(t, e.db)
	for _, c := range refused {
		err := c.run()
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if dump(t, e.db) != before {
		t.Fatal("a refused credit wrote something")
	}

	// Settled in parts: a transfer from the pool (the window's), then the
	// rest as the CLI's default grant; each repays debt and makes no lot.
	for _, c := range []struct{ op, amount, balance string }{
		{ledger.OpTransfer, "10", "-8"},
		{ledger.OpGrant, "8", "0"},
	} {
		tr, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: nextID("settle"), Op: c.op, From: ledger.AccountPool, To: code, Amount: d(c.amount)})
		if err != nil {
			t.Fatalf("settle %s: %v", c.amount, err)
		}
		if tr.DebtRepaid.String() != c.amount || e.balance(code) != c.balance {
			t.Fatalf("settle %s: repaid %s, balance %s", c.amount, tr.DebtRepaid, e.balance(code))
		}
	}
	if err := transfer(ledger.OpTransfer, ledger.AccountPool, code, "0.000000001")(); !errors.Is(err, ErrNotFound) ||
		!strings.Contains(err.Error(), "owes nothing") {
		t.Fatalf("past the settled debt: %v", err)
	}
	if e.balance(ledger.AccountPool) != "82" {
		t.Fatalf("pool: %s", e.balance(ledger.AccountPool))
	}
	// Settled, the wallet cannot be charged into debt again (blocked).
	if err := e.use(frank, code, "m", "3"); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatal("a removed wallet at zero was charged")
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestRemovedWalletDebtTopUp: a top-up may settle a removed member's debt
// (they paid it), up to the debt.
func TestRemovedWalletDebtTopUp(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	ctx := e.adminCtx()
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	code := ledger.UserAccount(frank.ID)
	if err := e.led.SetPolicy(ctx, code, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("50")}); err != nil {
		t.Fatal(err)
	}
	if err := e.use(frank, code, "m", "12.5"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RemoveMember(ctx, frank.ID); err != nil {
		t.Fatal(err)
	}
	top, err := e.led.TopUp(ctx, ledger.TopUpRequest{ID: "paid", Account: code, Credits: d("12.5"), Price: "0.13"})
	if err != nil {
		t.Fatal(err)
	}
	if top.DebtRepaid.String() != "12.5" || e.balance(code) != "0" {
		t.Fatalf("top-up: repaid %s, balance %s", top.DebtRepaid, e.balance(code))
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestRemovalEndsAlertsAndAutoRecharge: removing a member removes their
// wallet's auto-recharge rule (logged as recharge.remove; the list, which
// the window and `alerts recharge list` share, no longer has it) and its
// alerts: a send that settles after the removal warns no one, and
// AfterChargeNeeded says so. A member who is not removed still is warned.
func TestRemovalEndsAlertsAndAutoRecharge(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	dave := e.addMember("dave", func(n *NewMember) { n.Funding = FundWallet })
	carl := e.addMember("carl", func(n *NewMember) { n.Funding = FundWallet })
	dc, cc := ledger.UserAccount(dave.ID), ledger.UserAccount(carl.ID)
	e.topUp(ledger.AccountPool, "10000")
	e.give(dc, "150")
	e.give(cc, "150")
	for _, acct := range []string{dc, cc} {
		if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: acct, Threshold: "20", Amount: "50", MonthlyCap: "200", Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	// dave's wallet fired an alert before the removal: its state ends too.
	if err := e.use(dave, dc, "m", "60"); err != nil {
		t.Fatal(err)
	}
	e.afterCharge(t, dc)
	if n := e.notificationsOf(dc); n != 1 {
		t.Fatalf("before the removal: %d notifications", n)
	}
	if _, err := e.svc.RemoveMemberWith(ctx, dave.ID, false); err != nil {
		t.Fatal(err)
	}
	rules, err := e.svc.ListAutoRecharge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Account != cc {
		t.Fatalf("rules after the removal: %+v", rules)
	}
	if e.auditCount("recharge.remove", dc) != 1 {
		t.Fatal("the rule's removal is not in the audit log")
	}
	var states int
	if err := e.db.Read().QueryRow("SELECT count(*) FROM alert_state WHERE account = ?", dc).Scan(&states); err != nil || states != 0 {
		t.Fatalf("alert state left: %d %v", states, err)
	}
	// A send of dave's that settles after the removal: below every threshold, no alert, no recharge.
	if err := e.use(dave, dc, "m", "85"); err != nil {
		t.Fatal(err)
	}
	if e.afterCharge(t, dc) {
		t.Fatal("AfterChargeNeeded for a removed member's wallet")
	}
	if n := e.notificationsOf(dc); n != 1 {
		t.Fatalf("a removed member's wallet warned: %d notifications", n)
	}
	if e.balance(dc) != "5" {
		t.Fatalf("dave's wallet was recharged: %s", e.balance(dc))
	}
	// carl, still a member, is warned and recharged as before.
	if err := e.use(carl, cc, "m", "145"); err != nil {
		t.Fatal(err)
	}
	e.afterCharge(t, cc)
	if e.notificationsOf(cc) == 0 || e.balance(cc) != "55" {
		t.Fatalf("carl: %d notifications, balance %s", e.notificationsOf(cc), e.balance(cc))
	}
	// A rule for the removed wallet cannot be set again.
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dc, Threshold: "20", Amount: "50", MonthlyCap: "200", Enabled: true}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a rule for a removed wallet: %v", err)
	}
}

// notificationsOf counts the notifications about account.
func (e *env) notificationsOf(account string) int {
	e.t.Helper()
	var n int
	if err := e.db.Read().QueryRow("SELECT count(*) FROM notifications WHERE account = ?", account).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestMigrationEndsRemovedWallets: migration 0760 ends the wallets of
// members an earlier version removed as a removal does now: policy blocked
// (a debt kept), minimum 0, no auto-recharge rule, no alert state, each
// change logged as the system's. Other members keep theirs.
func TestMigrationEndsRemovedWallets(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	erin := e.addMember("erin", func(n *NewMember) { n.Funding = FundWallet; n.MinBalance = "100" })
	frank := e.addMember("frank", func(n *NewMember) { n.Funding = FundWallet })
	bob := e.addMember("bob", func(n *NewMember) { n.Funding = FundWallet; n.MinBalance = "7" })
	ec, fc, bc := ledger.UserAccount(erin.ID), ledger.UserAccount(frank.ID), ledger.UserAccount(bob.ID)
	e.topUp(ledger.AccountPool, "1000")
	e.give(ec, "500")
	e.give(bc, "50")
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: bc, Threshold: "5", Amount: "10", MonthlyCap: "30", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Member{erin, frank} {
		if _, err := e.svc.RemoveMember(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	const old = "minimum"
	minor := func(s string) int64 { return money.MustMinor(d(s)) }
	// As an earlier version left them.
	db := e.reopenAfter(
		fmt.Sprintf("UPDATE ledger_accounts SET policy = '%s', limit_minor = %d WHERE code = '%s'", old, minor("100"), ec),
		fmt.Sprintf("UPDATE ledger_accounts SET policy = 'overdraft', limit_minor = %d WHERE code = '%s'", minor("500"), fc),
		fmt.Sprintf("UPDATE users SET min_balance_minor = %d WHERE id = %d", minor("100"), erin.ID),
		fmt.Sprintf(`INSERT INTO auto_recharge(account, threshold_minor, amount_minor, monthly_cap_minor, enabled)
			VALUES ('%s', %d, %d, %d, 1)`, ec, minor("12.5"), minor("40"), minor("0.000000001")),
		fmt.Sprintf("INSERT INTO alert_state(account, threshold, crossed_at) VALUES ('%s', 'abs:100', '2026-06-15T12:00:00.000000000Z')", ec),
		"DELETE FROM schema_migrations WHERE version = 760",
	)
	defer db.Close()
	q := func(query string, args ...any) string {
		t.Helper()
		var s string
		if err := db.Read().QueryRow(query, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return s
	}
	for acct, want := range map[string]string{ec: "blocked 0", fc: "blocked 0", bc: "minimum 7000000000"} {
		if got := q("SELECT policy || ' ' || limit_minor FROM ledger_accounts WHERE code = ?", acct); got != want {
			t.Errorf("%s policy: %s, want %s", acct, got, want)
		}
	}
	if got := q("SELECT group_concat(name || '=' || min_balance_minor, ' ') FROM (SELECT name, min_balance_minor FROM users WHERE id IN (?, ?) ORDER BY id)",
		erin.ID, bob.ID); got != "erin=0 bob=7000000000" {
		t.Errorf("minimums: %s", got)
	}
	if got := q("SELECT group_concat(account, ' ') FROM auto_recharge"); got != bc {
		t.Errorf("rules left: %s", got)
	}
	if got := q("SELECT count(*) FROM alert_state WHERE account = ?", ec); got != "0" {
		t.Errorf("alert state left: %s", got)
	}
	got := q(`SELECT group_concat(actor_name || ' ' || action || ' ' || target || ' ' || before_json || ' ' || after_json, char(10))
		FROM (SELECT * FROM audit_log WHERE actor_id IS NULL AND action IN ('credits.policy', 'recharge.remove') ORDER BY id)`)
	want := strings.Join([]string{
		"system credits.policy " + ec + ` {"kind":"minimum","limit":"100"} {"kind":"blocked","limit":"0"}`,
		"system credits.policy " + fc + ` {"kind":"overdraft","limit":"500"} {"kind":"blocked","limit":"0"}`,
		"system recharge.remove " + ec + ` {"account":"` + ec + `","threshold":"12.5","amount":"40","monthlyCap":"0.000000001","enabled":true,"thisMonth":""} null`,
	}, "\n")
	if got != want {
		t.Errorf("audit entries:\n%s\nwant\n%s", got, want)
	}
	// The entries read as the live code's (a removal's recharge.remove).
	if _, err := e.svc.RemoveMember(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	live := q("SELECT before_json FROM audit_log WHERE action = 'recharge.remove' AND target = ?", bc)
	if live != `{"account":"`+bc+`","threshold":"5","amount":"10","monthlyCap":"30","enabled":true,"thisMonth":""}` {
		t.Errorf("the live entry: %s", live)
	}
}

// TestRechargeReadsItsRuleInItsTransaction: a recharge whose rule is gone
// or switched off between its reads and its transfer (the member removed,
// an admin deleting or disabling it at that moment) moves nothing: the
// transfer's Guard reads the rule again. Before, the transfer went
// through, and after a removal paid a debt nobody chose to settle.
func TestRechargeReadsItsRuleInItsTransaction(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(e *env, acct string, m Member) error
	}{
		{"switched off", func(e *env, acct string, _ Member) error {
			_, err := e.svc.SetAutoRecharge(e.adminCtx(), AutoRecharge{Account: acct, Threshold: "100", Amount: "50", MonthlyCap: "200", Enabled: false})
			return err
		}},
		{"member removed", func(e *env, _ string, m Member) error {
			_, err := e.svc.RemoveMemberWith(e.adminCtx(), m.ID, false)
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			m := e.addMember("dave", func(n *NewMember) { n.Funding = FundWallet })
			acct := ledger.UserAccount(m.ID)
			e.topUp(ledger.AccountPool, "1000")
			e.give(acct, "150")
			if _, err := e.svc.SetAutoRecharge(e.adminCtx(), AutoRecharge{Account: acct, Threshold: "100", Amount: "50", MonthlyCap: "200", Enabled: true}); err != nil {
				t.Fatal(err)
			}
			if err := e.use(m, acct, "m", "60"); err != nil { // 90 left: under the threshold
				t.Fatal(err)
			}
			var changeErr error
			beforeRechargeTransfer = func() { changeErr = c.change(e, acct, m) }
			t.Cleanup(func() { beforeRechargeTransfer = func() {} })
			if err := e.svc.recharge(access.WithActor(context.Background(), access.System), acct); err != nil || changeErr != nil {
				t.Fatalf("recharge: %v (change: %v)", err, changeErr)
			}
			var logged int
			if err := e.db.Read().QueryRow("SELECT count(*) FROM auto_recharge_log").Scan(&logged); err != nil || logged != 0 {
				t.Fatalf("%d recharges logged (%v)", logged, err)
			}
			if b, err := e.led.Balance(e.adminCtx(), acct); err != nil || !b.Balance.Equal(d("90")) {
				t.Fatalf("wallet %+v %v, want 90", b, err)
			}
			if err := e.led.Verify(e.adminCtx()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
