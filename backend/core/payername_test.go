package core

import (
	"context"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/team"
)

// TestChatNamesTheMembersDepartment: a member charged to a department's
// credits is told the department's name (Getting started, the low-balance
// banner, the refusal for want of credits), not its account code, and not
// as a "budget" (a department's alert budget is another thing).
func TestChatNamesTheMembersDepartment(t *testing.T) {
	ctx := context.Background()
	b, alice := setUpWorkspace(t)
	dept, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := b.Team.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN,
		Secret: "1234", DepartmentID: dept.ID})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(ctx, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	st, err := b.Chat.Status(bobCtx)
	if err != nil || st.PayerName != "the Research department" {
		t.Fatalf("bob's payer %q (%v)", st.PayerName, err)
	}
	r, err := b.Chat.Readiness(bobCtx)
	if err != nil || len(r.Steps) < 2 || r.Steps[1].Detail != "The Research department has 0 credits available: ask an admin for credits." {
		t.Fatalf("bob's readiness %+v (%v)", r, err)
	}
	if st, err := b.Chat.Status(alice); err != nil || st.PayerName != "the workspace pool" {
		t.Fatalf("alice's payer %q (%v)", st.PayerName, err)
	}
}
