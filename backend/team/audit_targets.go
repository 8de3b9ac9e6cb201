package team

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"meterdesk/backend/access"
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
}

func (s *Service) targetNamer(ctx context.Context) *targetNamer {
	return &targetNamer{ctx: ctx, db: s.db.Read(), tables: map[string]map[int64]string{}, named: map[string]string{}}
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

// name is how target is shown: its name, or the target itself when it
// names nothing known.
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
		var name sql.NullString
		err := n.db.QueryRowContext(n.ctx, `SELECT COALESCE(json_extract(after_json, '$.name'), json_extract(before_json, '$.name'))
			FROM audit_log WHERE target = ? AND action LIKE 'provider.%' AND
			COALESCE(json_extract(after_json, '$.name'), json_extract(before_json, '$.name')) IS NOT NULL
			ORDER BY id DESC LIMIT 1`, target).Scan(&name)
		if err != nil && err != sql.ErrNoRows {
			return "", err
		}
		if name.Valid && name.String != "" {
			return name.String + " (removed)", nil
		}
	}
	return word + " #" + strconv.FormatInt(id, 10), nil
}

// ListAuditTargets lists every target the audit log has entries on, with
// its name, by name (admin only): what the window's Target filter offers.
func (s *Service) ListAuditTargets(ctx context.Context) ([]AuditTarget, error) {
	if _, err := access.RequireAdmin(ctx, "read the audit log"); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, "SELECT DISTINCT target FROM audit_log WHERE target <> ''")
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
	return "", fmt.Errorf("%w: the target %q names %s: give one of these instead", ErrInvalid, in, strings.Join(named, ", "))
}
