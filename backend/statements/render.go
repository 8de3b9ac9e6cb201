package statements

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/money"
	"meterdesk/backend/reports"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

// Progress is told how many rows of total were written so far (total may be
// 0 when unknown).
type Progress func(done, total int64)

func (p Progress) report(done, total int64) {
	if p != nil {
		p(done, total)
	}
}

// progressEvery is how often (in rows) progress is reported.
const progressEvery = 1000

// title returns the statement's heading.
func (st *Statement) title() string {
	switch st.Scope {
	case "department":
		return "Statement — " + team.DepartmentTitle(st.ScopeName)
	case "member":
		return "Statement — " + st.ScopeName
	}
	return "Statement — " + st.ScopeName
}

// summary returns the summary lines in order, with the closing total last.
func (st *Statement) summary() []KV {
	return []KV{
		{Key: "Opening balance", Value: st.Opening, Bold: true},
		{Key: "Top-ups", Value: st.TopUps},
		{Key: "Usage", Value: neg(st.Usage)},
		{Key: "Refunds", Value: st.Refunds},
		{Key: "Transfers in", Value: st.TransfersIn},
		{Key: "Transfers out", Value: neg(st.TransfersOut)},
		{Key: "Adjustments", Value: st.Adjustments},
		{Key: "Expired credits", Value: neg(st.Expiry)},
		{Key: "Closing balance", Value: st.Closing, Bold: true},
	}
}

// accountName names the account whose balance a member's or department's
// statement sums up, in a heading ("Sam Member's wallet", "Research
// department's credits": team.DepartmentCredits, as the header names a
// department's account), as the Statements page shows it (AccountName);
// "" for the workspace's statement. A member paid for
// by the pool uses credits without their wallet moving, so the summary must
// not read as all they used.
func (st *Statement) accountName() string {
	switch st.Scope {
	case "member":
		return st.ScopeName + "'s wallet"
	case "department":
		return team.DepartmentCredits(st.ScopeName)
	}
	return ""
}

// breakdowns are the statement's usage tables, by model then by
// department, as the PDF prints them and the Statements page shows them
// (Statement.Breakdowns): for a member or department each heading names the
// account that paid ("Paid from Research department's credits, by model"),
// whose usage alone they split. Both split the same charges, so with none
// only the first says so (the second's None is "": left out).
func (st *Statement) breakdowns() []Breakdown {
	acct := st.accountName()
	heading := func(by string) string { return "Usage by " + by }
	none := "No usage this month."
	if acct != "" {
		heading = func(by string) string { return "Paid from " + acct + ", by " + by }
		none = "No usage was paid from " + acct + " this month."
	}
	return []Breakdown{
		usageTable("model", heading("model"), st.UsageByModel, st.Usage, none),
		usageTable("department", heading("department"), st.UsageByCostCentre, st.Usage, ""),
	}
}

// attributedUsage is a member's or department's usage attributed to them,
// whoever paid, as the table the PDF prints and the page shows first.
func (st *Statement) attributedUsage() *Breakdown {
	b := usageTable("model", "Usage attributed to "+st.ScopeName+" (any payer)", st.Attributed, st.AttributedTotal, "No usage this month.")
	return &b
}

// usageTable is the one rule for a usage table's words: its column names
// by what a line is ("Model", "Department"), each usage charge counted as
// one message (or one local API request) under "Messages", and its total
// row's "Total".
func usageTable(by, heading string, ls []Line, total, none string) Breakdown {
	if ls == nil {
		ls = []Line{}
	}
	name := "Model"
	if by == "department" {
		name = "Department"
	}
	return Breakdown{By: by, Heading: heading, Columns: []string{name, "Messages", "Credits"}, Lines: ls,
		TotalLabel: "Total", Total: total, None: none}
}

// summaryRows is the one rule for the balance summary's rows as a person
// reads them (Statement.Summary): the PDF prints them and the Statements
// page shows them, in summary()'s order, one row each for transfers in and
// out (the page had one "Transfers in / out" row), with the display words:
// for a member or department the usage row names the account it was paid
// from, expired credits are "Expired". Amounts stay canonical and signed;
// each writes them by the display rule (money.Display: "1,250.00",
// "0.70"). (The CSV keeps summary()'s plain keys, which scripts read.)
func (st *Statement) summaryRows() []SummaryRow {
	keys := []string{"opening", "topUps", "usage", "refunds", "transfersIn", "transfersOut", "adjustments", "expiry", "closing"}
	acct := st.accountName()
	kv := st.summary()
	rows := make([]SummaryRow, len(kv))
	for i, r := range kv {
		label := r.Key
		switch {
		case acct != "" && label == "Usage":
			label = "Usage paid from " + acct
		case label == "Expired credits":
			label = "Expired"
		}
		rows[i] = SummaryRow{Key: keys[i], Label: label, Amount: r.Value, Balance: r.Bold}
	}
	return rows
}

// pdfSummary is the statement's Summary as the PDF prints it: each row's
// label, its amount by the display rule, balances bold.
func (st *Statement) pdfSummary() []KV {
	kv := make([]KV, len(st.Summary))
	for i, r := range st.Summary {
		kv[i] = KV{Key: r.Label, Value: money.DisplayString(r.Amount), Bold: r.Balance}
	}
	return kv
}

// instant is an RFC 3339 time as Statement.Generated and Statement.Message
// write it ("2026-11-23T23:26:42Z", "2026-03-29T12:00:00+02:00").
var instant = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`)

// ReadableMessage is the statement's message as a person reads it, its
// times written as the PDF and the Statements page write them ("… covers
// activity up to 2026-11-23 23:26", not "…T23:26:42+01:00"): `meterdesk
// statement` prints it. Message itself keeps the RFC 3339 time for the CSV
// and --json.
func (st *Statement) ReadableMessage() string {
	if st.loc == nil {
		return st.Message
	}
	return readableTimes(st.Message, st.loc)
}

// readableTimes writes each RFC 3339 time in s as the PDF's lines write
// theirs, in the workspace zone to the minute ("2026-11-23 23:26",
// workzone.LocalTime: with its offset only in an hour that happens twice),
// as the Statements page shows the message (frontend Statements.svelte's
// readable): the PDF's "Generated" and "… covers activity up to …" read as
// its transactions' dates do. The CSV keeps them as RFC 3339, for scripts.
func readableTimes(s string, loc *time.Location) string {
	return instant.ReplaceAllStringFunc(s, func(v string) string {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return v
		}
		return workzone.LocalTime(t, loc, workzone.Minutes)
	})
}

// neg renders a deduction as a negative number ("0" stays "0").
func neg(s string) string {
	if s == "0" || strings.HasPrefix(s, "-") {
		return strings.TrimPrefix(s, "-")
	}
	return "-" + s
}

// WritePDF renders the statement with every transaction line.
func (s *Service) WritePDF(ctx context.Context, st *Statement, w io.Writer, prog Progress) error {
	p := NewPDF(PDFOptions{Title: st.title(), Subtitle: "Month " + st.Month + " (" + st.TimeZone + ") · credits", Created: s.clock()})
	p.KeyValues([]KV{{Key: "Scope", Value: st.Scope}, {Key: "Generated", Value: readableTimes(st.Generated, st.loc)}})
	if st.Message != "" {
		p.Note(readableTimes(st.Message, st.loc))
	}
	// A usage table as the Statements page shows it: Go's words, one rule
	// (Breakdown); one with no lines and no words for none is left out.
	breakdown := func(b Breakdown) {
		if len(b.Lines) == 0 && b.None == "" {
			return
		}
		p.Heading(b.Heading)
		if len(b.Lines) == 0 {
			p.Note(b.None)
			return
		}
		p.Table([]Column{{b.Columns[0], 110, Left}, {b.Columns[1], 25, Right}, {b.Columns[2], 45, Right}})
		for _, l := range b.Lines {
			p.Row(l.Name, money.GroupInt(l.Count), money.DisplayString(l.Amount))
		}
		p.TotalRow(b.TotalLabel, "", money.DisplayString(b.Total))
	}
	// A member's or department's statement leads with what they used,
	// whoever paid, then sums up their own account, named: the same order
	// and words as the Statements page.
	acct := st.accountName()
	if acct == "" {
		p.Heading("Summary")
	} else {
		if st.AttributedUsage != nil {
			breakdown(*st.AttributedUsage)
		}
		if st.AccountLeftOut {
			// Nothing in their own account, before or during the month: no
			// section of zeros (the page and the CSV leave it out too).
			return s.finishPDF(p, st, w, prog)
		}
		p.Heading(acct)
		note := "Movements in " + acct + " only"
		if len(st.Attributed) > 0 {
			note += ": usage another account paid for is not in it"
		}
		p.Note(note + ".")
	}
	p.KeyValues(st.pdfSummary())
	for _, b := range st.Breakdowns {
		breakdown(b)
	}
	p.Heading("Transactions")
	if st.Lines == 0 && acct != "" {
		p.Note("No transactions in " + acct + " in this period.")
	} else if st.Lines == 0 {
		p.Note("No transactions in this period.")
	} else {
		// Date is wide enough for a time with its offset (workzone.LocalTime).
		p.Table([]Column{{"Date", 44, Left}, {"Type", 22, Left}, {"Detail", 50, Left}, {"Credits", 32, Right}, {"Balance", 32, Right}})
		n := int64(0)
		name, err := s.accountNamer(ctx)
		if err != nil {
			return err
		}
		err = s.EachEntry(ctx, st, func(e Entry) error {
			p.NotedRow(e.Note(), workzone.LocalTime(e.Time, st.loc, workzone.Minutes), categoryNames[e.Category], detail(e, name),
				money.DisplayMinor(e.Amount), money.DisplayMinor(e.Balance))
			n++
			if n%progressEvery == 0 {
				prog.report(n, st.Lines)
			}
			return nil
		})
		if err != nil {
			return err
		}
		p.TotalRow("Closing balance", "", "", "", money.DisplayString(st.Closing))
	}
	return s.finishPDF(p, st, w, prog)
}

// finishPDF writes the finished statement PDF to w and reports it done.
func (s *Service) finishPDF(p *PDF, st *Statement, w io.Writer, prog Progress) error {
	if err := p.Output(w); err != nil {
		return err
	}
	prog.report(st.Lines, st.Lines)
	return nil
}

// detail describes an entry in one short line.
func detail(e Entry, name func(code string) string) string {
	parts := []string{}
	if e.Member != "" {
		parts = append(parts, e.Member)
	}
	if e.Model != "" {
		parts = append(parts, e.Model)
	}
	if e.Category != "usage" && e.Category != "topup" {
		if n := name(e.Counterparty); n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " · ")
}

// accountNamer names the other account of a PDF line as the statement and
// the Statements page name accounts: "Workspace pool" (as everywhere in
// the window), "Sam Member's wallet", "Research department's credits" (by
// backend/people's rule, "dave (removed)'s wallet"). A bookkeeping account
// (sys:refund, sys:expiry, …) is named by the line's type already
// ("Refund", "Expiry") and gets no name. The names are those the reader
// may see, by team.AccountNames' one rule: an admin's every member's and
// department's, a member's their own wallet's and their department's; any
// other reads as the window's Credits and Usage pages name it, "Member 3's
// wallet", "Department 2's credits" (a member's PDF named the member or
// department their wallet gave credits to, or got them from, which the
// window keeps from them). Earlier PDFs printed the code ("Transfer in ·
// pool", "user:2"). The CSV keeps the code, which scripts read.
func (s *Service) accountNamer(ctx context.Context) (func(code string) string, error) {
	known, err := team.AccountNamesOn(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return func(code string) string {
		switch {
		case code == "pool":
			return "Workspace pool"
		case strings.HasPrefix(code, "sys:"):
			return ""
		}
		kind, idText, _ := strings.Cut(code, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 || kind != "user" && kind != "dept" {
			return code
		}
		label, ok := known[code]
		if kind == "user" {
			if !ok {
				label = fmt.Sprintf("Member %d", id)
			}
			return label + "'s wallet"
		}
		if !ok {
			label = fmt.Sprintf("Department %d", id)
		}
		return team.DepartmentCredits(label)
	}, nil
}

// csvHeader is the one column layout of a statement CSV: summary,
// breakdown and transaction rows share it so the file parses as one table.
// count is a breakdown row's number of transactions, note a transaction's
// note (a top-up's "PO 4711"), member_id and department_id the ids of a
// transaction's member and department (member and department are their
// names, which a removed member and a current one may share but for the
// "(removed)" mark). New columns go at the end: scripts read the others by
// position.
var csvHeader = []string{"section", "date", "id", "type", "description", "member", "department", "model", "amount", "balance", "count", "note",
	"member_id", "department_id"}

// WriteCSV writes the statement as CSV: a header row, then rows with
// section "statement" (who and when), "summary" (opening ... closing; amount
// signed), "usage_by_model", "usage_by_cost_centre", "attributed_usage"
// (name in description, transactions in count) and "transaction" (one per
// ledger entry, amount signed, running balance, its note if it has one).
// A statement whose own account is left out (AccountLeftOut) has no
// summary rows (nor breakdown or transaction rows: it had none).
func (s *Service) WriteCSV(ctx context.Context, st *Statement, w io.Writer, prog Progress) error {
	c := NewCSVWriter(w)
	row := func(cells ...string) error { return c.Write(cells...) }
	if err := row(csvHeader...); err != nil {
		return err
	}
	info := [][2]string{{"scope", st.Scope}, {"name", st.ScopeName}, {"month", st.Month}, {"time_zone", st.TimeZone}, {"generated", st.Generated}, {"message", st.Message}}
	for _, kv := range info {
		if err := row("statement", "", "", kv[0], kv[1], "", "", "", "", "", "", "", "", ""); err != nil {
			return err
		}
	}
	summary := st.summary()
	if st.AccountLeftOut {
		summary = nil // an own account with nothing in it: no rows of zeros
	}
	for _, kv := range summary {
		if err := row("summary", "", "", "", kv.Key, "", "", "", kv.Value, "", "", "", "", ""); err != nil {
			return err
		}
	}
	for _, sec := range []struct {
		name string
		ls   []Line
	}{{"usage_by_model", st.UsageByModel}, {"usage_by_cost_centre", st.UsageByCostCentre}, {"attributed_usage", st.Attributed}} {
		for _, l := range sec.ls {
			// A by-model row's description is the model and its provider
			// ("gpt-4o · Lab"), its model column the model alone.
			if err := row(sec.name, "", "", "", l.Name, "", "", l.Model, l.Amount, "", strconv.FormatInt(l.Count, 10), "", "", ""); err != nil {
				return err
			}
		}
	}
	n := int64(0)
	err := s.EachEntry(ctx, st, func(e Entry) error {
		n++
		if n%progressEvery == 0 {
			prog.report(n, st.Lines)
		}
		return row("transaction", ISOTime(e.Time, st.loc), strconv.FormatInt(e.ID, 10), e.Category, e.Counterparty,
			e.Member, e.Department, e.Model, money.MinorString(e.Amount), money.MinorString(e.Balance), "", e.Note(),
			idOrEmpty(e.MemberID), idOrEmpty(e.DepartmentID))
	})
	if err != nil {
		return err
	}
	prog.report(st.Lines, st.Lines)
	return c.Flush()
}

// detailHeader is the per-message breakdown CSV's header. member_id and
// department_id tell apart a removed member (or archived department) and
// the current one of the same name; provider (added after them) the
// provider the charge went to, as it reads now (reports.ModelNamer). New
// columns go at the end: scripts read the others by position.
var detailHeader = []string{"id", "time", "member", "department", "model", "source", "conversation_id",
	"input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "tool_calls",
	"estimated", "credits", "rate_version", "capped", "member_id", "department_id", "provider"}

// WriteDetailCSV writes one row per usage charge of the statement with its
// token breakdown (input, cached, output, reasoning, tool calls), the rate
// version that priced it and whether it was capped (at the hold, or at what
// the payer's policy and the member's limits still allowed), read from the transfer's meta (see chargeMeta). Other transactions are left out.
// For a member or department statement the rows are the usage attributed to
// it (its messages, whoever paid); for the workspace, every usage charge.
func (s *Service) WriteDetailCSV(ctx context.Context, st *Statement, w io.Writer, prog Progress) error {
	namer, err := reports.NewModelNamer(ctx, s.db)
	if err != nil {
		return err
	}
	c := NewCSVWriter(w)
	if err := c.Write(detailHeader...); err != nil {
		return err
	}
	n := int64(0)
	each := s.EachEntry
	if st.q.attributed != "" {
		// A member's or department's messages, whichever account paid.
		each = s.eachAttributedUsage
	}
	err = each(ctx, st, func(e Entry) error {
		n++
		if n%progressEvery == 0 {
			prog.report(n, st.Lines)
		}
		if e.Category != "usage" {
			return nil
		}
		m := chargeMetaOf(e.Meta)
		u := m.Usage
		return c.Write(strconv.FormatInt(e.ID, 10), ISOTime(e.Time, st.loc), e.Member, e.Department, e.Model, reports.SourceLabel(e.Source),
			idOrEmpty(e.ConversationID), tokens(u.Input), tokens(u.CacheRead), tokens(u.CacheWrite),
			tokens(u.Output), tokens(u.Reasoning), tokens(u.ToolCalls), strconv.FormatBool(m.Estimated),
			money.MinorString(-e.Amount), idOrEmpty(m.rateVersion()), strconv.FormatBool(m.Capped),
			idOrEmpty(e.MemberID), idOrEmpty(e.DepartmentID), namer.Provider(m.Provider))
	})
	if err != nil {
		return err
	}
	prog.report(st.Lines, st.Lines)
	return c.Flush()
}

// chargeMeta is the part of a usage posting's meta that the metered flow
// writes (backend/chat, Call.meta): the normalised token counts, whether
// they were estimated, the rate version that priced them (also in the
// breakdown) and whether the charge was capped (the payer's policy or the
// member's limits did not allow the overrun, so less than the usage's price
// was charged: the hold, or for a reply that outlived its hold what the
// payer's policy and the member's limits still allowed). Meta without them reads as zeros.
type chargeMeta struct {
	Usage       chat.Usage `json:"usage"`
	Estimated   bool       `json:"estimated"`
	Capped      bool       `json:"capped"`
	RateVersion int64      `json:"rateVersion"`
	Provider    string     `json:"provider"` // the configured provider's name when charged
	Breakdown   struct {
		RateVersion int64 `json:"rateVersion"`
	} `json:"breakdown"`
}

// rateVersion is the id of the rate version that priced the charge (0:
// not recorded).
func (m chargeMeta) rateVersion() int64 {
	if m.RateVersion != 0 {
		return m.RateVersion
	}
	return m.Breakdown.RateVersion
}

func tokens(n int64) string { return strconv.FormatInt(n, 10) }

func chargeMetaOf(meta string) chargeMeta {
	var m chargeMeta
	_ = json.Unmarshal([]byte(meta), &m)
	return m
}

// txHeader is the transaction-history CSV's header.
var txHeader = []string{"id", "time", "type", "op", "from", "to", "amount", "member_id", "member",
	"department_id", "department", "model", "source", "conversation_id"}

// WriteTransactionsCSV streams the filtered transaction history (the
// caller's scope, see reports.Filter) as CSV, oldest first.
func (s *Service) WriteTransactionsCSV(ctx context.Context, f reports.Filter, w io.Writer, prog Progress) error {
	loc, err := workzone.Load(ctx, s.db.Read())
	if err != nil {
		return fmt.Errorf("transactions CSV: %w", err)
	}
	c := NewCSVWriter(w).InZone(loc)
	if err := c.Write(txHeader...); err != nil {
		return err
	}
	n, total := int64(0), int64(0)
	err = s.reports.Stream(ctx, f, func(t int64) { total = t }, func(r *reports.Row) error {
		n++
		if n%progressEvery == 0 {
			prog.report(n, total)
		}
		// Typed cells append into the writer's buffer: no per-row allocation.
		c.Int(r.ID)
		c.Time(r.Time)
		c.Text(r.Type)
		c.Text(r.Op)
		c.Text(r.From)
		c.Text(r.To)
		c.Minor(r.AmountMinor)
		c.IntOrEmpty(r.UserID)
		c.Text(r.Member)
		c.IntOrEmpty(r.DepartmentID)
		c.Text(r.Department)
		c.Text(r.Model)
		c.Text(reports.SourceLabel(r.Source))
		c.IntOrEmpty(r.ConversationID)
		return c.End()
	})
	if err != nil {
		return err
	}
	prog.report(n, total)
	return c.Flush()
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
