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
	// ErrNoWorkspace refuses whatever a window asks of a database whose
	// workspace is not set up yet (no member): nobody exists to act for, and
	// the first-run wizard must finish first. It is a kind of ErrForbidden
	// (errors.Is), so it is shown and classified as a refusal.
	ErrNoWorkspace error = &refusal{msg: "no workspace yet: finish the setup first", kind: ErrForbidden}
)

// refusal is an error that reads as its own message and matches its kind.
type refusal struct {
	msg  string
	kind error
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.kind }

type ctxKey struct{}

type refusedKey struct{}

// WithRefusal returns a context that carries no actor and says why: the
// checks (Current, RequireAdmin, RequireSelfOrAdmin) fail with reason
// instead of ErrUnauthenticated. An actor added to it later (WithActor)
// still acts.
func WithRefusal(ctx context.Context, reason error) context.Context {
	return context.WithValue(ctx, refusedKey{}, reason)
}

// WithActor returns a context that carries a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// FromContext returns the actor in ctx, if any.
func FromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(ctxKey{}).(Actor)
	return a, ok
}

// Current returns the actor in ctx or, with none, the reason the context
// carries (WithRefusal) or ErrUnauthenticated.
func Current(ctx context.Context) (Actor, error) {
	a, ok := FromContext(ctx)
	if !ok {
		if reason, ok := ctx.Value(refusedKey{}).(error); ok && reason != nil {
			return Actor{}, reason
		}
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
