package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// Point is one bar of a chart: a key (a date, model, member or department),
// its label, the credits spent and how many transfers made them.
type Point struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Amount string `json:"amount"`
	Count  int64  `json:"count"`
	ID     int64  `json:"id,omitempty"` // member, department or conversation id (for drill-down)
	Share  int64  `json:"share"`        // bar length in per mille of the largest point (display only)
	minor  int64
}

// setShares fills Share: amount * 1000 / largest amount, in integers, so
// that charts need no arithmetic on money in the frontend.
func setShares(pts []Point) {
	top := int64(0)
	for _, p := range pts {
		top = max(top, p.minor)
	}
	if top <= 0 {
		return
	}
	t := decimal.NewFromInt(top)
	for i := range pts {
		if pts[i].minor > 0 {
			pts[i].Share = decimal.NewFromInt(pts[i].minor).Mul(decimal.NewFromInt(1000)).Div(t).IntPart()
		}
	}
}

// LastTransaction is the latest posted transfer in the caller's scope.
type LastTransaction struct {
	ID     int64  `json:"id"`
	Time   string `json:"time"`
	Type   string `json:"type"`
	Amount string `json:"amount"`
	Model  string `json:"model"`
}

// Dashboard is everything the usage page shows for a range.
type Dashboard struct {
	Range         Range            `json:"range"`
	Scope         Scope            `json:"scope"`
	Balance       string           `json:"balance"`
	LifetimeUsed  string           `json:"lifetimeUsed"`
	Last          *LastTransaction `json:"last,omitempty"`
	Total         string           `json:"total"` // spent in the range
	ByDay         []Point          `json:"byDay"` // every day of the range, zeros included
	ByModel       []Point          `json:"byModel"`
	ByMember      []Point          `json:"byMember"`
	ByDepartment  []Point          `json:"byDepartment"`
	Conversations []Point          `json:"conversations"` // most expensive first
	Forecast      Forecast         `json:"forecast"`
	Anomalies     []Anomaly        `json:"anomalies"`
}

// Group is a dimension usage can be grouped by.
type Group string

// The groupings.
const (
	ByDay        Group = "day"
	ByModel      Group = "model"
	ByMember     Group = "member"
	ByDepartment Group = "department"
)

// topConversations is how many conversations the dashboard lists.
const topConversations = 10

// Dashboard returns the usage dashboard for r in the caller's scope. userID
// 0 means "mine" for members and "everyone" for admins.
func (s *Service) Dashboard(ctx context.Context, r Range, userID int64) (Dashboard, error) {
	sc, err := ScopeOf(ctx, userID, "usage dashboard")
	if err != nil {
		return Dashboard{}, err
	}
	if _, _, err := r.parse(); err != nil {
		return Dashboard{}, fmt.Errorf("usage dashboard: %w", err)
	}
	if err := s.Refresh(ctx); err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Range: r, Scope: sc}
	if err := s.headline(ctx, sc, &d); err != nil {
		return d, err
	}
	total := int64(0)
	for _, g := range []struct {
		g   Group
		out *[]Point
	}{{ByDay, &d.ByDay}, {ByModel, &d.ByModel}, {ByMember, &d.ByMember}, {ByDepartment, &d.ByDepartment}} {
		pts, sum, err := s.usageBy(ctx, sc, r, g.g)
		if err != nil {
			return d, err
		}
		*g.out = pts
		total = sum
	}
	d.Total = money.MinorString(total)
	if d.Conversations, err = s.topConversations(ctx, sc, r); err != nil {
		return d, err
	}
	if d.Forecast, err = s.forecast(ctx, sc); err != nil {
		return d, err
	}
	if d.Anomalies, err = s.anomalies(ctx, sc, r); err != nil {
		return d, err
	}
	return d, nil
}

// UsageBy returns the credits spent in r grouped by g, and their total, in the
// caller's scope (the CLI's `report usage`).
func (s *Service) UsageBy(ctx context.Context, r Range, g Group, userID int64) ([]Point, string, error) {
	sc, err := ScopeOf(ctx, userID, "usage report")
	if err != nil {
		return nil, "", err
	}
	if _, _, err := r.parse(); err != nil {
		return nil, "", fmt.Errorf("usage report: %w", err)
	}
	switch g {
	case ByDay, ByModel, ByMember, ByDepartment:
	default:
		return nil, "", fmt.Errorf("usage report: %w %q (want day, model, member or department)", ErrBadGroup, g)
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, "", err
	}
	pts, total, err := s.usageBy(ctx, sc, r, g)
	return pts, money.MinorString(total), err
}

// scopeSQL returns the extra condition and arguments for a scope on a table
// with a user_id column (0 = none).
func scopeSQL(sc Scope, col string) (string, []any) {
	if sc.All {
		return "", nil
	}
	return " AND " + col + " = ?", []any{sc.UserID}
}

func (s *Service) usageBy(ctx context.Context, sc Scope, r Range, g Group) ([]Point, int64, error) {
	from, end, err := r.parse()
	if err != nil {
		return nil, 0, err
	}
	usage, err := accountID(ctx, s.db.Read(), accountUsage)
	if err != nil {
		return nil, 0, err
	}
	cond, args := scopeSQL(sc, "d.user_id")
	var q string
	switch g {
	case ByDay:
		q = `SELECT d.day, d.day, 0, SUM(d.amount_minor), SUM(d.n) FROM report_daily d
			WHERE d.credit_id = ? AND d.day >= ? AND d.day < ?` + cond + ` GROUP BY d.day ORDER BY d.day`
	case ByModel:
		q = `SELECT d.model, d.model, 0, SUM(d.amount_minor) AS a, SUM(d.n) FROM report_daily d
			WHERE d.credit_id = ? AND d.day >= ? AND d.day < ?` + cond + ` GROUP BY d.model ORDER BY a DESC, d.model`
	case ByMember:
		q = `SELECT x.user_id, COALESCE(NULLIF(u.display_name, ''), u.name, ''), x.user_id, x.a, x.n FROM (
				SELECT d.user_id, SUM(d.amount_minor) AS a, SUM(d.n) AS n FROM report_daily d
				WHERE d.credit_id = ? AND d.day >= ? AND d.day < ?` + cond + ` GROUP BY d.user_id) x
			LEFT JOIN users u ON u.id = x.user_id ORDER BY x.a DESC, x.user_id`
	case ByDepartment:
		q = `SELECT x.department_id, COALESCE(dp.name, ''), x.department_id, x.a, x.n FROM (
				SELECT d.department_id, SUM(d.amount_minor) AS a, SUM(d.n) AS n FROM report_daily d
				WHERE d.credit_id = ? AND d.day >= ? AND d.day < ?` + cond + ` GROUP BY d.department_id) x
			LEFT JOIN departments dp ON dp.id = x.department_id ORDER BY x.a DESC, x.department_id`
	}
	rows, err := s.db.Read().QueryContext(ctx, q, append([]any{usage, from.Format(time.DateOnly), end.Format(time.DateOnly)}, args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
	}
	defer rows.Close()
	var pts []Point
	total := int64(0)
	for rows.Next() {
		var p Point
		var amount int64
		if err := rows.Scan(&p.Key, &p.Label, &p.ID, &amount, &p.Count); err != nil {
			return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
		}
		if total, err = money.AddMinor(total, amount); err != nil {
			return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
		}
		p.Amount = money.MinorString(amount)
		p.minor = amount
		p.Label = label(g, p)
		pts = append(pts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
	}
	if g == ByDay {
		pts = fillDays(pts, from, end)
	}
	setShares(pts)
	return pts, total, nil
}

// label names a point for people: unnamed members and departments get a
// readable stand-in.
func label(g Group, p Point) string {
	switch {
	case g == ByModel && p.Key == "":
		return "(no model)"
	case g == ByMember && p.ID == 0:
		return "(no member)"
	case g == ByMember && strings.TrimSpace(p.Label) == "":
		return fmt.Sprintf("member %d", p.ID)
	case g == ByDepartment && p.ID == 0:
		return "(no department)"
	case g == ByDepartment && strings.TrimSpace(p.Label) == "":
		return fmt.Sprintf("department %d", p.ID)
	}
	return p.Label
}

// fillDays returns one point per day in [from, end), zero where nothing was spent.
func fillDays(pts []Point, from, end time.Time) []Point {
	by := make(map[string]Point, len(pts))
	for _, p := range pts {
		by[p.Key] = p
	}
	out := make([]Point, 0, int(end.Sub(from).Hours()/24))
	for d := from; d.Before(end); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		p, ok := by[k]
		if !ok {
			p = Point{Key: k, Label: k, Amount: "0"}
		}
		out = append(out, p)
	}
	return out
}

func (s *Service) topConversations(ctx context.Context, sc Scope, r Range) ([]Point, error) {
	from, end, _ := r.parse()
	cond, args := scopeSQL(sc, "user_id")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT conversation_id, SUM(amount_minor) AS a, SUM(n)
		FROM report_conversation_daily WHERE day >= ? AND day < ?`+cond+`
		GROUP BY conversation_id ORDER BY a DESC, conversation_id LIMIT ?`,
		append(append([]any{from.Format(time.DateOnly), end.Format(time.DateOnly)}, args...), topConversations)...)
	if err != nil {
		return nil, fmt.Errorf("top conversations: %w", err)
	}
	defer rows.Close()
	var out []Point
	for rows.Next() {
		var p Point
		var amount int64
		if err := rows.Scan(&p.ID, &amount, &p.Count); err != nil {
			return nil, fmt.Errorf("top conversations: %w", err)
		}
		p.Key = fmt.Sprint(p.ID)
		p.Label = fmt.Sprintf("conversation %d", p.ID)
		p.Amount = money.MinorString(amount)
		p.minor = amount
		out = append(out, p)
	}
	setShares(out)
	return out, rows.Err()
}

// headline fills the balance, lifetime use and last transaction. Admins see
// the workspace pool; members their own wallet (user:<id>), zero if they have
// none.
func (s *Service) headline(ctx context.Context, sc Scope, d *Dashboard) error {
	r := s.db.Read()
	code := "pool"
	if !sc.All {
		code = fmt.Sprintf("user:%d", sc.UserID)
	}
	var bal, pend int64
	err := r.QueryRowContext(ctx, "SELECT balance_minor, pending_minor FROM ledger_accounts WHERE code = ?", code).Scan(&bal, &pend)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read balance: %w", err)
	}
	d.Balance = money.MinorString(bal - pend)
	usage, err := accountID(ctx, r, accountUsage)
	if err != nil {
		return err
	}
	var used int64
	if sc.All {
		err = r.QueryRowContext(ctx, "SELECT COALESCE(SUM(used_minor), 0) FROM ledger_accounts WHERE kind <> 'system'").Scan(&used)
	} else {
		err = r.QueryRowContext(ctx, "SELECT COALESCE(SUM(amount_minor), 0) FROM report_daily WHERE credit_id = ? AND user_id = ?", usage, sc.UserID).Scan(&used)
	}
	if err != nil {
		return fmt.Errorf("read lifetime use: %w", err)
	}
	d.LifetimeUsed = money.MinorString(used)
	q := `SELECT t.id, t.created_at, t.op, t.credit_id, t.amount_minor, t.model FROM ledger_transfers t
		WHERE t.kind IN ('posted','post')`
	args := []any{}
	if !sc.All {
		q += " AND t.user_id = ?"
		args = append(args, sc.UserID)
	}
	var lt LastTransaction
	var credit, amount int64
	err = r.QueryRowContext(ctx, q+" ORDER BY t.id DESC LIMIT 1", args...).Scan(&lt.ID, &lt.Time, &lt.Type, &credit, &amount, &lt.Model)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read last transaction: %w", err)
	}
	if credit == usage {
		lt.Type = TypeUsage
	}
	lt.Amount = money.MinorString(amount)
	d.Last = &lt
	return nil
}
