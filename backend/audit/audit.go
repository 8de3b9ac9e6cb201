// Package audit writes the workspace's audit log (table audit_log): one
// entry for every change an admin makes, and for every change to who can
// spend or reach the workspace's credits made by anyone (API keys,
// providers and their keys, the local API's network settings). Each entry
// is written in the transaction that makes the change, so a change never
// lands without its entry, nor an entry without its change. Reading the
// log is team.Service.ListAudit (admins only).
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// Record writes one entry in tx: who (a), when (at), what (action, e.g.
// "provider.add"), on what (target, e.g. "provider:3" or "workspace"), and
// the state before and after, marshalled to JSON (nil is null). Callers
// pass views made for the log: before and after must never hold a secret.
func Record(ctx context.Context, tx *sql.Tx, at time.Time, a access.Actor, action, target string, before, after any) error {
	bj, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	aj, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(at, actor_id, actor_name, action, target, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, store.FormatTimeNano(at), actorID, a.Name, action, target, string(bj), string(aj))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
