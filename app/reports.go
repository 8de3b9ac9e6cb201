package app

import (
	"meterdesk/backend/reports"
)

func init() { register(func(a *App) any { return &Reports{app: a} }) }

// Reports is the bound struct for the Usage page: dashboard, forecast,
// anomalies and the transaction history. Members see their own data; the
// check is in backend/reports.
type Reports struct{ app *App }

// Dashboard returns the usage dashboard for an inclusive date range
// (YYYY-MM-DD, UTC). userID 0 = mine (members) or everyone (admins).
func (r *Reports) Dashboard(from, to string, userID int64) (reports.Dashboard, error) {
	return r.app.Backend.Reports.Dashboard(r.app.Ctx(), reports.Range{From: from, To: to}, userID)
}

// Forecast returns the month-end and run-out forecast.
func (r *Reports) Forecast(userID int64) (reports.Forecast, error) {
	return r.app.Backend.Reports.Forecast(r.app.Ctx(), userID)
}

// Anomalies lists unusual spend in a range.
func (r *Reports) Anomalies(from, to string, userID int64) ([]reports.Anomaly, error) {
	return r.app.Backend.Reports.Anomalies(r.app.Ctx(), reports.Range{From: from, To: to}, userID)
}

// History returns one page of transactions (newest first) for a filter; a
// chart bar's drill-down is a filter on its day, model, member or department.
func (r *Reports) History(f reports.Filter) (reports.Page, error) {
	return r.app.Backend.Reports.History(r.app.Ctx(), f)
}

// Types lists the transaction types the history can be filtered by.
func (r *Reports) Types() ([]string, error) { return reports.Types, nil }
