package access

import (
	"context"
	"errors"
	"testing"
)

// TestRoleChecks: admins and the system pass the admin checks; a member
// passes only for themselves; nobody signed in passes none.
func TestRoleChecks(t *testing.T) {
	admin := Actor{UserID: 1, Name: "alice", Role: RoleAdmin}
	member := Actor{UserID: 2, Name: "bob", Role: RoleMember}
	for _, c := range []struct {
		name          string
		actor         *Actor
		admin, selfOK bool // RequireAdmin, RequireSelfOrAdmin(2)
	}{
		{"admin", &admin, true, true},
		{"system", &System, true, true},
		{"member, self", &member, false, true},
		{"other member", &Actor{UserID: 3, Name: "carol", Role: RoleMember}, false, false},
		{"nobody", nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			if c.actor != nil {
				ctx = WithActor(ctx, *c.actor)
				if c.actor.IsAdmin() != c.admin {
					t.Fatalf("IsAdmin = %v", c.actor.IsAdmin())
				}
			}
			_, err := RequireAdmin(ctx, "test")
			if (err == nil) != c.admin {
				t.Fatalf("RequireAdmin: %v", err)
			}
			if c.actor == nil && !errors.Is(err, ErrUnauthenticated) || c.actor != nil && !c.admin && !errors.Is(err, ErrForbidden) {
				t.Fatalf("RequireAdmin error %v", err)
			}
			if _, err := RequireSelfOrAdmin(ctx, 2, "test"); (err == nil) != c.selfOK {
				t.Fatalf("RequireSelfOrAdmin: %v", err)
			}
		})
	}
}
