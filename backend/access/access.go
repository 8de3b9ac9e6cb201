// Package access carries who is acting (the Actor) through a context and
// enforces roles in the backend, so that the UI, the CLI and the API gateway
// share one set of checks.
package access

import (
	"context"
	"errors"
	"fmt"
)

// Role is what a workspace member may do.
type Role string

// The roles. Admins configure rates, departments, members and funds; members chat
// and see their own usage.
const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleMember }

// Actor is the person (or the system) on whose behalf an operation runs.
type Actor struct {
	UserID int64  `json:"userId"`
	Name   string `json:"name"`
	Role   Role   `json:"role"`
	System bool   `json:"system"` // internal jobs (expiry, crash recovery)
}

// System is the actor for internal jobs; it passes every role check.
var System = Actor{Name: "system", Role: RoleAdmin, System: true}

// IsAdmin reports whether a may do what admins may: an admin, or the system.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin || a.System }

// Errors returned by the checks.
var (
	ErrUnauthenticated = errors.New("not signed in")
	ErrForbidden       = errors.New("not allowed for your role")
)

type ctxKey struct{}

// WithActor returns a context that carries a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// FromContext returns the actor in ctx, if any.
func FromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(ctxKey{}).(Actor)
	return a, ok
}

// Current returns the actor in ctx or ErrUnauthenticated.
func Current(ctx context.Context) (Actor, error) {
	a, ok := FromContext(ctx)
	if !ok {
		return Actor{}, ErrUnauthenticated
	}
	return a, nil
}

// RequireAdmin fails unless the actor in ctx is an admin (or the system).
// what names the operation for the error message.
func RequireAdmin(ctx context.Context, what string) (Actor, error) {
	a, err := Current(ctx)
	if err != nil {
		return a, fmt.Errorf("%s: %w", what, err)
	}
	if !a.IsAdmin() {
		return a, fmt.Errorf("%s: %w (admin only)", what, ErrForbidden)
	}
	return a, nil
}

// RequireSelfOrAdmin fails unless the actor is an admin or is userID.
func RequireSelfOrAdmin(ctx context.Context, userID int64, what string) (Actor, error) {
	a, err := Current(ctx)
	if err != nil {
		return a, fmt.Errorf("%s: %w", what, err)
	}
	if a.IsAdmin() || a.UserID == userID {
		return a, nil
	}
	return a, fmt.Errorf("%s: %w", what, ErrForbidden)
}
