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
