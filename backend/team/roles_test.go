package team

import (
	"context"
	"errors"
	"io"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// adminActions lists every admin operation of backend/team, plus a
// representative list from other areas, as function values.
func adminActions(e *env, bob, carol Member, dep Department) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"add member": func(ctx context.Context) error {
			_, err := e.svc.AddMember(ctx, NewMember{Name: "eve", Secret: "12345678"})
			return err
		},
		"update member (promote self)": func(ctx context.Context) error {
			_, err := e.svc.UpdateMember(ctx, bob.ID, MemberUpdate{Role: access.RoleAdmin})
			return err
		},
		"disable member": func(ctx context.Context) error { _, err := e.svc.DisableMember(ctx, carol.ID); return err },
		"enable member":  func(ctx context.Context) error { _, err := e.svc.EnableMember(ctx, carol.ID); return err },
		"remove member":  func(ctx context.Context) error { _, err := e.svc.RemoveMember(ctx, carol.ID); return err },
		"list members":   func(ctx context.Context) error { _, err := e.svc.ListMembers(ctx, true); return err },
		"reset another's password": func(ctx context.Context) error {
			return e.svc.ChangeSecret(ctx, carol.ID, "", SecretPIN, "9999")
		},
		"read another member": func(ctx context.Context) error { _, err := e.svc.Member(ctx, carol.ID); return err },
		"find another member by name": func(ctx context.Context) error {
			_, err := e.svc.MemberByName(ctx, "carol")
			return err
		},
		"remember another": func(ctx context.Context) error { _, err := e.svc.Remember(ctx, carol.ID); return err },
		"update workspace": func(ctx context.Context) error {
			_, err := e.svc.UpdateWorkspace(ctx, Workspace{Name: "Hacked", Currency: "USD", CreditValue: "1", TimeZone: "UTC"})
			return err
		},
		"create department": func(ctx context.Context) error {
			_, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Mine"})
			return err
		},
		"update department": func(ctx context.Context) error {
			_, err := e.svc.UpdateDepartment(ctx, dep.ID, DepartmentInput{Name: "X", Overdraft: "1000"})
			return err
		},
		"archive department": func(ctx context.Context) error { return e.svc.ArchiveDepartment(ctx, dep.ID) },
		"list departments":   func(ctx context.Context) error { _, err := e.svc.ListDepartments(ctx, true); return err },
		"allocate budget":    func(ctx context.Context) error { _, err := e.svc.Allocate(ctx, dep.ID, "10", ""); return err },
		"move credits": func(ctx context.Context) error {
			_, err := e.svc.MoveCredits(ctx, MoveRequest{From: dep.ID, To: 0, Amount: "10"})
			return err
		},
		"set limit": func(ctx context.Context) error {
			_, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "1000000"})
			return err
		},
		"remove limit":          func(ctx context.Context) error { return e.svc.RemoveLimit(ctx, bob.ID, LimitDaily, "") },
		"read another's limits": func(ctx context.Context) error { _, err := e.svc.Limits(ctx, carol.ID); return err },
		"set alert settings": func(ctx context.Context) error {
			_, err := e.svc.SetAlertSettings(ctx, AlertSettings{})
			return err
		},
		"set auto-recharge": func(ctx context.Context) error {
			_, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: ledger.UserAccount(bob.ID), Threshold: "1", Amount: "100", MonthlyCap: "1000", Enabled: true})
			return err
		},
		"remove auto-recharge": func(ctx context.Context) error { return e.svc.RemoveAutoRecharge(ctx, dep.Account) },
		"list auto-recharge":   func(ctx context.Context) error { _, err := e.svc.ListAutoRecharge(ctx); return err },
		"list audit":           func(ctx context.Context) error { _, err := e.svc.ListAudit(ctx, AuditFilter{}); return err },
		"export audit":         func(ctx context.Context) error { return e.svc.ExportAuditCSV(ctx, AuditFilter{}, io.Discard) },
		// Other areas (representative).
		"ledger top-up": func(ctx context.Context) error {
			_, err := e.led.TopUp(ctx, ledger.TopUpRequest{ID: "t-x", Account: ledger.UserAccount(bob.ID), Credits: d("100"), Price: "0"})
			return err
		},
		"ledger set policy": func(ctx context.Context) error {
			return e.led.SetPolicy(ctx, ledger.UserAccount(bob.ID), ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("1000")})
		},
		"ledger set credit value": func(ctx context.Context) error {
			return e.led.SetCreditValue(ctx, ledger.CreditValue{Amount: "1", Currency: "USD"})
		},
		"ledger transfer from pool": func(ctx context.Context) error {
			_, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: "x-1", Op: ledger.OpTransfer, From: "pool", To: ledger.UserAccount(bob.ID), Amount: d("1")})
			return err
		},
	}
}

// TestRoleMatrix: every admin action attempted by a member is refused with
// access.ErrForbidden and changes nothing; the same actions succeed for the
// admin (so the matrix cannot pass by everything failing).
func TestRoleMatrix(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	e.topUp("pool", "1000")
	dep, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Allocate(ctx, dep.ID, "100", ""); err != nil {
		t.Fatal(err)
	}
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", nil)
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "5"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetAutoRecharge(ctx, AutoRecharge{Account: dep.Account, Threshold: "1", Amount: "1", MonthlyCap: "1", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	member := e.as(actorFor(bob))
	for name, fn := range adminActions(e, bob, carol, dep) {
		t.Run("member/"+name, func(t *testing.T) {
			before := dump(t, e.db)
			err := fn(member)
			if !errors.Is(err, access.ErrForbidden) {
				t.Fatalf("got %v, want ErrForbidden", err)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused action changed the database")
			}
		})
		t.Run("anonymous/"+name, func(t *testing.T) {
			if err := fn(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
				t.Fatalf("got %v, want ErrUnauthenticated", err)
			}
		})
	}
	// The admin may do each of them (order matters for a few: run one by one
	// on fresh state).
	for name := range adminActions(e, bob, carol, dep) {
		t.Run("admin/"+name, func(t *testing.T) {
			f := newEnv(t).setup("UTC")
			fctx := f.adminCtx()
			f.topUp("pool", "1000")
			fdep := f.department("Ops")
			fbob := f.addMember("bob", nil)
			fcarol := f.addMember("carol", nil)
			if _, err := f.svc.SetLimit(fctx, Limit{UserID: fbob.ID, Kind: LimitDaily, Amount: "5"}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.SetAutoRecharge(fctx, AutoRecharge{Account: fdep.Account, Threshold: "1", Amount: "1", MonthlyCap: "1", Enabled: true}); err != nil {
				t.Fatal(err)
			}
			if name == "move credits" {
				if _, err := f.svc.Allocate(fctx, fdep.ID, "100", ""); err != nil {
					t.Fatal(err)
				}
			}
			if err := adminActions(f, fbob, fcarol, fdep)[name](fctx); err != nil {
				t.Fatalf("admin: %v", err)
			}
		})
	}
}

// TestMemberSelfService: what a member may do for themself.
func TestMemberSelfService(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	ctx := e.as(actorFor(bob))
	if _, err := e.svc.Member(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Limits(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ChangeSecret(ctx, bob.ID, "0000", SecretPIN, "5678"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("change with wrong current PIN: %v", err)
	}
	if err := e.svc.ChangeSecret(ctx, bob.ID, "1234", SecretPassword, "a new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(context.Background(), "bob", "a new password"); err != nil {
		t.Fatal(err)
	}
}
