package rates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

// Service reads and changes the rate table. Reads are open to every signed-in
// actor; every write requires an admin (access.RequireAdmin).
type Service struct {
	db    *store.DB
	em    events.Emitter
	clock func() time.Time

	mu    sync.Mutex
	cache map[int64]*Version // versions are immutable, so caching is safe

	// since caches ModelsSince's read of the rate history (the first
	// version holding a row for each model), keyed on the newest version:
	// versions and their rows are never changed, only added, so the same
	// newest version means the same answer (sinceCache).
	since        *sinceCache
	historyReads int // how many times ModelsSince read the history (tests)
}

// New returns the rate service. em may be nil (events.Nop) and clock nil
// (time.Now).
func New(db *store.DB, em events.Emitter, clock func() time.Time) *Service {
	if em == nil {
		em = events.Nop{}
	}
	if clock == nil {
		clock = time.Now
	}
	return &Service{db: db, em: em, clock: clock, cache: map[int64]*Version{}}
}

// ErrNoVersion is returned when a rate version id does not exist.
var ErrNoVersion = errors.New("no such rate version")

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// Current returns the version in force now: the latest version, whatever
// the clock says. A version is never dated in the future, but a clock set
// back after one was saved would leave no version "in force" yet at the
// clock's time, and VersionAt would fall back to the factory defaults.
func (s *Service) Current(ctx context.Context) (*Version, error) {
	// Prepared once (store's statement cache): this runs on every send.
	id, err := latestID(ctx, s.db.Prepared())
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, id)
}

// VersionAt returns the version in force at t: the latest one whose
// effective time is not after t (the factory version for any earlier t).
func (s *Service) VersionAt(ctx context.Context, t time.Time) (*Version, error) {
	var id int64
	// Prepared once (store's statement cache): this runs on every send.
	err := s.db.QueryRow(ctx, `SELECT id FROM rate_versions
		WHERE effective_at <= ? ORDER BY effective_at DESC, id DESC LIMIT 1`, store.FormatTimeNano(t)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.QueryRow(ctx, `SELECT id FROM rate_versions
			ORDER BY effective_at, id LIMIT 1`).Scan(&id)
	}
	if err != nil {
		return nil, fmt.Errorf("find rate version at %s: %w", store.FormatTimeNano(t), err)
	}
	return s.Version(ctx, id)
}

// Version returns the rate version with the given id.
func (s *Service) Version(ctx context.Context, id int64) (*Version, error) {
	s.mu.Lock()
	v, ok := s.cache[id]
	s.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := loadVersion(ctx, s.db.Read(), id)
	if err != nil {
		return nil, err
	}
	s.remember(v)
	return v, nil
}

func (s *Service) remember(v *Version) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cache) > 256 {
		clear(s.cache)
	}
	s.cache[v.ID] = v
}

// VersionInfo describes a version without its rows (for the history list).
type VersionInfo struct {
	ID          int64     `json:"id"`
	EffectiveAt time.Time `json:"effectiveAt"`
	CreatedBy   string    `json:"createdBy"`
	Reason      string    `json:"reason"`
}

// Versions lists the most recent versions, newest first (limit <= 0: 50).
func (s *Service) Versions(ctx context.Context, limit int) ([]VersionInfo, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("rate versions: %w", err)
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, effective_at, created_by, reason
		FROM rate_versions ORDER BY effective_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list rate versions: %w", err)
	}
	defer rows.Close()
	var out []VersionInfo
	for rows.Next() {
		var vi VersionInfo
		var at string
		if err := rows.Scan(&vi.ID, &at, &vi.CreatedBy, &vi.Reason); err != nil {
			return nil, fmt.Errorf("list rate versions: %w", err)
		}
		vi.EffectiveAt, _ = time.Parse(store.TimeLayoutNano, at)
		out = append(out, vi)
	}
	return out, rows.Err()
}

func latestID(ctx context.Context, q querier) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM rate_versions ORDER BY effective_at DESC, id DESC LIMIT 1`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("find the latest rate version: %w", err)
	}
	return id, nil
}

func loadVersion(ctx context.Context, q querier, id int64) (*Version, error) {
	var v Version
	var at string
	err := q.QueryRowContext(ctx, `SELECT id, effective_at, created_by_user_id, created_by, reason,
		default_input, default_output FROM rate_versions WHERE id = ?`, id).
		Scan(&v.ID, &at, &v.CreatedByID, &v.CreatedBy, &v.Reason, &v.Defaults.Input, &v.Defaults.Output)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("rate version %d: %w", id, ErrNoVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("load rate version %d: %w", id, err)
	}
	if v.EffectiveAt, err = time.Parse(store.TimeLayoutNano, at); err != nil {
		return nil, fmt.Errorf("rate version %d: bad effective time %q: %w", id, at, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT provider, model, input, output, cache_read, cache_write,
		reasoning, per_request, per_tool_call FROM rate_entries WHERE version_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("load rate version %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Row
		var vals [NumFields]sql.NullString
		if err := rows.Scan(&r.Provider, &r.Model, &vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5], &vals[6]); err != nil {
			return nil, fmt.Errorf("load rate version %d: %w", id, err)
		}
		for f := Field(0); f < NumFields; f++ {
			r.Set(f, vals[f].String)
		}
		v.Rows = append(v.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load rate version %d: %w", id, err)
	}
	out, err := newVersion(v)
	if err != nil {
		return nil, fmt.Errorf("rate version %d holds a bad rate: %w", id, err)
	}
	return out, nil
}

// commit validates nothing itself: build returns the next snapshot (already
// canonical) from the current one. A snapshot equal to the current one
// creates no version and returns the current one.
func (s *Service) commit(ctx context.Context, actor access.Actor, reason string,
	extra func(tx *sql.Tx) error, build func(cur *Version) (Defaults, []Row)) (*Version, error) {
	v, _, err := s.commitChanged(ctx, actor, reason, extra, build)
	return v, err
}

// commitChanged is commit, reporting whether it made a new version (false:
// the snapshot was the current one, which it returns).
func (s *Service) commitChanged(ctx context.Context, actor access.Actor, reason string,
	extra func(tx *sql.Tx) error, build func(cur *Version) (Defaults, []Row)) (*Version, bool, error) {
	var out *Version
	changed := false
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		id, err := latestID(ctx, tx)
		if err != nil {
			return err
		}
		cur, err := loadVersion(ctx, tx, id)
		if err != nil {
			return err
		}
		if extra != nil {
			if err := extra(tx); err != nil {
				return err
			}
		}
		defs, rows := build(cur)
		var kept []Row
		for _, r := range rows {
			if !r.Blank() {
				kept = append(kept, r)
			}
		}
		sortRows(kept)
		if defs == cur.Defaults && sameRows(kept, cur.Rows) {
			out = cur
			return nil
		}
		at := s.clock().UTC()
		if at.Before(cur.EffectiveAt) {
			at = cur.EffectiveAt // never go back in time: the new version must be the latest
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rate_versions(effective_at, created_by_user_id,
			created_by, reason, default_input, default_output) VALUES (?, ?, ?, ?, ?, ?)`,
			store.FormatTimeNano(at), actor.UserID, actorName(actor), reason, defs.Input, defs.Output)
		if err != nil {
			return fmt.Errorf("insert rate version: %w", err)
		}
		newID, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("insert rate version: %w", err)
		}
		for _, r := range kept {
			args := []any{newID, r.Provider, r.Model}
			for f := Field(0); f < NumFields; f++ {
				args = append(args, sql.NullString{String: r.Get(f), Valid: r.Get(f) != ""})
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rate_entries(version_id, provider, model,
				input, output, cache_read, cache_write, reasoning, per_request, per_tool_call)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
				return fmt.Errorf("insert rate for %s/%s: %w", r.Provider, r.Model, err)
			}
		}
		v, err := newVersion(Version{ID: newID, EffectiveAt: at, CreatedByID: actor.UserID,
			CreatedBy: actorName(actor), Reason: reason, Defaults: defs, Rows: kept})
		if err != nil {
			return err
		}
		out, changed = v, true
		return audit.Record(ctx, tx, at, actor, "rates.change", "rates:v"+strconv.FormatInt(newID, 10), nil,
			versionView{Version: newID, Reason: reason, Defaults: defs, Models: len(kept)})
	})
	if err != nil {
		return nil, false, err
	}
	s.remember(out)
	if changed {
		s.em.Emit(events.RatesChanged, out.ID)
	}
	return out, changed, nil
}

// versionView is what the audit log keeps of a new rate version: its
// number and reason (the rates themselves are in the version).
type versionView struct {
	Version  int64    `json:"version"`
	Reason   string   `json:"reason"`
	Defaults Defaults `json:"defaults"`
	Models   int      `json:"models"` // models with rates of their own
}

func actorName(a access.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	if a.System {
		return "system"
	}
	return fmt.Sprintf("user %d", a.UserID)
}

func sameRows(a, b []Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
