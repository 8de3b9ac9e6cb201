package store

import (
	"context"
	"fmt"
	"strings"
)

// Dump renders every table's rows, tables by name and rows in rowid order
// (tables without a rowid in their stored order), as text. Tests compare
// dumps to prove that a refused operation wrote nothing; it is also handy
// for diagnostics. It reads through the read pool.
func (db *DB) Dump(ctx context.Context) (string, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		return "", fmt.Errorf("dump: list tables: %w", err)
	}
	type table struct {
		name  string
		rowid bool
	}
	var tables []table
	for rows.Next() {
		var t table
		var withoutRowid bool
		if err := rows.Scan(&t.name, &withoutRowid); err != nil {
			rows.Close()
			return "", fmt.Errorf("dump: list tables: %w", err)
		}
		t.rowid = !withoutRowid
		tables = append(tables, t)
	}
	rows.Close()
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "== %s\n", t.name)
		q := `SELECT * FROM "` + strings.ReplaceAll(t.name, `"`, `""`) + `"`
		if t.rowid {
			q += " ORDER BY rowid"
		}
		r, err := db.r.QueryContext(ctx, q)
		if err != nil {
			return "", fmt.Errorf("dump %s: %w", t.name, err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				r.Close()
				return "", fmt.Errorf("dump %s: %w", t.name, err)
			}
			fmt.Fprintln(&b, vals...)
		}
		r.Close()
		if err := r.Err(); err != nil {
			return "", fmt.Errorf("dump %s: %w", t.name, err)
		}
	}
	return b.String(), nil
}
