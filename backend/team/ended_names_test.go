package team

import (
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

// A member removed and a new member given their name (`users remove bob`,
// `users add bob`), a department archived and a new one given its name
// (`departments archive Eng`, `departments add Eng`), are told apart by
// backend/people's rule in the names the window and the CLI show:
// AccountNames (Credits, the audit log's targets, Alerts) and the audit
// log's actors.
func TestEndedMembersAndDepartmentsAreNamedApart(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	oldBob := e.addMember("bob", func(n *NewMember) { n.Role = access.RoleAdmin })
	oldEng, err := e.svc.CreateDepartment(e.as(actorFor(oldBob)), DepartmentInput{Name: "Eng"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ArchiveDepartment(ctx, oldEng.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RemoveMember(ctx, oldBob.ID); err != nil {
		t.Fatal(err)
	}
	newBob := e.addMember("bob", func(n *NewMember) { n.Role = access.RoleAdmin })
	newEng, err := e.svc.CreateDepartment(e.as(actorFor(newBob)), DepartmentInput{Name: "Eng"})
	if err != nil {
		t.Fatal(err)
	}
	carol := e.addMember("carol", func(n *NewMember) { n.DisplayName = "Carol C."; n.DepartmentID = newEng.ID })

	names, err := e.svc.AccountNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{
		ledger.UserAccount(oldBob.ID): "bob (removed)", ledger.UserAccount(newBob.ID): "bob",
		oldEng.Account: "Eng (archived)", newEng.Account: "Eng", ledger.UserAccount(carol.ID): "Carol C.",
	} {
		if names[code] != want {
			t.Errorf("AccountNames[%s] = %q, want %q", code, names[code], want)
		}
	}
	// A member is named the same way in what they may see.
	mine, err := e.svc.AccountNames(e.as(actorFor(carol)))
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 2 || mine[newEng.Account] != "Eng" || mine[ledger.UserAccount(carol.ID)] != "Carol C." {
		t.Errorf("carol's names: %v", mine)
	}

	// The audit log: who created each Eng.
	es, err := e.svc.ListAudit(ctx, AuditFilter{Action: "department.create"})
	if err != nil {
		t.Fatal(err)
	}
	who := map[string]string{}
	for _, x := range es {
		who[x.Target] = x.ActorName
	}
	if who[oldEng.Account] != "bob (removed)" || who[newEng.Account] != "bob" {
		t.Errorf("department.create actors: %v, want the removed bob marked", who)
	}
	// The system's entries and the current admin's keep their names.
	es, err = e.svc.ListAudit(ctx, AuditFilter{ActorID: e.admin.UserID, Action: "member.remove"})
	if err != nil || len(es) != 1 || es[0].ActorName != "alice" {
		t.Errorf("alice's member.remove: %+v %v", es, err)
	}
}
