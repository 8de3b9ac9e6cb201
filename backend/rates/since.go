package rates

import (
	"context"
	"fmt"
	"time"

	"meterdesk/backend/access"
)

// ModelKey names a model of the catalogue: its rates provider and name.
type ModelKey struct{ Provider, Model string }

// ModelsSince says since when each model has been in this workspace's
// catalogue, for the local API's /v1/models "created": the time it was
// added (reported by a provider, added by an admin or by a rate change,
// rate_models.added_at), or its first rate version's when that is earlier
// (a model priced was in the catalogue by then); for a built-in model,
// which ships in the catalogue, the workspace's creation (its first
// member's, stamped by the app's clock at setup; it was the database's
// first migration, stamped by SQLite's, before the workspace existed and
// on another clock than the rest). Every time is clamped to the
// workspace's life: never before its creation (a model added or rated
// while the computer's clock was set back before it), and never after now
// (the clock set back since): a client never reads a model created before
// its workspace or in the future (TestModelsSinceClampsAClockSetBack).
// It never changes for a model once set, whatever the later rate changes
// (only the clock passing a time it clamped to now moves it); a model it
// does not know is not in the map. The rate history's part is read once
// per newest rate version and kept (firstRates), so a call on an unchanged
// history reads only the models' own rows.
func (s *Service) ModelsSince(ctx context.Context) (map[ModelKey]time.Time, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	out := map[ModelKey]time.Time{}
	keep := func(k ModelKey, t time.Time) {
		if old, ok := out[k]; !ok || t.Before(old) {
			out[k] = t
		}
	}
	first, err := s.firstRates(ctx)
	if err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	for k, t := range first {
		keep(k, t)
	}
	// The models' own rows and the workspace's creation are read on every
	// call: a few hundred rows at most, and a model added or removed (here
	// or by another process, such as the CLI) shows at once.
	rows, err := s.db.Read().QueryContext(ctx, `SELECT provider, model, added_at FROM rate_models`)
	if err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k ModelKey
		var at string
		if err := rows.Scan(&k.Provider, &k.Model, &at); err != nil {
			return nil, fmt.Errorf("models since: %w", err)
		}
		if t, ok := sinceTime(at); ok {
			keep(k, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	// The workspace's creation: its first member, the admin made at setup
	// (team.Setup, with the app's clock); members are never deleted. The
	// first by id, not the earliest time: a member added while the clock
	// was set back before the setup does not move it.
	var created string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE((SELECT created_at FROM users ORDER BY id LIMIT 1), '')`).Scan(&created); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	since, setUp := sinceTime(created)
	if setUp {
		for p, models := range builtin {
			for _, m := range models {
				keep(ModelKey{p, m}, since)
			}
		}
	}
	now := s.clock().UTC()
	for k, t := range out {
		if setUp && t.Before(since) {
			t = since
		}
		if t.After(now) {
			t = now
		}
		out[k] = t
	}
	return out, nil
}

// sinceTime parses a stored time for ModelsSince; a blank, unreadable or
// epoch time (the factory version's) says nothing.
func sinceTime(text string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil || t.Unix() <= 0 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// sinceCache is the rate history's part of ModelsSince for one newest
// version.
type sinceCache struct {
	key   sinceKey
	first map[ModelKey]time.Time
}

// sinceKey names the rate history as it stands: its newest version (id
// and effective time) and how many versions it has. A version is only
// ever added, with all its rows, so an unchanged key is an unchanged
// history, whichever process wrote it; a restored database of another
// history differs in at least one of them.
type sinceKey struct {
	newest int64
	at     string
	count  int64
}

// firstRates returns, for each model with a rate row, the effective time
// of the first version holding one. Reading it walks every version's rows
// (versions x models), so it is read once per newest version and kept;
// the key costs one indexed look-up and a count of versions.
func (s *Service) firstRates(ctx context.Context) (map[ModelKey]time.Time, error) {
	var key sinceKey
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0),
		COALESCE((SELECT effective_at FROM rate_versions ORDER BY id DESC LIMIT 1), ''), COUNT(*)
		FROM rate_versions`).Scan(&key.newest, &key.at, &key.count); err != nil {
		return nil, err
	}
	s.mu.Lock()
	c := s.since
	s.mu.Unlock()
	if c != nil && c.key == key {
		return c.first, nil
	}
	// Only the versions the key names: one saved meanwhile is read on
	// the next call, under its own key.
	rows, err := s.db.Read().QueryContext(ctx, `SELECT e.provider, e.model, MIN(v.effective_at)
		FROM rate_entries e JOIN rate_versions v ON v.id = e.version_id
		WHERE v.id <= ? GROUP BY e.provider, e.model`, key.newest)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	first := map[ModelKey]time.Time{}
	for rows.Next() {
		var k ModelKey
		var at string
		if err := rows.Scan(&k.Provider, &k.Model, &at); err != nil {
			return nil, err
		}
		if t, ok := sinceTime(at); ok {
			first[k] = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.historyReads++
	s.since = &sinceCache{key: key, first: first}
	s.mu.Unlock()
	return first, nil
}
