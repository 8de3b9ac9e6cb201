package team

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/csvcell"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// AuditEntry is one admin action: who did what, when, with the state before
// and after as JSON.
type AuditEntry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actorId"`   // 0 = the system or the CLI's system actor
	ActorName  string          `json:"actorName"` // the sign-in name logged; "bob (removed)" once removed (backend/people)
	Action     string          `json:"action"`
	Target     string          `json:"target"`     // as logged: "provider:1", "rates:v2", "user:3", "workspace"
	TargetName string          `json:"targetName"` // its name: "OpenAI", "Rate table v2", "Bob Martin", "Workspace settings" (ListAuditTargets)
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
}

// AuditFilter narrows ListAudit. Zero fields match everything.
type AuditFilter struct {
	ActorID int64     `json:"actorId"`
	Action  string    `json:"action"` // prefix match, exact ("member." matches every member action; case counts, no wildcards)
	Target  string    `json:"target"` // exact, as logged, or an AuditTarget's ("provider:1#2": one of the providers an id was given to)
	Since   time.Time `json:"since"`  // inclusive
	Until   time.Time `json:"until"`  // exclusive
	Limit   int       `json:"limit"`  // 0 = AuditListLimit (ListAudit), AuditPageSize (ListAuditPage)
	Before  int64     `json:"before"` // page cursor: entries with id < Before (0 = the newest)
}

// How many entries a read returns when its filter names no limit.
const (
	AuditListLimit  = 500  // ListAudit (meterdesk audit list)
	AuditPageSize   = 100  // ListAuditPage (the window's pages)
	AuditMaxPage    = 1000 // the most ListAuditPage returns at once
	auditMaxListing = 100000
)

// AuditPage is one page of the audit log, newest first. Next is the cursor
// of the following page (AuditFilter.Before; 0 when there is none).
type AuditPage struct {
	Items []AuditEntry `json:"items"`
	Next  int64        `json:"next"`
}

// audit records an admin action inside the transaction that makes the change.
func (s *Service) audit(ctx context.Context, tx *sql.Tx, a access.Actor, action, target string, before, after any) error {
	return audit.Record(ctx, tx, s.now(), a, action, target, before, after)
}

// ListAuditPage returns a page of audit entries, newest first (admin only):
// at most f.Limit (0 = AuditPageSize, at most AuditMaxPage) below
// f.Before, and the cursor of the next page.
func (s *Service) ListAuditPage(ctx context.Context, f AuditFilter) (AuditPage, error) {
	if _, err := access.RequireAdmin(ctx, "read the audit log"); err != nil {
		return AuditPage{}, err // before the filter is looked at
	}
	switch {
	case f.Limit < 0:
		return AuditPage{}, fmt.Errorf("read the audit log: %w", inputerr.New(ErrInvalid, "limit %d", f.Limit))
	case f.Limit == 0:
		f.Limit = AuditPageSize
	case f.Limit > AuditMaxPage:
		f.Limit = AuditMaxPage
	}
	limit := f.Limit
	f.Limit++ // one more: is there a next page?
	entries, err := s.ListAudit(ctx, f)
	if err != nil {
		return AuditPage{}, err
	}
	page := AuditPage{Items: entries}
	if len(entries) > limit {
		page.Items = entries[:limit]
		page.Next = entries[limit-1].ID
	}
	return page, nil
}

// ListAudit returns audit entries, newest first (admin only): at most
// f.Limit (0 = AuditListLimit, at most 100,000) below f.Before.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if _, err := access.RequireAdmin(ctx, "read the audit log"); err != nil {
		return nil, err
	}
	if !utf8.ValidString(f.Action) {
		// No action logged is such text; its bytes would match by halves.
		return nil, fmt.Errorf("read the audit log: %w", inputerr.New(ErrInvalid, "action %q is not valid UTF-8 text", f.Action))
	}
	var where []string
	var args []any
	n := s.targetNamer(ctx)
	if f.Target != "" {
		// As logged, or one provider of an id several had ("provider:1#2").
		target, from, to, err := n.span(f.Target)
		if err != nil {
			return nil, fmt.Errorf("read the audit log: %w", err)
		}
		where, args = append(where, "target = ?"), append(args, target)
		if from > 0 {
			where, args = append(where, "id > ?"), append(args, from)
		}
		if to > 0 {
			where, args = append(where, "id <= ?"), append(args, to)
		}
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, store.FormatTimeNano(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "at < ?"), append(args, store.FormatTimeNano(f.Until))
	}
	if f.Limit < 0 || f.Limit > auditMaxListing+1 {
		return nil, fmt.Errorf("read the audit log: %w", inputerr.New(ErrInvalid, "limit %d", f.Limit))
	}
	if f.Before < 0 {
		return nil, fmt.Errorf("read the audit log: %w", inputerr.New(ErrInvalid, "cursor %d", f.Before))
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		// As the ledger's history: an empty range is a mistake, not "no entries".
		return nil, fmt.Errorf("read the audit log: %w", inputerr.New(ErrInvalid, "the date range from %s to %s is empty",
			store.FormatTimeNano(f.Since), store.FormatTimeNano(f.Until)))
	}
	limit := f.Limit
	if limit == 0 {
		limit = AuditListLimit
	}
	out := []AuditEntry{}
	// The actions under the prefix and their entries read one snapshot.
	err := s.db.ReadTx(ctx, func(q store.Prepared) error {
		var actions []string
		if auditWalks(f) {
			var err error
			if actions, err = auditActions(ctx, q, f.Action); err != nil || len(actions) == 0 {
				return err // no action starts so: no entries
			}
		}
		query, qargs := auditSelect(f.ActorID, where, args, f.Action, actions, limit)
		run := q.QueryContext
		if auditMerges(f.Action, actions) { // a text per number of actions: not cached
			run = q.QueryUnprepared
		}
		rows, err := run(ctx, query, qargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var at, b, a string
			if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &b, &a); err != nil {
				return err
			}
			e.At, e.Before, e.After = parseTS(at), json.RawMessage(b), json.RawMessage(a)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	// Named after the rows are read: the names are other reads.
	for i := range out {
		if out[i].TargetName, err = n.entryName(out[i].Target, out[i].ID); err != nil {
			return nil, fmt.Errorf("read the audit log: %w", err)
		}
	}
	return out, nil
}

// ExportAuditCSV writes the filtered audit log as CSV (admin only):
// id, at (RFC 3339 to the second in the workspace's time zone, with its
// offset, as every CSV: statements.ISOTime), actor_id, actor, action,
// target, target_name (as ListAudit names it, "" when it names none),
// before, after. Text a person or a provider wrote is neutralised
// (csvcell) so that a spreadsheet reads it as text.
func (s *Service) ExportAuditCSV(ctx context.Context, f AuditFilter, w io.Writer) error {
	if _, err := access.RequireAdmin(ctx, "export the audit log"); err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = auditMaxListing
	}
	entries, err := s.ListAudit(ctx, f)
	if err != nil {
		return err
	}
	loc, err := workzone.Load(ctx, s.db.Read())
	if err != nil {
		return fmt.Errorf("export the audit log: %w", err)
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "actor_id", "actor", "action", "target", "target_name", "before", "after"})
	for _, e := range entries {
		rec := []string{strconv.FormatInt(e.ID, 10), e.At.In(loc).Format(time.RFC3339), strconv.FormatInt(e.ActorID, 10),
			csvcell.Neutralise(e.ActorName), e.Action, csvcell.Neutralise(e.Target), csvcell.Neutralise(e.TargetName),
			string(e.Before), string(e.After)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export the audit log: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export the audit log: %w", err)
	}
	return nil
}
