package team

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

func TestDepartmentsBudgetsAndTransfers(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp("pool", "1000")
	rd, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops", Overdraft: "25"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "research"}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := e.svc.Allocate(ctx, rd.ID, "300", "alloc-1"); err != nil {
		t.Fatal(err)
	}
	// Idempotent retry: same id, same content, no second transfer.
	if _, err := e.svc.Allocate(ctx, rd.ID, "300", "alloc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: rd.ID, To: ops.ID, Amount: "50", Note: "help out"}); err != nil {
		t.Fatal(err)
	}
	if e.balance("pool") != "700" || e.balance(rd.Account) != "250" || e.balance(ops.Account) != "50" {
		t.Fatalf("balances pool %s rd %s ops %s", e.balance("pool"), e.balance(rd.Account), e.balance(ops.Account))
	}
	got, err := e.svc.Department(ctx, rd.ID)
	if err != nil || got.Budget != "300" || got.Balance != "250" {
		t.Fatalf("research %+v %v", got, err)
	}
	// Moving more than the department has is refused by the ledger (overdraft protection).
	before := dump(t, e.db)
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: rd.ID, To: 0, Amount: "250.000000001"}); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("overdraw research: %v", err)
	}
	for name, in := range map[string]MoveRequest{
		"same account": {From: rd.ID, To: rd.ID, Amount: "1"},
		"zero":         {From: 0, To: rd.ID, Amount: "0"},
		"negative":     {From: 0, To: rd.ID, Amount: "-1"},
		"unknown dept": {From: 0, To: 99, Amount: "1"},
		"too precise":  {From: 0, To: rd.ID, Amount: "0.0000000001"},
	} {
		if _, err := e.svc.MoveCredits(ctx, in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if dump(t, e.db) != before {
		t.Fatal("refused moves wrote")
	}
	// Ops may overdraw by 25: its members can spend 75 with 50 on hand.
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = ops.ID })
	if err := e.hold(carol, ops.Account, "m", "75"); err != nil {
		t.Fatalf("within overdraft: %v", err)
	}
	if err := e.hold(carol, ops.Account, "m", "0.000000001"); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("beyond overdraft: %v", err)
	}
	// A member may read their own department, not another.
	if _, err := e.svc.Department(e.as(actorFor(carol)), ops.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Department(e.as(actorFor(carol)), rd.ID); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("other department: %v", err)
	}
	// Archive needs no members and zero balance.
	if err := e.svc.ArchiveDepartment(ctx, rd.ID); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("archive with balance: %v", err)
	}
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: rd.ID, To: 0, Amount: "250"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, rd.ID); err != nil {
		t.Fatal(err)
	}
	list, _ := e.svc.ListDepartments(ctx, false)
	if len(list) != 1 || list[0].ID != ops.ID {
		t.Fatalf("list %+v", list)
	}
	// A department in debt is told to be paid back, not to move its
	// (negative) balance to the pool.
	lab, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Lab", Overdraft: "10"})
	if err != nil {
		t.Fatal(err)
	}
	dave := e.addMember("dave", func(n *NewMember) { n.DepartmentID = lab.ID })
	if err := e.use(dave, lab.Account, "m", "10"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateMember(ctx, dave.ID, MemberUpdate{Role: access.RoleMember, Funding: FundPool}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, lab.ID); !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "it owes 10 credits: move that much from the pool to it first") {
		t.Fatalf("archive in debt: %v", err)
	}
}

// TestMoveReplayAfterArchive: a move replayed with its id is answered as
// before even after its department was archived; a new move to it is
// refused, and neither writes anything.
func TestMoveReplayAfterArchive(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "100")
	x, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "X"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.svc.Allocate(ctx, x.ID, "7", "al1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.MoveCredits(ctx, MoveRequest{From: x.ID, To: 0, Amount: "7"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	before := dump(t, e.db)
	again, err := e.svc.Allocate(ctx, x.ID, "7", "al1")
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay after archive: %+v, %v (first %d)", again, err, first.ID)
	}
	if _, err := e.svc.Allocate(ctx, x.ID, "7", "al2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a new move to an archived department: %v", err)
	}
	if after := dump(t, e.db); after != before {
		a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("the replay or the refusal wrote: %q -> %q", a[i], b[i])
			}
		}
		t.Fatalf("the replay or the refusal wrote (%d -> %d lines)", len(a), len(b))
	}
}

// TestAllocationRepayingDebt: an allocation to a department in debt sets its
// budget to what it has to spend afterwards (the balance, the repaid debt not
// counted); one that leaves it at or below zero keeps the budget it had. The
// budget is never negative, so percent alerts keep a reference.
func TestAllocationRepayingDebt(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	if _, err := e.svc.SetAlertSettings(ctx, AlertSettings{Percent: []string{"20"}}); err != nil {
		t.Fatal(err)
	}
	e.topUp("pool", "1000")
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops", Overdraft: "25"})
	if err != nil {
		t.Fatal(err)
	}
	budget := func(want string) {
		t.Helper()
		got, err := e.svc.Department(ctx, ops.ID)
		if err != nil || got.Budget != want {
			t.Fatalf("budget %q (%v), want %q; balance %s", got.Budget, err, want, got.Balance)
		}
	}
	if _, err := e.svc.Allocate(ctx, ops.ID, "10", ""); err != nil {
		t.Fatal(err)
	}
	budget("10")
	carol := e.addMember("carol", func(n *NewMember) { n.DepartmentID = ops.ID })
	if err := e.use(carol, ops.Account, "m", "14.06172836"); err != nil { // into the overdraft
		t.Fatal(err)
	}
	if _, err := e.svc.Allocate(ctx, ops.ID, "1.5", ""); err != nil {
		t.Fatal(err)
	}
	if b := e.balance(ops.Account); b != "-2.56172836" {
		t.Fatalf("balance %s", b)
	}
	budget("10") // only debt repaid: the budget it had, not -2.56172836
	if _, err := e.svc.Allocate(ctx, ops.ID, "22.56172836", ""); err != nil {
		t.Fatal(err)
	}
	budget("20") // 22.56172836 allocated, 2.56172836 of it repaid debt
	// Percent alerts work against it: 20 % of 20 = 4.
	before := len(notifications(e, ops.Account))
	e.use(carol, ops.Account, "m", "15.5") // 4.5 left
	e.afterCharge(t, ops.Account)
	if len(notifications(e, ops.Account)) != before {
		t.Fatal("fired above 20 %")
	}
	e.use(carol, ops.Account, "m", "1") // 3.5 left
	e.afterCharge(t, ops.Account)
	if n := notifications(e, ops.Account); len(n) != before+1 || !strings.Contains(n[len(n)-1].Body, "20% of 20.00 credits") {
		t.Fatalf("20 %% alert: %+v", n[before:])
	}
}

// TestMigrationMendsNegativeBudgets: a negative budget an earlier version
// stored (after an allocation that only repaid debt) reads as "no budget"
// (0) once the database is opened by this version (migration 0410).
// TestDepartmentAmountsNameTheirField: a bad overdraft or budget is refused
// naming that field (not a member's "minimum balance"), and a blank
// overdraft on a change is refused instead of setting 0 (protection on).
func TestDepartmentAmountsNameTheirField(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	d, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops", Overdraft: "7"})
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, e.db)
	for _, c := range []struct {
		in   DepartmentInput
		says string
	}{
		{DepartmentInput{Name: "Ops", Overdraft: "1,5"}, `invalid input: overdraft: "1,5": not a decimal number: use a point for decimals`},
		{DepartmentInput{Name: "Ops", Overdraft: "-1"}, `invalid input: overdraft -1 is negative`},
		{DepartmentInput{Name: "Ops", Overdraft: "7", Budget: "1,5"}, `invalid input: budget: "1,5": not a decimal number`},
		{DepartmentInput{Name: "Ops", Overdraft: "  "}, "invalid input: the overdraft needs an amount; 0 means no overdraft"},
	} {
		_, err := e.svc.UpdateDepartment(ctx, d.ID, c.in)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "minimum balance") {
			t.Errorf("UpdateDepartment(%+v) = %v; want %q", c.in, err, c.says)
		}
	}
	if _, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Sales", Overdraft: "1,5"}); err == nil || !strings.Contains(err.Error(), "overdraft: ") {
		t.Errorf("CreateDepartment with 1,5: %v", err)
	}
	if dump(t, e.db) != before {
		t.Fatal("a refused change wrote")
	}
	// A new department's blank overdraft is the default, 0.
	if s, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Sales"}); err != nil || s.Overdraft != "0" {
		t.Errorf("a new department without an overdraft: %+v, %v", s, err)
	}
}

func TestMigrationMendsNegativeBudgets(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	ops, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	db := e.reopenAfter(`UPDATE departments SET budget_minor = -2561728360 WHERE id = `+strconv.FormatInt(ops.ID, 10),
		`DELETE FROM schema_migrations WHERE version = 410`)
	defer db.Close()
	var budget int64
	if err := db.Read().QueryRow(`SELECT budget_minor FROM departments WHERE id = ?`, ops.ID).Scan(&budget); err != nil || budget != 0 {
		t.Fatalf("budget after the migration: %d, %v", budget, err)
	}
}

// TestDepartmentRefusalsInPlainWords: a refused move, update or archive
// says why in words an admin knows (the department's name, what it has and
// what the move needs; a send in progress), never an account code or "not
// found" for an archived department; it still matches its sentinel, and
// nothing is written.
func TestDepartmentRefusalsInPlainWords(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp(ledger.AccountPool, "1000")
	mk := func(name, overdraft string) Department {
		t.Helper()
		dep, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: name, Overdraft: overdraft})
		if err != nil {
			t.Fatal(err)
		}
		return dep
	}
	research, ops, legal := mk("Research", ""), mk("Ops", "20"), mk("Legal", "")
	one, two, busy := mk("One", ""), mk("Two", ""), mk("Busy", "5")
	if _, err := e.svc.Allocate(ctx, research.ID, "112", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Allocate(ctx, ops.ID, "30", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, legal.ID); err != nil {
		t.Fatal(err)
	}
	e.addMember("carol", func(n *NewMember) { n.DepartmentID = one.ID })
	e.addMember("dave", func(n *NewMember) { n.DepartmentID = two.ID })
	e.addMember("erin", func(n *NewMember) { n.DepartmentID = two.ID })
	// A send in progress on Busy: 2.08 reserved on a balance of 0 (its overdraft).
	if _, err := e.led.Hold(ctx, ledger.HoldRequest{ID: "send-1", From: busy.Account, Amount: d("2.08")}); err != nil {
		t.Fatal(err)
	}
	id := func(dep Department) string { return strconv.FormatInt(dep.ID, 10) }
	for _, c := range []struct {
		name string
		do   func() error
		kind error
		want string
	}{
		{"move more than it has", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: research.ID, To: ops.ID, Amount: "500"})
			return err
		}, ledger.ErrInsufficientFunds, "Research has only 112.00 credits available; this move needs 500.00"},
		{"move beyond an overdraft", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: ops.ID, To: 0, Amount: "60"})
			return err
		}, ledger.ErrInsufficientFunds, "Ops has only 50.00 credits available; this move needs 60.00"},
		{"move from a department with nothing", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: one.ID, To: 0, Amount: "1"})
			return err
		}, ledger.ErrInsufficientFunds, "One has no credits available; this move needs 1.00"},
		{"allocate more than the pool has", func() error {
			_, err := e.svc.Allocate(ctx, research.ID, "900", "")
			return err
		}, ledger.ErrInsufficientFunds, "The pool has only 858.00 credits available; this move needs 900.00"},
		{"move to an archived department", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: research.ID, To: legal.ID, Amount: "1"})
			return err
		}, ErrNotFound, "move credits: the Legal department is archived"},
		{"move from an archived department", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: legal.ID, To: 0, Amount: "1"})
			return err
		}, ErrNotFound, "move credits: the Legal department is archived"},
		{"move to no department", func() error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: 0, To: 99, Amount: "1"})
			return err
		}, ErrNotFound, "move credits: there is no department 99"},
		{"update an archived department", func() error {
			_, err := e.svc.UpdateDepartment(ctx, legal.ID, DepartmentInput{Name: "Legal", Overdraft: "0"})
			return err
		}, ErrNotFound, "change department " + id(legal) + ": the Legal department is archived"},
		{"archive with one member", func() error { return e.svc.ArchiveDepartment(ctx, one.ID) },
			ErrNotEmpty, "archive department " + id(one) + ": move its member to another department first"},
		{"archive with two members", func() error { return e.svc.ArchiveDepartment(ctx, two.ID) },
			ErrNotEmpty, "archive department " + id(two) + ": move its 2 members to another department first"},
		{"archive with a send in progress", func() error { return e.svc.ArchiveDepartment(ctx, busy.ID) },
			ErrBusy, "archive department " + id(busy) + ": a send in progress has 2.08 credits reserved; try again when it ends"},
		{"archive with a balance", func() error { return e.svc.ArchiveDepartment(ctx, research.ID) },
			ErrNotEmpty, "archive department " + id(research) + ": move its balance of 112 credits back to the pool first"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dump(t, e.db)
			err := c.do()
			if !errors.Is(err, c.kind) || err.Error() != c.want {
				t.Fatalf("got %v\nwant %q (%v)", err, c.want, c.kind)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refusal wrote")
			}
		})
	}
}
