package store

import (
	"context"
	"fmt"
)

// QueryPlan returns SQLite's plan for query on the read pool, one detail
// line per step ("SEARCH t USING INDEX …", "SCAN …"): for tests that keep a
// hot query on its index, and for diagnosing a slow one.
func (db *DB) QueryPlan(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, fmt.Errorf("query plan: %w", err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, fmt.Errorf("query plan: %w", err)
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
