package team

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
)

// TestDepartmentUpdateUnchanged: a department update that asks for what
// the department has already, compared as it would be stored (the name
// trimmed and NFKC-cleaned, amounts in minor units: 500 and 500.00 alike, a
// blank budget meaning "keep it"), writes nothing and no department.update
// entry, and says so (Unchanged, with the department as it is); a real
// change is still written and audited. Before, every update wrote an entry
// (and the updated_at stamp), so the audit log showed changes that changed
// nothing.
func TestDepartmentUpdateUnchanged(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	rd, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		in        DepartmentInput
		unchanged bool
		after     string // the name after
	}{
		{"what it has", DepartmentInput{Name: "Research", Overdraft: "0"}, true, "Research"},
		{"the name with spaces around it", DepartmentInput{Name: "  Research ", Overdraft: "0.00"}, true, "Research"},
		{"the name in full-width letters (NFKC)", DepartmentInput{Name: "Ｒｅｓｅａｒｃｈ", Overdraft: "0"}, true, "Research"},
		{"its budget of 0 written 0.000", DepartmentInput{Name: "Research", Overdraft: "0", Budget: "0.000"}, true, "Research"},
		{"an overdraft", DepartmentInput{Name: "Research", Overdraft: "500"}, false, "Research"},
		{"the same overdraft written 500.00", DepartmentInput{Name: "Research", Overdraft: "500.00"}, true, "Research"},
		{"a budget", DepartmentInput{Name: "Research", Overdraft: "500", Budget: "300"}, false, "Research"},
		{"the same budget written 300.0", DepartmentInput{Name: "Research", Overdraft: "500", Budget: "300.0"}, true, "Research"},
		{"a new name", DepartmentInput{Name: "R&D", Overdraft: "500"}, false, "R&D"},
		{"only the case of the name", DepartmentInput{Name: "r&d", Overdraft: "500"}, false, "r&d"},
		{"the new name again", DepartmentInput{Name: "r&d ", Overdraft: "500"}, true, "r&d"},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, before := len(audittest.Entries(t, e.db)), dump(t, e.db)
			ch, err := e.svc.ChangeDepartment(ctx, rd.ID, c.in)
			if err != nil {
				t.Fatal(err)
			}
			got := audittest.Entries(t, e.db)
			if c.unchanged && len(got) != entries {
				t.Fatalf("an unchanged department was audited: %+v", got[len(got)-1])
			}
			if c.unchanged && dump(t, e.db) != before {
				t.Fatal("an unchanged department wrote something")
			}
			if ch.Unchanged != c.unchanged || ch.Department.ID != rd.ID || ch.Department.Name != c.after {
				t.Fatalf("got %+v, want unchanged %v, name %q", ch, c.unchanged, c.after)
			}
			if c.unchanged {
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != "department.update" || got[len(got)-1].Target != rd.Account {
				t.Fatalf("entries written: %+v", got[entries:])
			}
		})
	}
	// An update changing nothing is checked as any other: a bad input and an
	// archived department are refused, not reported unchanged.
	if _, err := e.svc.ChangeDepartment(ctx, rd.ID, DepartmentInput{Name: "r&d", Overdraft: ""}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("blank overdraft: %v", err)
	}
	spare, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Spare"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, spare.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ChangeDepartment(ctx, spare.ID, DepartmentInput{Name: "Spare", Overdraft: "0"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an archived department's unchanged update: %v", err)
	}
	if _, err := e.svc.ChangeDepartment(e.as(actorFor(e.addMember("mel", nil))), rd.ID, DepartmentInput{Name: "r&d", Overdraft: "500"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member's unchanged update: %v", err)
	}
}

// TestMemberUpdateUnchanged: a member update that asks for what the member
// has already, compared as it would be stored (the display name trimmed,
// the minimum balance in minor units, a blank funding meaning pool), writes
// nothing and no member.update entry, and says so (Unchanged); a real
// change is still written and audited. Before, every update wrote an entry.
func TestMemberUpdateUnchanged(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	rd, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	bob := e.addMember("bob", nil)
	up := func(mod func(*MemberUpdate)) MemberUpdate {
		u := MemberUpdate{Role: access.RoleMember, Funding: FundPool}
		if mod != nil {
			mod(&u)
		}
		return u
	}
	for _, c := range []struct {
		name      string
		in        MemberUpdate
		unchanged bool
	}{
		{"what he has", up(nil), true},
		{"a blank funding (pool)", up(func(u *MemberUpdate) { u.Funding = "" }), true},
		{"a minimum balance of 0 written 0.00", up(func(u *MemberUpdate) { u.MinBalance = "0.00" }), true},
		{"a display name", up(func(u *MemberUpdate) { u.DisplayName = "Bob B." }), false},
		{"the display name with spaces around it", up(func(u *MemberUpdate) { u.DisplayName = "  Bob B.  " }), true},
		{"a department", up(func(u *MemberUpdate) { u.DisplayName, u.DepartmentID = "Bob B.", rd.ID }), false},
		{"a minimum balance", up(func(u *MemberUpdate) { u.DisplayName, u.DepartmentID, u.MinBalance = "Bob B.", rd.ID, "500" }), false},
		{"the same minimum written 500.00", up(func(u *MemberUpdate) { u.DisplayName, u.DepartmentID, u.MinBalance = " Bob B.", rd.ID, "500.00" }), true},
		{"the role", up(func(u *MemberUpdate) {
			u.DisplayName, u.DepartmentID, u.MinBalance, u.Role = "Bob B.", rd.ID, "500", access.RoleAdmin
		}), false},
		{"the funding", up(func(u *MemberUpdate) {
			u.DisplayName, u.DepartmentID, u.MinBalance, u.Role, u.Funding = "Bob B.", rd.ID, "500", access.RoleAdmin, FundWallet
		}), false},
		{"all of it again", up(func(u *MemberUpdate) {
			u.DisplayName, u.DepartmentID, u.MinBalance, u.Role, u.Funding = "Bob B.", rd.ID, "500.000", access.RoleAdmin, FundWallet
		}), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, before := len(audittest.Entries(t, e.db)), dump(t, e.db)
			ch, err := e.svc.UpdateMemberWith(ctx, bob.ID, c.in, false)
			if err != nil {
				t.Fatal(err)
			}
			got := audittest.Entries(t, e.db)
			if c.unchanged && len(got) != entries {
				t.Fatalf("an unchanged member was audited: %+v", got[len(got)-1])
			}
			if c.unchanged && dump(t, e.db) != before {
				t.Fatal("an unchanged member wrote something")
			}
			if ch.Unchanged != c.unchanged || ch.Member.ID != bob.ID {
				t.Fatalf("got %+v, want unchanged %v", ch, c.unchanged)
			}
			if c.unchanged {
				// UpdateMember (no report) writes nothing either.
				if _, err := e.svc.UpdateMember(ctx, bob.ID, c.in); err != nil {
					t.Fatal(err)
				}
				if dump(t, e.db) != before {
					t.Fatal("UpdateMember of an unchanged member wrote something")
				}
				return
			}
			var updates int
			for _, g := range got[entries:] {
				if g.Action == "member.update" && g.Target == userAccount(bob.ID) {
					updates++
				}
			}
			if updates != 1 {
				t.Fatalf("entries written: %+v", got[entries:])
			}
		})
	}
	// Checked as any other: --return-credits on a change that keeps the
	// wallet in use, and a removed member, are refused.
	now := up(func(u *MemberUpdate) {
		u.DisplayName, u.DepartmentID, u.MinBalance, u.Role, u.Funding = "Bob B.", rd.ID, "500", access.RoleAdmin, FundWallet
	})
	if _, err := e.svc.UpdateMemberWith(ctx, bob.ID, now, true); !errors.Is(err, ErrInvalid) {
		t.Fatalf("--return-credits on a change that keeps the wallet: %v", err)
	}
	if _, err := e.svc.RemoveMember(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateMemberWith(ctx, bob.ID, now, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a removed member's update: %v", err)
	}
}

// TestTeamSettingsUnchangedAreNotAudited: a member's limit, an auto-recharge
// rule and the alert settings saved as they are (compared as stored: 50
// and 50.00 alike, thresholds deduplicated and in any order, the defaults
// in force before any save) write nothing and no limit.set, recharge.set or
// alerts.update entry, and say so (Unchanged); a real change is still
// audited and says Unchanged false. An invalid input is refused with
// nothing written. Before, every save wrote an entry, then none said
// whether it changed anything, and thresholds in another order were a
// change.
func TestTeamSettingsUnchangedAreNotAudited(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	rd, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	limit := func(kind, model, period, amount string) func() (bool, error) {
		return func() (bool, error) {
			ch, err := e.svc.ChangeLimit(ctx, Limit{UserID: bob.ID, Kind: kind, Model: model, Period: period, Amount: amount})
			return ch.Unchanged, err
		}
	}
	recharge := func(threshold, amount, capm string, enabled bool) func() (bool, error) {
		return func() (bool, error) {
			ch, err := e.svc.ChangeAutoRecharge(ctx, AutoRecharge{Account: rd.Account, Threshold: threshold, Amount: amount, MonthlyCap: capm, Enabled: enabled})
			return ch.Unchanged, err
		}
	}
	alerts := func(a AlertSettings) func() (bool, error) {
		return func() (bool, error) {
			ch, err := e.svc.ChangeAlertSettings(ctx, a)
			return ch.Unchanged, err
		}
	}
	for _, c := range []struct {
		name   string
		do     func() (bool, error)
		action string // the entry a change writes; "" = unchanged, nothing written
		err    error  // refused, nothing written
	}{
		{"a daily limit", limit(LimitDaily, "", "", "50"), "limit.set", nil},
		{"the same daily limit written 50.00", limit(LimitDaily, "", "", "50.00"), "", nil},
		{"another amount", limit(LimitDaily, "", "", "50.5"), "limit.set", nil},
		{"a model limit", limit(LimitModel, "gpt-4o", "", "20"), "limit.set", nil},
		{"the same model limit, its period (month) given", limit(LimitModel, " gpt-4o ", PeriodMonth, "20.0"), "", nil},
		{"the model limit per day", limit(LimitModel, "gpt-4o", PeriodDay, "20"), "limit.set", nil},
		{"a negative limit", limit(LimitDaily, "", "", "-1"), "", ErrInvalid},
		{"a recharge rule", recharge("5", "10", "100", true), "recharge.set", nil},
		{"the same rule written 5.00", recharge("5.00", "10.0", "100", true), "", nil},
		{"the rule switched off", recharge("5", "10", "100", false), "recharge.set", nil},
		{"the rule off again", recharge("5", "10", "100.000", false), "", nil},
		{"a rule without an amount", recharge("5", "0", "100", false), "", ErrInvalid},
		{"the default alert settings", alerts(DefaultAlertSettings()), "", nil},
		{"the defaults written otherwise", alerts(AlertSettings{Absolute: []string{"100.00", "10", "10"}, Percent: []string{"20", "10.0"}, Depleted: true, Desktop: true}), "", nil},
		{"the defaults in another order", alerts(AlertSettings{Absolute: []string{"10", "100"}, Percent: []string{"10", "20.00", "10"}, Depleted: true, Desktop: true}), "", nil},
		{"desktop notifications off", alerts(AlertSettings{Absolute: []string{"100", "10"}, Percent: []string{"20", "10"}, Depleted: true}), "alerts.update", nil},
		{"the same again", alerts(AlertSettings{Absolute: []string{"100", "10"}, Percent: []string{"20", "10"}, Depleted: true}), "", nil},
		{"thresholds 50 80", alerts(AlertSettings{Absolute: []string{"50", "80"}, Percent: []string{"20", "10"}, Depleted: true}), "alerts.update", nil},
		{"thresholds 80 50", alerts(AlertSettings{Absolute: []string{"80", "50"}, Percent: []string{"20", "10"}, Depleted: true}), "", nil},
		{"thresholds 80 50 80.0 50", alerts(AlertSettings{Absolute: []string{"80", "50", "80.0", "50"}, Percent: []string{"10", "20"}, Depleted: true}), "", nil},
		{"a threshold of 0", alerts(AlertSettings{Absolute: []string{"80", "0"}, Depleted: true}), "", ErrInvalid},
		{"a percent above 100", alerts(AlertSettings{Absolute: []string{"80", "50"}, Percent: []string{"120", "10"}}), "", ErrInvalid},
		{"a comma", alerts(AlertSettings{Absolute: []string{"80,5"}}), "", ErrInvalid},
		{"eleven thresholds", alerts(AlertSettings{Absolute: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}}), "", ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, before := len(audittest.Entries(t, e.db)), dump(t, e.db)
			unchanged, err := c.do()
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("got %v, want %v", err, c.err)
				}
				if len(audittest.Entries(t, e.db)) != entries || dump(t, e.db) != before {
					t.Fatal("a refused save wrote something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if unchanged != (c.action == "") {
				t.Fatalf("reported unchanged %v, want %v", unchanged, c.action == "")
			}
			got := audittest.Entries(t, e.db)
			if c.action == "" {
				if len(got) != entries {
					t.Fatalf("an unchanged save was audited: %+v", got[len(got)-1])
				}
				if dump(t, e.db) != before {
					t.Fatal("an unchanged save wrote something")
				}
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != c.action {
				t.Fatalf("entries written: %+v, want one %s", got[entries:], c.action)
			}
		})
	}
	// The settings are stored and answered normalised: highest first, once each.
	a, err := e.svc.AlertSettings(ctx)
	if err != nil || strings.Join(a.Absolute, " ") != "80 50" || strings.Join(a.Percent, " ") != "20 10" {
		t.Fatalf("stored %+v (%v), want 80 50 and 20 10", a, err)
	}
	ch, err := e.svc.ChangeAlertSettings(ctx, AlertSettings{Absolute: []string{"5", "50.0", "500", "5.00"}, Percent: []string{"12.5", "50"}})
	if err != nil || strings.Join(ch.Absolute, " ") != "500 50 5" || strings.Join(ch.Percent, " ") != "50 12.5" || ch.Unchanged {
		t.Fatalf("answered %+v (%v), want 500 50 5 and 50 12.5, changed", ch, err)
	}
}

// TestStatusAndWorkspaceUnchanged: disabling a member who is disabled
// already, enabling one who is active, and a workspace update that asks
// for what the workspace has (cleaned as stored: spaces, the currency's
// case, 0.010 for 0.01) write nothing and no entry, and say so
// (Unchanged); a real change says Unchanged false and is audited. Before,
// nothing said whether anything changed.
func TestStatusAndWorkspaceUnchanged(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	ws, err := e.svc.Workspace(ctx)
	if err != nil {
		t.Fatal(err)
	}
	workspace := func(mod func(*Workspace)) func() (bool, error) {
		return func() (bool, error) {
			w := ws
			mod(&w)
			ch, err := e.svc.ChangeWorkspace(ctx, w)
			return ch.Unchanged, err
		}
	}
	status := func(f func(context.Context, int64) (MemberChange, error), want string) func() (bool, error) {
		return func() (bool, error) {
			ch, err := f(ctx, bob.ID)
			if err == nil && (ch.Member.ID != bob.ID || ch.Member.Status != want) {
				t.Fatalf("answered %+v, want bob %s", ch.Member, want)
			}
			return ch.Unchanged, err
		}
	}
	for _, c := range []struct {
		name   string
		do     func() (bool, error)
		action string // "" = unchanged
		err    error
	}{
		{"enable an active member", status(e.svc.EnableMember, StatusActive), "", nil},
		{"disable him", status(e.svc.DisableMember, StatusDisabled), "member.disable", nil},
		{"disable him again", status(e.svc.DisableMember, StatusDisabled), "", nil},
		{"enable him", status(e.svc.EnableMember, StatusActive), "member.enable", nil},
		{"enable him again", status(e.svc.EnableMember, StatusActive), "", nil},
		{"the workspace as it is", workspace(func(*Workspace) {}), "", nil},
		{"written otherwise", workspace(func(w *Workspace) {
			w.Name, w.Currency, w.CreditValue, w.TimeZone = " "+w.Name+" ", strings.ToLower(w.Currency), w.CreditValue+"0", " UTC "
		}), "", nil},
		{"a tax id", workspace(func(w *Workspace) { w.TaxID = "DE123" }), "workspace.update", nil},
		{"an idle lock out of range", workspace(func(w *Workspace) { w.IdleLockMinutes = -1 }), "", ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, before := len(audittest.Entries(t, e.db)), dump(t, e.db)
			unchanged, err := c.do()
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("got %v, want %v", err, c.err)
				}
				if dump(t, e.db) != before {
					t.Fatal("a refused change wrote something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if unchanged != (c.action == "") {
				t.Fatalf("reported unchanged %v, want %v", unchanged, c.action == "")
			}
			got := audittest.Entries(t, e.db)
			if c.action == "" {
				if len(got) != entries || dump(t, e.db) != before {
					t.Fatalf("an unchanged change wrote something: %+v", got[entries:])
				}
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != c.action {
				t.Fatalf("entries written: %+v, want one %s", got[entries:], c.action)
			}
		})
	}
	if _, err := e.svc.RemoveMember(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DisableMember(ctx, bob.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a removed member disabled: %v", err)
	}
}
