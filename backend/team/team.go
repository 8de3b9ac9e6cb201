// Package team owns the workspace and its people: members and roles,
// sign-in (argon2id passwords or PINs, remembered devices), departments
// (their credits and alert budgets), per-member spending limits (enforced
// inside the ledger's write transaction through a Guard), balance alerts
// and notifications, auto-recharge from the pool, and the audit log of
// every admin action.
//
// Every admin operation calls access.RequireAdmin in the service method, so
// the window, the CLI and the API gateway share one set of checks.
package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// Errors returned by the service; test with errors.Is.
var (
	ErrInvalid       = errors.New("invalid input")
	ErrNotFound      = errors.New("not found")
	ErrExists        = errors.New("already exists")
	ErrBadSignIn     = errors.New("wrong name, password or PIN")
	ErrDisabled      = errors.New("this member is disabled")
	ErrLockedOut     = errors.New("too many wrong attempts; try again later")
	ErrAlreadySetUp  = errors.New("the workspace is already set up")
	ErrNotSetUp      = errors.New("the workspace is not set up yet")
	ErrLastAdmin     = errors.New("the workspace needs at least one active admin")
	ErrCapReached    = errors.New("the monthly auto-recharge cap is reached")
	ErrNotApplicable = errors.New("not applicable")
	// ErrNotEmpty refuses what the state forbids, not the input: a
	// department archived while it has members, credits or a debt (the
	// CLI's exit 6, as a conflict with what is there).
	ErrNotEmpty = errors.New("it still has members or credits")
	// ErrBusy refuses what a send in progress holds up: a department
	// archived while a send holds credits on it; try again when it ends
	// (the CLI's exit 4).
	ErrBusy = errors.New("a send in progress holds credits there")
)

// Service is the team area's backend. It is safe for concurrent use.
type Service struct {
	db     *store.DB
	led    *ledger.Service
	em     events.Emitter
	clock  func() time.Time
	hashes HashParams

	alertMu sync.Mutex // serialises AfterCharge evaluation (crossing state)
}

// New returns the team service. em and clock may be nil (events.Nop,
// time.Now). Its balance alerts follow every ledger move once its AfterMove
// is installed as the ledger's move hook, which the caller that builds both
// does (core.Open).
func New(db *store.DB, led *ledger.Service, em events.Emitter, clock func() time.Time) *Service {
	if em == nil {
		em = events.Nop{}
	}
	if clock == nil {
		clock = time.Now
	}
	return &Service{db: db, led: led, em: em, clock: clock, hashes: DefaultHashParams}
}

// SetHashParams changes the argon2id cost used for new secrets (existing
// hashes keep their own parameters). Tests lower it; production keeps the default.
func (s *Service) SetHashParams(p HashParams) { s.hashes = p }

// now returns the clock's time in UTC.
func (s *Service) now() time.Time { return s.clock().UTC() }

// parseTS reads a stored time ("" = zero).
func parseTS(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// write runs fn in one write transaction.
func (s *Service) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.db.Write(ctx, fn)
}

// wrap adds context to an error unless it is nil.
func wrap(err error, format string, a ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(a, err)...)
}
