package ledger

import (
	"errors"
	"strconv"
	"testing"

	"meterdesk/backend/audit/audittest"
)

// Top-ups, corrections (grant, adjustment, refund) and the credit settings
// (what a credit is worth, how long lots last, the packages) are in the
// audit log by the admin who made them; replays and refused requests log
// nothing more.
func TestCreditChangesAreAudited(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, AccountPool)
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: AccountPool, Credits: d("1000"), Price: "10", Currency: "EUR", Note: "March"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: AccountPool, Credits: d("1000"), Price: "10", Currency: "EUR", Note: "March"}); err != nil {
		t.Fatalf("replay: %v", err)
	}
	refused := map[string]func() error{
		"a member's top-up": func() error {
			_, err := e.s.TopUp(memberCtx(2), TopUpRequest{ID: "t2", Account: AccountPool, Credits: d("1"), Price: "0"})
			return err
		},
		"a negative top-up": func() error {
			_, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t3", Account: AccountPool, Credits: d("-1"), Price: "0"})
			return err
		},
		"a reused id": func() error {
			_, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: AccountPool, Credits: d("2"), Price: "0"})
			return err
		},
		"a credit value of zero": func() error { return e.s.SetCreditValue(adminCtx, CreditValue{Amount: "0", Currency: "EUR"}) },
		"a lot validity of -1":   func() error { return e.s.SetLotValidity(adminCtx, -1) },
		"a package without name": func() error {
			_, err := e.s.SavePackage(adminCtx, Package{Credits: d("1"), Price: "1", Currency: "EUR"})
			return err
		},
	}
	for name, f := range refused {
		if err := f(); err == nil {
			t.Fatalf("%s was accepted", name)
		}
	}
	if err := e.s.SetCreditValue(adminCtx, CreditValue{Amount: "0.0200", Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetLotValidity(adminCtx, 6); err != nil {
		t.Fatal(err)
	}
	p, err := e.s.SavePackage(adminCtx, Package{Name: "Starter", Credits: d("500"), Price: "4.50", Currency: "EUR", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	// Corrections are logged; a member's own transfer and usage are not
	// (they are the ledger itself), nor is a replayed or refused correction.
	e.ensure(t, "user:2")
	g, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g1", Op: OpGrant, From: AccountPool, To: "user:2", Amount: d("30"),
		Meta: []byte(`{"note":"welcome"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "g1", Op: OpGrant, From: AccountPool, To: "user:2", Amount: d("30"),
		Meta: []byte(`{"note":"welcome"}`)}); err != nil {
		t.Fatalf("replayed grant: %v", err)
	}
	if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "g2", Op: OpGrant, From: AccountPool, To: "user:2", Amount: d("1")}); err == nil {
		t.Fatal("a member granted credits")
	}
	m1, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "m1", Op: OpTransfer, From: "user:2", To: AccountPool, Amount: d("1")})
	if err != nil {
		t.Fatal(err)
	}
	// The system's transfers (auto-recharge) and those whose caller logs
	// them (the team's credits.move) are not logged here.
	if _, err := e.s.Transfer(systemCtx, TransferRequest{ID: "r1", Op: OpTransfer, From: AccountPool, To: "user:2", Amount: d("1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "mv1", Op: OpTransfer, From: AccountPool, To: "user:2", Amount: d("1"), Audited: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u1", Op: OpUsage, Dims: Dims{UserID: 2, Model: "m"}, From: "user:2", To: AccountUsage, Amount: d("1")}); err != nil {
		t.Fatal(err)
	}
	// A policy set by an admin is logged; one the team sets as the system
	// (logged by the team as department.update or member.update) is not.
	if err := e.s.SetPolicy(adminCtx, "user:2", Policy{Kind: PolicyOverdraft, Limit: d("25")}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetPolicy(systemCtx, "user:2", Policy{Kind: PolicyBlocked}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetPolicy(adminCtx, "user:2", Policy{Kind: "lenient"}); err == nil {
		t.Fatal("an unknown policy was accepted")
	}
	got := audittest.Entries(t, e.db)
	want := []struct{ action, target, before, after string }{
		{"credits.topup", "pool", "null", `{"transfer":` + itoa(tu.Transfer.ID) + `,"credits":"1000","price":"10.00","currency":"EUR","note":"March"}`},
		{"credits.value", "workspace", `{"amount":"0.01","currency":"EUR","default":true}`, `{"amount":"0.02","currency":"USD"}`},
		{"credits.lot_validity", "workspace", `{"months":12,"default":true}`, `{"months":6}`},
		{"credits.package", "package:" + itoa(p.ID), "null", `{"id":` + itoa(p.ID) +
			`,"name":"Starter","credits":"500","price":"4.50","priceMinor":450,"currency":"EUR","discount":"","active":true,"sort":0}`},
		{"credits.grant", "user:2", "null", `{"transfer":` + itoa(g.ID) + `,"from":"pool","to":"user:2","amount":"30","meta":{"note":"welcome"}}`},
		// A member's own move is a person's transfer: logged, under their name.
		{"credits.transfer", "pool", "null", `{"transfer":` + itoa(m1.ID) + `,"from":"user:2","to":"pool","amount":"1"}`},
		{"credits.policy", "user:2", `{"kind":"blocked","limit":"0"}`, `{"kind":"overdraft","limit":"25"}`},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %+v", got)
	}
	for i, w := range want {
		g := got[i]
		name, id := "ada", int64(1)
		if w.action == "credits.transfer" {
			name, id = "m2", 2
		}
		if g.ActorName != name || g.ActorID != id || g.Action != w.action || g.Target != w.target || g.Before != w.before || g.After != w.after {
			t.Errorf("entry %d\n got %+v\nwant %s %s %s %s", i, g, w.action, w.target, w.before, w.after)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A correction (grant, adjustment, refund) may not pass through sys:usage,
// sys:topup or sys:expiry: it would count as usage, issue credits without a
// top-up (and its invoice) or fake an expiry. Refused, nothing written.
func TestCorrectionsKeepOffUsageTopUpAndExpiry(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, AccountPool, "user:2")
	e.fund(t, AccountPool, "100")
	before := e.snapshot(t)
	for _, op := range []string{OpGrant, OpAdjustment, OpRefund} {
		for _, leg := range [][2]string{
			{AccountPool, AccountUsage}, {AccountUsage, AccountPool},
			{AccountTopUp, AccountPool}, {AccountPool, AccountTopUp},
			{AccountPool, AccountExpiry}, {AccountExpiry, "user:2"},
		} {
			_, err := e.s.Transfer(adminCtx, TransferRequest{ID: op + leg[0] + leg[1], Op: op, From: leg[0], To: leg[1], Amount: d("1")})
			if !errors.Is(err, ErrInvalidRequest) {
				t.Errorf("%s %s -> %s: %v, want ErrInvalidRequest", op, leg[0], leg[1], err)
			}
		}
	}
	if e.snapshot(t) != before {
		t.Fatal("a refused correction wrote")
	}
	// The correction accounts still work.
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "adj", Op: OpAdjustment, From: AccountAdjust, To: "user:2", Amount: d("3")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Transfer(adminCtx, TransferRequest{ID: "ref", Op: OpRefund, From: AccountRefund, To: AccountPool, Amount: d("2")}); err != nil {
		t.Fatal(err)
	}
	e.verify(t)
}
