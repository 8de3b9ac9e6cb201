package reports

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/workzone"
)

// Point is one bar of a chart: a key (a date, model, member or department),
// its label, the credits spent and how many transfers made them.
type Point struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Amount string `json:"amount"`
	Count  int64  `json:"count"`
	ID     int64  `json:"id,omitempty"` // member, department or conversation id (for drill-down)
	// Model and Provider: a by-model point's model and its provider's name
	// as it reads now (ModelNamer); its Key and Label are both, "gpt-4o ·
	// Lab", one point per model and provider.
	Model    string `json:"model,omitempty"`
	Provider string `json:"provider,omitempty"`
	Share    int64  `json:"share"` // bar length in per mille of the largest point (display only)
	minor    int64
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
	Range    Range  `json:"range"`
	TimeZone string `json:"timeZone"` // the workspace zone the range's dates are in
	Today    string `json:"today"`    // today's date in that zone
	Scope    Scope  `json:"scope"`
	Balance  string `json:"balance"`
	// BalanceAccount is the account Balance is of: "pool" (an admin's
	// workspace view), or the account a member's sends are charged to
	// ("pool", "dept:<id>", "user:<id>"), so the page can say whose it is.
	BalanceAccount string           `json:"balanceAccount"`
	LifetimeUsed   string           `json:"lifetimeUsed"`
	Last           *LastTransaction `json:"last,omitempty"`
	Total          string           `json:"total"` // spent in the range
	ByDay          []Point          `json:"byDay"` // every day of the range, zeros included
	ByModel        []Point          `json:"byModel"`
	ByMember       []Point          `json:"byMember"`
	ByDepartment   []Point          `json:"byDepartment"`
	Conversations  []Point          `json:"conversations"` // most expensive first
	Forecast       Forecast         `json:"forecast"`
	Anomalies      []Anomaly        `json:"anomalies"`
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
	loc, err := s.Zone(ctx)
	if err != nil {
		return Dashboard{}, fmt.Errorf("usage dashboard: %w", err)
	}
	today := workzone.Date(s.clock(), loc)
	d := Dashboard{Range: r, Scope: sc, TimeZone: loc.String(), Today: today.Format(time.DateOnly)}
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
	if d.Forecast, err = s.forecast(ctx, sc, today); err != nil {
		return d, err
	}
	if d.Anomalies, err = s.anomalies(ctx, sc, r); err != nil {
		return d, err
	}
	// Empty groups are empty lists in JSON, never null.
	for _, p := range []*[]Point{&d.ByDay, &d.ByModel, &d.ByMember, &d.ByDepartment, &d.Conversations} {
		if *p == nil {
			*p = []Point{}
		}
	}
	if d.Anomalies == nil {
		d.Anomalies = []Anomaly{}
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

// usageBy aggregates the cached daily roll-ups (see days) of r by g.
func (s *Service) usageBy(ctx context.Context, sc Scope, r Range, g Group) ([]Point, int64, error) {
	from, end, err := r.parse()
	if err != nil {
		return nil, 0, err
	}
	days, err := s.days(ctx, from, end)
	if err != nil {
		return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
	}
	type sum struct {
		key       string
		id        int64
		amount, n int64
	}
	var pts []Point
	total := int64(0)
	add := func(x *sum, c usageCell) error {
		var err error
		if x.amount, err = money.AddMinor(x.amount, c.amountMinor); err != nil {
			return err
		}
		total, err = money.AddMinor(total, c.amountMinor)
		x.n += c.n
		return err
	}
	if g == ByDay {
		pts = make([]Point, 0, len(days))
		for i, d := range days {
			k := from.AddDate(0, 0, i).Format(time.DateOnly)
			x := sum{key: k}
			for _, c := range d.usage {
				if sc.All || c.user == sc.UserID {
					if err := add(&x, c); err != nil {
						return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
					}
				}
			}
			pts = append(pts, Point{Key: k, Label: k, Amount: money.MinorString(x.amount), Count: x.n, minor: x.amount})
		}
		setShares(pts)
		return pts, total, nil
	}
	type modelKey struct{ model, provider string } // the provider as stored
	groups := map[modelKey]*sum{}                  // by model and provider
	byID := map[int64]*sum{}                       // by member or department
	for _, d := range days {
		for _, c := range d.usage {
			if !sc.All && c.user != sc.UserID {
				continue
			}
			var x *sum
			if g == ByModel {
				k := modelKey{c.model, c.provider}
				if x = groups[k]; x == nil {
					x = &sum{}
					groups[k] = x
				}
			} else {
				id := c.user
				if g == ByDepartment {
					id = c.dept
				}
				if x = byID[id]; x == nil {
					x = &sum{key: strconv.FormatInt(id, 10), id: id}
					byID[id] = x
				}
			}
			if err := add(x, c); err != nil {
				return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
			}
		}
	}
	list := make([]*sum, 0, len(groups)+len(byID))
	type modelName struct{ model, provider string } // the provider as it reads
	named := map[string]modelName{}                 // label → model and provider
	if len(groups) > 0 {
		namer, err := NewModelNamer(ctx, s.db)
		if err != nil {
			return nil, 0, err
		}
		// A provider renamed reads by its name now: its charges under the
		// old name and the new are one point.
		merged := map[string]*sum{}
		for k, x := range groups {
			l := namer.Label(k.model, k.provider)
			named[l] = modelName{k.model, namer.Provider(k.provider)}
			if y := merged[l]; y != nil {
				if y.amount, err = money.AddMinor(y.amount, x.amount); err != nil {
					return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
				}
				y.n += x.n
				continue
			}
			x.key = l
			merged[l] = x
			list = append(list, x)
		}
	}
	for _, x := range byID {
		list = append(list, x)
	}
	slices.SortFunc(list, func(a, b *sum) int {
		if c := cmp.Compare(b.amount, a.amount); c != 0 {
			return c
		}
		if g == ByModel {
			return strings.Compare(a.key, b.key)
		}
		return cmp.Compare(a.id, b.id)
	})
	var names map[int64]string
	switch g {
	case ByMember:
		names, err = s.nameMap(ctx, "SELECT id, COALESCE(md_member_label(name, display_name, status), '') FROM users")
	case ByDepartment:
		names, err = s.nameMap(ctx, "SELECT id, COALESCE(md_department_label(name, archived), '') FROM departments")
	}
	if err != nil {
		return nil, 0, fmt.Errorf("usage by %s: %w", g, err)
	}
	for _, x := range list {
		p := Point{Key: x.key, Label: x.key, ID: x.id, Amount: money.MinorString(x.amount), Count: x.n, minor: x.amount}
		if g != ByModel {
			p.Label = names[x.id]
		} else {
			p.Model, p.Provider = named[x.key].model, named[x.key].provider
		}
		p.Label = label(g, p)
		pts = append(pts, p)
	}
	setShares(pts)
	return pts, total, nil
}

// nameMap reads an id → name query (members, departments).
func (s *Service) nameMap(ctx context.Context, q string) (map[int64]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m[id] = name
	}
	return m, rows.Err()
}

// label names a point for people: unnamed members and departments get a
// readable stand-in.
func label(g Group, p Point) string {
	switch {
	case g == ByModel && p.Key == "":
		return ledger.NoModel
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

func (s *Service) topConversations(ctx context.Context, sc Scope, r Range) ([]Point, error) {
	from, end, _ := r.parse()
	days, err := s.days(ctx, from, end)
	if err != nil {
		return nil, fmt.Errorf("top conversations: %w", err)
	}
	convs, err := conversationTotals(days, sc, -1)
	if err != nil {
		return nil, fmt.Errorf("top conversations: %w", err)
	}
	slices.SortFunc(convs, func(a, b convTotal) int {
		if c := cmp.Compare(b.amount, a.amount); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	var out []Point
	for _, x := range convs[:min(len(convs), topConversations)] {
		out = append(out, Point{ID: x.id, Key: strconv.FormatInt(x.id, 10), Label: s.conversationTitle(ctx, x.id),
			Amount: money.MinorString(x.amount), Count: x.n, minor: x.amount})
	}
	setShares(out)
	return out, nil
}

// convTotal is one conversation's spend over some days.
type convTotal struct {
	id, amount, n int64
	active        bool // spent on or after the activeFrom day
}

// conversationTotals sums days by conversation in scope, ordered by id;
// active marks conversations with spend on day index activeFrom or later.
func conversationTotals(days []*dayAgg, sc Scope, activeFrom int) ([]convTotal, error) {
	by := map[int64]*convTotal{}
	for i, d := range days {
		for _, c := range d.convs {
			if !sc.All && c.user != sc.UserID {
				continue
			}
			x := by[c.conv]
			if x == nil {
				x = &convTotal{id: c.conv}
				by[c.conv] = x
			}
			var err error
			if x.amount, err = money.AddMinor(x.amount, c.amountMinor); err != nil {
				return nil, err
			}
			x.n += c.n
			x.active = x.active || (activeFrom >= 0 && i >= activeFrom)
		}
	}
	out := make([]convTotal, 0, len(by))
	for _, x := range by {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b convTotal) int { return cmp.Compare(a.id, b.id) })
	return out, nil
}

// headline fills the balance, lifetime use and last transaction. Admins see
// the workspace pool; a member the account their sends are charged to (see
// SetPayer), or without a payer function their own wallet (user:<id>), zero
// if they have none.
func (s *Service) headline(ctx context.Context, sc Scope, d *Dashboard) error {
	r := s.db.Read()
	code := "pool"
	if !sc.All {
		code = fmt.Sprintf("user:%d", sc.UserID)
		if s.payer != nil {
			p, err := s.payer(ctx, sc.UserID)
			if err != nil {
				return fmt.Errorf("read the member's payer: %w", err)
			}
			code = p
		}
	}
	var bal, pend int64
	err := r.QueryRowContext(ctx, "SELECT balance_minor, pending_minor FROM ledger_accounts WHERE code = ?", code).Scan(&bal, &pend)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read balance: %w", err)
	}
	d.Balance = money.MinorString(bal - pend)
	d.BalanceAccount = code
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

// conversationTitle names a conversation for the dashboard: its title from
// the chat area's table, or "conversation N" when it has none (or was
// deleted, or the charge came from the API without one).
func (s *Service) conversationTitle(ctx context.Context, id int64) string {
	var title string
	err := s.db.Read().QueryRowContext(ctx, "SELECT title FROM chat_conversations WHERE id = ?", id).Scan(&title)
	if err != nil || strings.TrimSpace(title) == "" {
		return fmt.Sprintf("conversation %d", id)
	}
	return title
}
