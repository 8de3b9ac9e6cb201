package team

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

// TestArchiveEndsDepartmentAccount: archiving a department ends its
// account as a removal ends a member's wallet, in the archive's
// transaction: its auto-recharge rule is removed (logged as
// recharge.remove; the list the window and `alerts recharge list` share no
// longer has it), its alert state is dropped and it raises no alerts, and
// its overdraft ends (policy blocked, logged as credits.policy; the
// department's overdraft 0), so no transfer out of it leaves a debt that no
// credit could settle. Another department keeps its rule and alerts.
func TestArchiveEndsDepartmentAccount(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "1000")
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops", Overdraft: "10"})
	if err != nil {
		t.Fatal(err)
	}
	lab, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Lab"})
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range []Department{ops, lab} {
		if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "5", Amount: "10", MonthlyCap: "50", Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Ops fired an alert before the archive: its state ends too.
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = ops.ID })
	if err := e.use(carol, ops.Account, "m", "60"); err != nil {
		t.Fatal(err)
	}
	e.afterCharge(t, ops.Account)
	if n := e.notificationsOf(ops.Account); n != 1 {
		t.Fatalf("before the archive: %d notifications", n)
	}
	if _, err := e.svc.UpdateMember(ctx, carol.ID, MemberUpdate{Role: access.RoleMember, Funding: FundPool}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: ops.ID, To: 0, Amount: "40"}); err != nil {
		t.Fatal(err)
	}
	warned := e.notificationsOf(ops.Account) // moved to 0: depleted
	if err := e.svc.ArchiveDepartment(ctx, ops.ID); err != nil {
		t.Fatal(err)
	}

	rules, err := e.svc.ListAutoRecharge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Account != lab.Account {
		t.Fatalf("rules after the archive: %+v", rules)
	}
	var actor, before, after string
	if err := e.db.Read().QueryRow("SELECT actor_name, before_json, after_json FROM audit_log WHERE action = 'recharge.remove' AND target = ?",
		ops.Account).Scan(&actor, &before, &after); err != nil {
		t.Fatalf("the rule's removal is not in the audit log: %v", err)
	}
	if actor != e.admin.Name || after != "null" ||
		before != `{"account":"`+ops.Account+`","threshold":"5","amount":"10","monthlyCap":"50","enabled":true,"thisMonth":""}` {
		t.Fatalf("recharge.remove entry: %s %s -> %s", actor, before, after)
	}
	if err := e.db.Read().QueryRow("SELECT before_json, after_json FROM audit_log WHERE action = 'credits.policy' AND target = ?",
		ops.Account).Scan(&before, &after); err != nil {
		t.Fatalf("the end of the overdraft is not in the audit log: %v", err)
	}
	if before != `{"kind":"overdraft","limit":"10"}` || after != `{"kind":"blocked","limit":"0"}` {
		t.Fatalf("credits.policy entry: %s -> %s", before, after)
	}
	if p := e.policyOf(ops.Account); p.Kind != ledger.PolicyBlocked || !p.Limit.IsZero() {
		t.Fatalf("the archived department's policy: %+v", p)
	}
	if d, err := e.svc.Department(ctx, ops.ID); err != nil || d.Overdraft != "0" || !d.Archived {
		t.Fatalf("the archived department: %+v %v", d, err)
	}
	var states int
	if err := e.db.Read().QueryRow("SELECT count(*) FROM alert_state WHERE account = ?", ops.Account).Scan(&states); err != nil || states != 0 {
		t.Fatalf("alert state left: %d %v", states, err)
	}
	// Its depleted alert would fire again (its state is gone): an archived
	// department warns no one.
	if e.afterCharge(t, ops.Account) {
		t.Fatal("AfterChargeNeeded for an archived department")
	}
	if n := e.notificationsOf(ops.Account); n != warned {
		t.Fatalf("an archived department warned: %d notifications", n)
	}
	// Its old overdraft takes nothing out of it: no new debt can be made there.
	before = dump(t, e.db)
	if _, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "overdrawn", Op: ledger.OpTransfer, From: ops.Account,
		To: ledger.AccountPool, Amount: d("5")}); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("into the archived department's overdraft: %v", err)
	}
	if dump(t, e.db) != before {
		t.Fatal("the refused transfer wrote something")
	}
	// A rule for it cannot be set again.
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: ops.Account, Threshold: "5", Amount: "10", MonthlyCap: "50", Enabled: true}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a rule for an archived department: %v", err)
	}
	// Lab, still open, is warned and recharged as before.
	dave := e.addMember("dave", func(n *NewMember) { n.DepartmentID = lab.ID })
	if err := e.use(dave, lab.Account, "m", "96"); err != nil {
		t.Fatal(err)
	}
	e.afterCharge(t, lab.Account)
	if e.notificationsOf(lab.Account) == 0 || e.balance(lab.Account) != "14" {
		t.Fatalf("lab: %d notifications, balance %s", e.notificationsOf(lab.Account), e.balance(lab.Account))
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationEndsArchivedDepartments: migration 0790 ends the accounts
// of departments an earlier version archived as an archive does now:
// policy blocked, overdraft 0, no auto-recharge rule, no alert state, each
// change logged as the system's. Open departments keep theirs.
func TestMigrationEndsArchivedDepartments(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	var deps []Department
	for _, in := range []DepartmentInput{{Name: "Legal", Overdraft: "10"}, {Name: "Lab"}, {Name: "Ops", Overdraft: "7"}} {
		dep, err := e.svc.CreateDepartment(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		deps = append(deps, dep)
	}
	legal, lab, ops := deps[0], deps[1], deps[2]
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: ops.Account, Threshold: "5", Amount: "10", MonthlyCap: "30", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, dep := range []Department{legal, lab} {
		if err := e.svc.ArchiveDepartment(ctx, dep.ID); err != nil {
			t.Fatal(err)
		}
	}
	minor := func(s string) int64 { return money.MustMinor(d(s)) }
	// As an earlier version left them.
	db := e.reopenAfter(
		fmt.Sprintf("UPDATE ledger_accounts SET policy = 'overdraft', limit_minor = %d WHERE code = '%s'", minor("10"), legal.Account),
		fmt.Sprintf("UPDATE departments SET overdraft_minor = %d WHERE id = %d", minor("10"), legal.ID),
		fmt.Sprintf("UPDATE ledger_accounts SET policy = 'carry', limit_minor = 0 WHERE code = '%s'", lab.Account),
		fmt.Sprintf(`INSERT INTO auto_recharge(account, threshold_minor, amount_minor, monthly_cap_minor, enabled)
			VALUES ('%s', %d, %d, %d, 0)`, lab.Account, minor("12.5"), minor("40"), minor("0.000000001")),
		fmt.Sprintf("INSERT INTO alert_state(account, threshold, crossed_at) VALUES ('%s', 'depleted', '2026-06-15T12:00:00.000000000Z')", legal.Account),
		fmt.Sprintf("INSERT INTO alert_state(account, threshold, crossed_at) VALUES ('%s', 'depleted', '2026-06-15T12:00:00.000000000Z')", ops.Account),
		"DELETE FROM schema_migrations WHERE version = 790",
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
	for acct, want := range map[string]string{legal.Account: "blocked 0", lab.Account: "blocked 0", ops.Account: "overdraft 7000000000"} {
		if got := q("SELECT policy || ' ' || limit_minor FROM ledger_accounts WHERE code = ?", acct); got != want {
			t.Errorf("%s policy: %s, want %s", acct, got, want)
		}
	}
	if got := q("SELECT group_concat(name || '=' || overdraft_minor, ' ') FROM (SELECT name, overdraft_minor FROM departments ORDER BY id)"); got != "Legal=0 Lab=0 Ops=7000000000" {
		t.Errorf("overdrafts: %s", got)
	}
	if got := q("SELECT group_concat(account, ' ') FROM auto_recharge"); got != ops.Account {
		t.Errorf("rules left: %s", got)
	}
	if got := q("SELECT group_concat(account, ' ') FROM alert_state"); got != ops.Account {
		t.Errorf("alert state left: %s", got)
	}
	got := q(`SELECT group_concat(actor_name || ' ' || action || ' ' || target || ' ' || before_json || ' ' || after_json, char(10))
		FROM (SELECT * FROM audit_log WHERE actor_id IS NULL AND action IN ('credits.policy', 'recharge.remove') ORDER BY id)`)
	want := strings.Join([]string{
		"system credits.policy " + legal.Account + ` {"kind":"overdraft","limit":"10"} {"kind":"blocked","limit":"0"}`,
		"system credits.policy " + lab.Account + ` {"kind":"carry","limit":"0"} {"kind":"blocked","limit":"0"}`,
		"system recharge.remove " + lab.Account + ` {"account":"` + lab.Account + `","threshold":"12.5","amount":"40","monthlyCap":"0.000000001","enabled":false,"thisMonth":""} null`,
	}, "\n")
	if got != want {
		t.Errorf("audit entries:\n%s\nwant\n%s", got, want)
	}
	// The entries read as the live code's (an archive's recharge.remove).
	if err := e.svc.ArchiveDepartment(ctx, ops.ID); err != nil {
		t.Fatal(err)
	}
	live := q("SELECT before_json FROM audit_log WHERE action = 'recharge.remove' AND target = ?", ops.Account)
	if live != `{"account":"`+ops.Account+`","threshold":"5","amount":"10","monthlyCap":"30","enabled":true,"thisMonth":""}` {
		t.Errorf("the live entry: %s", live)
	}
}

// TestArchivedDepartmentDebtCanBeSettled: a department archived by an
// earlier version kept its overdraft, so a transfer out of it could leave a
// debt there (migration 0790 ends the overdraft, not the debt). Credits may
// go to it only to settle that debt, as to a removed member's wallet:
// more is refused with the reason and nothing is written, and once settled
// nothing more goes.
func TestArchivedDepartmentDebtCanBeSettled(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "100")
	legal, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Legal"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, legal.ID); err != nil {
		t.Fatal(err)
	}
	// As an earlier version allowed: an overdraft kept, a transfer out.
	if err := e.led.SetPolicy(ctx, legal.Account, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("10")}); err != nil {
		t.Fatal(err)
	}
	transfer := func(from, to, amount string) error {
		_, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: nextID("t"), Op: ledger.OpTransfer, From: from, To: to, Amount: d(amount)})
		return err
	}
	if err := transfer(legal.Account, ledger.AccountPool, "5"); err != nil {
		t.Fatal(err)
	}
	if err := e.led.SetPolicy(ctx, legal.Account, ledger.Policy{Kind: ledger.PolicyBlocked}); err != nil { // migration 0790
		t.Fatal(err)
	}
	e.led.SetOpenCheck(e.svc.AcceptsCredits)
	for _, c := range []struct {
		amount, want string // want: "" = settled
	}{
		{"6", "the Legal department is archived; only its account's debt may be settled, at most 5 credits (asked for 6)"},
		{"5", ""},
		{"1", "the Legal department is archived, and its account owes nothing"},
	} {
		before := dump(t, e.db)
		err := transfer(ledger.AccountPool, legal.Account, c.amount)
		if c.want == "" {
			if err != nil {
				t.Fatalf("settle %s: %v", c.amount, err)
			}
			continue
		}
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("transfer %s: %v, want %q", c.amount, err, c.want)
		}
		if dump(t, e.db) != before {
			t.Fatalf("a refused transfer of %s wrote something", c.amount)
		}
	}
	if b, err := e.led.Balance(ctx, legal.Account); err != nil || !b.Balance.IsZero() {
		t.Fatalf("Legal %+v %v, want 0", b, err)
	}
	if err := e.led.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
