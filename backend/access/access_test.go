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
			_, err = RequireSelfOrAdmin(ctx, 2, "test")
			if (err == nil) != c.selfOK {
				t.Fatalf("RequireSelfOrAdmin: %v", err)
			}
			// The kind decides the exit code (3) and the API's 403: a
			// member reading another's data is refused, not signed out.
			if c.actor != nil && !c.selfOK && !errors.Is(err, ErrForbidden) {
				t.Fatalf("RequireSelfOrAdmin error %v, want ErrForbidden", err)
			}
		})
	}
}

// TestRefusal: a context that carries a refusal and no actor fails every
// check with that reason (ErrNoWorkspace reads as itself and is a kind of
// ErrForbidden); an actor added to it acts as usual.
func TestRefusal(t *testing.T) {
	refused := WithRefusal(context.Background(), ErrNoWorkspace)
	checks := map[string]func(context.Context) error{
		"Current":            func(ctx context.Context) error { _, err := Current(ctx); return err },
		"RequireAdmin":       func(ctx context.Context) error { _, err := RequireAdmin(ctx, "top up"); return err },
		"RequireSelfOrAdmin": func(ctx context.Context) error { _, err := RequireSelfOrAdmin(ctx, 2, "read a wallet"); return err },
	}
	for name, check := range checks {
		err := check(refused)
		if !errors.Is(err, ErrNoWorkspace) || !errors.Is(err, ErrForbidden) || errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s refused: %v, want ErrNoWorkspace (a kind of ErrForbidden)", name, err)
		}
		if err := check(WithActor(refused, System)); err != nil {
			t.Errorf("%s with an actor added: %v", name, err)
		}
	}
	if got := ErrNoWorkspace.Error(); got != "no workspace yet: finish the setup first" {
		t.Errorf("message %q", got)
	}
	if _, err := RequireAdmin(refused, "top up"); err.Error() != "top up: no workspace yet: finish the setup first" {
		t.Errorf("RequireAdmin message %q", err)
	}
}

// TestRoleValues: only the two roles are valid, spelt exactly; only an admin
// role or the system flag is admin, so an actor whose role is empty or
// unknown (a row written by hand, a role from a newer version) is not.
func TestRoleValues(t *testing.T) {
	for _, c := range []struct {
		role         Role
		valid, admin bool
	}{
		{RoleAdmin, true, true},
		{RoleMember, true, false},
		{"", false, false},
		{"Admin", false, false},
		{"owner", false, false},
	} {
		if got := c.role.Valid(); got != c.valid {
			t.Errorf("Role(%q).Valid() = %v, want %v", c.role, got, c.valid)
		}
		if got := (Actor{UserID: 7, Role: c.role}).IsAdmin(); got != c.admin {
			t.Errorf("Actor{Role: %q}.IsAdmin() = %v, want %v", c.role, got, c.admin)
		}
		// The system flag alone makes an actor admin, whatever its role.
		if !(Actor{Role: c.role, System: true}).IsAdmin() {
			t.Errorf("system actor with role %q is not admin", c.role)
		}
	}
	if !System.System || System.Role != RoleAdmin {
		t.Errorf("System = %+v, want the system flag and the admin role", System)
	}
}
