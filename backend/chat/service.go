package chat

import (
	"sync"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// Service stores conversations and runs metered sends. It is safe for
// concurrent use.
type Service struct {
	db    *store.DB
	meter *Meter
	led   *ledger.Service
	em    events.Emitter
	clock func() time.Time

	mu        sync.Mutex
	running   map[string]*claimed // assistant message uid -> its send (claim)
	runningIn map[int64]*claimed  // conversation id -> the send (or delete) running into it
}

// New returns the chat service. funder may be nil (the pool pays, no
// limits), resolver nil (no providers), em nil (events.Nop), clock nil
// (time.Now).
func New(db *store.DB, led *ledger.Service, rs RateSource, funder Funder, resolver Resolver,
	em events.Emitter, clock func() time.Time) *Service {
	if em == nil {
		em = events.Nop{}
	}
	if clock == nil {
		clock = time.Now
	}
	m := NewMeter(led, rs, funder, resolver)
	m.db = db
	return &Service{db: db, meter: m, led: led, em: em, clock: clock,
		running: map[string]*claimed{}, runningIn: map[int64]*claimed{}}
}

// Meter returns the metered-call step API (for the API gateway).
func (s *Service) Meter() *Meter { return s.meter }

func (s *Service) now() string { return store.FormatTime(s.clock()) }
