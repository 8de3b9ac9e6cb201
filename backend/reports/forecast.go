package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// ForecastMethod names the forecasting method shown next to the numbers.
const ForecastMethod = "trailing mean of daily spend over the last %d complete days; " +
	"band = 10th to 90th percentile of those days"

// forecastMethod names the method for n complete days of history.
func forecastMethod(n int) string {
	if n == 0 {
		return "no complete day of history yet: the month-end figure is the spend so far"
	}
	if n == 1 {
		return "daily spend of the last complete day; band = that day"
	}
	return fmt.Sprintf(ForecastMethod, n)
}

// ForecastWindowDays is how many complete days (before today) feed a forecast.
const ForecastWindowDays = 28

var (
	p10 = decimal.RequireFromString("0.1")
	p90 = decimal.RequireFromString("0.9")
)

// ForecastInput is the history a forecast is computed from. All amounts are
// minor units.
type ForecastInput struct {
	Today       time.Time // the current day (any time on it; its UTC date is used)
	Daily       []int64   // spend on each of the complete days before Today, oldest first
	MonthToDate int64     // spend from the 1st of Today's month up to now
	Balance     int64     // balance available now
}

// Forecast is the projected month-end spend and the run-out date. Amounts are
// decimal strings (credits); dates are ISO 8601 (YYYY-MM-DD) and empty when the
// balance does not run out at that rate.
type Forecast struct {
	Method        string `json:"method"`
	WindowDays    int    `json:"windowDays"`
	DailyMean     string `json:"dailyMean"`
	DailyLow      string `json:"dailyLow"`
	DailyHigh     string `json:"dailyHigh"`
	MonthToDate   string `json:"monthToDate"`
	MonthEnd      string `json:"monthEnd"`      // projected spend for the whole month
	MonthEndLow   string `json:"monthEndLow"`   // band, low end
	MonthEndHigh  string `json:"monthEndHigh"`  // band, high end
	RemainingDays int    `json:"remainingDays"` // whole days left in the month after today
	RunOut        string `json:"runOut"`        // date the balance runs out at the mean rate
	RunOutEarly   string `json:"runOutEarly"`   // at the high (90th percentile) rate
	RunOutLate    string `json:"runOutLate"`    // at the low (10th percentile) rate
	Enough        bool   `json:"enough"`        // enough history (at least 7 days) to trust the numbers
	// RunOutNote says why there is no run-out date when the balance is
	// shared (a member's sends charged to the pool or a department's
	// credits, which pay for other members too): the dates above are then
	// empty, since one member's spending alone cannot tell when it runs out
	// (sharedBalanceNote).
	RunOutNote string `json:"runOutNote,omitempty"`
}

// ComputeForecast projects the month-end spend as month-to-date plus the mean
// daily spend times the whole days left after today, with a band from the
// 10th and 90th percentile days; and the run-out date as today plus
// floor(balance / daily rate) days. A zero rate never runs out; a balance at
// or below zero has run out today.
func ComputeForecast(in ForecastInput) Forecast {
	today := time.Date(in.Today.Year(), in.Today.Month(), in.Today.Day(), 0, 0, 0, 0, time.UTC)
	sorted := sortedDecimals(in.Daily)
	meanRate := mean(sorted)
	low := quantile(sorted, p10)
	high := quantile(sorted, p90)
	daysIn := time.Date(today.Year(), today.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	remaining := daysIn - today.Day()
	rem := decimal.NewFromInt(int64(remaining))
	mtd := decimal.NewFromInt(in.MonthToDate)
	f := Forecast{
		Method:        forecastMethod(len(in.Daily)),
		WindowDays:    len(in.Daily),
		DailyMean:     credits(meanRate),
		DailyLow:      credits(low),
		DailyHigh:     credits(high),
		MonthToDate:   credits(mtd),
		MonthEnd:      credits(mtd.Add(meanRate.Mul(rem))),
		MonthEndLow:   credits(mtd.Add(low.Mul(rem))),
		MonthEndHigh:  credits(mtd.Add(high.Mul(rem))),
		RemainingDays: remaining,
		RunOut:        runOut(today, in.Balance, meanRate),
		RunOutEarly:   runOut(today, in.Balance, high),
		RunOutLate:    runOut(today, in.Balance, low),
		Enough:        len(in.Daily) >= 7,
	}
	return f
}

// runOut returns the date on which balance is used up at rate (minor units
// per day), or "" when the rate is zero.
func runOut(today time.Time, balance int64, rate decimal.Decimal) string {
	if balance <= 0 {
		return today.Format(time.DateOnly)
	}
	if rate.Sign() <= 0 {
		return ""
	}
	days := decimal.NewFromInt(balance).Div(rate).Floor()
	if days.GreaterThan(decimal.NewFromInt(365 * 100)) {
		return "" // beyond a century: "never" for any practical purpose
	}
	return today.AddDate(0, 0, int(days.IntPart())).Format(time.DateOnly)
}

// credits renders a minor-unit statistic as a credit amount, rounded by the
// one rounding rule.
func credits(minor decimal.Decimal) string {
	return money.Round(minor.Shift(-money.Scale)).String()
}

// sharedBalanceNote is the one rule for a member's run-out date: a forecast
// of one member's spending (userID) against the balance of account, the
// account their sends are charged to, gives a date only when that account
// is their own wallet. The pool and a department's credits pay for other
// members too, whose spending a member may not see (docs/team.md: a member
// sees their own usage and the payer's available balance only), so a date
// from the member's spending alone would be later than the real one, and
// the pool's or department's whole spending is not theirs to know. It
// returns the sentence said instead ("" for the member's own wallet); self
// says whether the member is the one reading it.
func sharedBalanceNote(account string, userID int64, self bool) string {
	if account == fmt.Sprintf("user:%d", userID) {
		return ""
	}
	whose, their := "This member's", "their"
	if self {
		whose, their = "Your", "your"
	}
	payer := "the workspace pool, which pays for other members' sends too"
	if strings.HasPrefix(account, "dept:") {
		payer = their + " department's credits, which pay for its other members' sends too"
	}
	return fmt.Sprintf("%s sends are charged to %s, so %s spending alone cannot tell when it runs out: no run-out date is forecast.",
		whose, payer, their)
}
