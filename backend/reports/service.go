// Package reports computes Meterdesk's usage dashboard (balances, spend by
// day, model, member and department, the most expensive conversations), the
// month-end forecast, anomaly flags, and the filtered transaction history
// that the CSV export streams.
//
// It reads the ledger's tables (ledger_transfers, ledger_accounts) and never
// writes them. Aggregates come from daily roll-up tables it owns
// (report_daily, report_conversation_daily), brought up to date
// incrementally from ledger_transfers before each read, so that a dashboard
// over a million ledger entries reads a few thousand rows. Days are calendar
// dates in the workspace zone (backend/workzone), as are the history's
// date filters.
//
// Members see only their own usage; admins see everyone's. The check is made
// here, from the actor in the context (backend/access).
package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// Errors returned for bad requests.
var (
	ErrBadRange = errors.New("invalid date range")
	ErrBadGroup = errors.New("invalid grouping")
	ErrBadType  = errors.New("unknown transaction type")
	ErrBadPage  = errors.New("invalid page")
	// ErrUnknownProvider: a history filtered by a provider name that no
	// provider has now and no charge reads as (ProviderCond).
	ErrUnknownProvider = errors.New("unknown provider")
)

// System account codes the reports look up (owned by backend/ledger).
const (
	accountUsage  = "sys:usage"
	accountTopUp  = "sys:topup"
	accountExpiry = "sys:expiry"
)

// Service answers report queries.
type Service struct {
	db    *store.DB
	em    events.Emitter
	clock func() time.Time

	rollMu sync.Mutex // one roll-up catch-up at a time
	cache  dayCache   // roll-ups of recently read days (see days)
	payer  PayerFunc  // nil: a member's balance is their wallet's
}

// PayerFunc names the account a member's sends are charged to: the pool, a
// department's credits or their wallet, by backend/team's funding rules.
type PayerFunc func(ctx context.Context, userID int64) (string, error)

// SetPayer makes a member's dashboard show the balance of the account their
// sends are charged to (the figure the header shows them) instead of their
// wallet's, which is empty for a member the organisation pays for. Call it
// once while wiring, before the service is used.
func (s *Service) SetPayer(f PayerFunc) { s.payer = f }

// New returns the reports service. em and clock may be nil.
func New(db *store.DB, em events.Emitter, clock func() time.Time) *Service {
	if em == nil {
		em = events.Nop{}
	}
	if clock == nil {
		clock = time.Now
	}
	return &Service{db: db, em: em, clock: clock}
}

// DB is the store the service reads (statements share it).
func (s *Service) DB() *store.DB { return s.db }

// Now is the service clock in UTC.
func (s *Service) Now() time.Time { return s.clock().UTC() }

// Zone returns the workspace zone that days are dates in.
func (s *Service) Zone(ctx context.Context) (*time.Location, error) {
	return workzone.Load(ctx, s.db.Read())
}

// today returns today's date in the workspace zone, as a date label
// (midnight UTC of that date; see backend/workzone).
func (s *Service) today(ctx context.Context) (time.Time, error) {
	loc, err := s.Zone(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return workzone.Date(s.clock(), loc), nil
}

// Scope is whose data a query may see: everyone's (admins) or one user's.
type Scope struct {
	All    bool
	UserID int64
}

// ScopeOf returns the scope of the actor in ctx. A member asking for
// another member's data (userID != 0 and not theirs) is refused.
func ScopeOf(ctx context.Context, userID int64, what string) (Scope, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Scope{}, fmt.Errorf("%s: %w", what, err)
	}
	if a.System || a.Role == access.RoleAdmin {
		if userID != 0 {
			return Scope{UserID: userID}, nil
		}
		return Scope{All: true}, nil
	}
	if userID != 0 && userID != a.UserID {
		return Scope{}, fmt.Errorf("%s: %w (members see only their own usage)", what, access.ErrForbidden)
	}
	return Scope{UserID: a.UserID}, nil
}

// accountID returns the row id of a ledger account code, or 0 if it does not
// exist.
func accountID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, code string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM ledger_accounts WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up account %s: %w", code, err)
	}
	return id, nil
}

// Range is an inclusive range of dates (YYYY-MM-DD) in the workspace zone.
type Range struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// maxRangeDays bounds a dashboard range (ten years).
const maxRangeDays = 3660

// badDate is the refusal of a range's bound that is no date: "from
// "2026-11-31" is not a date: want YYYY-MM-DD", as workzone's "not a date:
// … want YYYY-MM-DD or RFC 3339" says it. Earlier versions said "from
// "2026-11-31" is not YYYY-MM-DD" of a bound written just so, a day that
// does not exist.
func badDate(which, v string) error {
	return inputerr.New(ErrBadRange, "%s %q is not a date: want YYYY-MM-DD", which, v)
}

// inverted refuses a range (a Range, a Filter) that ends before it starts,
// its bounds named as the request's fields are, From and To, which is how
// every page of the window labels them ("To 2026-11-01 is before From
// 2026-11-30"): one rule for the Usage page, its transactions and their CSV
// export (statements' exporter, through Count), so that no binding has to
// name them. The CLI names them after its flags instead ("--to … is before
// --from …", workzone.NameRange).
func inverted(from, to string) error {
	return &workzone.RangeError{Kind: ErrBadRange, From: from, To: to, FromName: "From", ToName: "To"}
}

// parse validates the range and returns its first day and the day after its
// last.
func (r Range) parse() (time.Time, time.Time, error) {
	from, err := time.Parse(time.DateOnly, r.From)
	if err != nil {
		return time.Time{}, time.Time{}, badDate("from", r.From)
	}
	to, err := time.Parse(time.DateOnly, r.To)
	if err != nil {
		return time.Time{}, time.Time{}, badDate("to", r.To)
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, inverted(r.From, r.To)
	}
	if to.Sub(from) > maxRangeDays*24*time.Hour {
		return time.Time{}, time.Time{}, inputerr.New(ErrBadRange, "longer than %d days", maxRangeDays)
	}
	return from, to.AddDate(0, 0, 1), nil
}
