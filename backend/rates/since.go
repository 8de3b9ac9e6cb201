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
// catalogue, for the local API's /v1/models "created": the earliest of
// the first rate version holding a row for it and the time it was added
// (reported by a provider or added by an admin, rate_models.added_at);
// for a built-in model, which ships in the catalogue, also the time the
// catalogue was created (the database's first migration). It never
// changes for a model once set, whatever the later rate changes; a model
// it does not know is not in the map.
func (s *Service) ModelsSince(ctx context.Context) (map[ModelKey]time.Time, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	out := map[ModelKey]time.Time{}
	keep := func(k ModelKey, text string) {
		t, err := time.Parse(time.RFC3339Nano, text)
		if err != nil || t.Unix() <= 0 {
			return
		}
		if old, ok := out[k]; !ok || t.Before(old) {
			out[k] = t.UTC()
		}
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT e.provider, e.model, MIN(v.effective_at)
		FROM rate_entries e JOIN rate_versions v ON v.id = e.version_id GROUP BY e.provider, e.model
		UNION ALL SELECT provider, model, added_at FROM rate_models`)
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
		keep(k, at)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	var created string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE(MIN(applied_at), '') FROM schema_migrations`).Scan(&created); err != nil {
		return nil, fmt.Errorf("models since: %w", err)
	}
	for p, models := range builtin {
		for _, m := range models {
			keep(ModelKey{p, m}, created)
		}
	}
	return out, nil
}
