// Package statements renders Meterdesk's monthly statements (PDF and CSV,
// for the workspace, a department or a member), the detailed per-message CSV
// and the filtered transaction CSV, issues invoices and credit notes for
// top-ups, and runs large exports as cancellable background jobs.
//
// Statements read the ledger's tables and never write them. All sums are
// int64 minor units added with money.AddMinor, so a statement's totals equal
// the ledger's to the last digit. CSV is RFC 4180 with spreadsheet-formula
// neutralisation (see csvcell.Neutralise); PDFs embed DejaVu Sans so that €, umlauts,
// Greek and Cyrillic render.
package statements

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

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/reports"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

// Errors for bad statement requests.
var (
	ErrBadMonth = errors.New("invalid month")
	ErrBadScope = errors.New("invalid statement scope")
)

// Service renders statements and exports and keeps invoices.
type Service struct {
	db      *store.DB
	reports *reports.Service
	em      events.Emitter
	clock   func() time.Time
	jobs    *jobs
}

// New returns the statements service on the reports service's store. em
// receives export progress (events.ExportProgress); em and clock may be nil.
func New(r *reports.Service, em events.Emitter, clock func() time.Time) *Service {
	if clock == nil {
		clock = time.Now
	}
	if em == nil {
		em = events.Nop{}
	}
	return &Service{db: r.DB(), reports: r, em: em, clock: clock, jobs: newJobs()}
}

// Request selects a statement: a month (YYYY-MM, UTC) and at most one of a
// department or a member (neither = the whole workspace).
type Request struct {
	Month        string `json:"month"`
	DepartmentID int64  `json:"departmentId"`
	UserID       int64  `json:"userId"`
}

// Line is one named amount of a statement summary or breakdown.
type Line struct {
	Name   string `json:"name"`
	Amount string `json:"amount"`
	Count  int64  `json:"count"`
	// Model and Provider: a by-model line's model and its provider's name
	// as it reads now; Name is both, "gpt-4o · Lab" (reports.ModelNamer).
	Model    string `json:"model,omitempty"`
	Provider string `json:"provider,omitempty"`
	minor    int64
}

// Breakdown is one usage table of a statement, in the words the PDF
// prints and the Statements page shows (usageTable, one rule for both):
// its heading ("Usage by model", "Paid from Research department's
// credits, by department", "Usage attributed to bob (any payer)"), its
// column names ("Model" or "Department", "Messages", "Credits"), its
// lines, the label of its total row ("Total") and their total, and what
// the page and the PDF say under the heading when it has no lines (None,
// "No usage this month."); None is "" for a table that is then left out,
// heading and all (by department: it splits the same charges as by
// model, whose words say "none" once).
type Breakdown struct {
	By         string   `json:"by"` // "model" or "department": what a line is
	Heading    string   `json:"heading"`
	Columns    []string `json:"columns"`
	Lines      []Line   `json:"lines"`
	TotalLabel string   `json:"totalLabel"`
	Total      string   `json:"total"`
	None       string   `json:"none"`
}

// SummaryRow is one row of a statement's balance summary, as the PDF
// prints it and the Statements page shows it (summaryRows, one rule for
// both): its label ("Opening balance", "Usage paid from Sam Member's
// wallet", "Transfers out", "Expired"), its amount signed as it moves the
// balance (what is taken away is negative: "-11"; "0", never "-0"), and
// whether it is a balance (opening and closing: bold in both). Key names
// the Statement field it shows (opening, topUps, usage, refunds,
// transfersIn, transfersOut, adjustments, expiry, closing).
type SummaryRow struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Amount  string `json:"amount"`
	Balance bool   `json:"balance"`
}

// Statement is a month's account statement. Closing = Opening + TopUps -
// Usage + Refunds + TransfersIn - TransfersOut + Adjustments - Expiry.
type Statement struct {
	Month     string `json:"month"`
	Scope     string `json:"scope"` // workspace|department|member
	ScopeName string `json:"scopeName"`
	// AccountName names the account a member's or department's statement
	// sums up, as its heading says it ("Sam Member's wallet", "Research
	// department's credits"); "" for the workspace's. The Statements page
	// shows it as the PDF does (accountName), so neither builds it apart.
	AccountName  string `json:"accountName"`
	Account      string `json:"account"` // the account covered ("" = every non-system account)
	Opening      string `json:"opening"`
	TopUps       string `json:"topUps"`
	Usage        string `json:"usage"`
	Refunds      string `json:"refunds"`
	TransfersIn  string `json:"transfersIn"`
	TransfersOut string `json:"transfersOut"`
	Adjustments  string `json:"adjustments"`
	Expiry       string `json:"expiry"`
	Closing      string `json:"closing"`
	Lines        int64  `json:"lines"` // transactions in the month
	// Summary is the balance summary the PDF prints and the Statements
	// page shows, in that order and those words: the nine rows from the
	// opening to the closing balance (summaryRows). Like the breakdowns
	// it is there when AccountLeftOut leaves the section out.
	Summary []SummaryRow `json:"summary"`
	// Usage paid from the account(s), by model and by cost centre.
	UsageByModel      []Line `json:"usageByModel"`
	UsageByCostCentre []Line `json:"usageByCostCentre"`
	// Breakdowns are the tables of that usage the PDF prints after the
	// summary and the Statements page shows, in that order: by model, then
	// by department, each with its heading, total and words for none
	// (breakdowns: one rule for both).
	Breakdowns []Breakdown `json:"breakdowns"`
	// For a department or member: usage attributed to it (whoever paid), by model.
	Attributed      []Line `json:"attributed,omitempty"`
	AttributedTotal string `json:"attributedTotal,omitempty"`
	// AttributedUsage is Attributed as the table the PDF prints first
	// and the Statements page shows first, with its heading, column
	// names and words for none ("No usage this month.", which both say
	// when nothing was attributed); nil for the workspace's statement.
	AttributedUsage *Breakdown `json:"attributedUsage,omitempty"`
	// AccountLeftOut: a member's wallet or a department's credits with
	// no entries in the month and a zero opening and closing balance (a
	// member the pool pays for), whose section would be all zeros. The
	// PDF, the CSV and the Statements page leave that section out (its
	// heading, summary, breakdowns and transactions); the workspace's
	// statement never. One rule: leaveOutAccount.
	AccountLeftOut bool   `json:"accountLeftOut,omitempty"`
	Message        string `json:"message,omitempty"` // e.g. no activity, month not over
	Generated      string `json:"generated"`         // RFC 3339 in the zone below
	TimeZone       string `json:"timeZone"`          // the workspace zone the month runs in

	q      scopeSQL
	loc    *time.Location // TimeZone
	start  time.Time      // the month's first instant (local midnight of the 1st)
	end    time.Time      // the next month's
	values map[string]int64
}

// scopeSQL says which accounts a statement covers, as SQL on the aliases da
// (debit account) and ca (credit account).
type scopeSQL struct {
	inDebit, inCredit string
	args              []any // arguments for ONE of the expressions
	attributed        string
	attrArg           any
}

// ParseMonth validates YYYY-MM (surrounding spaces aside) and returns its
// first and the next month's first day, as date labels (midnight UTC;
// backend/workzone). A month refused is a refused input in its own words
// ("invalid month "2025-13": want YYYY-MM, e.g. 2025-03"; inputerr.Text,
// ErrBadMonth) about the Request's field "month" (inputerr.About), which
// the window's Statements page marks.
func ParseMonth(m string) (time.Time, time.Time, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(m))
	if err != nil {
		return time.Time{}, time.Time{}, inputerr.About("month", inputerr.Text(ErrBadMonth, "%v %q: want YYYY-MM, e.g. 2025-03", ErrBadMonth, m))
	}
	if t.Year() < 2000 || t.Year() > 9998 {
		return time.Time{}, time.Time{}, inputerr.About("month", inputerr.Text(ErrBadMonth, "%v %q: year out of range", ErrBadMonth, m))
	}
	return t, t.AddDate(0, 1, 0), nil
}

// Build computes the statement for req (workspace and department
// statements: admins; a member statement: that member or an admin).
func (s *Service) Build(ctx context.Context, req Request) (*Statement, error) {
	st, err := s.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := s.summarise(ctx, st); err != nil {
		return nil, fmt.Errorf("statement %s: %w", req.Month, err)
	}
	return st, nil
}

func (s *Service) prepare(ctx context.Context, req Request) (*Statement, error) {
	req.Month = strings.TrimSpace(req.Month) // " 2026-11 " as other fields are
	first, next, err := ParseMonth(req.Month)
	if err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	if req.DepartmentID < 0 || req.UserID < 0 || (req.DepartmentID != 0 && req.UserID != 0) {
		return nil, fmt.Errorf("statement: %w", inputerr.New(ErrBadScope, "choose the workspace, one department or one member"))
	}
	r := s.db.Read()
	loc, err := workzone.Load(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	st := &Statement{Month: req.Month, TimeZone: loc.String(), loc: loc,
		start: workzone.Midnight(first, loc), end: workzone.Midnight(next, loc),
		Generated: s.clock().In(loc).Format(time.RFC3339)}
	switch {
	case req.UserID != 0:
		if _, err := access.RequireSelfOrAdmin(ctx, req.UserID, "member statement"); err != nil {
			return nil, err
		}
		st.Scope, st.Account = "member", fmt.Sprintf("user:%d", req.UserID)
		st.ScopeName = name(ctx, r, "SELECT md_member_label(name, display_name, status) FROM users WHERE id = ?", req.UserID, "Member %d")
		st.q = scopeSQL{inDebit: "da.code = ?", inCredit: "ca.code = ?", args: []any{st.Account},
			attributed: "t.user_id = ?", attrArg: req.UserID}
	case req.DepartmentID != 0:
		if _, err := access.RequireAdmin(ctx, "department statement"); err != nil {
			return nil, err
		}
		st.Scope, st.Account = "department", fmt.Sprintf("dept:%d", req.DepartmentID)
		st.ScopeName = name(ctx, r, "SELECT md_department_label(name, archived) FROM departments WHERE id = ?", req.DepartmentID, "Department %d")
		st.q = scopeSQL{inDebit: "da.code = ?", inCredit: "ca.code = ?", args: []any{st.Account},
			attributed: "t.department_id = ?", attrArg: req.DepartmentID}
	default:
		if _, err := access.RequireAdmin(ctx, "workspace statement"); err != nil {
			return nil, err
		}
		st.Scope = "workspace"
		ws, err := s.db.GetSetting(ctx, team.KeyName, "")
		if err != nil || ws == "" {
			ws = "Workspace"
		}
		st.ScopeName = ws
		st.q = scopeSQL{inDebit: "da.kind <> 'system'", inCredit: "ca.kind <> 'system'"}
	}
	st.AccountName = st.accountName()
	return st, nil
}

// name looks up a display name, falling back to format with the id.
func name(ctx context.Context, r *sql.DB, q string, id int64, format string) string {
	var n string
	if err := r.QueryRowContext(ctx, q, id).Scan(&n); err != nil || n == "" {
		return fmt.Sprintf(format, id)
	}
	return n
}

// both returns the arguments for an expression using inDebit then inCredit.
func (q scopeSQL) both() []any { return append(append([]any{}, q.args...), q.args...) }

// categorySQL classifies a transfer that crosses the statement boundary.
// The usage and expiry account ids are the first two arguments.
const categorySQL = `CASE WHEN t.credit_id = ? THEN 'usage'
	WHEN t.op = 'topup' THEN 'topup'
	WHEN t.op = 'refund' THEN 'refund'
	WHEN t.op = 'expiry' OR t.credit_id = ? THEN 'expiry'
	WHEN t.op = 'adjustment' THEN 'adjustment'
	WHEN %[2]s THEN 'in' ELSE 'out' END`

func (s *Service) accountIDs(ctx context.Context) (usage, expiry int64, err error) {
	r := s.db.Read()
	for _, x := range []struct {
		code string
		id   *int64
	}{{"sys:usage", &usage}, {"sys:expiry", &expiry}} {
		err := r.QueryRowContext(ctx, "SELECT id FROM ledger_accounts WHERE code = ?", x.code).Scan(x.id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, 0, fmt.Errorf("look up %s: %w", x.code, err)
		}
	}
	return usage, expiry, nil
}

func (s *Service) summarise(ctx context.Context, st *Statement) error {
	r := s.db.Read()
	q := st.q
	usage, expiry, err := s.accountIDs(ctx)
	if err != nil {
		return err
	}
	from, to := store.FormatTime(st.start), store.FormatTime(st.end)
	cross := fmt.Sprintf("(%s) <> (%s)", q.inDebit, q.inCredit)
	base := ` FROM ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_id
		JOIN ledger_accounts ca ON ca.id = t.credit_id WHERE t.kind IN ('posted','post') `
	// Opening balance: everything that crossed into or out of the accounts before the month.
	var opening int64
	err = r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COALESCE(SUM(CASE WHEN %s THEN t.amount_minor ELSE -t.amount_minor END), 0)`,
		q.inCredit)+base+" AND "+cross+" AND t.created_at < ?", append(append(append([]any{}, q.args...), q.both()...), from)...).Scan(&opening)
	if err != nil {
		return fmt.Errorf("opening balance: %w", err)
	}
	st.values = map[string]int64{"opening": opening}
	cat := fmt.Sprintf(categorySQL, q.inDebit, q.inCredit)
	args := []any{usage, expiry}
	args = append(args, q.args...)   // category 'in' test
	args = append(args, q.args...)   // signed amount
	args = append(args, q.both()...) // cross
	args = append(args, from, to)    // month
	rows, err := r.QueryContext(ctx, `SELECT `+cat+` AS cat, SUM(CASE WHEN `+q.inCredit+` THEN t.amount_minor ELSE -t.amount_minor END), COUNT(*)`+
		base+" AND "+cross+" AND t.created_at >= ? AND t.created_at < ? GROUP BY cat", args...)
	if err != nil {
		return fmt.Errorf("month totals: %w", err)
	}
	for rows.Next() {
		var c string
		var sum, n int64
		if err := rows.Scan(&c, &sum, &n); err != nil {
			rows.Close()
			return fmt.Errorf("month totals: %w", err)
		}
		st.values[c] = sum
		st.Lines += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("month totals: %w", err)
	}
	v := st.values
	closing := opening
	for _, k := range []string{"topup", "usage", "refund", "in", "out", "adjustment", "expiry"} {
		if closing, err = money.AddMinor(closing, v[k]); err != nil {
			return fmt.Errorf("closing balance: %w", err)
		}
	}
	v["closing"] = closing
	st.AccountLeftOut = st.leaveOutAccount()
	st.Opening = money.MinorString(opening)
	st.TopUps = money.MinorString(v["topup"])
	st.Usage = money.MinorString(-v["usage"])
	st.Refunds = money.MinorString(v["refund"])
	st.TransfersIn = money.MinorString(v["in"])
	st.TransfersOut = money.MinorString(-v["out"])
	st.Adjustments = money.MinorString(v["adjustment"])
	st.Expiry = money.MinorString(-v["expiry"])
	st.Closing = money.MinorString(closing)
	st.Summary = st.summaryRows()

	// Usage paid from the accounts, by model and by cost centre.
	paid := base + " AND t.credit_id = ? AND " + q.inDebit + " AND t.created_at >= ? AND t.created_at < ?"
	pargs := append(append([]any{usage}, q.args...), from, to)
	namer, err := reports.NewModelNamer(ctx, s.db)
	if err != nil {
		return err
	}
	if st.UsageByModel, err = modelLines(ctx, r, namer, paid, pargs); err != nil {
		return fmt.Errorf("usage by model: %w", err)
	}
	if st.UsageByCostCentre, err = lines(ctx, r, `SELECT COALESCE((SELECT md_department_label(name, archived) FROM departments WHERE id = t.department_id),
		CASE WHEN t.department_id IS NULL THEN '' ELSE 'Department ' || t.department_id END), SUM(t.amount_minor), COUNT(*)`+paid+
		` GROUP BY t.department_id ORDER BY 2 DESC, 1`, pargs); err != nil {
		return fmt.Errorf("usage by cost centre: %w", err)
	}
	for i := range st.UsageByCostCentre {
		if st.UsageByCostCentre[i].Name == "" {
			st.UsageByCostCentre[i].Name = "(no department)"
		}
	}
	st.Breakdowns = st.breakdowns()
	if q.attributed != "" {
		if st.Attributed, err = modelLines(ctx, r, namer, base+
			` AND t.credit_id = ? AND `+q.attributed+` AND t.created_at >= ? AND t.created_at < ?`,
			[]any{usage, q.attrArg, from, to}); err != nil {
			return fmt.Errorf("attributed usage: %w", err)
		}
		total := int64(0)
		for _, l := range st.Attributed {
			if total, err = money.AddMinor(total, l.minor); err != nil {
				return err
			}
		}
		st.AttributedTotal = money.MinorString(total)
		st.AttributedUsage = st.attributedUsage()
	}
	now := s.clock().In(st.loc)
	switch {
	case !st.start.Before(now) && st.AccountLeftOut:
		// No balance is shown to be carried forward: say only what is true.
		st.Message = "This month has not started yet: there is no activity."
	case !st.start.Before(now):
		st.Message = "This month has not started yet: the statement shows the balance carried forward and no activity."
	case st.end.After(now):
		st.Message = "This month is not over yet: the statement covers activity up to " + now.Format(time.RFC3339) + "."
		if st.AccountLeftOut {
			// No section of zeros says so below: the message does.
			so, err := s.soFar(ctx, st, usage, from, to)
			if err != nil {
				return fmt.Errorf("attributed usage: %w", err)
			}
			st.Message += " " + so
		}
	case st.Lines == 0 && len(st.Attributed) == 0:
		st.Message = "No activity in this period."
	case st.Lines == 0:
		// Usage attributed to them, paid by other accounts only (a member
		// the pool or a department's credits pay for): no "no activity" above it.
		if st.Message, err = s.paidByOthers(ctx, st, usage, from, to, ""); err != nil {
			return fmt.Errorf("attributed usage: %w", err)
		}
	}
	return nil
}

// paidByOthers says that the statement's own account did not move and who
// paid for the usage attributed to it: "No movements in dave's wallet; their
// usage was paid from the workspace pool." (when is " so far" in the
// current month).
func (s *Service) paidByOthers(ctx context.Context, st *Statement, usage int64, from, to, when string) (string, error) {
	payers, err := s.payers(ctx, st, usage, from, to)
	if err != nil {
		return "", err
	}
	whose := "their"
	if st.Scope == "department" {
		whose = "its"
	}
	acct := st.accountName()
	if st.Scope == "department" {
		// mid-sentence: "No movements in the Research department's credits",
		// "No movements in Department 3's credits"
		acct = team.DepartmentCreditsPhrase(st.ScopeName)
	}
	return fmt.Sprintf("No movements in %s%s; %s usage was paid from %s.", acct, when, whose, payers), nil
}

// soFar is what the current month's message adds when the statement's own
// account is left out (AccountLeftOut), which no section of zeros says
// below it: "No activity so far.", or who paid for what they used.
func (s *Service) soFar(ctx context.Context, st *Statement, usage int64, from, to string) (string, error) {
	if len(st.Attributed) == 0 {
		return "No activity so far.", nil
	}
	return s.paidByOthers(ctx, st, usage, from, to, " so far")
}

// leaveOutAccount is the one rule for AccountLeftOut: a member's or
// department's own account that had no entry in the month and a zero
// opening and closing balance has nothing to show.
func (st *Statement) leaveOutAccount() bool {
	return st.Scope != "workspace" && st.Lines == 0 && st.values["opening"] == 0 && st.values["closing"] == 0
}

// payers names the accounts that paid for the usage attributed to the
// statement's member or department in the month ("the workspace pool and
// the Research department's credits").
func (s *Service) payers(ctx context.Context, st *Statement, usage int64, from, to string) (string, error) {
	r := s.db.Read()
	rows, err := r.QueryContext(ctx, `SELECT da.code, MIN(da.id) FROM ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_id
		WHERE t.kind IN ('posted','post') AND t.credit_id = ? AND `+st.q.attributed+` AND t.created_at >= ? AND t.created_at < ?
		GROUP BY da.code ORDER BY 2`, usage, st.q.attrArg, from, to)
	if err != nil {
		return "", err
	}
	var codes []string
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			rows.Close()
			return "", err
		}
		codes = append(codes, code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		var id int64
		switch {
		case code == "pool":
			names[i] = "the workspace pool"
		case strings.HasPrefix(code, "dept:") && scanID(code[5:], &id):
			names[i] = team.DepartmentCreditsPhrase(name(ctx, r, "SELECT md_department_label(name, archived) FROM departments WHERE id = ?", id, "Department %d"))
		case strings.HasPrefix(code, "user:") && scanID(code[5:], &id):
			names[i] = name(ctx, r, "SELECT md_member_label(name, display_name, status) FROM users WHERE id = ?", id, "Member %d") + "'s wallet"
		default:
			names[i] = code
		}
	}
	switch len(names) {
	case 0:
		return "other accounts", nil
	case 1:
		return names[0], nil
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1], nil
}

// scanID reads a positive decimal id.
func scanID(s string, id *int64) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	*id = n
	return err == nil && n > 0
}

// modelLines sums the usage transfers of from (" FROM … WHERE …", t the
// transfers) by model and provider (the posting's meta), one line per
// reports.ModelNamer label ("gpt-4o · Lab": a renamed provider's charges
// under both names are one line), largest first, then by name.
func modelLines(ctx context.Context, r *sql.DB, namer reports.ModelNamer, from string, args []any) ([]Line, error) {
	rows, err := r.QueryContext(ctx, `SELECT t.model, `+reports.ProviderSQL("t.meta")+`, SUM(t.amount_minor), COUNT(*)`+from+
		` GROUP BY 1, 2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Line{}
	at := map[string]int{} // label → index in out
	for rows.Next() {
		var model, provider string
		var minor, n int64
		if err := rows.Scan(&model, &provider, &minor, &n); err != nil {
			return nil, err
		}
		name := namer.Label(model, provider)
		if i, ok := at[name]; ok {
			if out[i].minor, err = money.AddMinor(out[i].minor, minor); err != nil {
				return nil, err
			}
			out[i].Count += n
			continue
		}
		at[name] = len(out)
		out = append(out, Line{Name: name, Model: model, Provider: namer.Provider(provider), Count: n, minor: minor})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Amount = money.MinorString(out[i].minor)
	}
	slices.SortFunc(out, func(a, b Line) int {
		if c := cmp.Compare(b.minor, a.minor); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// lines runs a (name, sum, count) query.
func lines(ctx context.Context, r *sql.DB, q string, args []any) ([]Line, error) {
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Line{}
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.Name, &l.minor, &l.Count); err != nil {
			return nil, err
		}
		l.Amount = money.MinorString(l.minor)
		out = append(out, l)
	}
	return out, rows.Err()
}

// ErrUnknownName is returned when a member or department name matches none.
var ErrUnknownName = errors.New("no such member or department")

// ResolveMember turns a member id or name into its id, for the CLI's
// --member: ResolveMemberNote without its note.
func (s *Service) ResolveMember(ctx context.Context, v string) (int64, error) {
	id, _, err := s.ResolveMemberNote(ctx, v)
	return id, err
}

// ResolveMemberNote turns a member id or name (case-insensitive, name or
// display name; a name also by the names rule of backend/namekey) into its
// id. The name as typed wins: only when no member has it is the names rule
// asked, so a name kept beside its look-alike (migration 0710) still finds
// its own member. Current members are looked for first, then removed ones,
// whose statements stay readable: a removed member's name finds them when
// no current member has it. note, for the caller to show, says when the
// member found was removed, or when a removed member has the name of the
// current one found, and how to reach them (by id).
func (s *Service) ResolveMemberNote(ctx context.Context, v string) (id int64, note string, err error) {
	return s.resolve(ctx, v, memberLookup)
}

// ResolveMemberNoteAs is ResolveMemberNote for a command that takes the
// member with another flag than --member (`audit list --actor`): its note
// and its errors name that flag ("--actor 4").
func (s *Service) ResolveMemberNoteAs(ctx context.Context, v, flag string) (id int64, note string, err error) {
	l := memberLookup
	l.flag = flag
	return s.resolve(ctx, v, l)
}

// ResolveDepartment turns a department id or name into its id:
// ResolveDepartmentNote without its note.
func (s *Service) ResolveDepartment(ctx context.Context, v string) (int64, error) {
	id, _, err := s.ResolveDepartmentNote(ctx, v)
	return id, err
}

// ResolveDepartmentNote turns a department id or name (case-insensitive, or
// by the names rule of backend/namekey) into its id, as ResolveMemberNote
// does: current departments first, then archived ones.
func (s *Service) ResolveDepartmentNote(ctx context.Context, v string) (id int64, note string, err error) {
	return s.resolve(ctx, v, departmentLookup)
}

// nameLookup says how resolve finds a member or a department by name.
type nameLookup struct {
	what, flag string // "member", "--member"
	table      string
	exact, key string // SQL conditions on ?1: the name as typed; the names rule
	current    string // SQL condition: a current row
	former     string // what a row that is not current is: "removed", "archived"
}

var (
	memberLookup = nameLookup{what: "member", flag: "--member", table: "users",
		exact: "(name = ?1 COLLATE NOCASE OR display_name = ?1 COLLATE NOCASE)", key: "name_key = md_name_key(?1)",
		current: "status <> 'removed'", former: "removed"}
	departmentLookup = nameLookup{what: "department", flag: "--department", table: "departments",
		exact: "name = ?1 COLLATE NOCASE", key: "name_key = md_name_key(?1)",
		current: "archived = 0", former: "archived"}
)

// resolve finds the id named by v: a number is an id (of a row that exists,
// removed members and archived departments included), anything else a name:
// among current rows, then among former ones, the name as typed, then the
// names rule; the first query that finds any row decides.
func (s *Service) resolve(ctx context.Context, v string, l nameLookup) (int64, string, error) {
	var id int64
	if _, err := fmt.Sscanf(v, "%d", &id); err == nil && fmt.Sprint(id) == v && id > 0 {
		err := s.db.Read().QueryRowContext(ctx, "SELECT id FROM "+l.table+" WHERE id = ?", id).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", fmt.Errorf("%w: no %s has id %s", ErrUnknownName, l.what, v)
		}
		if err != nil {
			return 0, "", fmt.Errorf("find %s %s: %w", l.what, v, err)
		}
		return id, "", nil
	}
	formerOnly := "NOT (" + l.current + ")"
	for _, scope := range []string{l.current, formerOnly} {
		for _, match := range []string{l.exact, l.key} {
			ids, err := s.ids(ctx, "SELECT id FROM "+l.table+" WHERE "+scope+" AND "+match+" ORDER BY id", v)
			if err != nil {
				return 0, "", fmt.Errorf("find %s %q: %w", l.what, v, err)
			}
			switch {
			case len(ids) == 0:
				continue
			case len(ids) > 1:
				kind := "matches"
				if scope == formerOnly {
					kind = l.former + " " + l.what + "s"
				}
				return 0, "", fmt.Errorf("%s %q is ambiguous (%d %s): give the id, %s", l.what, v, len(ids), kind, l.ids(ids, " or "))
			case scope == formerOnly:
				return ids[0], fmt.Sprintf("%q is the %s %s %d", v, l.former, l.what, ids[0]), nil
			}
			// A current row: say how to reach a former one of that name.
			others, err := s.ids(ctx, "SELECT id FROM "+l.table+" WHERE "+formerOnly+" AND ("+l.exact+" OR "+l.key+") ORDER BY id", v)
			if err != nil {
				return 0, "", fmt.Errorf("find %s %q: %w", l.what, v, err)
			}
			note := ""
			switch len(others) {
			case 0:
			case 1:
				note = fmt.Sprintf("%q is %s %d; the %s %s %d has that name too: %s", v, l.what, ids[0], l.former, l.what, others[0], l.ids(others, ""))
			default:
				note = fmt.Sprintf("%q is %s %d; the %s %ss %s have that name too: %s", v, l.what, ids[0], l.former, l.what,
					joinIDs(others), l.ids(others, " or "))
			}
			return ids[0], note, nil
		}
	}
	return 0, "", fmt.Errorf("%w: %s %q", ErrUnknownName, l.what, v)
}

// ids names each id as its flag would ("--member 4 or --member 7").
func (l nameLookup) ids(ids []int64, sep string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s %d", l.flag, id)
	}
	return strings.Join(parts, sep)
}

// joinIDs lists ids: "4, 7".
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// ids runs a query of ids with one argument.
func (s *Service) ids(ctx context.Context, q, v string) ([]int64, error) {
	return store.QueryIDs(ctx, s.db.Read(), q, v)
}
