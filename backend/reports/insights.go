package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/money"
)

// Anomaly is a member, model, day or conversation whose spend departs from
// its own baseline.
type Anomaly struct {
	Kind   string `json:"kind"` // day|member|model|conversation
	Key    string `json:"key"`  // unique per flag (used to notify once)
	Label  string `json:"label"`
	Day    string `json:"day,omitempty"` // the day flagged (not for conversations)
	ID     int64  `json:"id,omitempty"`  // member or conversation id
	Amount string `json:"amount"`
	Median string `json:"median"`
	Z      string `json:"z"` // robust z-score, two decimals
	Method string `json:"method"`
}

// anomalyBaselineDays is how much history before a range feeds the baseline.
const anomalyBaselineDays = 28

// forecast computes the forecast for the scope from the roll-ups, as of
// today (a date label in the workspace zone).
func (s *Service) forecast(ctx context.Context, sc Scope, today time.Time) (Forecast, error) {
	hist := Range{From: today.AddDate(0, 0, -ForecastWindowDays).Format(time.DateOnly), To: today.AddDate(0, 0, -1).Format(time.DateOnly)}
	pts, _, err := s.usageBy(ctx, sc, hist, ByDay)
	if err != nil {
		return Forecast{}, err
	}
	daily := make([]int64, 0, len(pts))
	for _, p := range pts {
		daily = append(daily, p.minor)
	}
	// Only days since the first spend count, so a new workspace is not diluted by empty history.
	for len(daily) > 0 && daily[0] == 0 {
		daily = daily[1:]
	}
	month := Range{From: today.AddDate(0, 0, 1-today.Day()).Format(time.DateOnly), To: today.Format(time.DateOnly)}
	_, mtd, err := s.usageBy(ctx, sc, month, ByModel)
	if err != nil {
		return Forecast{}, err
	}
	var d Dashboard
	if err := s.headline(ctx, sc, &d); err != nil {
		return Forecast{}, err
	}
	f := ComputeForecast(ForecastInput{Today: today, Daily: daily, MonthToDate: mtd, Balance: minorOf(d.Balance)})
	if !sc.All {
		// One member's spending against a balance others draw on too: no date.
		a, err := access.Current(ctx)
		if err != nil {
			return Forecast{}, err
		}
		if f.RunOutNote = sharedBalanceNote(d.BalanceAccount, sc.UserID, !a.System && a.UserID == sc.UserID); f.RunOutNote != "" {
			f.RunOut, f.RunOutEarly, f.RunOutLate = "", "", ""
		}
	}
	return f, nil
}

// Forecast returns the forecast for the caller's scope.
func (s *Service) Forecast(ctx context.Context, userID int64) (Forecast, error) {
	sc, err := ScopeOf(ctx, userID, "forecast")
	if err != nil {
		return Forecast{}, err
	}
	if err := s.Refresh(ctx); err != nil {
		return Forecast{}, err
	}
	today, err := s.today(ctx)
	if err != nil {
		return Forecast{}, err
	}
	return s.forecast(ctx, sc, today)
}

// minorOf converts a canonical amount string produced by this package back
// to minor units.
func minorOf(s string) int64 {
	d, err := money.Parse(s)
	if err != nil {
		return 0
	}
	return money.MustMinor(d)
}

// anomalies flags days in r (and members and models on those days, for
// admins) whose spend departs from the series' own history over the
// preceding anomalyBaselineDays days plus r; and runaway conversations: those
// whose spend in r departs from the other conversations'.
func (s *Service) anomalies(ctx context.Context, sc Scope, r Range) ([]Anomaly, error) {
	from, end, err := r.parse()
	if err != nil {
		return nil, err
	}
	start := from.AddDate(0, 0, -anomalyBaselineDays)
	days := int(end.Sub(start).Hours() / 24)
	checkFrom := anomalyBaselineDays
	check := make([]int, 0, days-checkFrom)
	for i := checkFrom; i < days; i++ {
		check = append(check, i)
	}
	all, err := s.days(ctx, start, end)
	if err != nil {
		return nil, fmt.Errorf("anomalies: %w", err)
	}
	// Nothing is unusual before the workspace has a history: a day is judged
	// only once usage began at least MinBaseline days earlier (otherwise a
	// new workspace's first day would be "unusual" for every series).
	first := -1
	for i, d := range all {
		if len(d.usage) > 0 {
			first = i
			break
		}
	}
	judged := check[:0]
	for _, i := range check {
		if first >= 0 && i >= first+MinBaseline {
			judged = append(judged, i)
		}
	}
	check = judged
	var out []Anomaly
	kinds := []string{"day", "model"}
	if sc.All {
		kinds = append(kinds, "member")
	}
	for _, kind := range kinds {
		series := map[string][]int64{}
		byUser := map[int64][]int64{} // member series, keyed by id until the end
		for i, d := range all {
			for _, c := range d.usage {
				if !sc.All && c.user != sc.UserID {
					continue
				}
				var sr []int64
				switch kind {
				case "member":
					if sr = byUser[c.user]; sr == nil {
						sr = make([]int64, days)
						byUser[c.user] = sr
					}
				default:
					key := ""
					if kind == "model" {
						key = c.model
					}
					if sr = series[key]; sr == nil {
						sr = make([]int64, days)
						series[key] = sr
					}
				}
				if sr[i], err = money.AddMinor(sr[i], c.amountMinor); err != nil {
					return nil, fmt.Errorf("anomalies: %w", err)
				}
			}
		}
		for id, sr := range byUser {
			series[strconv.FormatInt(id, 10)] = sr
		}
		keys := make([]string, 0, len(series))
		for k := range series {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, o := range Outliers(series[k], check) {
				day := start.AddDate(0, 0, o.Index).Format(time.DateOnly)
				a := Anomaly{Kind: kind, Day: day, Amount: money.MinorString(o.Value),
					Median: credits(o.Median), Z: o.Z.StringFixed(2), Method: AnomalyMethod}
				switch kind {
				case "day":
					a.Key, a.Label = "day:"+day, "Spend on "+day
				case "model":
					a.Key, a.Label = "model:"+k+":"+day, "Model "+k+" on "+day
				case "member":
					fmt.Sscan(k, &a.ID)
					a.Key, a.Label = "member:"+k+":"+day, s.memberName(ctx, a.ID)+" on "+day
				}
				if !sc.All {
					a.Key = fmt.Sprintf("u%d:%s", sc.UserID, a.Key)
				}
				out = append(out, a)
			}
		}
	}
	conv, err := s.runaway(all, sc, anomalyBaselineDays)
	if err != nil {
		return nil, err
	}
	return append(out, conv...), nil
}

// runaway flags conversations active in the checked days (index checkFrom
// on) whose total spend over all the days (the range and the
// anomalyBaselineDays before it) departs from the other conversations'
// totals over the same window.
func (s *Service) runaway(days []*dayAgg, sc Scope, checkFrom int) ([]Anomaly, error) {
	convs, err := conversationTotals(days, sc, checkFrom)
	if err != nil {
		return nil, fmt.Errorf("runaway conversations: %w", err)
	}
	ids := make([]int64, len(convs))
	totals := make([]int64, len(convs))
	var check []int
	for i, x := range convs {
		ids[i], totals[i] = x.id, x.amount
		if x.active {
			check = append(check, i)
		}
	}
	if len(check) == 0 {
		return nil, nil
	}
	var out []Anomaly
	for _, o := range Outliers(totals, check) {
		id := ids[o.Index]
		out = append(out, Anomaly{Kind: "conversation", ID: id,
			Key:   fmt.Sprintf("conversation:%d", id),
			Label: fmt.Sprintf("Conversation %d", id), Amount: money.MinorString(o.Value),
			Median: credits(o.Median), Z: o.Z.StringFixed(2), Method: AnomalyMethod})
	}
	return out, nil
}

func (s *Service) memberName(ctx context.Context, id int64) string {
	var name string
	err := s.db.Read().QueryRowContext(ctx, "SELECT md_member_label(name, display_name, status) FROM users WHERE id = ?", id).Scan(&name)
	if err != nil || name == "" {
		if id == 0 {
			return "(no member)"
		}
		return fmt.Sprintf("Member %d", id)
	}
	return name
}

// Anomalies returns the anomalies in r for the caller's scope.
func (s *Service) Anomalies(ctx context.Context, r Range, userID int64) ([]Anomaly, error) {
	sc, err := ScopeOf(ctx, userID, "anomalies")
	if err != nil {
		return nil, err
	}
	if _, _, err := r.parse(); err != nil {
		return nil, fmt.Errorf("anomalies: %w", err)
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s.anomalies(ctx, sc, r)
}

// Notification is the payload of an events.Notification the reports emit.
type Notification struct {
	Kind    string  `json:"kind"`  // "anomaly"
	Level   string  `json:"level"` // "warning"
	Title   string  `json:"title"`
	Message string  `json:"message"`
	Anomaly Anomaly `json:"anomaly"`
}

// Audience implements events.Audience: workspace-wide anomalies name
// members and amounts, so they are for admins only.
func (Notification) Audience() (userID int64, account string, adminsOnly bool) {
	return 0, "", true
}

// CheckAnomalies looks for workspace-wide anomalies yesterday and today and
// emits one events.Notification for each not announced before (remembered in
// report_anomalies_notified, so a restart does not repeat them). Admin only;
// internal jobs call it as access.System (e.g. after usage is posted, or on a
// timer).
func (s *Service) CheckAnomalies(ctx context.Context) ([]Anomaly, error) {
	if _, err := access.RequireAdmin(ctx, "check anomalies"); err != nil {
		return nil, err
	}
	today, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	r := Range{From: today.AddDate(0, 0, -1).Format(time.DateOnly), To: today.Format(time.DateOnly)}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	found, err := s.anomalies(ctx, Scope{All: true}, r)
	if err != nil {
		return nil, err
	}
	var fresh []Anomaly
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		fresh = fresh[:0]
		for _, a := range found {
			res, err := tx.ExecContext(ctx, `INSERT INTO report_anomalies_notified(key, created_at) VALUES (?, ?)
				ON CONFLICT(key) DO NOTHING`, a.Key, now.Format(time.RFC3339))
			if err != nil {
				return fmt.Errorf("remember anomaly: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				fresh = append(fresh, a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check anomalies: %w", err)
	}
	for _, a := range fresh {
		s.em.Emit(events.Notification, Notification{Kind: "anomaly", Level: "warning",
			Title:   "Unusual spend: " + a.Label,
			Message: fmt.Sprintf("%s credits against a usual %s (robust z %s).", money.DisplayString(a.Amount), money.DisplayString(a.Median), a.Z),
			Anomaly: a})
	}
	return fresh, nil
}
