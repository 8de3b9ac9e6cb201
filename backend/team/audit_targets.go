package team

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
)

// AuditTarget is one thing the audit log has entries on: its code as logged
// ("provider:1", "rates:v2", "user:3", "workspace"; what AuditFilter.Target
// and `meterdesk audit list --target` match) and its name as the window and
// the CLI show it ("OpenAI", "Rate table v2", "Bob Martin", "Workspace
// settings").
type AuditTarget struct {
	Target string `json:"target"`
	Name   string `json:"name"`
}

// fixedTargetNames names the targets that are one thing in the workspace.
var fixedTargetNames = map[string]string{
	"workspace":  "Workspace settings",
	"alerts":     "Alert settings",
	"api":        "Local API settings",
	"invoices":   "Invoice details",
	"database":   "Database",
	"pool":       "Workspace pool",
	"sys:topup":  "Top-ups",
	"sys:usage":  "Usage",
	"sys:expiry": "Expired",
	"sys:adjust": "Adjustments",
	"sys:refund": "Refunds",
}

// targetNamer names audit targets, reading each kind of name (members,
// departments, providers, packages) once, when a target first needs it.
type targetNamer struct {
	ctx    context.Context
	db     *sql.DB
	tables map[string]map[int64]string
	named  map[string]string // each target named once (a long export names the same few again and again)
	// removals: each provider id's provider.remove entries, oldest first
	// (read once, when a provider target is first named).
	removals map[int64][]removal
	spans    map[int64][]providerSpan // each provider id's spans, read once
}

// removal is one provider.remove entry: its id and the name it logged.
type removal struct {
	entry int64
	name  string
}

// providerSpan is one provider that had an id. Before migration 0970 an id
// was given again once the provider that had it was removed (the one with
// the highest id), so one target as logged ("provider:1") may be on
// several providers, one after the other: each provider.remove ends one,
// and the next provider.add after it starts the next (providerSpans).
// A span holds the entries on the target with ids in (from, to] (to 0: no
// end, the id's last provider), named by that provider; Code is how
// AuditFilter.Target and --target reach it alone ("provider:1#2"; the
// target as logged when the id was only ever one provider's).
type providerSpan struct {
	from, to int64
	name     string
	code     string
}

func (s *Service) targetNamer(ctx context.Context) *targetNamer {
	return &targetNamer{ctx: ctx, db: s.db.Read(), tables: map[string]map[int64]string{}, named: map[string]string{},
		spans: map[int64][]providerSpan{}}
}

// Members and departments are named by backend/people's rule (as
// AccountNames), providers and packages by their names. A provider removed
// since keeps the name the log last gave it, marked "(removed)".
var targetTables = map[string]string{
	"user":     "SELECT id, md_member_label(name, display_name, status) FROM users",
	"dept":     "SELECT id, md_department_label(name, archived) FROM departments",
	"provider": "SELECT id, name FROM providers",
	"package":  "SELECT id, name FROM ledger_packages",
}

func (n *targetNamer) table(kind string) (map[int64]string, error) {
	if t, ok := n.tables[kind]; ok {
		return t, nil
	}
	rows, err := n.db.QueryContext(n.ctx, targetTables[kind])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		t[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n.tables[kind] = t
	return t, nil
}

// entryName is how the target of entry (an audit entry's id) is shown: as
// name does, but a provider id that was several providers' is named by the
// one the entry is on (providerSpans), not by today's row.
func (n *targetNamer) entryName(target string, entry int64) (string, error) {
	if id, ok := providerID(target); ok {
		spans, err := n.providerSpans(id)
		if err != nil {
			return "", err
		}
		if len(spans) > 1 {
			for _, sp := range spans {
				if entry > sp.from && (sp.to == 0 || entry <= sp.to) {
					return sp.name, nil
				}
			}
		}
	}
	return n.name(target)
}

// providerID is the id in a provider target as logged ("provider:3").
func providerID(target string) (int64, bool) {
	rest, ok := strings.CutPrefix(target, "provider:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == rest
}

// providerSpans is provider id's spans, oldest first: one per
// provider.remove on it, and one more when a provider.add follows the
// last (its provider now, or one removed without an entry). Only a
// provider.add after a removal starts the next provider's span: an entry
// logged after a removal but before the next add (a connection test
// still running when its provider was removed) is the removed
// provider's, so it neither starts a span of its own nor splits one
// provider in two. A removed provider is named by the name its removal
// logged, marked "(removed)"; the last by name's rule (today's row).
func (n *targetNamer) providerSpans(id int64) ([]providerSpan, error) {
	if spans, ok := n.spans[id]; ok {
		return spans, nil
	}
	if n.removals == nil {
		if err := n.readRemovals(); err != nil {
			return nil, err
		}
	}
	target := "provider:" + strconv.FormatInt(id, 10)
	removals := n.removals[id]
	var adds []int64
	if len(removals) > 0 {
		var err error
		if adds, err = n.adds(target); err != nil {
			return nil, err
		}
	}
	// firstAdd is the first provider.add with an id in (after, before)
	// (before 0: no end), or 0.
	firstAdd := func(after, before int64) int64 {
		for _, a := range adds {
			if a > after && (before == 0 || a < before) {
				return a
			}
		}
		return 0
	}
	var spans []providerSpan
	var from int64
	for i, r := range removals {
		name := r.name
		if name == "" {
			// A removal that logged no name: the last name its span logged.
			var err error
			if name, err = n.loggedName(target, from, r.entry); err != nil {
				return nil, err
			}
		}
		if name == "" {
			name = "Provider #" + strconv.FormatInt(id, 10)
		} else {
			name += " (removed)"
		}
		// The span ends before the next provider's add; with none before
		// the next removal, at this removal; with none after the last,
		// it has no end.
		var next int64
		if i+1 < len(removals) {
			next = removals[i+1].entry
		}
		to := r.entry
		if a := firstAdd(r.entry, next); a > 0 {
			to = a - 1
		} else if next == 0 {
			to = 0
		}
		spans = append(spans, providerSpan{from: from, to: to, name: name})
		from = to
	}
	if len(spans) > 0 && from > 0 {
		// A provider.add after the last removal: its provider's span.
		name, err := n.name(target)
		if err != nil {
			return nil, err
		}
		spans = append(spans, providerSpan{from: from, name: name})
	}
	for i := range spans {
		spans[i].code = target
		if len(spans) > 1 {
			spans[i].code += "#" + strconv.Itoa(i+1)
		}
	}
	n.spans[id] = spans
	return spans, nil
}

// adds is the ids of the provider.add entries on target, oldest first.
func (n *targetNamer) adds(target string) ([]int64, error) {
	return store.QueryIDs(n.ctx, n.db, "SELECT id FROM audit_log WHERE action = 'provider.add' AND target = ? ORDER BY id", target)
}

// readRemovals reads every provider.remove entry once.
func (n *targetNamer) readRemovals() error {
	rows, err := n.db.QueryContext(n.ctx, `SELECT id, target, COALESCE(json_extract(before_json, '$.name'), '')
		FROM audit_log WHERE action = 'provider.remove' ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n.removals = map[int64][]removal{}
	for rows.Next() {
		var r removal
		var target string
		var name any
		if err := rows.Scan(&r.entry, &target, &name); err != nil {
			return err
		}
		if s, ok := name.(string); ok {
			r.name = s
		}
		if id, ok := providerID(target); ok {
			n.removals[id] = append(n.removals[id], r)
		}
	}
	return rows.Err()
}

// loggedName is the name the last provider.* entry on target with an id in
// (from, to] logged (to 0: no end), or "".
func (n *targetNamer) loggedName(target string, from, to int64) (string, error) {
	if to == 0 {
		to = math.MaxInt64
	}
	var name sql.NullString
	err := n.db.QueryRowContext(n.ctx, `SELECT COALESCE(json_extract(after_json, '$.name'), json_extract(before_json, '$.name'))
		FROM audit_log WHERE target = ? AND id > ? AND id <= ? AND action LIKE 'provider.%' AND
		COALESCE(json_extract(after_json, '$.name'), json_extract(before_json, '$.name')) IS NOT NULL
		ORDER BY id DESC LIMIT 1`, target, from, to).Scan(&name)
	if err != nil && err != sql.ErrNoRows {
		return "", err
	}
	return name.String, nil
}

// span reads a target as AuditFilter.Target takes it: as logged, or one
// provider's span of a provider id several providers had ("provider:1#2"),
// as the target as logged and the entry ids of the span (to 0: no end). A
// span that is not there is taken as a target as logged (it matches no
// entry).
func (n *targetNamer) span(code string) (target string, from, to int64, err error) {
	base, _, ok := strings.Cut(code, "#")
	id, isProvider := providerID(base)
	if !ok || !isProvider {
		return code, 0, 0, nil
	}
	spans, err := n.providerSpans(id)
	if err != nil {
		return "", 0, 0, err
	}
	for _, sp := range spans {
		if sp.code == code {
			return base, sp.from, sp.to, nil
		}
	}
	return code, 0, 0, nil
}

// name is how target is shown: its name, or the target itself when it
// names nothing known. A provider id several providers had is named by
// its last (entryName names the others).
func (n *targetNamer) name(target string) (string, error) {
	if name, ok := n.named[target]; ok {
		return name, nil
	}
	name, err := n.lookup(target)
	if err == nil {
		n.named[target] = name
	}
	return name, err
}

func (n *targetNamer) lookup(target string) (string, error) {
	if name, ok := fixedTargetNames[target]; ok {
		return name, nil
	}
	kind, rest, ok := strings.Cut(target, ":")
	if !ok {
		if strings.Contains(target, ".") { // a preference (settings.set): "ui.theme"
			return "Setting " + target, nil
		}
		return target, nil
	}
	switch kind {
	case "rates":
		if v, err := strconv.ParseInt(strings.TrimPrefix(rest, "v"), 10, 64); err == nil && strings.HasPrefix(rest, "v") && v > 0 {
			return "Rate table v" + strconv.FormatInt(v, 10), nil
		}
		return target, nil
	case "model":
		return "Model " + rest, nil
	case "invoice":
		return "Invoice " + rest, nil
	}
	word, known := map[string]string{"user": "Member", "dept": "Department", "provider": "Provider", "package": "Package"}[kind]
	id, err := strconv.ParseInt(rest, 10, 64)
	if !known || err != nil || id <= 0 {
		return target, nil
	}
	t, err := n.table(kind)
	if err != nil {
		return "", err
	}
	if name, ok := t[id]; ok {
		if kind == "package" {
			return "Package " + name, nil
		}
		return name, nil
	}
	if kind == "provider" {
		// Removed: the name its last entry logged (provider.remove's before).
		name, err := n.loggedName(target, 0, 0)
		if err != nil {
			return "", err
		}
		if name != "" {
			return name + " (removed)", nil
		}
	}
	return word + " #" + strconv.FormatInt(id, 10), nil
}

// auditTargetsSQL reads each target the audit log has entries on, once: a
// skip over the index audit_log_target (migration 0985), one search per
// target, where a SELECT DISTINCT reads every entry.
var auditTargetsSQL = `WITH RECURSIVE t(target) AS (
		SELECT (SELECT MIN(target) FROM audit_log WHERE target > '')
		UNION ALL
		SELECT (SELECT MIN(target) FROM audit_log WHERE target > t.target) FROM t WHERE t.target IS NOT NULL)
	SELECT target FROM t WHERE target IS NOT NULL`

// ListAuditTargets lists every target the audit log has entries on, with
// its name, by name (admin only): what the window's Target filter offers.
func (s *Service) ListAuditTargets(ctx context.Context) ([]AuditTarget, error) {
	if _, err := access.RequireAdmin(ctx, "read the audit log"); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, auditTargetsSQL)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	var targets []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the audit log: %w", err)
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	n := s.targetNamer(ctx)
	out := make([]AuditTarget, 0, len(targets))
	for _, t := range targets {
		if id, ok := providerID(t); ok {
			// An id several providers had: one target each.
			spans, err := n.providerSpans(id)
			if err != nil {
				return nil, fmt.Errorf("read the audit log: %w", err)
			}
			if len(spans) > 1 {
				for _, sp := range spans {
					out = append(out, AuditTarget{Target: sp.code, Name: sp.name})
				}
				continue
			}
		}
		name, err := n.name(t)
		if err != nil {
			return nil, fmt.Errorf("read the audit log: %w", err)
		}
		out = append(out, AuditTarget{Target: t, Name: name})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Target < out[j].Target
	})
	return out, nil
}

// ResolveAuditTarget reads a --target as the CLI takes it: a target as
// logged ("provider:1"), else the name of exactly one target the log has
// ("OpenAI", "rate table v2"; any case). A name two targets share is
// refused, naming their codes; anything else is taken as a target as
// logged (it matches no entry).
func (s *Service) ResolveAuditTarget(ctx context.Context, in string) (string, error) {
	in = strings.TrimSpace(in)
	if in == "" {
		return "", nil
	}
	ts, err := s.ListAuditTargets(ctx)
	if err != nil {
		return "", err
	}
	var named []string
	for _, t := range ts {
		if t.Target == in {
			return in, nil
		}
		if strings.EqualFold(t.Name, in) {
			named = append(named, t.Target)
		}
	}
	switch len(named) {
	case 0:
		return in, nil
	case 1:
		return named[0], nil
	}
	return "", inputerr.New(ErrInvalid, "the target %q names %s: give one of these instead", in, strings.Join(named, ", "))
}
