package gateway

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// Sentinel errors. They are wrapped with context; test with errors.Is.
var (
	// ErrBadKey: the API key is malformed, unknown, revoked, or its member is
	// not active (HTTP 401).
	ErrBadKey = errors.New("invalid API key")
	// ErrKeyNotFound: no API key has this id.
	ErrKeyNotFound = errors.New("API key not found")
	// ErrInvalid: a bad setting or key name.
	ErrInvalid = errors.New("invalid gateway input")
	// ErrNameTaken: one of the member's active keys already has the name
	// (by the names rule: case, width and look-alike letters aside).
	ErrNameTaken = errors.New("an active key already has that name")
	// ErrRemoteNotAllowed: the address is not a loopback address and
	// listening on it was not explicitly allowed.
	ErrRemoteNotAllowed = errors.New("listening on a non-loopback address needs an explicit opt-in (allow remote)")
	// ErrRunning / ErrNotRunning: Start while running, Stop while stopped.
	ErrRunning    = errors.New("the API gateway is already running")
	ErrNotRunning = errors.New("the API gateway is not running")
)

// Team is what the gateway needs from backend/team (*team.Service).
type Team interface {
	Member(ctx context.Context, id int64) (team.Member, error)
	Funding(ctx context.Context, userID int64) (team.Funding, error)
	Limits(ctx context.Context, userID int64) ([]team.LimitStatus, error)
}

// Deps are the services the gateway calls.
type Deps struct {
	Meter  *chat.Meter      // THE metered send flow (chat.Service.Meter())
	Team   Team             // members, funding, limits
	Ledger *ledger.Service  // balances for the credit headers and /v1/credits
	Clock  func() time.Time // nil = time.Now
	// Logger gets what the server has to say: a client that went away
	// (info, with what its request was charged) and an internal error
	// (error, under the reference its 500 gives). nil = slog.Default(),
	// which writes through the standard log (stderr).
	Logger *slog.Logger
}

// Service owns the API keys, the gateway settings, and the in-process
// server. It is safe for concurrent use.
type Service struct {
	db     *store.DB
	meter  *chat.Meter
	team   Team
	led    *ledger.Service
	clock  func() time.Time
	log    *slog.Logger
	used   sync.Map // key row id -> last time its last_used_at was written
	runner runner
}

// New returns the gateway service.
func New(db *store.DB, d Deps) *Service {
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{db: db, meter: d.Meter, team: d.Team, led: d.Ledger, clock: d.Clock, log: d.Logger}
}
